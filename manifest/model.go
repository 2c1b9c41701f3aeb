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
	// Template is set when the field takes stage values (a `,stage` key
	// tag) and the string holds a placeholder or an escape: V is then the
	// text as written (0 for a number), and the value of each stage is
	// the template expanded (package stages). Checks of the value's shape
	// run on the expanded values, stage by stage.
	Template *Template
}

// Templated reports whether the value differs per stage or needs
// expanding (a placeholder, or an escape).
func (v Value[T]) Templated() bool { return v.Template != nil }

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
	// Intrinsic is the CloudFormation intrinsic function an
	// environment_variables value is written as ({"Ref": "Table"}, from
	// !Ref Table or the long form), as plain JSON values; Value is then
	// unset.
	Intrinsic any
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
	Version  Value[int]    `key:"version"`
	AppName  Value[string] `key:"app_name"`
	Handlers Value[string] `key:"handlers"`

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

	// Placeholders is what the decoder found of stage values.
	Placeholders Placeholders
}

// API is the `api:` block.
type API struct {
	BinaryTypes List `key:"binary_types"`
	// BinaryTypesReplaceDefaults: binary_types replaces Chalice's 16
	// defaults instead of adding to them (Chalice's
	// app.api.binary_types = [...]).
	BinaryTypesReplaceDefaults Value[bool] `key:"binary_types_replace_defaults"`
	CORS                       *CORS       `key:"cors"`
}

// CORS is a route's or the API's `cors:` value: true, false or an object.
type CORS struct {
	Key     diag.Range // the cors key
	Range   diag.Range
	Enabled bool // false for `cors: false`
	Object  bool // written as a mapping

	AllowOrigin      Value[string] `key:"allow_origin,stage"`
	AllowHeaders     List          `key:"allow_headers,stage"`
	ExposeHeaders    List          `key:"expose_headers,stage"`
	MaxAge           Value[int]    `key:"max_age,stage"`
	AllowCredentials Value[bool]   `key:"allow_credentials"`
}

// Route is one path+method of `routes:` (short and long forms alike).
type Route struct {
	Path   Value[string]
	Method Value[string] // as written; the schema requires upper case

	Handler        Value[string] `key:"handler"`
	Authorizer     Value[string] `key:"authorizer"`
	Scopes         List          `key:"scopes"`
	APIKeyRequired Value[bool]   `key:"api_key_required"`
	ContentTypes   List          `key:"content_types"`
	Summary        Value[string] `key:"summary"`
	Description    Value[string] `key:"description"`
	CORS           *CORS         `key:"cors"` // nil when the route does not say

	// Fragment is the blueprint fragment declaring the route, nil for the app.
	Fragment *Fragment
}

// Authorizer is one entry of `authorizers:`.
type Authorizer struct {
	Key           Value[string] // the map key, referenced by routes
	Type          Value[string] `key:"type"` // builtin | iam | cognito_user_pool | custom | jwt
	Handler       Value[string] `key:"handler"`
	Name          Value[string] `key:"name"`
	Header        Value[string] `key:"header,stage"`
	TTLSeconds    Value[int]    `key:"ttl_seconds,stage"`
	ExecutionRole Value[string] `key:"execution_role,stage"`
	ProviderARNs  List          `key:"provider_arns,stage"`
	AuthorizerURI Value[string] `key:"authorizer_uri,stage"`
	InvokeRoleARN Value[string] `key:"invoke_role_arn,stage"`
	// Issuer and Audience configure a jwt authorizer (HTTP APIs); a
	// cognito_user_pool authorizer takes Audience too: in an HTTP API it
	// is a JWT authorizer on its pool.
	Issuer   Value[string] `key:"issuer,stage"`
	Audience List          `key:"audience,stage"`

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
	// URL is the function's Lambda function URL (url:): the function is
	// then an HTTP function, reached through it.
	URL *FunctionURL

	// Triggers lists the positions of every event key given, in order, so
	// "at most one event" can point at the second.
	Triggers []Value[string]

	Fragment *Fragment
}

// FunctionURL is a function's `url:`, its Lambda function URL.
type FunctionURL struct {
	Range      diag.Range
	Auth       Value[string] `key:"auth"`        // aws_iam | none
	Public     Value[bool]   `key:"public"`      // required beside auth: none
	CORS       *CORS         `key:"cors"`        // nil when not written
	InvokeMode Value[string] `key:"invoke_mode"` // buffered | response_stream
}

// Schedule is `schedule:` in its short (string) or long form.
type Schedule struct {
	Range       diag.Range
	Expression  Value[string] `key:"expression,stage"`
	Description Value[string] `key:"description,stage"`
}

// CloudWatchEvent is `cloudwatch_event:`.
type CloudWatchEvent struct {
	Range        diag.Range
	EventPattern Value[any] // JSON-compatible value
	// Strings are the pattern's strings that hold a placeholder or an
	// escape: the pattern of a stage has each expanded in its place.
	Strings []*PatternString
}

// PatternString is a templated string of an event pattern and where it
// is: the keys and list indexes (int) leading to it.
type PatternString struct {
	Path     []any
	Template *Template
}

// S3Source is `s3:`.
type S3Source struct {
	Range          diag.Range
	Bucket         Value[string] `key:"bucket,stage"`
	BucketResource Value[string] `key:"bucket_resource"`
	Events         List          `key:"events"`
	Prefix         Value[string] `key:"prefix,stage"`
	Suffix         Value[string] `key:"suffix,stage"`
}

// SNSSource is `sns:`.
type SNSSource struct {
	Range         diag.Range
	Topic         Value[string] `key:"topic,stage"`
	TopicResource Value[string] `key:"topic_resource"`
}

// Batching holds the keys every polled event source (sqs, kinesis,
// dynamodb) takes.
type Batching struct {
	BatchSize                      Value[int]  `key:"batch_size"`
	MaximumBatchingWindowInSeconds Value[int]  `key:"maximum_batching_window_in_seconds"`
	ReportBatchItemFailures        Value[bool] `key:"report_batch_item_failures"`
}

// SQSSource is `sqs:`.
type SQSSource struct {
	Range              diag.Range
	Queue              Value[string] `key:"queue,stage"`
	QueueARN           Value[string] `key:"queue_arn,stage"`
	QueueResource      Value[string] `key:"queue_resource"`
	MaximumConcurrency Value[int]    `key:"maximum_concurrency"`
	Batching
}

// KinesisSource is `kinesis:`.
type KinesisSource struct {
	Range            diag.Range
	Stream           Value[string] `key:"stream,stage"`
	StreamARN        Value[string] `key:"stream_arn,stage"`
	StreamResource   Value[string] `key:"stream_resource"`
	StartingPosition Value[string] `key:"starting_position"`
	Batching
}

// DynamoDBSource is `dynamodb:`. Its stream_resource names a table (a
// DynamoDB stream is a table's, not a resource of its own).
type DynamoDBSource struct {
	Range            diag.Range
	StreamARN        Value[string] `key:"stream_arn,stage"`
	StreamResource   Value[string] `key:"stream_resource"`
	StartingPosition Value[string] `key:"starting_position"`
	Batching
}

// Websocket is `websocket:`: handler names per websocket event.
type Websocket struct {
	Range      diag.Range
	Connect    Value[string] `key:"connect"`
	Message    Value[string] `key:"message"`
	Disconnect Value[string] `key:"disconnect"`
}

// Middleware is one entry of `middleware:`.
type Middleware struct {
	Handler   Value[string] `key:"handler"`
	EventType Value[string] `key:"event_type"` // default "all"
	Fragment  *Fragment
}

// Blueprint is one entry of `blueprints:`; Fragment is nil when its file
// could not be loaded (a diagnostic says why).
type Blueprint struct {
	Range      diag.Range
	Manifest   Value[string] `key:"manifest"`
	URLPrefix  Value[string] `key:"url_prefix"`
	NamePrefix Value[string] `key:"name_prefix"`
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
	Placeholders  Placeholders
}

// Domain is api_gateway_custom_domain / websocket_api_custom_domain.
type Domain struct {
	Range          diag.Range
	DomainName     Value[string] `key:"domain_name,stage"`
	CertificateARN Value[string] `key:"certificate_arn,stage"`
	TLSVersion     Value[string] `key:"tls_version"`
	URLPrefix      Value[string] `key:"url_prefix"`
	Tags           Map           `key:"tags,stage"`
}

// Config is the configuration keys valid at one layer: the top level, a
// stage, or a lambda_functions entry of either (where only the per-function
// keys are allowed; the schema enforces which).
type Config struct {
	// per stage
	APIKind                  Value[string] `key:"api_kind"` // rest | http
	APIAccessLog             Value[bool]   `key:"api_access_log"`
	Debug                    Value[bool]   `key:"debug"`
	LogLevel                 Value[string] `key:"log_level"`
	Architecture             Value[string] `key:"architecture"`
	AutomaticLayer           Value[bool]   `key:"automatic_layer"`
	APIGatewayStage          Value[string] `key:"api_gateway_stage"`
	APIGatewayEndpointType   Value[string] `key:"api_gateway_endpoint_type"`
	APIGatewayEndpointVPCE   List          `key:"api_gateway_endpoint_vpce,stage"`
	APIGatewayPolicyFile     Value[string] `key:"api_gateway_policy_file"`
	MinimumCompressionSize   Value[int]    `key:"minimum_compression_size"`
	APIGatewayCustomDomain   *Domain       `key:"api_gateway_custom_domain"`
	WebsocketAPICustomDomain *Domain       `key:"websocket_api_custom_domain"`

	// per stage and function
	EnvironmentVariables Map           `key:"environment_variables,intrinsic"`
	Tags                 Map           `key:"tags,stage"`
	LambdaMemorySize     Value[int]    `key:"lambda_memory_size"`
	LambdaTimeout        Value[int]    `key:"lambda_timeout"`
	Layers               List          `key:"layers,stage"`
	ReservedConcurrency  Value[int]    `key:"reserved_concurrency"`
	SubnetIDs            List          `key:"subnet_ids,stage"`
	SecurityGroupIDs     List          `key:"security_group_ids,stage"`
	ManageIAMRole        Value[bool]   `key:"manage_iam_role"`
	IAMRoleARN           Value[string] `key:"iam_role_arn"`
	AutogenPolicy        Value[bool]   `key:"autogen_policy"`
	IAMPolicyFile        Value[string] `key:"iam_policy_file"`
	// ExtraIAMActions are IAM actions the function's generated role
	// allows besides those its AWS SDK calls need.
	ExtraIAMActions    List        `key:"extra_iam_actions"`
	XRay               Value[bool] `key:"xray"`
	LogRetentionInDays Value[int]  `key:"log_retention_in_days"`
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
