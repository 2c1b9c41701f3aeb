package app_test

import (
	"reflect"
	"testing"

	"example.com/events/app"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// invoke calls a function with an event and decodes what it returned.
func invoke(t *testing.T, c *chalicetest.Client, name string, event any) app.Seen {
	t.Helper()
	res, err := c.Lambda.Invoke(name, event)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var s app.Seen
	if err := res.JSON(&s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func TestEvents(t *testing.T) {
	c := chalicetest.New(t, app.App())
	ev := c.Events
	tests := []struct {
		name  string
		event any
		want  app.Seen
	}{
		{"every_hour", ev.Schedule(), app.Seen{Kind: "schedule", Values: []string{"Scheduled Event", "aws.events", "traced"}}},
		{"on_ec2", ev.CloudWatch("EC2 Instance State-change Notification", "aws.ec2", map[string]string{"instance-id": "i-1", "state": "running"}),
			app.Seen{Kind: "cloudwatch", Values: []string{"aws.ec2", "i-1", "running", "traced"}}},
		{"on_upload", ev.S3("events-uploads", "images/cat 1.png"), app.Seen{Kind: "s3", Values: []string{"events-uploads", "images/cat 1.png", "traced"}}},
		{"on_note", ev.SNS("hello", "greeting"), app.Seen{Kind: "sns", Values: []string{"greeting", "hello", "traced"}}},
		{"on_order", ev.SQS("a", "b"), app.Seen{Kind: "sqs", Values: []string{"a", "b", "traced"}}},
		// The sqs middleware answers for a test batch; the handler never runs.
		{"on_order", ev.SQS("test", "b"), app.Seen{Kind: "skipped", Values: []string{"traced"}}},
		{"on_click", ev.Kinesis([]byte("buy"), []byte("sell")), app.Seen{Kind: "kinesis", Values: []string{"buy", "sell", "traced"}}},
	}
	for _, tt := range tests {
		if got := invoke(t, c, tt.name, tt.event); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %+v; want %+v", tt.name, got, tt.want)
		}
	}
	// A failing batch is the function's error, as Lambda reports it.
	if _, err := c.Lambda.Invoke("on_order", ev.SQS("boom")); err == nil || err.Error() != "order boom cannot be processed" {
		t.Errorf("on_order boom: %v", err)
	}
}

// TestBatchItemFailures: report_batch_item_failures functions name the
// records to retry.
func TestBatchItemFailures(t *testing.T) {
	c := chalicetest.New(t, app.App())
	res, err := c.Lambda.Invoke("on_job", c.Events.SQS(`{"job": 1}`, "fail: disk full", `{"job": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	failed, err := res.BatchItemFailures()
	if err != nil || !reflect.DeepEqual(failed, []string{"059f36b4-87a3-44ab-83d2-000000000002"}) {
		t.Errorf("on_job failures %v (%v): %s", failed, err, res)
	}
	res, err = c.Lambda.Invoke("on_change", c.Events.DynamoDB("Users",
		chalicetest.DynamoDBChange{Keys: map[string]any{"id": "1"}, NewImage: map[string]any{"id": "1"}},
		chalicetest.DynamoDBChange{Keys: map[string]any{"id": "2"}, OldImage: map[string]any{"id": "2"}},
	))
	if err != nil {
		t.Fatal(err)
	}
	if failed, err := res.BatchItemFailures(); err != nil || len(failed) != 1 {
		t.Errorf("on_change failures %v (%v): %s", failed, err, res)
	}
	// A batch that succeeds reports none (null, which Lambda reads as success).
	res, _ = c.Lambda.Invoke("on_job", c.Events.SQS("ok"))
	if failed, err := res.BatchItemFailures(); err != nil || len(failed) != 0 || res.String() != `{"batchItemFailures":null}` {
		t.Errorf("on_job all ok: %v %v %s", failed, err, res)
	}
}
