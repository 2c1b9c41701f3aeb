package chalice

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// The event types below are what event handlers receive, each named after
// Chalice's and built on aws-lambda-go's events types. Each keeps the
// decoded event in its Raw field, the escape hatch Chalice offers as
// to_dict(). The Parse functions build them from an invocation's JSON
// payload, as the runtime does.

// S3Event is an S3 bucket notification (s3: functions). As in Chalice
// only the first record is read: Bucket and Key.
type S3Event struct {
	// Bucket is the bucket name.
	Bucket string
	// Key is the object key, decoded as Python's unquote_plus does ("+"
	// is a space, %XX escapes are decoded, invalid escapes are kept).
	Key string
	// Record is the first record, the one read.
	Record events.S3EventRecord
	// Raw is the whole event.
	Raw events.S3Event
}

// ParseS3Event decodes an S3 notification. An event without records is
// an error.
func ParseS3Event(data []byte) (S3Event, error) {
	var e S3Event
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		var esc url.EscapeError
		if !errors.As(err, &esc) {
			return e, err
		}
		// aws-lambda-go url-decodes keys strictly; S3 keys are decoded as
		// Python's unquote_plus does, keeping an invalid escape ("100%").
		if e.Raw, err = parseS3Lenient(data); err != nil {
			return e, err
		}
	}
	if len(e.Raw.Records) == 0 {
		return e, errors.New("chalice: S3 event has no records")
	}
	e.Record = e.Raw.Records[0]
	s3 := e.Record.S3
	e.Bucket = s3.Bucket.Name
	e.Key = UnquotePlus(s3.Object.Key)
	return e, nil
}

// parseS3Lenient decodes an S3 event whose keys hold invalid %-escapes:
// they are escaped as %25 for aws-lambda-go's decoder, then restored.
func parseS3Lenient(data []byte) (events.S3Event, error) {
	var generic map[string]any
	if err := json.Unmarshal(data, &generic); err != nil {
		return events.S3Event{}, err
	}
	records, _ := generic["Records"].([]any)
	originals := make([]string, len(records))
	for i, r := range records {
		rec, _ := r.(map[string]any)
		s3, _ := rec["s3"].(map[string]any)
		obj, _ := s3["object"].(map[string]any)
		if key, ok := obj["key"].(string); ok {
			originals[i] = key
			obj["key"] = escapeInvalidPercent(key)
		}
	}
	fixed, err := json.Marshal(generic)
	if err != nil {
		return events.S3Event{}, err
	}
	var ev events.S3Event
	if err := json.Unmarshal(fixed, &ev); err != nil {
		return ev, err
	}
	for i := range ev.Records {
		if i < len(originals) {
			ev.Records[i].S3.Object.Key = originals[i]
		}
	}
	return ev, nil
}

// escapeInvalidPercent turns every "%" not starting a valid escape into
// "%25".
func escapeInvalidPercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// SNSEvent is an SNS notification (sns: functions). As in Chalice only
// the first record is read.
type SNSEvent struct {
	Message           string
	Subject           string
	MessageAttributes map[string]any
	// Record is the first record, the one read: Record.SNS has the
	// TopicArn, MessageID, Timestamp, ...
	Record events.SNSEventRecord
	// Raw is the whole event.
	Raw events.SNSEvent
}

// ParseSNSEvent decodes an SNS notification. An event without records is
// an error.
func ParseSNSEvent(data []byte) (SNSEvent, error) {
	var e SNSEvent
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		return e, err
	}
	if len(e.Raw.Records) == 0 {
		return e, errors.New("chalice: SNS event has no records")
	}
	e.Record = e.Raw.Records[0]
	sns := e.Record.SNS
	e.Message = sns.Message
	e.Subject = sns.Subject
	e.MessageAttributes = sns.MessageAttributes
	return e, nil
}

// SQSEvent is a batch of SQS messages (sqs: functions).
type SQSEvent struct {
	Records []SQSRecord
	Raw     events.SQSEvent
}

// SQSRecord is one SQS message.
type SQSRecord struct {
	Body          string
	MessageID     string // the itemIdentifier of a BatchItemFailure
	ReceiptHandle string
	// Attributes are the system attributes (ApproximateReceiveCount,
	// SentTimestamp, ...).
	Attributes        map[string]string
	MessageAttributes map[string]events.SQSMessageAttribute
	EventSourceARN    string
	Raw               events.SQSMessage
}

// ParseSQSEvent decodes a batch of SQS messages.
func ParseSQSEvent(data []byte) (SQSEvent, error) {
	var e SQSEvent
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		return e, err
	}
	e.Records = make([]SQSRecord, len(e.Raw.Records))
	for i, m := range e.Raw.Records {
		e.Records[i] = SQSRecord{
			Body:              m.Body,
			MessageID:         m.MessageId,
			ReceiptHandle:     m.ReceiptHandle,
			Attributes:        m.Attributes,
			MessageAttributes: m.MessageAttributes,
			EventSourceARN:    m.EventSourceARN,
			Raw:               m,
		}
	}
	return e, nil
}

// KinesisEvent is a batch of Kinesis records (kinesis: functions).
type KinesisEvent struct {
	Records []KinesisRecord
	Raw     events.KinesisEvent
}

// KinesisRecord is one Kinesis record.
type KinesisRecord struct {
	// Data is the record's payload, already base64-decoded.
	Data           []byte
	SequenceNumber string // the itemIdentifier of a BatchItemFailure
	PartitionKey   string
	SchemaVersion  string
	// Timestamp is the approximate arrival time, in UTC, to the
	// microsecond as Python's datetime.
	Timestamp time.Time
	EventID   string
	Raw       events.KinesisEventRecord
}

// ParseKinesisEvent decodes a batch of Kinesis records.
func ParseKinesisEvent(data []byte) (KinesisEvent, error) {
	var e KinesisEvent
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		return e, err
	}
	e.Records = make([]KinesisRecord, len(e.Raw.Records))
	for i, r := range e.Raw.Records {
		e.Records[i] = KinesisRecord{
			Data:           r.Kinesis.Data,
			SequenceNumber: r.Kinesis.SequenceNumber,
			PartitionKey:   r.Kinesis.PartitionKey,
			SchemaVersion:  r.Kinesis.KinesisSchemaVersion,
			Timestamp:      r.Kinesis.ApproximateArrivalTimestamp.UTC().Round(time.Microsecond),
			EventID:        r.EventID,
			Raw:            r,
		}
	}
	return e, nil
}

// DynamoDBEvent is a batch of DynamoDB stream records (dynamodb:
// functions).
type DynamoDBEvent struct {
	Records []DynamoDBRecord
	Raw     events.DynamoDBEvent
}

// DynamoDBRecord is one DynamoDB stream record.
type DynamoDBRecord struct {
	EventName      string // INSERT, MODIFY or REMOVE
	EventID        string
	Keys           map[string]events.DynamoDBAttributeValue
	NewImage       map[string]events.DynamoDBAttributeValue
	OldImage       map[string]events.DynamoDBAttributeValue
	SequenceNumber string // the itemIdentifier of a BatchItemFailure
	SizeBytes      int64
	StreamViewType string
	AWSRegion      string
	EventSourceARN string
	// Timestamp is the approximate creation time, in UTC.
	Timestamp time.Time
	Raw       events.DynamoDBEventRecord
}

// TableName returns the table's name from EventSourceARN
// (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/...), or "" when
// the ARN has another shape.
func (r DynamoDBRecord) TableName() string {
	parts := strings.SplitN(r.EventSourceARN, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	name := strings.Split(parts[5], "/")
	if len(name) >= 2 {
		return name[1]
	}
	return ""
}

// ParseDynamoDBEvent decodes a batch of DynamoDB stream records.
func ParseDynamoDBEvent(data []byte) (DynamoDBEvent, error) {
	var e DynamoDBEvent
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		return e, err
	}
	e.Records = make([]DynamoDBRecord, len(e.Raw.Records))
	for i, r := range e.Raw.Records {
		c := r.Change
		e.Records[i] = DynamoDBRecord{
			EventName:      r.EventName,
			EventID:        r.EventID,
			Keys:           c.Keys,
			NewImage:       c.NewImage,
			OldImage:       c.OldImage,
			SequenceNumber: c.SequenceNumber,
			SizeBytes:      c.SizeBytes,
			StreamViewType: c.StreamViewType,
			AWSRegion:      r.AWSRegion,
			EventSourceARN: r.EventSourceArn,
			Timestamp:      c.ApproximateCreationDateTime.UTC().Round(time.Microsecond),
			Raw:            r,
		}
	}
	return e, nil
}

// CloudWatchEvent is an EventBridge (CloudWatch Events) event: what
// cloudwatch_event: and schedule: functions receive.
type CloudWatchEvent struct {
	Version    string
	ID         string
	DetailType string // "Scheduled Event" for schedules
	Source     string // "aws.events" for schedules
	Account    string
	Time       time.Time
	Region     string
	Resources  []string
	// Detail is the event's detail object, undecoded ({} for schedules).
	Detail json.RawMessage
	// Raw is the whole event as decoded JSON.
	Raw map[string]any
}

// DetailAs decodes Detail into v.
func (e CloudWatchEvent) DetailAs(v any) error {
	if len(e.Detail) == 0 {
		return errors.New("chalice: CloudWatch event has no detail")
	}
	return json.Unmarshal(e.Detail, v)
}

// ParseCloudWatchEvent decodes an EventBridge event.
func ParseCloudWatchEvent(data []byte) (CloudWatchEvent, error) {
	var e CloudWatchEvent
	var raw events.CloudWatchEvent
	if err := json.Unmarshal(data, &raw); err != nil {
		return e, err
	}
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		return e, err
	}
	e.Version = raw.Version
	e.ID = raw.ID
	e.DetailType = raw.DetailType
	e.Source = raw.Source
	e.Account = raw.AccountID
	e.Time = raw.Time
	e.Region = raw.Region
	e.Resources = raw.Resources
	e.Detail = raw.Detail
	return e, nil
}

// WebsocketEvent is a websocket API event: what the websocket connect,
// message and disconnect handlers receive.
type WebsocketEvent struct {
	ConnectionID string
	// Body is the message as sent; "" for connect and disconnect.
	Body       string
	RouteKey   string // $connect, $default or $disconnect
	DomainName string
	Stage      string
	// RequestContext has the APIID, EventType, the authorizer's context...
	RequestContext events.APIGatewayWebsocketProxyRequestContext
	Raw            events.APIGatewayWebsocketProxyRequest
}

// JSONBody decodes Body as JSON into v. Unlike Request.JSONBody there is
// no Content-Type to check: a body that does not decode (including an
// empty one) returns &BadRequestError{Message: "Error Parsing JSON"}, as
// Chalice's json_body raises.
func (e WebsocketEvent) JSONBody(v any) error {
	return decodeJSONBody([]byte(e.Body), v)
}

// ParseWebsocketEvent decodes a websocket API event.
func ParseWebsocketEvent(data []byte) (WebsocketEvent, error) {
	var e WebsocketEvent
	if err := json.Unmarshal(data, &e.Raw); err != nil {
		return e, err
	}
	rc := e.Raw.RequestContext
	e.ConnectionID = rc.ConnectionID
	e.Body = e.Raw.Body
	e.RouteKey = rc.RouteKey
	e.DomainName = rc.DomainName
	e.Stage = rc.Stage
	e.RequestContext = rc
	return e, nil
}

// BatchResponse is what sqs, kinesis and dynamodb functions with
// report_batch_item_failures return: the records that failed, to be
// retried; the others are deleted from the queue or checkpointed. An empty
// list means the whole batch succeeded.
type BatchResponse struct {
	BatchItemFailures []BatchItemFailure `json:"batchItemFailures"`
}

// BatchItemFailure names one failed record: the SQS MessageID, or the
// Kinesis/DynamoDB SequenceNumber.
type BatchItemFailure struct {
	ItemIdentifier string `json:"itemIdentifier"`
}

// UnquotePlus decodes s as Python's urllib.parse.unquote_plus: "+" is a
// space, each %XX (hex) is a byte, an invalid escape is kept as it is, and
// the bytes are read as UTF-8 with each invalid byte replaced by U+FFFD.
func UnquotePlus(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r) // RuneError (U+FFFD) for an invalid byte
		b = b[n:]
	}
	return sb.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
