package diag

// Code identifies what kind of problem a diagnostic reports. Codes are
// stable: tools and chalc itself decide what a diagnostic means by its
// code, never by its text. docs/diagnostics.md lists them with the fix
// (written from Catalog by `make golden`).
type Code string

// Kind groups codes by what is wrong.
type Kind string

// Kinds.
const (
	KindYAML     Kind = "yaml"     // the syntax of a YAML or JSON file
	KindSchema   Kind = "schema"   // the manifest's shape: keys, types, values
	KindManifest Kind = "manifest" // what the manifest means: routes, functions, names
	KindFile     Kind = "file"     // a file chalc reads
	KindConfig   Kind = "config"   // settings that do not fit together
	KindLimit    Kind = "limit"    // what AWS refuses at deploy time
	KindIAM      Kind = "iam"      // policies and the SDK-call analysis
	KindGo       Kind = "go"       // the Go handlers and their module
	KindTemplate Kind = "template" // merge templates and the generated template
	KindUsage    Kind = "usage"    // the command line
)

// Codes.
const (
	// YAMLSyntax: the file is not valid YAML (or has more than one document).
	YAMLSyntax Code = "yaml-syntax"
	// YAMLAliasCycle: an alias refers to a node that contains it.
	YAMLAliasCycle Code = "yaml-alias-cycle"
	// YAMLAliasBudget: aliases expand the file past chalc's limit (nodes or bytes).
	YAMLAliasBudget Code = "yaml-alias-budget"
	// YAMLTag: a YAML tag chalc does not take (a CloudFormation tag such as !Ref in chalice.yaml, an unknown tag in a merge template).
	YAMLTag Code = "yaml-tag"
	// YAMLKey: a mapping key that is not a plain string.
	YAMLKey Code = "yaml-key"
	// DuplicateKey: a key appears twice in one mapping (YAML or JSON).
	DuplicateKey Code = "duplicate-key"
	// YAMLMergeKey: a merge key (<<) whose value is not a mapping.
	YAMLMergeKey Code = "yaml-merge-key"
	// JSONSyntax: a JSON file is not valid JSON.
	JSONSyntax Code = "json-syntax"
	// NestingDepth: a document nests deeper than chalc reads.
	NestingDepth Code = "nesting-depth"
	// Output: chalc cannot write its output (the output directory, chalc_gen.go, a cache).
	Output Code = "output"
	// OutputBusy: another chalc is writing the same output directory.
	OutputBusy Code = "output-busy"
	// NoManifest: there is no chalice.yaml in the project directory.
	NoManifest Code = "no-manifest"
	// FileUnreadable: a file chalc must read cannot be read (permissions, not a regular file, too large).
	FileUnreadable Code = "file-unreadable"
	// FileNotFound: a file the manifest or the command line names does not exist.
	FileNotFound Code = "file-not-found"
	// PathOutsideProject: a path in the manifest leads outside the project directory.
	PathOutsideProject Code = "path-outside-project"
	// BlueprintCycle: blueprint manifests register each other.
	BlueprintCycle Code = "blueprint-cycle"
	// BlueprintPrefix: a blueprint's url_prefix or name_prefix is not valid.
	BlueprintPrefix Code = "blueprint-prefix"
	// SchemaInvalid: a value the JSON Schema does not accept here.
	SchemaInvalid Code = "schema-invalid"
	// SchemaType: a value of the wrong type (a number for a string, a list for a mapping...).
	SchemaType Code = "schema-type"
	// SchemaNull: a key with a null value.
	SchemaNull Code = "schema-null"
	// SchemaEmpty: a value that must not be empty is empty.
	SchemaEmpty Code = "schema-empty"
	// SchemaEnum: a value outside the allowed set.
	SchemaEnum Code = "schema-enum"
	// SchemaRange: a number outside its allowed range.
	SchemaRange Code = "schema-range"
	// SchemaLength: a string longer than its limit.
	SchemaLength Code = "schema-length"
	// SchemaPattern: a string of the wrong form (a name, an ID, a path).
	SchemaPattern Code = "schema-pattern"
	// SchemaRequired: a required key is missing.
	SchemaRequired Code = "schema-required"
	// SchemaNotApplicable: a key that does not apply to this kind of thing (an authorizer type, a trigger).
	SchemaNotApplicable Code = "schema-not-applicable"
	// SchemaPlacement: a key in the wrong place (a per-stage setting per function, an app key in a stage).
	SchemaPlacement Code = "schema-placement"
	// SchemaFragment: a blueprint fragment sets what only the app's chalice.yaml may.
	SchemaFragment Code = "schema-fragment"
	// UnknownKey: a key chalc does not know.
	UnknownKey Code = "unknown-key"
	// UnknownStage: --stage names a stage the manifest does not declare.
	UnknownStage Code = "unknown-stage"
	// StackName: the default stack name (<app_name>-<stage>) is not one CloudFormation takes.
	StackName Code = "stack-name"
	// UnknownFunction: a lambda_functions entry names no function of the app.
	UnknownFunction Code = "unknown-function"
	// FunctionName: a function name that is reserved, used twice, or makes no logical ID.
	FunctionName Code = "function-name"
	// FunctionTriggers: a function with more than one trigger.
	FunctionTriggers Code = "function-triggers"
	// FunctionURL: a function URL that is public without saying so.
	FunctionURL Code = "function-url"
	// LogicalIDClash: two things get the same CloudFormation logical ID.
	LogicalIDClash Code = "logical-id-clash"
	// EventPattern: an EventBridge event pattern that EventBridge rejects.
	EventPattern Code = "event-pattern"
	// ScheduleExpression: a schedule expression EventBridge rejects.
	ScheduleExpression Code = "schedule-expression"
	// S3Trigger: an s3 trigger without a valid bucket, or with both bucket and bucket_resource.
	S3Trigger Code = "s3-trigger"
	// S3EventType: an S3 event type S3 does not have.
	S3EventType Code = "s3-event-type"
	// S3Overlap: two functions' S3 notifications on one bucket overlap.
	S3Overlap Code = "s3-overlap"
	// BucketResource: bucket_resource names no AWS::S3::Bucket of the merged template.
	BucketResource Code = "bucket-resource"
	// SNSTopic: an SNS topic that is neither a topic name nor an ARN.
	SNSTopic Code = "sns-topic"
	// SQSQueue: an sqs trigger without a valid queue name or ARN.
	SQSQueue Code = "sqs-queue"
	// SQSBatch: a batch size or batching window SQS refuses for this queue.
	SQSBatch Code = "sqs-batch"
	// StreamSource: a kinesis or dynamodb trigger without a valid stream.
	StreamSource Code = "stream-source"
	// WebsocketEmpty: websocket: without any handler.
	WebsocketEmpty Code = "websocket-empty"
	// ResourceID: a subnet, security group or VPC endpoint ID of the wrong form.
	ResourceID Code = "resource-id"
	// ARNInvalid: an ARN of the wrong form or service.
	ARNInvalid Code = "arn-invalid"
	// RoutePath: a route path API Gateway rejects.
	RoutePath Code = "route-path"
	// RouteDuplicate: a path and method declared twice.
	RouteDuplicate Code = "route-duplicate"
	// RouteParamConflict: two paths put differently named parameters at one position.
	RouteParamConflict Code = "route-param-conflict"
	// ContentTypes: content_types empty, or mixing binary and non-binary types.
	ContentTypes Code = "content-types"
	// Scopes: scopes on a route without a cognito_user_pool or jwt authorizer.
	Scopes Code = "scopes"
	// CORS: a CORS configuration API Gateway cannot build (OPTIONS declared, two configs on one path).
	CORS Code = "cors"
	// Authorizer: an authorizer that is not declared, or whose API Gateway name another has.
	Authorizer Code = "authorizer"
	// EnvVarName: an environment variable name Lambda rejects or reserves.
	EnvVarName Code = "env-var-name"
	// EnvSize: a function's environment variables over Lambda's 4 KB.
	EnvSize Code = "env-size"
	// Tag: a tag key or value AWS rejects (reserved prefix, length, characters).
	Tag Code = "tag"
	// TagReservedValue: a tag value starting with aws:, which can then never be changed.
	TagReservedValue Code = "tag-reserved-value"
	// TagsCount: more tags than a resource takes.
	TagsCount Code = "tags-count"
	// Layers: more layers than Lambda takes.
	Layers Code = "layers"
	// VPCConfig: subnet_ids without security_group_ids, or the reverse.
	VPCConfig Code = "vpc-config"
	// IAMRole: manage_iam_role: false without iam_role_arn.
	IAMRole Code = "iam-role"
	// Endpoint: PRIVATE endpoint settings that do not fit together.
	Endpoint Code = "endpoint"
	// APIKind: a setting the stage's kind of API (api_kind: rest or http) does not have.
	APIKind Code = "api-kind"
	// Certificate: a custom domain certificate in a region that cannot serve it.
	Certificate Code = "certificate"
	// PolicyFile: a policy file that cannot be read or is not an IAM policy document.
	PolicyFile Code = "policy-file"
	// PolicyFileMissing: autogen_policy: false without its policy file.
	PolicyFileMissing Code = "policy-file-missing"
	// PolicyFilePermissions: a policy file that does not allow what Lambda needs (VPC ENIs, an event source's poller).
	PolicyFilePermissions Code = "policy-file-permissions"
	// SDKUnmapped: an SDK call whose IAM action chalc cannot name.
	SDKUnmapped Code = "sdk-unmapped"
	// SDKUnresolved: a call the SDK-call analysis cannot follow (an interface implemented outside the module, a client handed to another module, reflection, a plugin).
	SDKUnresolved Code = "sdk-unresolved"
	// ExtraActionsUnused: extra_iam_actions on a function whose role chalc does not generate.
	ExtraActionsUnused Code = "extra-iam-actions-unused"
	// RolePolicySize: a generated role's policies exceed IAM's size limit.
	RolePolicySize Code = "role-policy-size"
	// HandlersDir: the handlers directory is missing, a file, or holds no Go package.
	HandlersDir Code = "handlers-dir"
	// GoModule: go.mod/go.sum do not record what the handlers or chalc's runtime need, or there is no module.
	GoModule Code = "go-module"
	// GoError: a Go compile or type error in the handlers' code.
	GoError Code = "go-error"
	// GoLoad: the go command cannot load the handlers package.
	GoLoad Code = "go-load"
	// GoBuild: the go build of the bootstrap failed.
	GoBuild Code = "go-build"
	// HandlerMissing: a handler named in the manifest is not an exported func of its package.
	HandlerMissing Code = "handler-missing"
	// HandlerSignature: a handler's signature does not fit what calls it (a route, an event, an authorizer).
	HandlerSignature Code = "handler-signature"
	// HandlerResult: a handler's result cannot be sent (encoding/json cannot encode it, a bare []byte on a JSON route).
	HandlerResult Code = "handler-result"
	// MergeTemplate: a merge template that is empty, not a mapping, or replaces a value of another kind.
	MergeTemplate Code = "merge-template"
	// TemplateResource: a resource that is not a mapping with a Type, takes an ID SAM generates, or has Properties, DependsOn or Condition of the wrong shape.
	TemplateResource Code = "template-resource"
	// TemplateReference: a Ref, GetAtt, Sub, DependsOn or Condition naming what the template does not define.
	TemplateReference Code = "template-reference"
	// TemplateIntrinsic: an intrinsic function of the wrong shape (Ref to a non-string, GetAtt without an attribute, Fn::If not a list of three, an unknown Fn::).
	TemplateIntrinsic Code = "template-intrinsic"
	// TemplateGlobals: a SAM Globals section that is not a mapping of resource kinds to mappings.
	TemplateGlobals Code = "template-globals"
	// TemplateLogicalID: a logical ID CloudFormation rejects (characters, length).
	TemplateLogicalID Code = "template-logical-id"
	// TemplateSize: a template over what CloudFormation takes (inline, or at all).
	TemplateSize Code = "template-size"
	// TemplateQuota: more resources, outputs or parameters than CloudFormation takes, or API resources over API Gateway's default quota.
	TemplateQuota Code = "template-quota"
	// GeneratedReference: the generated template refers to a resource no template defines (a bucket_resource).
	GeneratedReference Code = "generated-reference"
	// FunctionNameLength: an explicit FunctionName over Lambda's 64 characters.
	FunctionNameLength Code = "function-name-length"
	// Placeholder: a stage-value placeholder of the wrong form, or in a field that takes none.
	Placeholder Code = "placeholder"
	// PlaceholderUndefined: ${env:NAME} names a variable a stage does not set for the function (or sets to an intrinsic).
	PlaceholderUndefined Code = "placeholder-undefined"
	// TriggerResource: topic_resource, queue_resource or stream_resource names no resource of the right type in the merge templates.
	TriggerResource Code = "trigger-resource"
	// EnvIntrinsic: an environment variable's intrinsic function chalc cannot pass on (a placeholder naming it, an unknown function).
	EnvIntrinsic Code = "env-intrinsic"
	// DependencyCycle: resources of the merged template depend on each other in a circle.
	DependencyCycle Code = "dependency-cycle"
)

// CodeInfo documents a code.
type CodeInfo struct {
	Code Code
	Kind Kind
	// What is wrong, and the Fix, each in one line.
	What, Fix string
}

// Catalog lists every code, grouped by kind.
var Catalog = []CodeInfo{
	{YAMLSyntax, KindYAML, "the file is not valid YAML (or has more than one document)", "correct the YAML at the position shown; one document per file"},
	{YAMLAliasCycle, KindYAML, "an alias refers to a node that contains it", "point the alias at an anchor outside the node it is in"},
	{YAMLAliasBudget, KindYAML, "aliases expand the file past chalc's limit (nodes or bytes)", "write the repeated part once, or use fewer, smaller aliases"},
	{YAMLTag, KindYAML, "a YAML tag chalc does not take (a CloudFormation tag such as !Ref in chalice.yaml, an unknown tag in a merge template)", "move CloudFormation intrinsics to a --merge-template; use !Ref, !GetAtt, !Sub... there"},
	{YAMLKey, KindYAML, "a mapping key that is not a plain string", "quote the key"},
	{DuplicateKey, KindYAML, "a key appears twice in one mapping (YAML or JSON)", "keep one of them"},
	{YAMLMergeKey, KindYAML, "a merge key (<<) whose value is not a mapping", "merge a mapping (or a list of mappings) with <<"},
	{JSONSyntax, KindYAML, "a JSON file is not valid JSON", "correct the JSON at the position shown"},
	{NestingDepth, KindYAML, "a document nests deeper than chalc reads", "flatten the structure"},
	{SchemaInvalid, KindSchema, "a value the JSON Schema does not accept here", "see the message and `chalc schema`"},
	{SchemaType, KindSchema, "a value of the wrong type (a number for a string, a list for a mapping...)", "write the type the message names (quote numbers meant as strings)"},
	{SchemaNull, KindSchema, "a key with a null value", "remove the key or give it a value"},
	{SchemaEmpty, KindSchema, "a value that must not be empty is empty", "give it a value, or remove the key"},
	{SchemaEnum, KindSchema, "a value outside the allowed set", "use one of the values the message lists"},
	{SchemaRange, KindSchema, "a number outside its allowed range", "use a number in the range the message gives"},
	{SchemaLength, KindSchema, "a string longer than its limit", "shorten it to the limit the message gives"},
	{SchemaPattern, KindSchema, "a string of the wrong form (a name, an ID, a path)", "write it in the form the message describes"},
	{SchemaRequired, KindSchema, "a required key is missing", "add the key the message names"},
	{SchemaNotApplicable, KindSchema, "a key that does not apply to this kind of thing (an authorizer type, a trigger)", "remove it, or change the kind it belongs to"},
	{SchemaPlacement, KindSchema, "a key in the wrong place (a per-stage setting per function, an app key in a stage)", "move it where the message says"},
	{SchemaFragment, KindSchema, "a blueprint fragment sets what only the app's chalice.yaml may", "set it in the app's chalice.yaml"},
	{UnknownKey, KindSchema, "a key chalc does not know", "fix the spelling (see the did-you-mean hint) or remove it"},
	{BlueprintCycle, KindManifest, "blueprint manifests register each other", "remove the registration that closes the circle"},
	{BlueprintPrefix, KindManifest, "a blueprint's url_prefix or name_prefix is not valid", "url_prefix starts with / and has no {parameters}; name_prefix holds letters, digits, _ and -"},
	{UnknownFunction, KindManifest, "a lambda_functions entry names no function of the app", "use the name of a function the app has"},
	{FunctionName, KindManifest, "a function name that is reserved, used twice, or makes no logical ID", "choose another name"},
	{FunctionTriggers, KindManifest, "a function with more than one trigger", "give each trigger a function of its own"},
	{FunctionURL, KindManifest, "a function URL with auth: none that does not say public: true", "add public: true beside auth: none to make it public on purpose, or use auth: aws_iam"},
	{LogicalIDClash, KindManifest, "two things get the same CloudFormation logical ID", "rename one of them (the message names both)"},
	{EventPattern, KindManifest, "an EventBridge event pattern that EventBridge rejects", "give each field a list of values or a mapping of fields"},
	{ScheduleExpression, KindManifest, "a schedule expression EventBridge rejects", "write rate(5 minutes) or cron(0 12 * * ? *)"},
	{S3Trigger, KindManifest, "an s3 trigger without a valid bucket, or with both bucket and bucket_resource", "set bucket (an existing bucket's name) or bucket_resource"},
	{S3EventType, KindManifest, "an S3 event type S3 does not have", "use a type such as s3:ObjectCreated:*"},
	{S3Overlap, KindManifest, "two functions' S3 notifications on one bucket overlap", "make their event types, prefixes or suffixes disjoint"},
	{SNSTopic, KindManifest, "an SNS topic that is neither a topic name nor an ARN", "write the topic's name or ARN"},
	{SQSQueue, KindManifest, "an sqs trigger without a valid queue name or ARN", "set queue (a name) or queue_arn"},
	{SQSBatch, KindManifest, "a batch size or batching window SQS refuses for this queue", "see the limits the message gives"},
	{StreamSource, KindManifest, "a kinesis or dynamodb trigger without a valid stream", "set the stream's name or its stream ARN (not a table ARN)"},
	{WebsocketEmpty, KindManifest, "websocket: without any handler", "set connect, message or disconnect"},
	{ResourceID, KindManifest, "a subnet, security group or VPC endpoint ID of the wrong form", "write IDs like subnet-0123456789abcdef0"},
	{ARNInvalid, KindManifest, "an ARN of the wrong form or service", "write the ARN the message shows an example of"},
	{RoutePath, KindManifest, "a route path API Gateway rejects", "see the message: paths start with /, have no trailing /, whole-segment {params}"},
	{RouteDuplicate, KindManifest, "a path and method declared twice", "keep one"},
	{RouteParamConflict, KindManifest, "two paths put differently named parameters at one position", "use one parameter name at each position"},
	{ContentTypes, KindManifest, "content_types empty, or mixing binary and non-binary types", "list the types the route accepts, binary or not"},
	{Scopes, KindManifest, "scopes on a route without a cognito_user_pool or jwt authorizer", "remove scopes, or use a cognito_user_pool or jwt authorizer"},
	{CORS, KindManifest, "a CORS configuration API Gateway cannot build (OPTIONS declared, two configs on one path)", "let chalc add OPTIONS; give a path's methods one CORS config"},
	{Placeholder, KindManifest, "a stage-value placeholder of the wrong form, or in a field that takes none", "write ${env:NAME}, ${stage} or ${app_name} in a field that takes stage values ($${ for a literal ${)"},
	{Authorizer, KindManifest, "an authorizer that is not declared, or whose API Gateway name another has", "declare it under authorizers:, or give it its own name"},
	{Output, KindFile, "chalc cannot write its output (the output directory, chalc_gen.go, a cache)", "check the directory's permissions and free space"},
	{OutputBusy, KindFile, "another chalc is writing the same output directory", "wait for it, or package into another directory"},
	{NoManifest, KindFile, "there is no chalice.yaml in the project directory", "run chalc new-project NAME, or pass --project DIR"},
	{FileUnreadable, KindFile, "a file chalc must read cannot be read (permissions, not a regular file, too large)", "make it a readable regular file under the size limit"},
	{FileNotFound, KindFile, "a file the manifest or the command line names does not exist", "fix the path (manifest paths are relative to the manifest's directory)"},
	{PathOutsideProject, KindFile, "a path in the manifest leads outside the project directory", "keep files inside the project, or pass --allow-outside-project"},
	{VPCConfig, KindConfig, "subnet_ids without security_group_ids, or the reverse", "set both, or neither"},
	{IAMRole, KindConfig, "manage_iam_role: false without iam_role_arn", "add iam_role_arn"},
	{Endpoint, KindConfig, "PRIVATE endpoint settings that do not fit together", "PRIVATE needs exactly one of api_gateway_endpoint_vpce and api_gateway_policy_file"},
	{APIKind, KindConfig, "a setting the stage's kind of API (api_kind) does not have: API keys, resource policies, private or edge endpoints, compression or custom authorizers in an HTTP API; JWT authorizers or access logs in a REST API", "remove the setting for that stage, or serve the stage with the other api_kind (the message says which stages)"},
	{Certificate, KindConfig, "a custom domain certificate in a region that cannot serve it", "use a certificate in us-east-1 for an EDGE endpoint"},
	{PlaceholderUndefined, KindConfig, "${env:NAME} names a variable a stage does not set for the function (or sets to an intrinsic)", "set NAME in the environment_variables of every stage that lacks it (the message lists them)"},
	{EnvIntrinsic, KindConfig, "an environment variable's intrinsic function chalc cannot pass on (a placeholder naming it, an unknown function)", "use !Ref, !GetAtt, !Sub, !Join, !ImportValue, !Select, !If, !FindInMap or !Base64, or a plain string"},
	{EnvVarName, KindLimit, "an environment variable name Lambda rejects or reserves", "use letters, digits and _, starting with a letter, not a reserved name"},
	{EnvSize, KindLimit, "a function's environment variables over Lambda's 4 KB", "keep large values in SSM Parameter Store or S3"},
	{Tag, KindLimit, "a tag key or value AWS rejects (reserved prefix, length, characters)", "see the message; keys and values hold letters, digits, spaces and _ . : / = + - @"},
	{TagReservedValue, KindLimit, "a tag value starting with aws:, which can then never be changed", "choose a value without the prefix"},
	{TagsCount, KindLimit, "more tags than a resource takes", "keep at most the number the message gives"},
	{Layers, KindLimit, "more layers than Lambda takes", "merge layers, or turn automatic_layer off"},
	{PolicyFile, KindIAM, "a policy file that cannot be read or is not an IAM policy document", "give a JSON IAM policy document (Version, Statement)"},
	{PolicyFileMissing, KindIAM, "autogen_policy: false without its policy file", "write the file, or set iam_policy_file"},
	{PolicyFilePermissions, KindIAM, "a policy file that does not allow what Lambda needs (VPC ENIs, an event source's poller)", "add the actions the message names"},
	{SDKUnmapped, KindIAM, "an SDK call whose IAM action chalc cannot name", "list the actions in extra_iam_actions, or write the function's policy with autogen_policy: false and iam_policy_file"},
	{SDKUnresolved, KindIAM, "a call the SDK-call analysis cannot follow (an interface implemented outside the module, a client handed to another module, reflection, a plugin)", "list the actions it needs in the function's extra_iam_actions, or write its policy with autogen_policy: false and iam_policy_file"},
	{ExtraActionsUnused, KindIAM, "extra_iam_actions on a function whose role chalc does not generate", "put the actions in the function's own policy"},
	{RolePolicySize, KindLimit, "a generated role's policies exceed IAM's size limit", "split the function's work, or write its policy with autogen_policy: false and iam_policy_file"},
	{HandlersDir, KindGo, "the handlers directory is missing, a file, or holds no Go package", "set handlers: to the directory of the Go package with the handler funcs"},
	{GoModule, KindGo, "go.mod/go.sum do not record what the handlers or chalc's runtime need, or there is no module", "run the go mod command the hint names (usually go mod tidy)"},
	{GoError, KindGo, "a Go compile or type error in the handlers' code", "fix the Go code at the position shown"},
	{GoLoad, KindGo, "the go command cannot load the handlers package", "see the go command's message; chalc needs Go 1.26 or newer on PATH"},
	{GoBuild, KindGo, "the go build of the bootstrap failed", "fix what the go command's output names, or run the go mod command the hint gives"},
	{HandlerMissing, KindGo, "a handler named in the manifest is not an exported func of its package", "declare the func, or fix the name (see the did-you-mean hint)"},
	{HandlerSignature, KindGo, "a handler's signature does not fit what calls it (a route, an event, an authorizer)", "use one of the signatures the hint lists"},
	{HandlerResult, KindGo, "a handler's result cannot be sent (encoding/json cannot encode it, a bare []byte on a JSON route)", "return a JSON-encodable type, or a binary Content-Type for bytes"},
	{BucketResource, KindTemplate, "bucket_resource names no AWS::S3::Bucket of the merged template", "declare the bucket in a --merge-template, or use bucket:"},
	{TriggerResource, KindTemplate, "topic_resource, queue_resource or stream_resource names no resource of the right type in the merge templates", "declare it in a --merge-template, or fix the name (see the did-you-mean hint)"},
	{DependencyCycle, KindTemplate, "resources of the merged template depend on each other in a circle", "break one edge of the cycle the message lists (often: pass a name, not a Ref)"},
	{MergeTemplate, KindTemplate, "a merge template that is empty, not a mapping, or replaces a value of another kind", "make it a mapping that changes the generated template"},
	{TemplateResource, KindTemplate, "a resource that is not a mapping with a Type, takes an ID SAM generates, or has Properties, DependsOn or Condition of the wrong shape", "give it a Type, rename it, or write the attribute as the message says"},
	{TemplateReference, KindTemplate, "a Ref, GetAtt, Sub, DependsOn or Condition naming what the template does not define", "define it, or fix the name (see the did-you-mean hint)"},
	{TemplateIntrinsic, KindTemplate, "an intrinsic function of the wrong shape (Ref to a non-string, GetAtt without an attribute, Fn::If not a list of three, an unknown Fn::)", "write the function as the message and its hint show"},
	{TemplateGlobals, KindTemplate, "a SAM Globals section that is not a mapping of resource kinds to mappings", "write Globals: {Function: {Timeout: 30}, ...}"},
	{TemplateLogicalID, KindTemplate, "a logical ID CloudFormation rejects (characters, length)", "use letters and digits, at most 255"},
	{TemplateSize, KindTemplate, "a template over what CloudFormation takes (inline, or at all)", "deploy through S3, use --compact, or split the stack"},
	{TemplateQuota, KindTemplate, "more resources, outputs or parameters than CloudFormation takes, or API resources over API Gateway's default quota", "split the stack, or raise the quota"},
	{GeneratedReference, KindTemplate, "the generated template refers to a resource no template defines (a bucket_resource)", "declare it in a --merge-template"},
	{FunctionNameLength, KindTemplate, "an explicit FunctionName over Lambda's 64 characters", "shorten it"},
	{UnknownStage, KindUsage, "--stage names a stage the manifest does not declare", "use dev or a key of stages:"},
	{StackName, KindUsage, "the default stack name (<app_name>-<stage>, each _ made -) is not one CloudFormation takes", "pass --stack-name NAME, or give app_name a letter first and fewer characters"},
}

// Info returns the catalog entry of c.
func (c Code) Info() (CodeInfo, bool) {
	for _, i := range Catalog {
		if i.Code == c {
			return i, true
		}
	}
	return CodeInfo{}, false
}
