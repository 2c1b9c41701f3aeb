package awsfacts

import "strings"

// IAM actions of aws-sdk-go-v2 operations.
//
// An operation <Op> of the service package .../service/<svc> is usually
// authorized by the IAM action <prefix>:<Op>, where the prefix is the
// package name. The tables below hold the exceptions. Sources: the
// Service Authorization Reference ("Actions, resources, and condition
// keys for <service>"), the S3 user guide's "Required permissions for
// Amazon S3 API operations" (also quoted in the SDK's own doc comments,
// api_op_<Op>.go), the SQS and DynamoDB developer guides (batch and
// transaction operations). Add an entry when a service's action differs
// from its operation's name; an unknown operation keeps the default,
// which is right for the large majority.

// iamPrefixes maps SDK service packages whose IAM service prefix is not
// the package name.
var iamPrefixes = map[string]string{
	"acmpca":                   "acm-pca",
	"apigatewaymanagementapi":  "execute-api",
	"applicationautoscaling":   "application-autoscaling",
	"bedrockagentruntime":      "bedrock",
	"bedrockruntime":           "bedrock",
	"cloudwatchlogs":           "logs",
	"cognitoidentity":          "cognito-identity",
	"cognitoidentityprovider":  "cognito-idp",
	"configservice":            "config",
	"costexplorer":             "ce",
	"databasemigrationservice": "dms",
	"dynamodbstreams":          "dynamodb",
	"elasticloadbalancingv2":   "elasticloadbalancing",
	"elasticsearchservice":     "es",
	"eventbridge":              "events",
	"iotdataplane":             "iot",
	"kinesisanalyticsv2":       "kinesisanalytics",
	"opensearch":               "es",
	"rdsdata":                  "rds-data",
	"resourcegroupstaggingapi": "tag",
	"sagemakerruntime":         "sagemaker",
	"sesv2":                    "ses",
	"sfn":                      "states",
	"timestreamquery":          "timestream",
	"timestreamwrite":          "timestream",
}

// operationActions maps "<svc>.<Op>" to the actions it needs when they
// are not <prefix>:<Op>. Entries name full actions ("s3:GetObject").
var operationActions = map[string][]string{
	// S3: object and bucket operations authorized by differently named
	// actions.
	"s3.HeadObject":                               {"s3:GetObject"},
	"s3.HeadBucket":                               {"s3:ListBucket"},
	"s3.ListObjects":                              {"s3:ListBucket"},
	"s3.ListObjectsV2":                            {"s3:ListBucket"},
	"s3.ListObjectVersions":                       {"s3:ListBucketVersions"},
	"s3.ListMultipartUploads":                     {"s3:ListBucketMultipartUploads"},
	"s3.ListParts":                                {"s3:ListMultipartUploadParts"},
	"s3.ListBuckets":                              {"s3:ListAllMyBuckets"},
	"s3.DeleteObjects":                            {"s3:DeleteObject"},
	"s3.GetObjectAttributes":                      {"s3:GetObject", "s3:GetObjectAttributes"},
	"s3.SelectObjectContent":                      {"s3:GetObject"},
	"s3.CopyObject":                               {"s3:GetObject", "s3:PutObject"},
	"s3.UploadPartCopy":                           {"s3:GetObject", "s3:PutObject"},
	"s3.CreateMultipartUpload":                    {"s3:PutObject"},
	"s3.UploadPart":                               {"s3:PutObject"},
	"s3.CompleteMultipartUpload":                  {"s3:PutObject"},
	"s3.GetBucketCors":                            {"s3:GetBucketCORS"},
	"s3.PutBucketCors":                            {"s3:PutBucketCORS"},
	"s3.DeleteBucketCors":                         {"s3:PutBucketCORS"},
	"s3.GetBucketEncryption":                      {"s3:GetEncryptionConfiguration"},
	"s3.PutBucketEncryption":                      {"s3:PutEncryptionConfiguration"},
	"s3.DeleteBucketEncryption":                   {"s3:PutEncryptionConfiguration"},
	"s3.GetBucketLifecycleConfiguration":          {"s3:GetLifecycleConfiguration"},
	"s3.PutBucketLifecycleConfiguration":          {"s3:PutLifecycleConfiguration"},
	"s3.DeleteBucketLifecycle":                    {"s3:PutLifecycleConfiguration"},
	"s3.GetBucketNotificationConfiguration":       {"s3:GetBucketNotification"},
	"s3.PutBucketNotificationConfiguration":       {"s3:PutBucketNotification"},
	"s3.GetBucketReplication":                     {"s3:GetReplicationConfiguration"},
	"s3.PutBucketReplication":                     {"s3:PutReplicationConfiguration"},
	"s3.DeleteBucketReplication":                  {"s3:PutReplicationConfiguration"},
	"s3.DeleteBucketTagging":                      {"s3:PutBucketTagging"},
	"s3.GetPublicAccessBlock":                     {"s3:GetBucketPublicAccessBlock"},
	"s3.PutPublicAccessBlock":                     {"s3:PutBucketPublicAccessBlock"},
	"s3.DeletePublicAccessBlock":                  {"s3:PutBucketPublicAccessBlock"},
	"s3.DeleteBucketOwnershipControls":            {"s3:PutBucketOwnershipControls"},
	"s3.GetBucketAccelerateConfiguration":         {"s3:GetAccelerateConfiguration"},
	"s3.PutBucketAccelerateConfiguration":         {"s3:PutAccelerateConfiguration"},
	"s3.GetBucketAnalyticsConfiguration":          {"s3:GetAnalyticsConfiguration"},
	"s3.ListBucketAnalyticsConfigurations":        {"s3:GetAnalyticsConfiguration"},
	"s3.PutBucketAnalyticsConfiguration":          {"s3:PutAnalyticsConfiguration"},
	"s3.DeleteBucketAnalyticsConfiguration":       {"s3:PutAnalyticsConfiguration"},
	"s3.GetBucketInventoryConfiguration":          {"s3:GetInventoryConfiguration"},
	"s3.ListBucketInventoryConfigurations":        {"s3:GetInventoryConfiguration"},
	"s3.PutBucketInventoryConfiguration":          {"s3:PutInventoryConfiguration"},
	"s3.DeleteBucketInventoryConfiguration":       {"s3:PutInventoryConfiguration"},
	"s3.GetBucketMetricsConfiguration":            {"s3:GetMetricsConfiguration"},
	"s3.ListBucketMetricsConfigurations":          {"s3:GetMetricsConfiguration"},
	"s3.PutBucketMetricsConfiguration":            {"s3:PutMetricsConfiguration"},
	"s3.DeleteBucketMetricsConfiguration":         {"s3:PutMetricsConfiguration"},
	"s3.PutBucketIntelligentTieringConfiguration": {"s3:PutIntelligentTieringConfiguration"},

	// SQS: a batch is authorized by its single-message action.
	"sqs.SendMessageBatch":             {"sqs:SendMessage"},
	"sqs.DeleteMessageBatch":           {"sqs:DeleteMessage"},
	"sqs.ChangeMessageVisibilityBatch": {"sqs:ChangeMessageVisibility"},

	// SNS: PublishBatch is authorized by Publish.
	"sns.PublishBatch": {"sns:Publish"},

	// DynamoDB: transactions by the item actions inside them (which ones
	// is not known statically: all that may appear); PartiQL statements by
	// the PartiQL actions (likewise).
	"dynamodb.TransactGetItems":      {"dynamodb:GetItem"},
	"dynamodb.TransactWriteItems":    {"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
	"dynamodb.ExecuteStatement":      {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
	"dynamodb.BatchExecuteStatement": {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
	"dynamodb.ExecuteTransaction":    {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},

	// Lambda: invoking is lambda:InvokeFunction, streamed or not.
	"lambda.Invoke":                   {"lambda:InvokeFunction"},
	"lambda.InvokeWithResponseStream": {"lambda:InvokeFunction"},

	// API Gateway's management API: one action for the connections.
	"apigatewaymanagementapi.PostToConnection": {"execute-api:ManageConnections"},
	"apigatewaymanagementapi.GetConnection":    {"execute-api:ManageConnections"},
	"apigatewaymanagementapi.DeleteConnection": {"execute-api:ManageConnections"},

	// Bedrock runtime: the Converse API is authorized by the model
	// invocation actions.
	"bedrockruntime.Converse":       {"bedrock:InvokeModel"},
	"bedrockruntime.ConverseStream": {"bedrock:InvokeModelWithResponseStream"},
}

// unmappedServices are services whose actions are not named after their
// operations; a call to one gets a warning instead of a guess.
var unmappedServices = map[string]string{
	"apigateway":   "API Gateway's management actions are HTTP verbs on resource ARNs (apigateway:GET, apigateway:POST, ...)",
	"apigatewayv2": "API Gateway's management actions are HTTP verbs on resource ARNs (apigateway:GET, apigateway:POST, ...)",
}

// IAMPrefix is the IAM service prefix of an aws-sdk-go-v2 service
// package.
func IAMPrefix(service string) string {
	if p, ok := iamPrefixes[service]; ok {
		return p
	}
	return service
}

// IAMActions returns the IAM actions an SDK operation needs; ok is false
// when chalc cannot tell (unmappedServices).
func IAMActions(service, op string) (actions []string, ok bool) {
	if _, bad := unmappedServices[service]; bad {
		return nil, false
	}
	if a, ok := operationActions[service+"."+op]; ok {
		return a, true
	}
	return []string{IAMPrefix(service) + ":" + op}, true
}

// UnmappedReason says why chalc cannot name the IAM actions of service's
// operations ("" when it can).
func UnmappedReason(service string) string { return unmappedServices[service] }

// EventSourceActions returns the actions Lambda's CreateEventSourceMapping
// needs the function's role to allow on a poll-based source (the Lambda
// Developer Guide's execution role permissions for each poller): nil for
// the other triggers. chalc's generated policies grant exactly these.
func EventSourceActions(t Trigger) []string {
	switch t {
	case TriggerSQS:
		return []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
	case TriggerKinesis:
		return []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard"}
	case TriggerDynamoDB:
		return []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"}
	}
	return nil
}

// ActionPrefix returns the service prefix of an action ("s3" of
// "s3:GetObject").
func ActionPrefix(action string) string {
	p, _, _ := strings.Cut(action, ":")
	return p
}
