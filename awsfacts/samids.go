package awsfacts

// The resources the SAM transform adds to a template when it expands
// AWS::Serverless::* resources, so that chalc can claim them before a
// deploy (a function whose logical ID is already one of them fails with
// "already exists" only inside CloudFormation) and merge templates can
// refer to them.
//
// The names follow the AWS SAM translator (samtranslator): an event source
// of a function is expanded under the ID <Function><EventId>; push sources
// add a Lambda permission <Function><EventId>Permission; an
// AWS::Serverless::Api gets <Api><StageName>Stage and
// <Api>Deployment<hash>, an HttpApi or WebSocketApi a stage named the same
// way. Only what chalc's templates and their merge templates use is here.

import (
	"crypto/sha1"
	"encoding/hex"
	"regexp"
)

// Generated is one resource the transform adds.
type Generated struct {
	ID   string
	What string // what it is: "EventBridge rule", "Lambda permission"...
}

// SAMEventResources returns the resources the transform generates for the
// event eventID (a key of the function's Events) of type eventType.
func SAMEventResources(fnID, eventID, eventType string) []Generated {
	id := fnID + eventID
	perm := Generated{id + "Permission", "Lambda permission"}
	switch eventType {
	case "Schedule", "CloudWatchEvent", "EventBridgeRule":
		return []Generated{{id, "EventBridge rule"}, perm}
	case "SNS":
		return []Generated{{id, "SNS subscription"}, perm}
	case "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "SelfManagedKafka", "DocumentDB":
		return []Generated{{id, "event source mapping"}}
	case "S3":
		return []Generated{perm}
	}
	return nil // other types: not emitted by chalc, not claimed
}

// SAMStageID is the logical ID of the stage the transform creates for an API
// with a literal StageName: <Api><StageName>Stage when the name is
// alphanumeric, else <Api>Stage and a hash of the name. HTTP APIs name
// their default stage ($default) <Api>ApiGatewayDefaultStage; WebSocket
// APIs name theirs <Api>DefaultStage.
func SAMStageID(apiType, apiID, stageName string) string {
	const defaultStage = "$default"
	switch {
	case apiType == "AWS::Serverless::WebSocketApi":
		if stageName == defaultStage {
			return apiID + "DefaultStage"
		}
		return apiID + stageName + "Stage"
	case alnum(stageName):
		return apiID + stageName + "Stage"
	case stageName == defaultStage && apiType == "AWS::Serverless::HttpApi":
		return apiID + "ApiGatewayDefaultStage"
	}
	return apiID + "Stage" + samHash(stageName)
}

// SAMDeploymentPattern matches the deployment IDs the transform gives an
// AWS::Serverless::Api (<Api>Deployment and ten hex digits of a hash of
// the API's definition): they change whenever the API does.
func SAMDeploymentPattern(apiID string) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.QuoteMeta(apiID) + "Deployment[0-9a-f]{10}$")
}

// samHash is the transform's LogicalIdGenerator suffix for a string: the
// first ten hex digits of its SHA-1.
func samHash(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])[:10]
}

func alnum(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// TriggerResource is how a trigger names a resource of the stack (a
// merge template's): the manifest key, the resource types it may name,
// and how the SAM event refers to it — the attribute that is its ARN, or
// "" for Ref (a bucket's name, a topic's ARN).
type TriggerResource struct {
	Key       string
	Types     []string
	Attribute string
}

// TriggerResources lists, per trigger, how it names a resource of the
// stack. A DynamoDB stream is a table's, not a resource of its own: its
// key names the table.
var TriggerResources = map[Trigger]TriggerResource{
	TriggerS3:       {Key: "bucket_resource", Types: []string{"AWS::S3::Bucket"}},
	TriggerSNS:      {Key: "topic_resource", Types: []string{"AWS::SNS::Topic"}},
	TriggerSQS:      {Key: "queue_resource", Types: []string{"AWS::SQS::Queue"}, Attribute: "Arn"},
	TriggerKinesis:  {Key: "stream_resource", Types: []string{"AWS::Kinesis::Stream"}, Attribute: "Arn"},
	TriggerDynamoDB: {Key: "stream_resource", Types: []string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"}, Attribute: "StreamArn"},
}

// SAMEventSourceProperty is the property of a SAM event of type
// eventType that names its source (S3: Bucket, SQS: Queue...), "" for
// none.
func SAMEventSourceProperty(eventType string) string {
	switch eventType {
	case "S3":
		return "Bucket"
	case "SNS":
		return "Topic"
	case "SQS":
		return "Queue"
	case "Kinesis", "DynamoDB":
		return "Stream"
	}
	return ""
}

// SAMSourceDependsOnFunction reports whether the transform makes the
// source an event of type eventType names depend on the function, the
// reverse of what the event's reference reads as. Only S3 does: SAM
// writes the function into the bucket's NotificationConfiguration and
// makes the bucket wait for the invoke permission, so a function that
// refers to its own bucket (an environment variable `!Ref Bucket`) is a
// circular dependency (cfn-lint E3004). The other sources are read by
// resources the transform adds beside the function (an event source
// mapping, a subscription, a rule), which depend on both.
func SAMSourceDependsOnFunction(eventType string) bool { return eventType == "S3" }
