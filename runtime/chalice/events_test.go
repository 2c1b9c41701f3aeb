package chalice

import (
	"testing"
)

func TestUnquotePlus(t *testing.T) {
	// Expected values are Python's urllib.parse.unquote_plus.
	tests := map[string]string{
		"plain.png":                 "plain.png",
		"summer+photo.png":          "summer photo.png",
		"a%2Bb%20c":                 "a+b c",
		"%C3%A9t%C3%A9":             "été",
		"100%":                      "100%",
		"bad%zzescape%4":            "bad%zzescape%4",
		"%E2%82":                    "\ufffd\ufffd",
		"%ff":                       "\ufffd",
		"images/2024/03/IMG+1.jpeg": "images/2024/03/IMG 1.jpeg",
	}
	for in, want := range tests {
		if got := UnquotePlus(in); got != want {
			t.Errorf("UnquotePlus(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDynamoDBTableName(t *testing.T) {
	tests := map[string]string{
		"arn:aws:dynamodb:us-west-2:12345:table/MyTable/stream/2020-09-28T16:49:14.209": "MyTable",
		"arn:aws:dynamodb:us-west-2:12345:table":                                        "",
		"not an arn":                                                                    "",
	}
	for arn, want := range tests {
		if got := (DynamoDBRecord{EventSourceARN: arn}).TableName(); got != want {
			t.Errorf("TableName(%q) = %q; want %q", arn, got, want)
		}
	}
}

func TestParseEvents(t *testing.T) {
	if _, err := ParseS3Event([]byte(`{"Records":[]}`)); err == nil {
		t.Error("S3 event without records")
	}
	if _, err := ParseSNSEvent([]byte(`{}`)); err == nil {
		t.Error("SNS event without records")
	}
	e, err := ParseCloudWatchEvent([]byte(`{"source":"aws.events","time":"2024-01-01T00:00:00Z"}`))
	if err != nil || e.DetailAs(new(any)) == nil {
		t.Errorf("CloudWatch event without detail: %v", err)
	}
	a, err := ParseAuthRequest([]byte(`{"type":"TOKEN","authorizationToken":"t","methodArn":"arn"}`))
	if err != nil || a != (AuthRequest{"TOKEN", "t", "arn"}) {
		t.Errorf("ParseAuthRequest = %+v, %v", a, err)
	}
}

// TestParseS3EventInvalidEscape: a key with a "%" that starts no escape
// decodes as Chalice's unquote_plus does instead of failing the event.
func TestParseS3EventInvalidEscape(t *testing.T) {
	data := []byte(`{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"images/caf%C3%A9+100%+sure.png","size":1}}}]}`)
	e, err := ParseS3Event(data)
	if err != nil {
		t.Fatal(err)
	}
	if e.Key != "images/café 100% sure.png" || e.Bucket != "b" {
		t.Errorf("key %q bucket %q", e.Key, e.Bucket)
	}
	if raw := e.Record.S3.Object.Key; raw != "images/caf%C3%A9+100%+sure.png" {
		t.Errorf("raw key changed: %q", raw)
	}
}
