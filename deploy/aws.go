package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// CloudFormationAPI is the part of CloudFormation chalc uses.
type CloudFormationAPI interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error)
	DescribeStackResource(context.Context, *cloudformation.DescribeStackResourceInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceOutput, error)
	CreateChangeSet(context.Context, *cloudformation.CreateChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error)
	DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error)
	ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error)
	DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error)
}

// S3API is the part of S3 chalc uses: the deployment bucket and its
// objects.
type S3API interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	CreateBucket(context.Context, *s3.CreateBucketInput, ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// STSAPI finds the account, for the default bucket's name.
type STSAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// LogsAPI reads a function's CloudWatch Logs.
type LogsAPI interface {
	FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
}

// Clients are the AWS services chalc talks to, in one region.
type Clients struct {
	CloudFormation CloudFormationAPI
	S3             S3API
	STS            STSAPI
	CloudWatchLogs LogsAPI
	Region         string
}

// Config selects the credentials and the region; empty fields use the
// standard chain (environment, ~/.aws/config and credentials, SSO,
// container and instance roles).
type Config struct {
	Profile string
	Region  string
}

// Messages of the errors Load returns when nothing is configured.
const (
	NoCredentialsMessage = "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`"
	NoRegionMessage      = "no AWS region set: pass --region, set AWS_REGION, or run `aws configure`"
)

// ConfigError is an AWS configuration problem found before any request
// is made: no credentials, no region, an unknown profile.
type ConfigError struct {
	Message string
	Err     error // the SDK's cause, if any
}

func (e *ConfigError) Error() string { return e.Message }
func (e *ConfigError) Unwrap() error { return e.Err }

// Load builds the clients from the standard AWS configuration chain and
// makes sure credentials and a region are there, so a command fails
// before doing any work. The SDK's endpoint settings apply to every
// client: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> (CLOUDFORMATION,
// S3, STS, CLOUDWATCH_LOGS) and their ~/.aws/config equivalents.
func Load(ctx context.Context, c Config) (*Clients, error) {
	// The SDK's own log lines (retries, IMDS fallbacks, checksum notes)
	// would interleave with chalc's; its errors carry what matters.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var np config.SharedConfigProfileNotExistError
		if errors.As(err, &np) {
			return nil, &ConfigError{Message: fmt.Sprintf("AWS profile %q is not in ~/.aws/config or ~/.aws/credentials", np.Profile), Err: err}
		}
		return nil, &ConfigError{Message: "loading the AWS configuration: " + err.Error(), Err: err}
	}
	if err := checkCredentials(ctx, cfg); err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, &ConfigError{Message: NoRegionMessage}
	}
	return NewClients(cfg), nil
}

// checkCredentials retrieves the credentials once (they are cached by the
// config's provider, so requests do not fetch them again).
func checkCredentials(ctx context.Context, cfg aws.Config) error {
	if cfg.Credentials == nil {
		return &ConfigError{Message: NoCredentialsMessage}
	}
	_, err := cfg.Credentials.Retrieve(ctx)
	if err == nil {
		return nil
	}
	// The chain's last resort is the instance role: its failure means
	// nothing else was configured.
	if strings.Contains(err.Error(), "no EC2 IMDS role found") {
		return &ConfigError{Message: NoCredentialsMessage, Err: err}
	}
	return &ConfigError{Message: "AWS credentials could not be loaded: " + err.Error(), Err: err}
}

// NewClients makes the service clients of cfg.
func NewClients(cfg aws.Config) *Clients {
	return &Clients{
		CloudFormation: cloudformation.NewFromConfig(cfg),
		S3:             s3.NewFromConfig(cfg),
		STS:            sts.NewFromConfig(cfg),
		CloudWatchLogs: cloudwatchlogs.NewFromConfig(cfg),
		Region:         cfg.Region,
	}
}

// AWSError is a failed AWS request, shown on one line as
// "<Service> <Operation>: <Code>: <message>" instead of the SDK's long
// form. The SDK's error is kept (Unwrap).
type AWSError struct {
	Service, Operation string
	Code, Message      string
	Err                error
}

func (e *AWSError) Error() string {
	s := e.Service + " " + e.Operation + ": "
	switch {
	case e.Code != "" && e.Message != "":
		return s + e.Code + ": " + e.Message
	case e.Code != "":
		return s + e.Code
	}
	var oe *smithy.OperationError
	if errors.As(e.Err, &oe) {
		return s + oe.Err.Error()
	}
	return s + e.Err.Error()
}

func (e *AWSError) Unwrap() error { return e.Err }

// NetworkError is an AWS request that got no answer: no network, a name
// that does not resolve (also a mistyped region's endpoint), a refused
// connection, a proxy or TLS failure. Error is what failed, in words;
// Cause is the transport's error, for a note.
type NetworkError struct {
	Service, Operation, Region string
	Err                        error // the SDK's error
}

func (e *NetworkError) Error() string {
	where := ""
	if e.Region != "" {
		where = " in region " + e.Region
	}
	return fmt.Sprintf("cannot reach %s%s (%s failed before AWS answered)", e.Service, where, e.Operation)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Hint says what to check.
func (e *NetworkError) Hint() string {
	region := "the region"
	if e.Region != "" {
		region = "that " + e.Region + " is the region you mean"
	}
	return "check the network connection, any proxy (HTTPS_PROXY) or endpoint (AWS_ENDPOINT_URL) setting, and " + region
}

// Cause is the transport's own error (`Post "https://...": dial tcp:
// lookup ...: no such host`), without the SDK's retry and request
// wrapping.
func (e *NetworkError) Cause() string {
	var ce interface {
		ConnectionError() bool
		Unwrap() error
	}
	if errors.As(e.Err, &ce) && ce.Unwrap() != nil {
		return ce.Unwrap().Error()
	}
	return e.Err.Error()
}

// connectionError reports whether err is the SDK's "no answer" (smithy's
// RequestSendError and the like mark themselves so).
func connectionError(err error) bool {
	var ce interface{ ConnectionError() bool }
	return errors.As(err, &ce) && ce.ConnectionError()
}

// awsErr is awsErr naming the deployer's region in a NetworkError.
func (d *Deployer) awsErr(err error) error {
	err = awsErr(err)
	var ne *NetworkError
	if errors.As(err, &ne) && d.Clients != nil {
		ne.Region = d.Region
	}
	return err
}

// awsErr wraps an SDK error as an *AWSError, or a *NetworkError when
// the request got no answer; nil, context cancellation and errors that
// are not the SDK's pass through.
func awsErr(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e := &AWSError{Err: err}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		e.Service, e.Operation = oe.Service(), oe.Operation()
	}
	if oe != nil && connectionError(err) {
		return &NetworkError{Service: e.Service, Operation: e.Operation, Err: err}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code, e.Message = ae.ErrorCode(), ae.ErrorMessage()
	}
	if oe == nil && e.Code == "" {
		return err
	}
	return e
}

// apiCode is the error code of an AWS error ("" when it is not one).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// apiMessage is the message of an AWS error ("" when it is not one).
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}
