package chalicetest

import (
	"encoding/json"

	"github.com/chalc-dev/chalc/runtime/samples"
)

// Events builds the event payloads AWS sends to event functions, for
// Lambda.Invoke, with runtime/samples: each starts from an AWS sample
// event and sets what the arguments say; the rest (region us-west-2,
// account 123456789012, IDs, timestamps) is fixed, so payloads are
// deterministic. An event that cannot be built (a value that does not
// encode as JSON) fails the test.
type Events struct {
	c *Client
}

// S3 returns an S3 ObjectCreated:Put notification for the object key in
// bucket. The event holds the key URL-encoded as S3 writes it (a space
// is "+"), so the handler's S3Event.Key is key again.
func (e *Events) S3(bucket, key string) json.RawMessage {
	return samples.S3(bucket, key)
}

// SNS returns an SNS notification of message with subject.
func (e *Events) SNS(message, subject string) json.RawMessage {
	return samples.SNS("", message, subject)
}

// SQS returns a batch of SQS messages, one per body, with distinct
// message IDs (059f36b4-87a3-44ab-83d2-000000000001, ...2, ...) and no
// message attributes. InvokeResult.BatchItemFailures reads the answer of
// a function with report_batch_item_failures.
func (e *Events) SQS(bodies ...string) json.RawMessage {
	return samples.SQS("", bodies...)
}

// Kinesis returns a batch of Kinesis records, one per data blob (sent
// base64-encoded, as Kinesis does), with increasing sequence numbers.
func (e *Events) Kinesis(data ...[]byte) json.RawMessage {
	return samples.Kinesis("", data...)
}

// DynamoDBChange is one item change of a DynamoDB stream; see
// samples.DynamoDBChange.
type DynamoDBChange = samples.DynamoDBChange

// DynamoDB returns a batch of DynamoDB stream records of table, one per
// change (stream view type NEW_AND_OLD_IMAGES), with increasing sequence
// numbers.
func (e *Events) DynamoDB(table string, changes ...DynamoDBChange) json.RawMessage {
	e.c.t.Helper()
	ev, err := samples.DynamoDB(samples.DynamoDBStreamARN(table), changes...)
	if err != nil {
		e.c.t.Fatalf("chalicetest: %v", err)
	}
	return ev
}

// CloudWatch returns an EventBridge (CloudWatch Events) event with the
// given detail-type, source and detail: a []byte or json.RawMessage is
// the detail's JSON as it is, nil is {}, anything else is encoded as JSON.
func (e *Events) CloudWatch(detailType, source string, detail any) json.RawMessage {
	e.c.t.Helper()
	ev, err := samples.CloudWatch(detailType, source, detail)
	if err != nil {
		e.c.t.Fatalf("chalicetest: encoding an event: %v", err)
	}
	return ev
}

// Schedule returns the "Scheduled Event" EventBridge sends for a
// schedule: rule, its resources naming a rule of the app and stage.
func (e *Events) Schedule() json.RawMessage {
	return samples.Schedule(samples.ARN("events", "rule/"+e.c.app.Name()+"-"+e.c.stage+"-schedule"))
}

// Websocket returns a websocket API event for the route key ($connect,
// $disconnect, or a message route such as $default) on the connection:
// for a message, body is the message; for $connect and $disconnect it is
// set only when not empty.
func (e *Events) Websocket(routeKey, connectionID, body string) json.RawMessage {
	return samples.Websocket(routeKey, connectionID, body)
}
