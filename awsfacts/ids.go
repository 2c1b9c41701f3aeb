package awsfacts

import (
	"strings"
	"unicode"
)

// LogicalID derives a CloudFormation logical ID from a function name the
// way Chalice's to_cfn_resource_name does: split on "-" and "_", upper-case
// the first letter of each part, keep the rest of each part as written and
// drop everything outside [A-Za-z0-9]. every_hour → EveryHour,
// custom-name → CustomName, MixedCase_with-dashes → MixedCaseWithDashes.
func LogicalID(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
		rs := []rune(part)
		rs[0] = unicode.ToUpper(rs[0])
		for _, r := range rs {
			if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// Fixed logical IDs. They are public (merge templates target them) and
// never change between releases.
const (
	IDRestAPI              = "RestAPI"
	IDAPIHandler           = "APIHandler"
	IDDefaultRole          = "DefaultRole"
	IDManagedLayer         = "ManagedLayer"
	IDWebsocketAPI         = "WebsocketAPI"
	IDWebsocketStage       = "WebsocketAPIStage"
	IDAPICustomDomain      = "ApiGatewayCustomDomain"
	IDAPIDomainMapping     = "ApiGatewayCustomDomainMapping"
	IDWebsocketDomain      = "WebsocketApiCustomDomain"
	IDWebsocketDomainMap   = "WebsocketApiCustomDomainMapping"
	APIHandlerFunctionName = "api_handler"

	// IDS3NotificationHandler is the Lambda behind the custom resources
	// that subscribe functions to existing buckets; its function name
	// (Handler) is S3NotificationFunction.
	IDS3NotificationHandler = "S3NotificationHandler"
	S3NotificationFunction  = "chalc_s3_notifications"
)

// The HTTP API's logical IDs (api_kind: http), distinct from the REST
// API's so that a stage moved from one kind to the other replaces its
// resources instead of asking CloudFormation to change their type. The
// HTTP API is written as plain AWS::ApiGatewayV2 resources: the API (its
// OpenAPI Body), one stage that deploys itself (AutoDeploy), the custom
// domain and its mapping, and the access log group.
const (
	IDHTTPAPI               = "HttpAPI"
	IDHTTPAPIStage          = "HttpAPIStage"
	IDHTTPAPIAccessLogGroup = "HttpAPIAccessLogGroup"
	IDHTTPAPICustomDomain   = "HttpApiCustomDomain"
	IDHTTPAPIDomainMapping  = "HttpApiCustomDomainMapping"
)

// FunctionURLID names a function's AWS::Lambda::Url (url:); the stack's
// output of the same name holds the URL.
func FunctionURLID(fnID string) string { return fnID + "Url" }

// FunctionURLPublicPermissionID names the permission that lets anyone
// call a public function URL (lambda:InvokeFunctionUrl, auth NONE).
func FunctionURLPublicPermissionID(fnID string) string { return fnID + "UrlPublicPermission" }

// FunctionURLInvokePermissionID names the lambda:InvokeFunction
// permission a public function URL needs too: since October 2025 Lambda
// requires both actions for function URLs created since, and the second
// is limited to calls through the URL (InvokedViaFunctionUrl).
func FunctionURLInvokePermissionID(fnID string) string { return fnID + "UrlInvokePermission" }

// Where the template names its code: the deployment package and the
// managed layer's, beside it, which `aws cloudformation package` uploads
// (and chalc deploy replaces by their S3 locations).
const (
	CodeURI  = "./deployment.zip"
	LayerURI = "./layer-deployment.zip"
)

// IDWebsocketDeployment is the prefix of the websocket deployment's
// logical ID, which ends in a hash of the routes: a new ID is what makes
// CloudFormation deploy changed routes.
const IDWebsocketDeployment = "WebsocketAPIDeployment"

// S3PermissionID names the permission letting S3 invoke a function.
func S3PermissionID(fnID string) string { return fnID + "S3Permission" }

// InvokePermissionID names the API Gateway invoke permission of a function.
func InvokePermissionID(fnID string) string { return fnID + "InvokePermission" }

// RoleID names the role of a function with a policy file
// (autogen_policy false), or the generated role a group of functions
// calling the same SDK operations shares, after the group's first
// function (DefaultRole's group excepted).
func RoleID(fnID string) string { return fnID + "Role" }

// FunctionRoleID names the role of the function named name when it has a
// role of its own: a policy file's (autogen_policy false), or a generated
// role named after its first function. It is Chalice's
// to_cfn_resource_name("<name>_role"): LogicalID(name)+"Role" for every
// function, so ApiHandlerRole for api_handler, whose own logical ID
// Chalice renames to APIHandler.
func FunctionRoleID(name string) string { return RoleID(LogicalID(name)) }

// RoleLogPolicyID names the AWS::IAM::RolePolicy holding a managed role's
// logs statement (DefaultRoleLogPolicy, <Fn>RoleLogPolicy).
func RoleLogPolicyID(roleID string) string { return roleID + "LogPolicy" }

// LogGroupID names a function's log group (log_retention_in_days).
func LogGroupID(fnID string) string { return fnID + "LogGroup" }

// Trigger is what invokes a Lambda function through a SAM event: the
// manifest's event keys.
type Trigger string

// Triggers.
const (
	TriggerSchedule   Trigger = "schedule"
	TriggerCloudWatch Trigger = "cloudwatch"
	TriggerS3         Trigger = "s3"
	TriggerSNS        Trigger = "sns"
	TriggerSQS        Trigger = "sqs"
	TriggerKinesis    Trigger = "kinesis"
	TriggerDynamoDB   Trigger = "dynamodb"
)

// EventID names the event entry of a function's trigger, as Chalice does
// ("" for anything that is not a trigger).
func EventID(fnID string, t Trigger) string {
	switch t {
	case TriggerSchedule, TriggerCloudWatch:
		return fnID + "Event"
	case TriggerSNS:
		return fnID + "SnsSubscription"
	case TriggerSQS:
		return fnID + "SqsEventSource"
	case TriggerKinesis:
		return fnID + "KinesisEventSource"
	case TriggerDynamoDB:
		return fnID + "DynamodbEventSource"
	case TriggerS3:
		return fnID + "S3Event"
	}
	return ""
}

// SAMEventType is the type of the SAM event a trigger becomes, "" for
// none. An S3 trigger is a SAM event only on a bucket of the template
// (bucket_resource): SAM cannot subscribe an existing bucket, which chalc
// does with resources of its own.
func SAMEventType(t Trigger, bucketInTemplate bool) string {
	switch t {
	case TriggerSchedule:
		return "Schedule"
	case TriggerCloudWatch:
		return "CloudWatchEvent"
	case TriggerSNS:
		return "SNS"
	case TriggerSQS:
		return "SQS"
	case TriggerKinesis:
		return "Kinesis"
	case TriggerDynamoDB:
		return "DynamoDB"
	case TriggerS3:
		if bucketInTemplate {
			return "S3"
		}
	}
	return ""
}

// RestAPIStageID is the logical ID SAM gives the REST API's stage.
func RestAPIStageID(stageName string) string {
	return SAMStageID("AWS::Serverless::Api", IDRestAPI, stageName)
}
