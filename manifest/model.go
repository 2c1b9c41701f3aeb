package manifest

import "github.com/chalc-dev/chalc/diag"

// Value is a scalar from the manifest with where it came from. Set is false
// when the key is absent (or its value had the wrong type, which the schema
// reports), so "not set" and "set to the zero value" stay apart, as
// Chalice's precedence rules need.
type Value[T any] struct {
	V     T
	Set   bool
	Key   diag.Range // the key's position
	Range diag.Range // the value's position
	// Tagged: the value carried a YAML tag such as !Ref (already an
	// error); checks of its shape are skipped so one mistake is one error.
	Tagged bool
}

// At returns the most useful position: the value's, else the key's.
func (v Value[T]) At() diag.Range {
	if v.Range.Start.Line != 0 {
		return v.Range
	}
	return v.Key
}

// List is a sequence of strings with positions.
type List struct {
	Items []Value[string]
	Set   bool
	Key   diag.Range
	Range diag.Range
	// Scalar is true when the user wrote a single string where a list is
	// also accepted (api_gateway_endpoint_vpce).
	Scalar bool
}

// Strings returns the plain values.
func (l List) Strings() []string {
	if len(l.Items) == 0 {
		if l.Set {
			return []string{}
		}
		return nil
	}
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.V
	}
	return out
}

// Entry is one key of a string map (environment_variables, tags).
type Entry struct {
	Key   Value[string]
	Value Value[string]
}

// Map is a string-to-string mapping, in document order.
type Map struct {
	Entries []Entry
	Set     bool
	Key     diag.Range
	Range   diag.Range
}

// Manifest is a decoded chalice.yaml: the app, its config and its stages,
// with every value's position. Blueprint fragments hang off Blueprints.
type Manifest struct {
	Doc      *Document
	Version  Value[int]
	AppName  Value[string]
	Handlers Value[string]

	API         API
	Routes      []*Route
	Authorizers []*Authorizer
	Functions   []*Function
	Websocket   *Websocket
	Middleware  []*Middleware
	Blueprints  []*Blueprint

	// Config holds the top-level configuration keys (every stage).
	Config Config
	// LambdaFunctions holds the top-level per-function entries.
	LambdaFunctions []*FunctionConfig
	Stages          []*Stage
	StagesKey       diag.Range
}

// API is the `api:` block.
type API struct {
	BinaryTypes List
	CORS        *CORS
}

// CORS is a route's or the API's `cors:` value: true, false or an object.
type CORS struct {
	Key     diag.Range // the cors key
	Range   diag.Range
	Enabled bool // false for `cors: false`
	Object  bool // written as a mapping

	AllowOrigin      Value[string]
	AllowHeaders     List
	ExposeHeaders    List
	MaxAge           Value[int]
	AllowCredentials Value[bool]
}

// Route is one path+method of `routes:` (short and long forms alike).
type Route struct {
	Path   Value[string]
	Method Value[string] // as written; the schema requires upper case

	Handler        Value[string]
	Authorizer     Value[string]
	Scopes         List
	APIKeyRequired Value[bool]
	ContentTypes   List
	Summary        Value[string]
	Description    Value[string]
	CORS           *CORS // nil when the route does not say

	// Fragment is the blueprint fragment declaring the route, nil for the app.
	Fragment *Fragment
}

// Authorizer is one entry of `authorizers:`.
type Authorizer struct {
	Key           Value[string] // the map key, referenced by routes
	Type          Value[string] // builtin | iam | cognito_user_pool | custom
	Handler       Value[string]
	Name          Value[string]
	Header        Value[string]
	TTLSeconds    Value[int]
	ExecutionRole Value[string]
	ProviderARNs  List
	AuthorizerURI Value[string]
	InvokeRoleARN Value[string]

	Fragment *Fragment
}

// Function is one entry of `functions:`.
type Function struct {
	Name    Value[string] // the map key
	Handler Value[string]

	Schedule        *Schedule
	CloudWatchEvent *CloudWatchEvent
	S3              *S3Source
	SNS             *SNSSource
	SQS             *SQSSource
	Kinesis         *KinesisSource
	DynamoDB        *DynamoDBSource

	// Triggers lists the positions of every event key given, in order, so
	// "at most one event" can point at the second.
	Triggers []Value[string]

	Fragment *Fragment
}

// Schedule is `schedule:` in its short (string) or long form.
type Schedule struct {
	Range       diag.Range
	Expression  Value[string]
	Description Value[string]
}

// CloudWatchEvent is `cloudwatch_event:`.
type CloudWatchEvent struct {
	Range        diag.Range
	EventPattern Value[any] // JSON-compatible value
}

// S3Source is `s3:`.
type S3Source struct {
	Range          diag.Range
	Bucket         Value[string]
	BucketResource Value[string]
	Events         List
	Prefix         Value[string]
	Suffix         Value[string]
}

// SNSSource is `sns:`.
type SNSSource struct {
	Range diag.Range
	Topic Value[string]
}

// Batching holds the keys every polled event source (sqs, kinesis,
// dynamodb) takes.
type Batching struct {
	BatchSize                      Value[int]
	MaximumBatchingWindowInSeconds Value[int]
	ReportBatchItemFailures        Value[bool]
}

// SQSSource is `sqs:`.
type SQSSource struct {
	Range              diag.Range
	Queue              Value[string]
	QueueARN           Value[string]
	MaximumConcurrency Value[int]
	Batching
}

// KinesisSource is `kinesis:`.
type KinesisSource struct {
	Range            diag.Range
	Stream           Value[string]
	StreamARN        Value[string]
	StartingPosition Value[string]
	Batching
}

// DynamoDBSource is `dynamodb:`.
type DynamoDBSource struct {
	Range            diag.Range
	StreamARN        Value[string]
	StartingPosition Value[string]
	Batching
}

// Websocket is `websocket:`: handler names per websocket event.
type Websocket struct {
	Range      diag.Range
	Connect    Value[string]
	Message    Value[string]
	Disconnect Value[string]
}

// Middleware is one entry of `middleware:`.
type Middleware struct {
	Handler   Value[string]
	EventType Value[string] // default "all"
	Fragment  *Fragment
}

// Blueprint is one entry of `blueprints:`; Fragment is nil when its file
// could not be loaded (a diagnostic says why).
type Blueprint struct {
	Range      diag.Range
	Manifest   Value[string]
	URLPrefix  Value[string]
	NamePrefix Value[string]
	Fragment   *Fragment
}

// Fragment is a decoded blueprint manifest. Registered twice, it is decoded
// once and shared.
type Fragment struct {
	Doc         *Document
	Handlers    Value[string]
	Routes      []*Route
	Authorizers []*Authorizer
	Functions   []*Function
	Middleware  []*Middleware
	// Nested is set when the fragment tries to register blueprints itself.
	Nested []*Blueprint
	// BlueprintsKey is where it tries to (fragments do not nest).
	BlueprintsKey diag.Range
}

// Domain is api_gateway_custom_domain / websocket_api_custom_domain.
type Domain struct {
	Range          diag.Range
	DomainName     Value[string]
	CertificateARN Value[string]
	TLSVersion     Value[string]
	URLPrefix      Value[string]
	Tags           Map
}

// Config is the configuration keys valid at one layer: the top level, a
// stage, or a lambda_functions entry of either (where only the per-function
// keys are allowed; the schema enforces which).
type Config struct {
	// per stage
	Debug                    Value[bool]
	LogLevel                 Value[string]
	Architecture             Value[string]
	AutomaticLayer           Value[bool]
	APIGatewayStage          Value[string]
	APIGatewayEndpointType   Value[string]
	APIGatewayEndpointVPCE   List
	APIGatewayPolicyFile     Value[string]
	MinimumCompressionSize   Value[int]
	APIGatewayCustomDomain   *Domain
	WebsocketAPICustomDomain *Domain

	// per stage and function
	EnvironmentVariables Map
	Tags                 Map
	LambdaMemorySize     Value[int]
	LambdaTimeout        Value[int]
	Layers               List
	ReservedConcurrency  Value[int]
	SubnetIDs            List
	SecurityGroupIDs     List
	ManageIAMRole        Value[bool]
	IAMRoleARN           Value[string]
	AutogenPolicy        Value[bool]
	IAMPolicyFile        Value[string]
	XRay                 Value[bool]
	LogRetentionInDays   Value[int]
}

// FunctionConfig is one entry of a `lambda_functions:` block.
type FunctionConfig struct {
	Name   Value[string]
	Config Config
}

// Stage is one entry of `stages:`.
type Stage struct {
	Name            Value[string]
	Config          Config
	LambdaFunctions []*FunctionConfig
}
