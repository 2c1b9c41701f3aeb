package awsfacts

import (
	"regexp"
	"sync"
)

// CloudFormation's quotas (AWS CloudFormation User Guide, "Quotas").
const (
	MaxResources     = 500
	MaxOutputs       = 200
	MaxParameters    = 200
	MaxTemplateBytes = 1_000_000 // template body uploaded from S3
	MaxInlineBytes   = 51_200    // template body passed inline
	MaxLogicalID     = 255
)

// StackNamePattern is what CloudFormation takes as a stack name, at most
// MaxStackName characters: a letter, then letters, digits and hyphens.
var StackNamePattern = lazy(`^[A-Za-z][-A-Za-z0-9]*$`)

// MaxStackName is the length of a stack name.
const MaxStackName = 128

// LogicalIDPattern is what CloudFormation takes as a logical ID.
var LogicalIDPattern = lazy(`^[A-Za-z0-9]+$`)

// PseudoParameters are the names a Ref may use without declaring them.
var PseudoParameters = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// Lambda's limits on a function's configuration (AWS Lambda Developer
// Guide, "Lambda quotas"; CreateFunction's parameters).
const (
	MinMemorySize = 128   // MB
	MaxMemorySize = 10240 // MB
	MinTimeout    = 1     // seconds
	MaxTimeout    = 900   // seconds
	// MaxEnvironment is how many bytes a function's environment variables
	// take in all, counted as Lambda counts them: each name plus its
	// value as a JSON string.
	MaxEnvironment = 4096
	// MaxLayers is how many layers a function takes.
	MaxLayers = 5
	// MaxFunctionName is the length of an explicit FunctionName.
	MaxFunctionName = 64
	// MaxResponseBytes is the largest payload a synchronous invocation
	// returns.
	MaxResponseBytes = 6 * 1024 * 1024
)

// Tag limits shared by Lambda functions and API Gateway resources.
const (
	// MaxTags is how many tags one resource takes.
	MaxTags     = 50
	MaxTagKey   = 128 // characters
	MaxTagValue = 256 // characters
)

// TagChars matches the tag keys and values Lambda and API Gateway take:
// letters, digits, spaces and _ . : / = + - @.
var TagChars = lazy(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// Pattern is a regexp compiled when first matched. Every pattern of this
// package is one: compiled at start-up, their Unicode classes and counted
// repetitions ({1,1000}) cost every chalc command milliseconds, --version
// included.
type Pattern struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

func lazy(expr string) *Pattern { return &Pattern{expr: expr} }

// MatchString reports whether s matches.
func (l *Pattern) MatchString(s string) bool {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re.MatchString(s)
}

// EnvVarName is Lambda's pattern for an environment variable's name
// (Environment.Variables keys): a letter, then at least one letter, digit
// or "_".
var EnvVarName = lazy(`^[A-Za-z][A-Za-z0-9_]+$`)

// ReservedEnvVars are the names Lambda sets itself and refuses in a
// function's configuration: the Lambda Developer Guide's "Reserved
// environment variables", as cfn-lint's E3663 checks them. Older editions
// of the guide also listed TZ; like cfn-lint, chalc does not refuse it (a
// false error would block a working app).
var ReservedEnvVars = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_DEFAULT_REGION": true, "AWS_REGION": true,
	"AWS_EXECUTION_ENV": true, "AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true, "AWS_LAMBDA_LOG_GROUP_NAME": true,
	"AWS_LAMBDA_LOG_STREAM_NAME": true, "AWS_ACCESS_KEY": true, "AWS_ACCESS_KEY_ID": true,
	"AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true, "AWS_LAMBDA_RUNTIME_API": true,
	"LAMBDA_TASK_ROOT": true, "LAMBDA_RUNTIME_DIR": true,
}

// Names of the resources an event source names.
var (
	// BucketName: S3's rules for a bucket name, 3-63 characters.
	BucketName = lazy(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// TopicName: SNS's, up to 256 characters, .fifo for FIFO topics.
	TopicName = lazy(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
	// QueueName: SQS's, up to 80 characters, .fifo for FIFO queues.
	QueueName = lazy(`^[A-Za-z0-9_-]{1,80}(\.fifo)?$`)
)

// SQS event source limits (Lambda's CreateEventSourceMapping).
const (
	// MaxFIFOBatchSize is the largest batch of a FIFO queue, and the
	// largest a standard queue takes without a batching window.
	MaxFIFOBatchSize = 10
	// MaxBatchingWindow is the longest batching window, in seconds.
	MaxBatchingWindow = 300
	// MaxBatchSize is the largest batch of a standard queue, a Kinesis
	// or a DynamoDB stream.
	MaxBatchSize = 10_000
	// MinMaximumConcurrency and MaxMaximumConcurrency bound an SQS
	// source's ScalingConfig.MaximumConcurrency.
	MinMaximumConcurrency = 2
	MaxMaximumConcurrency = 1000
)

// API Gateway's limits.
const (
	// APIResourcesQuota is API Gateway's default quota of resources per
	// REST API (it can be raised).
	APIResourcesQuota = 300
	// MaxStageName is the length of a REST API stage name.
	MaxStageName = 128
	// MaxAuthorizerTTL is the longest an authorizer's result is cached,
	// in seconds.
	MaxAuthorizerTTL = 3600
	// MaxMinimumCompressionSize bounds a REST API's
	// MinimumCompressionSize, in bytes.
	MaxMinimumCompressionSize = 10_485_760
)

// MaxScheduleDescription is the length of an EventBridge rule's
// description.
const MaxScheduleDescription = 512

// MaxRolePolicies is the total size in characters IAM allows for a role's
// inline policies (whitespace not counted).
const MaxRolePolicies = 10_240

// DefaultQueueVisibilityTimeout is an SQS queue's visibility timeout when
// its template does not set one, in seconds. Lambda refuses an event
// source mapping from a queue whose visibility timeout is shorter than
// the function's timeout (cfn-lint E3505).
const DefaultQueueVisibilityTimeout = 30
