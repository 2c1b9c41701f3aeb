package sam_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/sam"
)

// TestS3NotificationsChained: the custom resources subscribing functions
// to existing buckets each read-modify-write a bucket's whole notification
// configuration, so none may run alongside another: each depends on the
// previous one in registration order, across buckets (an update moving a
// trigger writes both buckets). The configurations do not overlap, as S3
// requires.
func TestS3NotificationsChained(t *testing.T) {
	app := compile(t, `version: 1
app_name: s3
handlers: ./app
functions:
  on_pdf:
    handler: OnPdf
    s3: {bucket: docs, events: ["s3:ObjectCreated:Put"], prefix: papers/, suffix: .pdf}
  on_image:
    handler: OnImage
    s3: {bucket: media, events: ["s3:ObjectCreated:*"]}
  on_upload:
    handler: OnUpload
    s3: {bucket: docs, events: ["s3:ObjectCreated:*"], prefix: covers/}
  on_remove:
    handler: OnRemove
    s3: {bucket: docs, events: ["s3:ObjectRemoved:*"]}
`)
	res := resources(t, app)
	want := map[string][]string{
		"OnPdfS3Event":    {"OnPdfS3Permission", "S3NotificationHandlerLogPolicy", "S3NotificationHandlerLogGroup"},
		"OnImageS3Event":  {"OnImageS3Permission", "S3NotificationHandlerLogPolicy", "S3NotificationHandlerLogGroup", "OnPdfS3Event"},
		"OnUploadS3Event": {"OnUploadS3Permission", "S3NotificationHandlerLogPolicy", "S3NotificationHandlerLogGroup", "OnImageS3Event"},
		"OnRemoveS3Event": {"OnRemoveS3Permission", "S3NotificationHandlerLogPolicy", "S3NotificationHandlerLogGroup", "OnUploadS3Event"},
	}
	for id, deps := range want {
		if got := dependsOn(res, id); !reflect.DeepEqual(got, deps) {
			t.Errorf("%s DependsOn = %v, want %v", id, got, deps)
		}
	}
	if got := ofType(res, "Custom::S3BucketNotification"); len(got) != len(want) {
		t.Errorf("custom resources %v, want %d", got, len(want))
	}
	// Deterministic: the same app gives the same chain.
	again := resources(t, compile(t, `version: 1
app_name: s3
handlers: ./app
functions:
  on_pdf:
    handler: OnPdf
    s3: {bucket: docs, events: ["s3:ObjectCreated:Put"], prefix: papers/, suffix: .pdf}
  on_image:
    handler: OnImage
    s3: {bucket: media, events: ["s3:ObjectCreated:*"]}
  on_upload:
    handler: OnUpload
    s3: {bucket: docs, events: ["s3:ObjectCreated:*"], prefix: covers/}
  on_remove:
    handler: OnRemove
    s3: {bucket: docs, events: ["s3:ObjectRemoved:*"]}
`))
	for id := range want {
		if !reflect.DeepEqual(dependsOn(res, id), dependsOn(again, id)) {
			t.Errorf("%s: DependsOn differs between two runs", id)
		}
	}
}

// TestS3NotificationHandlerTagsAndLogs: the handler carries the app's
// tags (top level and stage, not another function's lambda_functions
// entry) and a log group whose retention is the app's, else 30 days.
func TestS3NotificationHandlerTagsAndLogs(t *testing.T) {
	const base = `version: 1
app_name: s3
handlers: ./app
tags: {team: media, chalc: mine}
functions:
  on_pdf:
    handler: OnPdf
    s3: {bucket: docs, events: ["s3:ObjectCreated:*"]}
lambda_functions:
  on_pdf:
    tags: {only: on_pdf}
    log_retention_in_days: 7
stages:
  prod:
    tags: {env: prod}
`
	for _, tc := range []struct {
		name, extra, stage string
		tags               map[string]any
		retention          string
	}{
		{"default retention", "", "dev",
			map[string]any{"team": "media", "chalc": "stage=dev:app=s3"}, "30"},
		{"the app's retention", "log_retention_in_days: 90\n", "prod",
			map[string]any{"team": "media", "env": "prod", "chalc": "stage=prod:app=s3"}, "90"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, ds := manifest.Parsed("chalice.yaml", []byte(base+tc.extra))
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			app, cds := compiler.Compile(set, compiler.Options{Stage: tc.stage})
			if app == nil {
				t.Fatal(cds)
			}
			res := resources(t, app)
			if got := props(t, res, sam.IDS3NotificationHandler)["Tags"]; !reflect.DeepEqual(got, tc.tags) {
				t.Errorf("handler tags = %v, want %v", got, tc.tags)
			}
			lg := props(t, res, sam.IDS3NotificationHandlerLogGroup)
			if got := fmt.Sprint(lg["RetentionInDays"]); got != tc.retention {
				t.Errorf("handler log retention = %v, want %s", got, tc.retention)
			}
			if got, want := lg["LogGroupName"], map[string]any{"Fn::Sub": "/aws/lambda/${S3NotificationHandler}"}; !reflect.DeepEqual(got, want) {
				t.Errorf("handler log group name = %v, want %v", got, want)
			}
			// Least privilege unchanged: the handler's role touches only
			// the buckets' notification configuration.
			pol := props(t, res, sam.IDS3NotificationHandlerRole)["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)
			st := pol["Statement"].([]any)
			if len(st) != 1 || !reflect.DeepEqual(st[0].(map[string]any)["Action"], []any{"s3:GetBucketNotification", "s3:PutBucketNotification"}) {
				t.Errorf("handler role statements = %v", st)
			}
		})
	}
}
