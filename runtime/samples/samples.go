// Package samples builds the events AWS sends to Lambda functions, in
// AWS's documented shapes: S3 notifications, SNS, SQS, Kinesis and
// DynamoDB stream batches, EventBridge (CloudWatch Events) events and
// schedules, and websocket API events. Each starts from an AWS sample
// event (templates/, the fixtures runtime/dispatch is tested with) and
// sets what the arguments say; the rest (region us-west-2, account
// 123456789012, IDs, timestamps) is fixed, so events are deterministic.
//
// The test client (runtime/chalicetest, c.Events) and `chalc invoke`
// (its sample event for a function's trigger) build their events here.
// Nothing in it imports the testing package.
package samples

import (
	"bytes"
	"crypto/md5"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Region and Account are those of every ARN the samples hold.
const (
	Region  = "us-west-2"
	Account = "123456789012"
)

//go:embed templates/*.json
var templates embed.FS

// event is a decoded JSON object.
type event = map[string]any

// template returns a fresh copy of a sample event, numbers kept exact.
func template(name string) event {
	b, err := templates.ReadFile("templates/" + name)
	if err != nil {
		panic(err) // the templates are embedded: a missing one is a bug
	}
	var ev event
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&ev); err != nil {
		panic(fmt.Sprintf("template %s: %v", name, err))
	}
	return ev
}

// firstRecord returns a copy of the first of a template's Records.
func firstRecord(name string) event {
	return template(name)["Records"].([]any)[0].(event)
}

// encode writes ev as JSON, without HTML escaping.
func encode(ev any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// ARN returns the ARN of a resource of service in the samples' region
// and account: ARN("sqs", "jobs") is arn:aws:sqs:us-west-2:123456789012:jobs.
func ARN(service, resource string) string {
	return "arn:aws:" + service + ":" + Region + ":" + Account + ":" + resource
}

// S3 returns an S3 ObjectCreated:Put notification for the object key in
// bucket. The event holds the key URL-encoded as S3 writes it (a space
// is "+"), so the handler's S3Event.Key is key again.
func S3(bucket, key string) json.RawMessage {
	rec := firstRecord("s3-put.json")
	s3 := rec["s3"].(event)
	b := s3["bucket"].(event)
	b["name"] = bucket
	b["arn"] = "arn:aws:s3:::" + bucket
	s3["object"].(event)["key"] = s3Key(key)
	out, _ := encode(event{"Records": []any{rec}}) // strings only: cannot fail
	return out
}

// s3Key URL-encodes an object key as S3 event notifications do: form
// encoding ("+" for a space), "/" kept.
func s3Key(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// SNS returns an SNS notification of message with subject, from the
// topic topicARN ("" for the sample's).
func SNS(topicARN, message, subject string) json.RawMessage {
	rec := firstRecord("sns.json")
	sns := rec["Sns"].(event)
	sns["Message"] = message
	sns["Subject"] = subject
	if topicARN != "" {
		sns["TopicArn"] = topicARN
		rec["EventSubscriptionArn"] = topicARN + ":c9135db0-26c4-47ec-8998-413945fb5a96"
	}
	out, _ := encode(event{"Records": []any{rec}})
	return out
}

// SQS returns a batch of SQS messages from the queue queueARN ("" for
// the sample's), one per body, with distinct message IDs
// (059f36b4-87a3-44ab-83d2-000000000001, ...2, ...) and no message
// attributes. A function with report_batch_item_failures names the
// failed ones by these IDs (chalice.BatchResponse).
func SQS(queueARN string, bodies ...string) json.RawMessage {
	records := []any{}
	for i, body := range bodies {
		rec := firstRecord("sqs.json")
		rec["body"] = body
		rec["messageId"] = fmt.Sprintf("059f36b4-87a3-44ab-83d2-%012x", i+1)
		sum := md5.Sum([]byte(body))
		rec["md5OfBody"] = hex.EncodeToString(sum[:])
		rec["messageAttributes"] = event{}
		if queueARN != "" {
			rec["eventSourceARN"] = queueARN
		}
		records = append(records, rec)
	}
	out, _ := encode(event{"Records": records})
	return out
}

// Kinesis returns a batch of Kinesis records of the stream streamARN (""
// for the sample's), one per data blob (sent base64-encoded, as Kinesis
// does), with increasing sequence numbers.
func Kinesis(streamARN string, data ...[]byte) json.RawMessage {
	records := []any{}
	for i, d := range data {
		rec := firstRecord("kinesis.json")
		k := rec["kinesis"].(event)
		k["data"] = base64.StdEncoding.EncodeToString(d)
		seq := increment(k["sequenceNumber"].(string), i)
		k["sequenceNumber"] = seq
		rec["eventID"] = "shardId-000000000006:" + seq
		if streamARN != "" {
			rec["eventSourceARN"] = streamARN
		}
		records = append(records, rec)
	}
	out, _ := encode(event{"Records": records})
	return out
}

// increment adds n to a decimal number.
func increment(decimal string, n int) string {
	x, ok := new(big.Int).SetString(decimal, 10)
	if !ok {
		return decimal
	}
	return x.Add(x, big.NewInt(int64(n))).String()
}

// DynamoDBChange is one item change of a DynamoDB stream. Attribute
// values are plain Go values, written as DynamoDB's attribute values:
// string → S, number → N, bool → BOOL, nil → NULL, []byte → B, a slice →
// L, a map or struct → M (as encoding/json sees it); an
// events.DynamoDBAttributeValue is used as it is.
type DynamoDBChange struct {
	// EventName is INSERT, MODIFY or REMOVE; when empty, INSERT for a
	// change with only NewImage, REMOVE with only OldImage, else MODIFY.
	EventName string
	// Keys are the item's key attributes.
	Keys map[string]any
	// NewImage is the item after the change; nil for a REMOVE.
	NewImage map[string]any
	// OldImage is the item before the change; nil for an INSERT.
	OldImage map[string]any
}

// DynamoDBStreamARN is the ARN of a stream of table, as the samples
// write it.
func DynamoDBStreamARN(table string) string {
	return ARN("dynamodb", "table/"+table+"/stream/2015-06-27T00:48:05.899")
}

// DynamoDB returns a batch of DynamoDB stream records of the stream
// streamARN (see DynamoDBStreamARN), one per change (stream view type
// NEW_AND_OLD_IMAGES), with increasing sequence numbers. A value that
// does not encode as JSON is an error.
func DynamoDB(streamARN string, changes ...DynamoDBChange) (json.RawMessage, error) {
	records := []any{}
	for i, ch := range changes {
		rec := firstRecord("dynamodb.json")
		name := ch.EventName
		if name == "" {
			switch {
			case ch.OldImage == nil && ch.NewImage != nil:
				name = "INSERT"
			case ch.NewImage == nil && ch.OldImage != nil:
				name = "REMOVE"
			default:
				name = "MODIFY"
			}
		}
		rec["eventName"] = name
		rec["eventID"] = fmt.Sprintf("%032x", i+1)
		rec["eventSourceARN"] = streamARN
		d := rec["dynamodb"].(event)
		delete(d, "NewImage")
		delete(d, "OldImage")
		size := 0
		for _, part := range []struct {
			key   string
			image map[string]any
		}{{"Keys", ch.Keys}, {"NewImage", ch.NewImage}, {"OldImage", ch.OldImage}} {
			if part.image == nil && part.key != "Keys" {
				continue
			}
			m, err := attributeMap(part.image)
			if err != nil {
				return nil, fmt.Errorf("DynamoDB change %d %s: %w", i, part.key, err)
			}
			d[part.key] = m
			b, err := encode(m)
			if err != nil {
				return nil, fmt.Errorf("DynamoDB change %d %s: %w", i, part.key, err)
			}
			size += len(b)
		}
		d["SequenceNumber"] = increment(d["SequenceNumber"].(string), i)
		d["SizeBytes"] = size
		records = append(records, rec)
	}
	return encode(event{"Records": records})
}

// attributeMap writes a map of Go values as DynamoDB attribute values.
func attributeMap(m map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		av, err := attributeValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

// attributeValue writes a Go value as a DynamoDB attribute value.
func attributeValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return event{"NULL": true}, nil
	case events.DynamoDBAttributeValue:
		return x, nil
	case string:
		return event{"S": x}, nil
	case bool:
		return event{"BOOL": x}, nil
	case []byte:
		return event{"B": base64.StdEncoding.EncodeToString(x)}, nil
	case json.Number:
		return event{"N": x.String()}, nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return event{"N": fmt.Sprint(x)}, nil
	case float32:
		return event{"N": strconv.FormatFloat(float64(x), 'f', -1, 32)}, nil
	case float64:
		return event{"N": strconv.FormatFloat(x, 'f', -1, 64)}, nil
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			av, err := attributeValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = av
		}
		return event{"L": l}, nil
	case map[string]any:
		m, err := attributeMap(x)
		if err != nil {
			return nil, err
		}
		return event{"M": m}, nil
	}
	// Anything else as encoding/json sees it.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return attributeValue(generic)
}

// CloudWatch returns an EventBridge (CloudWatch Events) event with the
// given detail-type, source and detail: a []byte or json.RawMessage is
// the detail's JSON as it is, nil is {}, anything else is encoded as
// JSON (a value that does not encode is an error).
func CloudWatch(detailType, source string, detail any) (json.RawMessage, error) {
	ev := template("cloudwatch-event.json")
	ev["detail-type"] = detailType
	ev["source"] = source
	ev["resources"] = []any{}
	switch d := detail.(type) {
	case nil:
		ev["detail"] = event{}
	case []byte:
		ev["detail"] = json.RawMessage(d)
	default: // a json.RawMessage is written as it is
		ev["detail"] = d
	}
	return encode(ev)
}

// ScheduleRuleARN is the ARN of the EventBridge rule of a schedule, as
// the samples name it: rule/<app>-<stage>-<function>.
func ScheduleRuleARN(app, stage, function string) string {
	return ARN("events", "rule/"+app+"-"+stage+"-"+function)
}

// Schedule returns the "Scheduled Event" EventBridge sends when the
// schedule rule ruleARN fires (see ScheduleRuleARN).
func Schedule(ruleARN string) json.RawMessage {
	ev := template("scheduled.json")
	ev["resources"] = []any{ruleARN}
	out, _ := encode(ev)
	return out
}

// Websocket returns a websocket API event for the route key ($connect,
// $disconnect, or a message route such as $default) on the connection:
// for a message, body is the message; for $connect and $disconnect it is
// set only when not empty.
func Websocket(routeKey, connectionID, body string) json.RawMessage {
	var ev event
	switch routeKey {
	case "$connect":
		ev = template("websocket-connect.json")
	case "$disconnect":
		ev = template("websocket-connect.json")
		for _, m := range []string{"headers", "multiValueHeaders"} {
			for k := range ev[m].(event) {
				if strings.HasPrefix(k, "Sec-WebSocket-") {
					delete(ev[m].(event), k)
				}
			}
		}
		rc := ev["requestContext"].(event)
		rc["eventType"] = "DISCONNECT"
		rc["disconnectStatusCode"] = 1005
		rc["disconnectReason"] = "Client-side close frame status not set"
	default:
		ev = template("websocket-message.json")
		ev["body"] = body
	}
	rc := ev["requestContext"].(event)
	rc["routeKey"] = routeKey
	rc["connectionId"] = connectionID
	if body != "" {
		ev["body"] = body
	}
	out, _ := encode(ev)
	return out
}

// FunctionURL returns a Lambda function URL's request event (payload
// format 2.0, the shape of an HTTP API's too) for method and target, a
// path with an optional ?query, and body ("" for none): the sample's
// requestContext (domain, time, source address) without its caller
// identity (as a URL with auth: none has), no cookies, and the headers a
// client sends (host, user-agent). Repeated query names are joined with
// commas in queryStringParameters, as Lambda does.
func FunctionURL(method, target, body string) json.RawMessage {
	ev := template("function-url.json")
	path, rawQuery, _ := strings.Cut(target, "?")
	if path == "" {
		path = "/"
	}
	ev["rawPath"] = path
	ev["rawQueryString"] = rawQuery
	delete(ev, "cookies")
	rc := ev["requestContext"].(event)
	delete(rc, "authorizer")
	http := rc["http"].(event)
	http["method"] = method
	http["path"] = path
	ev["headers"] = event{"host": rc["domainName"], "user-agent": http["userAgent"]}
	q, _ := url.ParseQuery(rawQuery)
	if len(q) == 0 {
		delete(ev, "queryStringParameters")
	} else {
		params := event{}
		for k, vs := range q {
			params[k] = strings.Join(vs, ",")
		}
		ev["queryStringParameters"] = params
	}
	if body == "" {
		delete(ev, "body")
	} else {
		ev["body"] = body
	}
	out, _ := encode(ev)
	return out
}
