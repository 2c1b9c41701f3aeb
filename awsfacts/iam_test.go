package awsfacts

import (
	"strings"
	"testing"
)

func TestIAMActions(t *testing.T) {
	for _, tc := range []struct {
		svc, op string
		want    string // actions joined by spaces; "" for unknown
	}{
		{"s3", "GetObject", "s3:GetObject"},
		{"s3", "HeadObject", "s3:GetObject"},
		{"s3", "ListObjectsV2", "s3:ListBucket"},
		{"s3", "HeadBucket", "s3:ListBucket"},
		{"s3", "DeleteObjects", "s3:DeleteObject"},
		{"s3", "GetObjectAttributes", "s3:GetObject s3:GetObjectAttributes"},
		{"s3", "CopyObject", "s3:GetObject s3:PutObject"},
		{"dynamodb", "PutItem", "dynamodb:PutItem"},
		{"dynamodb", "TransactGetItems", "dynamodb:GetItem"},
		{"dynamodbstreams", "GetRecords", "dynamodb:GetRecords"},
		{"sqs", "SendMessageBatch", "sqs:SendMessage"},
		{"sns", "PublishBatch", "sns:Publish"},
		{"cloudwatchlogs", "PutLogEvents", "logs:PutLogEvents"},
		{"eventbridge", "PutEvents", "events:PutEvents"},
		{"sfn", "StartExecution", "states:StartExecution"},
		{"sesv2", "SendEmail", "ses:SendEmail"},
		{"cognitoidentityprovider", "AdminGetUser", "cognito-idp:AdminGetUser"},
		{"elasticloadbalancingv2", "DescribeTargetHealth", "elasticloadbalancing:DescribeTargetHealth"},
		{"apigatewaymanagementapi", "PostToConnection", "execute-api:ManageConnections"},
		{"lambda", "Invoke", "lambda:InvokeFunction"},
		{"secretsmanager", "GetSecretValue", "secretsmanager:GetSecretValue"},
		{"apigateway", "GetRestApis", ""},
	} {
		got, ok := IAMActions(tc.svc, tc.op)
		if s := strings.Join(got, " "); s != tc.want || ok != (tc.want != "") {
			t.Errorf("IAMActions(%s, %s) = %q, %v; want %q", tc.svc, tc.op, s, ok, tc.want)
		}
	}
}

func TestEventSourceActions(t *testing.T) {
	for _, tr := range []Trigger{TriggerSQS, TriggerKinesis, TriggerDynamoDB} {
		for _, a := range EventSourceActions(tr) {
			if !strings.HasPrefix(a, string(tr)+":") {
				t.Errorf("%s: action %s of another service", tr, a)
			}
		}
	}
	if EventSourceActions(TriggerSNS) != nil {
		t.Error("SNS pushes: its functions need no poller actions")
	}
}
