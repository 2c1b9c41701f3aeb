package sam_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestResourceReferences: a trigger naming a merge template's resource
// refers to it in its event (Ref for a bucket or a topic, the ARN
// attribute for a queue, a stream or a table's stream), and the role is
// allowed on those ARNs; an environment variable written as an intrinsic
// is that intrinsic in the template, and a plain string stays a string.
func TestResourceReferences(t *testing.T) {
	app := compile(t, `version: 1
app_name: refs
functions:
  on_upload: {handler: F, s3: {bucket_resource: Uploads, prefix: in/}}
  on_note: {handler: F, sns: {topic_resource: Notes}}
  on_job: {handler: F, sqs: {queue_resource: Jobs}}
  on_click: {handler: F, kinesis: {stream_resource: Clicks}}
  on_change: {handler: F, dynamodb: {stream_resource: Music}}
environment_variables:
  TABLE: !Ref Music
  QUEUE_URL: {Ref: Jobs}
  QUEUE_ARN: !GetAtt Jobs.Arn
  SITE: !Sub "https://${Site}.s3.${AWS::Region}.amazonaws.com"
  PLAIN: '{"Ref": "Music"}'
`)
	res := resources(t, app)
	source := func(fn, ev, prop string) string {
		e := props(t, res, fn)["Events"].(map[string]any)[ev].(map[string]any)["Properties"].(map[string]any)
		b, _ := json.Marshal(e[prop])
		return string(b)
	}
	for _, c := range []struct{ fn, ev, prop, want string }{
		{"OnUpload", "OnUploadS3Event", "Bucket", `{"Ref":"Uploads"}`},
		{"OnNote", "OnNoteSnsSubscription", "Topic", `{"Ref":"Notes"}`},
		{"OnJob", "OnJobSqsEventSource", "Queue", `{"Fn::GetAtt":["Jobs","Arn"]}`},
		{"OnClick", "OnClickKinesisEventSource", "Stream", `{"Fn::GetAtt":["Clicks","Arn"]}`},
		{"OnChange", "OnChangeDynamodbEventSource", "Stream", `{"Fn::GetAtt":["Music","StreamArn"]}`},
	} {
		if got := source(c.fn, c.ev, c.prop); got != c.want {
			t.Errorf("%s %s = %s, want %s", c.fn, c.prop, got, c.want)
		}
	}
	vars, _ := json.Marshal(props(t, res, "OnJob")["Environment"])
	want := `{"Variables":{"PLAIN":"{\"Ref\": \"Music\"}","QUEUE_ARN":{"Fn::GetAtt":["Jobs","Arn"]},"QUEUE_URL":{"Ref":"Jobs"},` +
		`"SITE":{"Fn::Sub":"https://${Site}.s3.${AWS::Region}.amazonaws.com"},"TABLE":{"Ref":"Music"}}}`
	if string(vars) != want {
		t.Errorf("environment\n got %s\nwant %s", vars, want)
	}
	policy, _ := json.Marshal(props(t, res, "DefaultRole")["Policies"])
	for _, scoped := range []string{
		`"Resource":[{"Fn::GetAtt":["Jobs","Arn"]}]`,
		`"Resource":[{"Fn::GetAtt":["Clicks","Arn"]}]`,
		`"Resource":[{"Fn::GetAtt":["Music","StreamArn"]}]`,
		`"Resource":[{"Fn::Sub":"${Music.Arn}/stream/*"}]`,
	} {
		if !strings.Contains(string(policy), scoped) {
			t.Errorf("the role's policy lacks %s:\n%s", scoped, policy)
		}
	}
}
