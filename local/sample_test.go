package local

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
	"github.com/chalc-dev/chalc/project"
)

// TestSampleEvent: every function of the events example gets a sample
// of its trigger that names its own source.
func TestSampleEvent(t *testing.T) {
	c, err := project.Check(project.Options{Dir: "../testdata/apps/events", SkipGo: gomodel.All})
	if err != nil || c.Diagnostics.HasErrors() {
		t.Fatalf("%v %v", err, c.Diagnostics)
	}
	got := map[string]string{}
	for _, f := range c.App.Functions {
		ev, ok := SampleEvent(c.App, f)
		if !ok {
			t.Fatalf("%s: no sample", f.Name)
		}
		got[f.Name] = string(ev)
	}
	var cw events.CloudWatchEvent
	if err := json.Unmarshal([]byte(got["on_ec2"]), &cw); err != nil || cw.Source != "aws.ec2" ||
		cw.DetailType != "EC2 Instance State-change Notification" || string(cw.Detail) != `{"state":"running"}` {
		t.Errorf("on_ec2: %s", got["on_ec2"])
	}
	for name, want := range map[string]string{
		"every_hour": `"resources":["arn:aws:events:us-west-2:123456789012:rule/events-dev-every_hour"]`,
		"on_upload":  `"key":"images/sample.png"`,
		"on_note":    `"TopicArn":"arn:aws:sns:us-west-2:123456789012:notes"`,
		"on_alarm":   `"TopicArn":"arn:aws:sns:us-east-1:123456789012:alarms"`,
		"on_job":     `"eventSourceARN":"arn:aws:sqs:us-west-2:123456789012:jobs"`,
		"on_order":   `"eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders.fifo"`,
		"on_click":   `"eventSourceARN":"arn:aws:kinesis:us-west-2:123456789012:stream/clicks"`,
		"on_change":  `"eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2020-01-01T00:00:00.000"`,
		"echo":       `{}`,
	} {
		if !strings.Contains(got[name], want) {
			t.Errorf("%s: %s lacks %s", name, got[name], want)
		}
	}
}
