package samples

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestTemplates pins the templates to runtime/dispatch's fixtures, the
// samples the runtime is tested with.
func TestTemplates(t *testing.T) {
	names, err := filepath.Glob("templates/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, name := range names {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "dispatch", "testdata", filepath.Base(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from runtime/dispatch/testdata/%s: copy it again", name, filepath.Base(name))
		}
	}
}

// TestShapes decodes every sample into aws-lambda-go's event type, which
// follows AWS's documentation, strictly: no field the type lacks.
func TestShapes(t *testing.T) {
	strict := func(name string, data []byte, v any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Errorf("%s: %v\n%s", name, err, data)
		}
	}
	var s3 events.S3Event
	strict("s3", S3("b", "a b.png"), &s3)
	if s3.Records[0].S3.Object.Key != "a+b.png" {
		t.Errorf("s3 key %q", s3.Records[0].S3.Object.Key)
	}
	var sns events.SNSEvent
	strict("sns", SNS(ARN("sns", "notes"), "m", "s"), &sns)
	if sns.Records[0].SNS.TopicArn != "arn:aws:sns:us-west-2:123456789012:notes" {
		t.Errorf("sns topic %q", sns.Records[0].SNS.TopicArn)
	}
	var sqs events.SQSEvent
	strict("sqs", SQS(ARN("sqs", "jobs"), "a", "b"), &sqs)
	if len(sqs.Records) != 2 || sqs.Records[1].MessageId != "059f36b4-87a3-44ab-83d2-000000000002" || sqs.Records[0].EventSourceARN != ARN("sqs", "jobs") {
		t.Errorf("sqs %+v", sqs.Records)
	}
	var kin events.KinesisEvent
	strict("kinesis", Kinesis("", []byte("x")), &kin)
	var ddb events.DynamoDBEvent
	b, err := DynamoDB(DynamoDBStreamARN("pets"), DynamoDBChange{Keys: map[string]any{"id": "1"}, NewImage: map[string]any{"n": 1}})
	if err != nil {
		t.Fatal(err)
	}
	strict("dynamodb", b, &ddb)
	if ddb.Records[0].EventName != "INSERT" || ddb.Records[0].Change.NewImage["n"].Number() != "1" {
		t.Errorf("dynamodb %+v", ddb.Records[0])
	}
	if _, err := DynamoDB("", DynamoDBChange{Keys: map[string]any{"f": func() {}}}); err == nil {
		t.Error("a value that does not encode must fail")
	}
	var cw events.CloudWatchEvent
	b, err = CloudWatch("T", "my.app", map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	strict("cloudwatch", b, &cw)
	strict("schedule", Schedule(ScheduleRuleARN("a", "dev", "f")), &cw)
	if cw.DetailType != "Scheduled Event" || cw.Resources[0] != "arn:aws:events:us-west-2:123456789012:rule/a-dev-f" {
		t.Errorf("schedule %+v", cw)
	}
	for _, route := range []string{"$connect", "$default", "$disconnect"} {
		var ws events.APIGatewayWebsocketProxyRequest
		strict(route, Websocket(route, "c-1", ""), &ws)
		if ws.RequestContext.RouteKey != route || ws.RequestContext.ConnectionID != "c-1" {
			t.Errorf("%s: %+v", route, ws.RequestContext)
		}
	}
	// aws-lambda-go's LambdaFunctionURLRequest lacks routeKey,
	// pathParameters and stageVariables, which AWS's sample and Lambda
	// send: the runtime decodes function URL events as HTTP API ones.
	var fu events.APIGatewayV2HTTPRequest
	strict("function URL", FunctionURL("PUT", "/items/1?a=1&a=2&b=x", `{"n":1}`), &fu)
	if fu.RawPath != "/items/1" || fu.RawQueryString != "a=1&a=2&b=x" || fu.QueryStringParameters["a"] != "1,2" ||
		fu.RequestContext.HTTP.Method != "PUT" || fu.RequestContext.HTTP.Path != "/items/1" || fu.Body != `{"n":1}` ||
		fu.RequestContext.Authorizer != nil || len(fu.Cookies) != 0 || fu.Version != "2.0" {
		t.Errorf("function URL %+v", fu)
	}
	for name, v := range map[string]any{"http-api-v2.json": &events.APIGatewayV2HTTPRequest{}, "function-url.json": &events.APIGatewayV2HTTPRequest{},
		"authorizer-v2.json": &events.APIGatewayV2CustomAuthorizerV2Request{}} {
		b, err := templates.ReadFile("templates/" + name)
		if err != nil {
			t.Fatal(err)
		}
		strict(name, b, v)
	}
}
