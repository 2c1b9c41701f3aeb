package project

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chalc-dev/chalc/internal/rie"
)

// The tests in this file run the events example's real deployment
// package (project.Check + project.Package, as `chalc package` does)
// under the Lambda Runtime Interface Emulator: every event function gets
// events shaped like AWS's documented samples, and the S3 notification
// custom resource talks to a local fake of S3 and of CloudFormation's
// ResponseURL. The app's handlers return what they received (a Seen
// {kind, values}); its Trace middleware (event_type all, registered
// first: outermost) appends "traced" to Seen results, and
// SkipTestMessages (sqs) short-circuits batches whose first body is
// "test". They are skipped when the emulator is not installed (`make
// tools`), unless CHALC_REQUIRE_RIE=1.

// rieEvBuild packages the events app once per test binary.
func rieEvBuild() (*riePackaged, error) { return riePackage("events") }

// rieEvBootstrap returns events' bootstrap, extracted once for t, and
// the package. It skips when the emulator is missing or cannot run the
// bootstrap's architecture.
func rieEvBootstrap(t *testing.T) (string, *riePackaged) {
	t.Helper()
	rie.Require(t) // before the build: skip fast
	p, err := rieEvBuild()
	if err != nil {
		t.Fatal(err)
	}
	rieCanRun(t, p.goarch)
	return rie.ExtractBootstrap(t, p.zip), p
}

// rieEvStart runs the function whose Handler is function under the
// emulator, with the environment the template gives it plus env.
func rieEvStart(t *testing.T, bootstrap string, p *riePackaged, function string, env ...string) *rie.Emulator {
	t.Helper()
	fenv, ok := p.functions[function]
	if !ok {
		t.Fatalf("the template has no function with Handler %q (it has %v)", function, slices.Sorted(maps.Keys(p.functions)))
	}
	return rie.Start(t, bootstrap, function, append(slices.Clone(fenv), env...)...)
}

// rieEvInvoke sends event and returns the emulator's response body; the
// emulator itself must answer 200 (a function error is a 200 too).
func rieEvInvoke(t *testing.T, e *rie.Emulator, event string) string {
	t.Helper()
	if !json.Valid([]byte(event)) {
		t.Fatalf("the test's event is not JSON:\n%s", event)
	}
	status, body, err := e.Invoke([]byte(event))
	if err != nil {
		t.Fatal(err)
	}
	if status != 200 {
		t.Fatalf("emulator status %d: %s", status, body)
	}
	return string(body)
}

// ---- events, after the samples of AWS's Lambda developer guide ----

// rieEvS3Put is an S3 ObjectCreated:Put notification for key as S3
// writes it (URL-encoded, a space as "+").
func rieEvS3Put(bucket, key string) string {
	return `{
  "Records": [
    {
      "eventVersion": "2.1",
      "eventSource": "aws:s3",
      "awsRegion": "us-east-1",
      "eventTime": "2019-09-03T19:37:27.192Z",
      "eventName": "ObjectCreated:Put",
      "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
      "requestParameters": {"sourceIPAddress": "205.255.255.255"},
      "responseElements": {
        "x-amz-request-id": "D82B88E5F771F645",
        "x-amz-id-2": "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo="
      },
      "s3": {
        "s3SchemaVersion": "1.0",
        "configurationId": "events-dev-OnUpload",
        "bucket": {
          "name": "` + bucket + `",
          "ownerIdentity": {"principalId": "A3I5XTEXAMAI3E"},
          "arn": "arn:aws:s3:::` + bucket + `"
        },
        "object": {
          "key": "` + key + `",
          "size": 1305107,
          "eTag": "b21b84d653bb07b05b1e6b33684dc11b",
          "sequencer": "0C0F6F405D6ED209E1"
        }
      }
    }
  ]
}`
}

// rieEvSNS is an SNS notification from topicArn.
func rieEvSNS(topicArn, subject, message string) string {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return `{
  "Records": [
    {
      "EventVersion": "1.0",
      "EventSubscriptionArn": "` + topicArn + `:c9135db0-26c4-47ec-8998-413945fb5a96",
      "EventSource": "aws:sns",
      "Sns": {
        "SignatureVersion": "1",
        "Timestamp": "2019-01-02T12:45:07.000Z",
        "Signature": "tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==",
        "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem",
        "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
        "Message": ` + q(message) + `,
        "MessageAttributes": {
          "Test": {"Type": "String", "Value": "TestString"},
          "TestBinary": {"Type": "Binary", "Value": "TestBinary"}
        },
        "Type": "Notification",
        "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&amp;SubscriptionArn=` + topicArn + `:c9135db0-26c4-47ec-8998-413945fb5a96",
        "TopicArn": "` + topicArn + `",
        "Subject": ` + q(subject) + `
      }
    }
  ]
}`
}

// rieEvSQSID is the messageId of the i-th record (from 1) of a batch
// built by rieEvSQS.
func rieEvSQSID(i int) string { return fmt.Sprintf("059f36b4-87a3-44ab-83d2-66197583%04d", i) }

// rieEvSQS is a batch of SQS messages from queueArn, one per body; a
// FIFO queue's records carry the FIFO attributes.
func rieEvSQS(queueArn string, bodies ...string) string {
	fifo := strings.HasSuffix(queueArn, ".fifo")
	var recs []string
	for i, body := range bodies {
		b, _ := json.Marshal(body)
		attrs := `"ApproximateReceiveCount": "1",
        "SentTimestamp": "1545082649183",
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "ApproximateFirstReceiveTimestamp": "1545082649185"`
		if fifo {
			attrs += fmt.Sprintf(`,
        "SequenceNumber": "1857829012345678900%d",
        "MessageGroupId": "orders-1",
        "MessageDeduplicationId": "dedup-%d"`, i+1, i+1)
		}
		recs = append(recs, fmt.Sprintf(`{
      "messageId": %q,
      "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...%d",
      "body": %s,
      "attributes": {
        %s
      },
      "messageAttributes": {},
      "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
      "eventSource": "aws:sqs",
      "eventSourceARN": %q,
      "awsRegion": "us-east-1"
    }`, rieEvSQSID(i+1), i+1, b, attrs, queueArn))
	}
	return "{\n  \"Records\": [\n    " + strings.Join(recs, ",\n    ") + "\n  ]\n}"
}

const (
	rieEvJobsARN   = "arn:aws:sqs:us-east-1:123456789012:jobs"
	rieEvOrdersARN = "arn:aws:sqs:us-east-1:123456789012:orders.fifo"
)

// rieEvKinesis is the Kinesis sample of the developer guide: two
// records, data base64-encoded ("Hello, this is a test 123." and
// "Hello, this is a test 124.").
const rieEvKinesis = `{
  "Records": [
    {
      "kinesis": {
        "kinesisSchemaVersion": "1.0",
        "partitionKey": "1",
        "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
        "data": "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4=",
        "approximateArrivalTimestamp": 1545084650.987
      },
      "eventSource": "aws:kinesis",
      "eventVersion": "1.0",
      "eventID": "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
      "eventName": "aws:kinesis:record",
      "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
      "awsRegion": "us-east-1",
      "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"
    },
    {
      "kinesis": {
        "kinesisSchemaVersion": "1.0",
        "partitionKey": "1",
        "sequenceNumber": "49590338271490256608559692540925702759324208523137515618",
        "data": "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyNC4=",
        "approximateArrivalTimestamp": 1545084711.166
      },
      "eventSource": "aws:kinesis",
      "eventVersion": "1.0",
      "eventID": "shardId-000000000006:49590338271490256608559692540925702759324208523137515618",
      "eventName": "aws:kinesis:record",
      "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
      "awsRegion": "us-east-1",
      "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"
    }
  ]
}`

// rieEvDynamoDB is the DynamoDB Streams sample of the developer guide:
// INSERT, MODIFY and REMOVE of one item (sequence numbers 111, 222,
// 333), on the table of events' stream_arn.
const rieEvDynamoDB = `{
  "Records": [
    {
      "eventID": "1",
      "eventVersion": "1.0",
      "dynamodb": {
        "Keys": {"Id": {"N": "101"}},
        "NewImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        "SequenceNumber": "111",
        "SizeBytes": 26
      },
      "awsRegion": "us-east-1",
      "eventName": "INSERT",
      "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2020-01-01T00:00:00.000",
      "eventSource": "aws:dynamodb"
    },
    {
      "eventID": "2",
      "eventVersion": "1.0",
      "dynamodb": {
        "OldImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
        "SequenceNumber": "222",
        "Keys": {"Id": {"N": "101"}},
        "SizeBytes": 59,
        "NewImage": {"Message": {"S": "This item has changed"}, "Id": {"N": "101"}},
        "StreamViewType": "NEW_AND_OLD_IMAGES"
      },
      "awsRegion": "us-east-1",
      "eventName": "MODIFY",
      "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2020-01-01T00:00:00.000",
      "eventSource": "aws:dynamodb"
    },
    {
      "eventID": "3",
      "eventVersion": "1.0",
      "dynamodb": {
        "Keys": {"Id": {"N": "101"}},
        "SizeBytes": 38,
        "SequenceNumber": "333",
        "OldImage": {"Message": {"S": "This item has changed"}, "Id": {"N": "101"}},
        "StreamViewType": "NEW_AND_OLD_IMAGES"
      },
      "awsRegion": "us-east-1",
      "eventName": "REMOVE",
      "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2020-01-01T00:00:00.000",
      "eventSource": "aws:dynamodb"
    }
  ]
}`

// rieEvScheduled is EventBridge's Scheduled Event sample, for rule.
func rieEvScheduled(rule string) string {
	return `{
  "version": "0",
  "account": "123456789012",
  "region": "us-east-1",
  "detail": {},
  "detail-type": "Scheduled Event",
  "source": "aws.events",
  "time": "2019-03-01T01:23:45Z",
  "id": "cdc73f9d-aea9-11e3-9d5a-835b769c0d9c",
  "resources": ["arn:aws:events:us-east-1:123456789012:rule/` + rule + `"]
}`
}

// rieEvEC2StateChange is EventBridge's EC2 Instance State-change
// Notification sample.
const rieEvEC2StateChange = `{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2021-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  "detail": {"instance-id": "i-abcd1111", "state": "running"}
}`

// rieEvCase is one invocation and the exact response body expected.
type rieEvCase struct {
	name, event, want string
}

// rieEvFunctions lists, per function, the invocations sent to one
// emulator, in order.
func rieEvFunctions() []struct {
	function string
	cases    []rieEvCase
} {
	return []struct {
		function string
		cases    []rieEvCase
	}{
		{"every_hour", []rieEvCase{
			{"EventBridge scheduled event", rieEvScheduled("events-dev-EveryHour"),
				`{"kind":"schedule","values":["Scheduled Event","aws.events","traced"]}`},
		}},
		{"nightly_report", []rieEvCase{
			// Nightly returns only an error: the result is null, which Trace
			// (not a Seen) passes on unchanged.
			{"cron schedule, handler returning only nil", rieEvScheduled("events-dev-NightlyReport"), `null`},
		}},
		{"on_ec2", []rieEvCase{
			{"EC2 state-change event: source and detail", rieEvEC2StateChange,
				`{"kind":"cloudwatch","values":["aws.ec2","i-abcd1111","running","traced"]}`},
		}},
		{"on_upload", []rieEvCase{
			{"Put with a URL-encoded key: the handler sees it decoded (unquote_plus)",
				rieEvS3Put("events-uploads", "images/my+photo%281%29.png"),
				`{"kind":"s3","values":["events-uploads","images/my photo(1).png","traced"]}`},
			// S3 writes a literal "%" as %25.
			{"UTF-8 percent escapes and an escaped %, returned as UTF-8 JSON",
				rieEvS3Put("events-uploads", "images/caf%C3%A9+100%25+sure.png"),
				`{"kind":"s3","values":["events-uploads","images/café 100% sure.png","traced"]}`},
			{"an invalid escape is kept, as unquote_plus keeps it",
				rieEvS3Put("events-uploads", "images/caf%C3%A9+100%+sure.png"),
				`{"kind":"s3","values":["events-uploads","images/café 100% sure.png","traced"]}`},
		}},
		{"on_note", []rieEvCase{
			{"SNS notification: subject and message of the first record",
				rieEvSNS("arn:aws:sns:us-east-1:123456789012:notes", "TestInvoke", "Hello from SNS!"),
				`{"kind":"sns","values":["TestInvoke","Hello from SNS!","traced"]}`},
		}},
		{"on_alarm", []rieEvCase{
			{"SNS notification from a topic given by ARN, a JSON message",
				rieEvSNS("arn:aws:sns:us-east-1:123456789012:alarms", `ALARM: "HighCPU" in US East (N. Virginia)`,
					`{"AlarmName":"HighCPU","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 datapoint [95.0 (01/01/24 00:00:00)] was >= 80.0 & <= 100"}`),
				`{"kind":"sns","values":["ALARM: \"HighCPU\" in US East (N. Virginia)","{\"AlarmName\":\"HighCPU\",\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"Threshold Crossed: 1 datapoint [95.0 (01/01/24 00:00:00)] was >= 80.0 & <= 100\"}","traced"]}`},
		}},
		{"on_job", []rieEvCase{
			// A BatchResponse is not a Seen: Trace passes it unchanged.
			{"partial batch failure: the failed messages' ids, in order",
				rieEvSQS(rieEvJobsARN, "ok", "fail-1", "ok2", "fail-2"),
				`{"batchItemFailures":[{"itemIdentifier":"` + rieEvSQSID(2) + `"},{"itemIdentifier":"` + rieEvSQSID(4) + `"}]}`},
			{"whole batch succeeds: no failures (null, which Lambda reads as success)",
				rieEvSQS(rieEvJobsARN, "ok", "ok2"),
				`{"batchItemFailures":null}`},
			// SkipTestMessages returns Seen{skipped} without calling the
			// handler; Trace, outside it, appends "traced". Were the order
			// reversed, SkipTestMessages would return before Trace ran and
			// values would be null.
			{"first body test: short-circuited by SkipTestMessages, inside Trace",
				rieEvSQS(rieEvJobsARN, "test", "fail-1"),
				`{"kind":"skipped","values":["traced"]}`},
			{"test not first: the handler runs",
				rieEvSQS(rieEvJobsARN, "ok", "test", "fail-3"),
				`{"batchItemFailures":[{"itemIdentifier":"` + rieEvSQSID(3) + `"}]}`},
		}},
		{"on_order", []rieEvCase{
			{"FIFO batch: bodies in order",
				rieEvSQS(rieEvOrdersARN, "order-1", "order-2"),
				`{"kind":"sqs","values":["order-1","order-2","traced"]}`},
			{"boom fails the invocation: Lambda's error document",
				rieEvSQS(rieEvOrdersARN, "order-3", "boom", "order-4"),
				`{"errorMessage":"order boom cannot be processed","errorType":"errorString"}`},
			{"still serving after an error; SkipTestMessages applies to every sqs function",
				rieEvSQS(rieEvOrdersARN, "test", "boom"),
				`{"kind":"skipped","values":["traced"]}`},
		}},
		{"on_click", []rieEvCase{
			{"Kinesis records: data base64-decoded", rieEvKinesis,
				`{"kind":"kinesis","values":["Hello, this is a test 123.","Hello, this is a test 124.","traced"]}`},
		}},
		{"on_change", []rieEvCase{
			{"INSERT, MODIFY, REMOVE: the REMOVE reported by its SequenceNumber", rieEvDynamoDB,
				`{"batchItemFailures":[{"itemIdentifier":"333"}]}`},
		}},
		{"echo", []rieEvCase{
			// Echo returns its json.RawMessage; aws-lambda-go encodes it
			// (compacted, no HTML escaping, UTF-8 kept) and Trace passes it on.
			{"pure function returns its payload",
				`{"a": [1, 2.50, "<b>&"], "é": null, "n": {"deep": true}}`,
				`{"a":[1,2.50,"<b>&"],"é":null,"n":{"deep":true}}`},
			{"a scalar payload", `"just a string"`, `"just a string"`},
		}},
	}
}

// TestRIEEvents sends each event function of the events app events
// shaped like AWS's samples, one emulator per function, and checks each
// response exactly.
func TestRIEEvents(t *testing.T) {
	bootstrap, p := rieEvBootstrap(t)
	seen := map[string]bool{}
	for _, f := range rieEvFunctions() {
		seen[f.function] = true
		t.Run(f.function, func(t *testing.T) {
			e := rieEvStart(t, bootstrap, p, f.function)
			for _, c := range f.cases {
				t.Run(c.name, func(t *testing.T) {
					if got := rieEvInvoke(t, e, c.event); got != c.want {
						t.Errorf("event:\n%s\ngot  %s\nwant %s", c.event, got, c.want)
					}
				})
			}
		})
	}
	// Every function of the template is exercised, here or by
	// TestRIEEventsS3Notifications.
	seen["chalc_s3_notifications"] = true
	for name := range p.functions {
		if !seen[name] {
			t.Errorf("function %s is not tested", name)
		}
	}
}

// ---- the S3 notification custom resource ----

// rieEvS3Request is one request the fake saw.
type rieEvS3Request struct {
	Method, Host, Path, Query, Auth string
}

// rieEvFakeAWS plays S3 (path-style GET/PUT /<bucket>?notification) and
// CloudFormation's ResponseURL (PUT /cfn/...).
type rieEvFakeAWS struct {
	mu       sync.Mutex
	reqs     []rieEvS3Request
	buckets  map[string]string // bucket -> its NotificationConfiguration XML
	cfnPuts  map[string]string // ResponseURL path -> body
	badCalls []string
}

func (f *rieEvFakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, rieEvS3Request{Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery,
		Auth: r.Header.Get("Authorization")})
	if strings.HasPrefix(r.URL.Path, "/cfn/") {
		if r.Method != http.MethodPut {
			f.badCalls = append(f.badCalls, r.Method+" "+r.URL.String())
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		f.cfnPuts[r.URL.Path] = string(body)
		return
	}
	bucket := strings.TrimPrefix(r.URL.Path, "/")
	if _, ok := r.URL.Query()["notification"]; !ok || strings.Contains(bucket, "/") {
		f.badCalls = append(f.badCalls, r.Method+" "+r.URL.String())
		w.WriteHeader(http.StatusNotImplemented)
		return
	}
	conf, ok := f.buckets[bucket]
	if !ok {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>%s</BucketName><RequestId>4442587FB7D0A2F9</RequestId><HostId>abc=</HostId></Error>`, bucket)
		return
	}
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, conf)
	case http.MethodPut:
		f.buckets[bucket] = string(body)
	default:
		f.badCalls = append(f.badCalls, r.Method+" "+r.URL.String())
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// take returns the requests since the last call.
func (f *rieEvFakeAWS) take() []rieEvS3Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reqs
	f.reqs = nil
	return r
}

func (f *rieEvFakeAWS) bucket(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buckets[name]
}

func (f *rieEvFakeAWS) cfnPut(path string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.cfnPuts[path]
	return b, ok
}

// rieEvUploadsConf is the bucket's configuration before the stack: a
// topic, a queue, another function (with a prefix filter) and
// EventBridge, in S3's XML.
const rieEvUploadsConf = `<?xml version="1.0" encoding="UTF-8"?>
<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TopicConfiguration><Id>audit-topic</Id><Topic>arn:aws:sns:us-east-1:123456789012:audit</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration><QueueConfiguration><Id>index-queue</Id><Queue>arn:aws:sqs:us-east-1:123456789012:index</Queue><Event>s3:ObjectCreated:Put</Event><Event>s3:ObjectCreated:Post</Event></QueueConfiguration><CloudFunctionConfiguration><Id>thumbnails</Id><CloudFunction>arn:aws:lambda:us-east-1:123456789012:function:thumbnails</CloudFunction><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>Prefix</Name><Value>docs/</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration><EventBridgeConfiguration></EventBridgeConfiguration></NotificationConfiguration>`

// rieEvNotifications is an S3 NotificationConfiguration document,
// decoded: the order of a configuration's children does not matter
// (S3 and the SDK write them in different orders), the order of the
// configurations of one kind does; an element this does not know is
// kept in Unknown, so that comparisons see it.
type rieEvNotifications struct {
	XMLName     xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ NotificationConfiguration"`
	Topics      []rieEvTarget  `xml:"TopicConfiguration"`
	Queues      []rieEvTarget  `xml:"QueueConfiguration"`
	Functions   []rieEvTarget  `xml:"CloudFunctionConfiguration"`
	EventBridge *struct{}      `xml:"EventBridgeConfiguration"`
	Unknown     []rieEvUnknown `xml:",any"`
}

// rieEvTarget is one Topic, Queue or CloudFunction (Lambda)
// configuration.
type rieEvTarget struct {
	ID       string         `xml:"Id"`
	Topic    string         `xml:"Topic,omitempty"`
	Queue    string         `xml:"Queue,omitempty"`
	Function string         `xml:"CloudFunction,omitempty"`
	Events   []string       `xml:"Event"`
	Rules    []rieEvRule    `xml:"Filter>S3Key>FilterRule"`
	Unknown  []rieEvUnknown `xml:",any"`
}

type rieEvRule struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

type rieEvUnknown struct {
	XMLName xml.Name
}

func rieEvDecodeNotifications(doc string) (rieEvNotifications, error) {
	var n rieEvNotifications
	err := xml.Unmarshal([]byte(doc), &n)
	n.XMLName = xml.Name{}
	return n, err
}

// rieEvOthers are the configurations of rieEvUploadsConf, which the
// stack must keep.
func rieEvOthers() rieEvNotifications {
	return rieEvNotifications{
		Topics: []rieEvTarget{{ID: "audit-topic", Topic: "arn:aws:sns:us-east-1:123456789012:audit",
			Events: []string{"s3:ObjectRemoved:*"}}},
		Queues: []rieEvTarget{{ID: "index-queue", Queue: "arn:aws:sqs:us-east-1:123456789012:index",
			Events: []string{"s3:ObjectCreated:Put", "s3:ObjectCreated:Post"}}},
		Functions: []rieEvTarget{{ID: "thumbnails", Function: "arn:aws:lambda:us-east-1:123456789012:function:thumbnails",
			Events: []string{"s3:ObjectCreated:*"}, Rules: []rieEvRule{{"Prefix", "docs/"}}}},
		EventBridge: &struct{}{},
	}
}

// rieEvCFNEvent is a CloudFormation custom resource request for the
// OnUpload notification of stack events-dev.
func rieEvCFNEvent(requestType, responseURL, physicalID, bucket string) string {
	ev := map[string]any{
		"RequestType":       requestType,
		"ServiceToken":      "arn:aws:lambda:us-east-1:123456789012:function:events-dev-S3NotificationHandler-1A2B3C",
		"ResponseURL":       responseURL,
		"StackId":           "arn:aws:cloudformation:us-east-1:123456789012:stack/events-dev/5b918d10-cd98-11ea-90d5-0a9cd3354c10",
		"RequestId":         "req-" + strings.ToLower(requestType),
		"LogicalResourceId": "OnUploadS3Event",
		"ResourceType":      "Custom::S3BucketNotification",
		"ResourceProperties": map[string]any{
			"ServiceToken":   "arn:aws:lambda:us-east-1:123456789012:function:events-dev-S3NotificationHandler-1A2B3C",
			"Bucket":         bucket,
			"NotificationId": "events-dev-OnUpload",
			"FunctionArn":    "arn:aws:lambda:us-east-1:123456789012:function:events-dev-OnUpload-4D5E6F",
			"Events":         []string{"s3:ObjectCreated:*"},
			"Prefix":         "images/",
			"Suffix":         ".png",
		},
	}
	if physicalID != "" {
		ev["PhysicalResourceId"] = physicalID
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// rieEvCFNResponse is the body LambdaWrap PUTs to the ResponseURL.
func rieEvCFNResponse(status, requestType, physicalID string) string {
	return `{"Status":"` + status + `","RequestId":"req-` + strings.ToLower(requestType) +
		`","LogicalResourceId":"OnUploadS3Event","StackId":"arn:aws:cloudformation:us-east-1:123456789012:stack/events-dev/5b918d10-cd98-11ea-90d5-0a9cd3354c10","PhysicalResourceId":"` +
		physicalID + `"}`
}

// TestRIEEventsS3Notifications runs chalc_s3_notifications, the Lambda
// behind Custom::S3BucketNotification, against a fake S3 and
// CloudFormation ResponseURL on 127.0.0.1: Create adds the function's
// notification and keeps the bucket's others, Delete removes only it.
// The SDK is pointed at the fake with AWS_ENDPOINT_URL_S3; an endpoint
// whose host is an IP address makes S3's endpoint rules use path-style
// addressing (aws-sdk-go-v2/config has no environment variable for
// path style).
func TestRIEEventsS3Notifications(t *testing.T) {
	bootstrap, p := rieEvBootstrap(t)
	fake := &rieEvFakeAWS{buckets: map[string]string{"events-uploads": rieEvUploadsConf}, cfnPuts: map[string]string{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: fake}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()
	home := t.TempDir()
	e := rieEvStart(t, bootstrap, p, "chalc_s3_notifications",
		"AWS_ENDPOINT_URL_S3="+base,
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_ENDPOINT_URL=",
		"AWS_CONFIG_FILE="+filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"HOME="+home,
	)
	const ours = "events-dev-OnUpload"
	others := rieEvOthers()
	// After Create: the others kept, ours last among the functions.
	withOurs := rieEvOthers()
	withOurs.Functions = append(withOurs.Functions, rieEvTarget{ID: ours,
		Function: "arn:aws:lambda:us-east-1:123456789012:function:events-dev-OnUpload-4D5E6F",
		Events:   []string{"s3:ObjectCreated:*"},
		Rules:    []rieEvRule{{"prefix", "images/"}, {"suffix", ".png"}}})

	for _, step := range []struct {
		name, requestType, physicalID, bucket string
		// wantS3 are the S3 requests ("METHOD path?query"), wantConf the
		// bucket's configuration afterwards (nil: unchanged), wantPhys the
		// PhysicalResourceId reported.
		wantS3   []string
		wantConf *rieEvNotifications
		wantPhys string
	}{
		{name: "Create adds ours and keeps the others", requestType: "Create", bucket: "events-uploads",
			wantS3:   []string{"GET /events-uploads?notification=", "PUT /events-uploads?notification="},
			wantConf: &withOurs, wantPhys: "events-uploads/" + ours},
		{name: "Create again replaces ours, not duplicating it", requestType: "Create", bucket: "events-uploads",
			wantS3:   []string{"GET /events-uploads?notification=", "PUT /events-uploads?notification="},
			wantConf: &withOurs, wantPhys: "events-uploads/" + ours},
		{name: "Delete removes only ours", requestType: "Delete", physicalID: "events-uploads/" + ours, bucket: "events-uploads",
			wantS3:   []string{"GET /events-uploads?notification=", "PUT /events-uploads?notification="},
			wantConf: &others, wantPhys: "events-uploads/" + ours},
		{name: "Delete again: nothing to remove, nothing written", requestType: "Delete", physicalID: "events-uploads/" + ours, bucket: "events-uploads",
			wantS3:   []string{"GET /events-uploads?notification="},
			wantConf: &others, wantPhys: "events-uploads/" + ours},
		{name: "Delete on a bucket that no longer exists succeeds", requestType: "Delete", physicalID: "gone-bucket/" + ours, bucket: "gone-bucket",
			wantS3:   []string{"GET /gone-bucket?notification="},
			wantPhys: "gone-bucket/" + ours},
	} {
		if t.Failed() {
			break // the bucket's state is shared
		}
		t.Run(step.name, func(t *testing.T) {
			cfnPath := fmt.Sprintf("/cfn/%s-%s", strings.ToLower(step.requestType), strings.ReplaceAll(strings.ToLower(step.name), " ", "-"))
			// A presigned S3 URL, as CloudFormation sends.
			responseURL := base + cfnPath + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240315T014406Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd"
			event := rieEvCFNEvent(step.requestType, responseURL, step.physicalID, step.bucket)
			// LambdaWrap returns the reason of a failed response PUT, "" when
			// it succeeded.
			if got := rieEvInvoke(t, e, event); got != `""` {
				t.Errorf("invocation returned %s, want \"\"", got)
			}
			var s3reqs []string
			var cfnReqs []string
			for _, r := range fake.take() {
				line := r.Method + " " + r.Path + "?" + r.Query
				if strings.HasPrefix(r.Path, "/cfn/") {
					cfnReqs = append(cfnReqs, line)
					continue
				}
				s3reqs = append(s3reqs, line)
				if r.Host != ln.Addr().String() {
					t.Errorf("%s: Host %q, want %q (path-style addressing)", line, r.Host, ln.Addr())
				}
				if !strings.HasPrefix(r.Auth, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/") || !strings.Contains(r.Auth, "/us-east-1/s3/aws4_request") {
					t.Errorf("%s: Authorization %q, want SigV4 for s3 in us-east-1 with the environment's key", line, r.Auth)
				}
			}
			t.Logf("S3 requests: %q", s3reqs)
			if !slices.Equal(s3reqs, step.wantS3) {
				t.Errorf("S3 requests\n%q\nwant\n%q", s3reqs, step.wantS3)
			}
			if want := []string{"PUT " + responseURL[len(base):]}; !slices.Equal(cfnReqs, want) {
				t.Errorf("ResponseURL requests %q, want %q", cfnReqs, want)
			}
			got, ok := fake.cfnPut(cfnPath)
			if want := rieEvCFNResponse("SUCCESS", step.requestType, step.wantPhys); !ok || got != want {
				t.Errorf("ResponseURL got (%v)\n%s\nwant\n%s", ok, got, want)
			}
			if step.wantConf != nil {
				conf := fake.bucket("events-uploads")
				got, err := rieEvDecodeNotifications(conf)
				if err != nil {
					t.Fatalf("the bucket's configuration: %v\n%s", err, conf)
				}
				if !reflect.DeepEqual(got, *step.wantConf) {
					t.Errorf("the bucket's configuration\n%s\ndecoded\n%+v\nwant\n%+v", conf, got, *step.wantConf)
				}
			}
		})
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.badCalls) > 0 {
		t.Errorf("unexpected requests to the fake: %q", fake.badCalls)
	}
	if _, ok := fake.buckets["gone-bucket"]; ok {
		t.Error("a bucket was created")
	}
}
