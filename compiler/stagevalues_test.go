package compiler

import (
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

const stageApp = `version: 1
app_name: shop
api:
  cors: {allow_origin: "${env:ORIGIN}", allow_headers: ["X-${app_name}"], max_age: "${env:MAX_AGE}"}
routes:
  /items:
    GET: {handler: List, authorizer: users}
    POST: {handler: Add, authorizer: jwt}
authorizers:
  users: {type: cognito_user_pool, provider_arns: ["${env:USER_POOL}"]}
  jwt: {type: builtin, handler: Check, header: "${env:AUTH_HEADER}", ttl_seconds: "${env:AUTH_TTL}"}
functions:
  on_upload:
    handler: OnUpload
    s3: {bucket: "${app_name}-${stage}-uploads", prefix: "$${literal}/"}
  on_note:
    handler: OnNote
    sns: {topic: "${env:TOPIC}"}
  on_event:
    handler: OnEvent
    cloudwatch_event: {event_pattern: {source: [aws.s3], detail: {bucket: {name: ["${env:BUCKET}"]}}}}
  nightly:
    handler: Nightly
    schedule: "${env:SCHEDULE}"
layers: ["arn:aws:lambda:us-west-2:123456789012:layer:deps:${env:DEPS_VERSION}"]
tags: {env: "${stage}"}
environment_variables: {MAX_AGE: "600", AUTH_HEADER: X-Token, AUTH_TTL: "60", SCHEDULE: rate(1 hour), DEPS_VERSION: "3"}
lambda_functions:
  on_note:
    environment_variables: {TOPIC: notes-shared}
stages:
  dev:
    environment_variables: {ORIGIN: "http://localhost:3000", USER_POOL: "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_dev", BUCKET: dev-bucket}
  prod:
    api_gateway_custom_domain: {domain_name: "api.${env:DOMAIN}", certificate_arn: "${env:CERT}"}
    environment_variables: {ORIGIN: "https://shop.example.com", USER_POOL: "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_prod",
                            BUCKET: prod-bucket, DOMAIN: example.com, CERT: "arn:aws:acm:us-east-1:123456789012:certificate/abc", AUTH_TTL: "300"}
    lambda_functions:
      on_note:
        environment_variables: {TOPIC: "arn:aws:sns:us-west-2:123456789012:notes-prod"}
`

func compileStage(t *testing.T, src, stage string, check ...string) (*App, diag.Diagnostics) {
	t.Helper()
	set, ds := manifest.Parsed("chalice.yaml", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return Compile(set, Options{Stage: stage, CheckStages: check})
}

// TestStageValues: the App of each stage holds that stage's values, and
// the routes' CORS and the authorizers' headers keep every stage's for
// the generated code.
func TestStageValues(t *testing.T) {
	for _, stage := range []string{"dev", "prod"} {
		app, ds := compileStage(t, stageApp, stage, "dev", "prod")
		if app == nil {
			t.Fatalf("%s: %v", stage, ds)
		}
		fn := map[string]*Function{}
		for _, f := range app.Functions {
			fn[f.Name] = f
		}
		want := map[string]string{
			"cors origin":  map[string]string{"dev": "http://localhost:3000", "prod": "https://shop.example.com"}[stage],
			"cors headers": "X-shop",
			"pool":         map[string]string{"dev": "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_dev", "prod": "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_prod"}[stage],
			"bucket":       "shop-" + stage + "-uploads",
			"prefix":       "${literal}/",
			"topic":        map[string]string{"dev": "notes-shared", "prod": "arn:aws:sns:us-west-2:123456789012:notes-prod"}[stage],
			"pattern":      stage + "-bucket",
			"schedule":     "rate(1 hour)",
			"layer":        "arn:aws:lambda:us-west-2:123456789012:layer:deps:3",
			"tag":          stage,
			"header":       "X-Token",
		}
		au := app.Authorizers
		got := map[string]string{
			"cors origin":  app.Routes[0].CORS.AllowOrigin,
			"cors headers": strings.Join(app.Routes[0].CORS.AllowHeaders, ","),
			"pool":         au[0].ProviderARNs[0],
			"bucket":       fn["on_upload"].S3.Bucket,
			"prefix":       fn["on_upload"].S3.Prefix,
			"topic":        fn["on_note"].SNS.Topic,
			"pattern":      fn["on_event"].CloudWatch.EventPattern.(map[string]any)["detail"].(map[string]any)["bucket"].(map[string]any)["name"].([]any)[0].(string),
			"schedule":     fn["nightly"].Schedule.Expression,
			"layer":        fn["nightly"].Config.Layers.V[0],
			"tag":          fn["nightly"].Config.Tags[0].Value,
			"header":       au[1].Header,
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: %s = %q, want %q", stage, k, got[k], w)
			}
		}
		if ttl := *au[1].TTLSeconds; ttl != map[string]int{"dev": 60, "prod": 300}[stage] {
			t.Errorf("%s: ttl %d", stage, ttl)
		}
		if age := *app.Routes[0].CORS.MaxAge; age != 600 {
			t.Errorf("%s: max_age %d", stage, age)
		}
		if sc := app.Routes[1].StageCORS; sc["dev"].AllowOrigin != "http://localhost:3000" || sc["prod"].AllowOrigin != "https://shop.example.com" {
			t.Errorf("%s: StageCORS %+v %+v", stage, sc["dev"], sc["prod"])
		}
		if stage == "prod" {
			if d := app.Stage.APICustomDomain; d.DomainName.V != "api.example.com" || d.CertificateARN.V != "arn:aws:acm:us-east-1:123456789012:certificate/abc" {
				t.Errorf("domain %q %q", d.DomainName.V, d.CertificateARN.V)
			}
		}
	}
}

// TestStageValueChecks: a value is checked as each stage expands it, in
// the stages checked; a placeholder that does not expand is an error in
// every stage.
func TestStageValueChecks(t *testing.T) {
	src := strings.Replace(stageApp, "BUCKET: prod-bucket", "BUCKET: prod-bucket, SCHEDULE: rate(1 hours)", 1)
	// dev alone: prod's schedule is not checked.
	if app, ds := compileStage(t, src, "dev"); app == nil {
		t.Fatalf("dev: %v", ds)
	}
	_, ds := compileStage(t, src, "dev", "dev", "prod")
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `"rate(1 hours)"`) || ds[0].Subject.String() != "chalice.yaml:24:15" {
		t.Fatalf("want prod's schedule reported at the placeholder, got %v", ds)
	}
	if n := ds[0].Notes; len(n) != 1 || n[0].Message != `in stage prod, "${env:SCHEDULE}" is "rate(1 hours)"` {
		t.Errorf("notes %+v", n)
	}
	// A name prod lacks fails dev's package too.
	src = strings.Replace(stageApp, "BUCKET: prod-bucket,", "", 1)
	_, ds = compileStage(t, src, "dev")
	if len(ds) != 1 || ds[0].Code != diag.PlaceholderUndefined ||
		ds[0].Message != "environment variable BUCKET is not set for on_event in stage prod; it is set in stage dev" {
		t.Fatalf("got %v", ds)
	}
}

// TestTemplateReferences: with the merge templates known, a *_resource
// names a resource of the right type, and an environment variable's
// intrinsic names what the template defines.
func TestTemplateReferences(t *testing.T) {
	src := `version: 1
app_name: shop
routes:
  /: {GET: Index}
functions:
  on_upload: {handler: OnUpload, s3: {bucket_resource: Uploads}}
  on_note: {handler: OnNote, sns: {topic_resource: Notes}}
  on_job: {handler: OnJob, sqs: {queue_resource: Jobs, batch_size: 20, maximum_batching_window_in_seconds: 1}}
  on_click: {handler: OnClick, kinesis: {stream_resource: Clicks}}
  on_change: {handler: OnChange, dynamodb: {stream_resource: Music}}
environment_variables:
  TABLE: !Ref Musik
  QUEUE_URL: !Ref Jobs
  API: !Sub "https://${RestAPI}.execute-api.${AWS::Region}.amazonaws.com/${Stage}"
  ARN: !GetAtt APIHandler.Arn
`
	tmpl := map[string]any{
		"Parameters": map[string]any{"Stage": map[string]any{"Type": "String"}},
		"Resources": map[string]any{
			"Uploads": map[string]any{"Type": "AWS::S3::Bucket"},
			"Notes":   map[string]any{"Type": "AWS::SQS::Queue"},
			"Jobs":    map[string]any{"Type": "AWS::SQS::Queue", "Properties": map[string]any{"FifoQueue": true}},
			"Click":   map[string]any{"Type": "AWS::Kinesis::Stream"},
			"Music":   map[string]any{"Type": "AWS::DynamoDB::Table", "Properties": map[string]any{}},
		},
	}
	set, pds := manifest.Parsed("chalice.yaml", []byte(src))
	if pds.HasErrors() {
		t.Fatal(pds)
	}
	at := func(path ...string) diag.Range {
		return diag.Range{Filename: "resources.yaml", Start: diag.Pos{Line: 1, Column: 1}}
	}
	_, ds := Compile(set, Options{Templates: &MergeTemplates{Value: tmpl, Names: []string{"resources.yaml"}, KeyAt: at}})
	var got []string
	for _, d := range ds {
		line := d.Subject.String() + ": " + d.Message
		for _, h := range d.Hints {
			line += " | " + h
		}
		got = append(got, line)
	}
	want := []string{
		"chalice.yaml:7:52: topic_resource Notes is an AWS::SQS::Queue, not an AWS::SNS::Topic",
		"chalice.yaml:8:50: queue Jobs has a visibility timeout of 30 s (the default), shorter than function on_job's timeout of 60 s: Lambda refuses to read it | set VisibilityTimeout to 60 or more in its Properties (AWS advises six times the function's timeout), or lower lambda_timeout",
		"chalice.yaml:8:68: batch_size 20 is too large for a FIFO queue; the limit is 10 | use batch_size: 10 or less",
		"chalice.yaml:9:59: stream_resource Clicks is not a resource of the merge templates | did you mean Click? (defined in resources.yaml)",
		"chalice.yaml:10:62: table Music has no stream: its StreamSpecification is not set | add StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES} to its Properties",
		"chalice.yaml:12:10: environment variable TABLE: Ref names Musik, which is not a resource, parameter or pseudo parameter of the template | did you mean Music?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
