package compiler

import (
	"strings"
	"unicode"

	"github.com/chalc-dev/chalc/internal/samids"
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

// IDWebsocketDeployment is the prefix of the websocket deployment's
// logical ID, which ends in a hash of the routes (sam/websocket.go): a new
// ID is what makes CloudFormation deploy changed routes.
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

// RoleLogPolicyID names the AWS::IAM::RolePolicy holding a managed role's
// logs statement (DefaultRoleLogPolicy, <Fn>RoleLogPolicy).
func RoleLogPolicyID(roleID string) string { return roleID + "LogPolicy" }

// LogGroupID names a function's log group (log_retention_in_days).
func LogGroupID(fnID string) string { return fnID + "LogGroup" }

// EventID names the event entry of a function's trigger, as Chalice does.
func EventID(fnID string, kind FunctionKind) string {
	switch kind {
	case FuncSchedule, FuncCloudWatch:
		return fnID + "Event"
	case FuncSNS:
		return fnID + "SnsSubscription"
	case FuncSQS:
		return fnID + "SqsEventSource"
	case FuncKinesis:
		return fnID + "KinesisEventSource"
	case FuncDynamoDB:
		return fnID + "DynamodbEventSource"
	case FuncS3:
		return fnID + "S3Event"
	}
	return ""
}

// SAMEventType is the type of the SAM event a function's trigger becomes
// ("" for none: the API handler, websocket handlers, authorizers, and S3
// triggers on an existing bucket, which are chalc's own resources).
func SAMEventType(f *Function) string {
	switch f.Kind {
	case FuncSchedule:
		return "Schedule"
	case FuncCloudWatch:
		return "CloudWatchEvent"
	case FuncSNS:
		return "SNS"
	case FuncSQS:
		return "SQS"
	case FuncKinesis:
		return "Kinesis"
	case FuncDynamoDB:
		return "DynamoDB"
	case FuncS3:
		if f.S3 != nil && f.S3.BucketResource != "" {
			return "S3"
		}
	}
	return ""
}

// SAMStageID is the logical ID SAM gives the REST API's stage.
func SAMStageID(stageName string) string {
	return samids.StageID("AWS::Serverless::Api", IDRestAPI, stageName)
}
