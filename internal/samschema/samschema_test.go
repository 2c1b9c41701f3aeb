package samschema

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// The adapted schema is compiled once per test binary by Validate's
// sync.OnceValues (~4 s on a 2-core machine); every test shares it. mustLoad
// pays for it in the first test that needs it and logs the time.
func mustLoad(t testing.TB) {
	t.Helper()
	start := time.Now()
	if _, err := load(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Logf("compiled the adapted SamSchema in %v", d.Round(time.Millisecond))
	}
}

// validTemplate uses intrinsic functions everywhere a chalc template does
// (and a few more), the SAM properties the adapter adds, and both forms of
// EndpointConfiguration.
const validTemplate = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Transform": "AWS::Serverless-2016-10-31",
  "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
  "Resources": {
    "DefaultRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
        "Policies": [{
          "PolicyName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "logs"]]},
          "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "logs:*",
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"}}]}
        }]
      }
    },
    "Worker": {
      "Type": "AWS::Serverless::Function",
      "Properties": {
        "CodeUri": "./deployment.zip",
        "Handler": "worker",
        "Runtime": "provided.al2023",
        "Architectures": ["x86_64"],
        "MemorySize": {"Fn::If": ["IsProd", 1024, 256]},
        "Timeout": 60,
        "Role": {"Fn::GetAtt": ["DefaultRole", "Arn"]},
        "Layers": [{"Ref": "SharedLayer"}, "arn:aws:lambda:us-east-1:123456789012:layer:x:1"],
        "Tags": {"stage": {"Ref": "Stage"}},
        "Environment": {"Variables": {
          "TABLE": {"Ref": "Table"},
          "QUEUE_URL": {"Fn::Sub": ["https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${Name}",
            {"Name": {"Fn::GetAtt": "Queue.QueueName"}}]},
          "PLAIN": "x"
        }},
        "Events": {
          "Queue": {"Type": "SQS", "Properties": {
            "Queue": {"Fn::GetAtt": ["Queue", "Arn"]}, "BatchSize": 10,
            "MaximumBatchingWindowInSeconds": 5, "ScalingConfig": {"MaximumConcurrency": 5},
            "FunctionResponseTypes": ["ReportBatchItemFailures"]}},
          "Stream": {"Type": "Kinesis", "Properties": {
            "Stream": {"Fn::Sub": "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s"},
            "StartingPosition": "LATEST", "BatchSize": 100, "MaximumBatchingWindowInSeconds": 0,
            "FunctionResponseTypes": ["ReportBatchItemFailures"]}},
          "Table": {"Type": "DynamoDB", "Properties": {
            "Stream": {"Fn::GetAtt": ["Table", "StreamArn"]}, "StartingPosition": "TRIM_HORIZON",
            "BatchSize": 10, "MaximumBatchingWindowInSeconds": 2,
            "FunctionResponseTypes": ["ReportBatchItemFailures"]}},
          "Topic": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Topic"}}},
          "Hourly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 hour)", "Description": "hourly"}},
          "Ec2": {"Type": "CloudWatchEvent", "Properties": {"Pattern": {"source": ["aws.ec2"]}}},
          "Upload": {"Type": "S3", "Properties": {"Bucket": {"Ref": "Bucket"}, "Events": "s3:ObjectCreated:*",
            "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}]}}}}
        }
      }
    },
    "Bucket": {"Type": "AWS::S3::Bucket"},
    "RestAPI": {
      "Type": "AWS::Serverless::Api",
      "Properties": {
        "StageName": "api",
        "EndpointConfiguration": "EDGE",
        "DefinitionBody": {"swagger": "2.0", "paths": {"/": {"get": {"x-amazon-apigateway-integration": {
          "uri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Worker.Arn}/invocations"}}}}}}
      }
    },
    "PrivateAPI": {
      "Type": "AWS::Serverless::Api",
      "Properties": {"StageName": {"Ref": "Stage"}, "EndpointConfiguration": {"Type": "PRIVATE"}}
    },
    "WorkerInvokePermission": {
      "Type": "AWS::Lambda::Permission",
      "Properties": {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "Worker"},
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestAPI}/*"}
      }
    },
    "Setup": {"Type": "Custom::Setup", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Worker", "Arn"]}, "Any": 1}}
  },
  "Outputs": {
    "WorkerArn": {"Value": {"Fn::GetAtt": ["Worker", "Arn"]}},
    "EndpointURL": {"Value": {"Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api/"}}
  }
}`

func TestValidTemplate(t *testing.T) {
	mustLoad(t)
	start := time.Now()
	err := Validate([]byte(validTemplate))
	t.Logf("validated in %v", time.Since(start).Round(time.Microsecond))
	if err != nil {
		t.Fatalf("valid template rejected:\n%v", err)
	}
}

// TestSamples validates real templates: chalc's output for a REST app and
// Chalice 1.33's own `chalice package` outputs (copied from
// /work/shared/chalice-reference/*/sam.json; they write EndpointConfiguration
// as the string "EDGE").
func TestSamples(t *testing.T) {
	mustLoad(t)
	files, err := filepath.Glob(filepath.Join("testdata", "*.sam.json"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := filepath.Glob(filepath.Join("testdata", "chalice-reference", "*.sam.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || len(ref) < 5 {
		t.Fatalf("missing samples: %v %v", files, ref)
	}
	for _, f := range append(files, ref...) {
		t.Run(strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(f, "testdata"+string(filepath.Separator))), ".sam.json"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := Validate(data); err != nil {
				t.Errorf("%s:\n%v", f, err)
			}
		})
	}
}

// TestViolations pins the reported pointers and messages. Each case edits
// validTemplate at a JSON pointer.
func TestViolations(t *testing.T) {
	mustLoad(t)
	const fn = "/Resources/Worker"
	const props = fn + "/Properties"
	const events = props + "/Events"
	tests := []struct {
		name  string
		edits map[string]string // JSON pointer → JSON value ("" deletes)
		want  string
	}{
		{
			name:  "misspelt property",
			edits: map[string]string{props + "/MemorySzie": `128`},
			want:  props + `/MemorySzie: unknown property; did you mean "MemorySize"?`,
		},
		{
			name:  "string for a number",
			edits: map[string]string{props + "/Timeout": `"sixty"`},
			want:  props + `/Timeout: got string, want number`,
		},
		{
			name:  "string for a list",
			edits: map[string]string{props + "/Layers": `"arn"`},
			want:  props + `/Layers: got string, want array`,
		},
		{
			name:  "number for a list item",
			edits: map[string]string{props + "/Layers/1": `3`},
			want:  props + `/Layers/1: got number, want string`,
		},
		{
			name:  "string for an object",
			edits: map[string]string{props + "/Environment": `"TABLE=x"`},
			want:  props + `/Environment: got string, want object`,
		},
		{
			name:  "custom resource without a ServiceToken",
			edits: map[string]string{"/Resources/Notify": `{"Type": "Custom::S3BucketNotification", "Properties": {"Bucket": "b"}}`},
			want:  `/Resources/Notify/Properties: missing required property "ServiceToken"`,
		},
		{
			name:  "misspelt resource type",
			edits: map[string]string{fn + "/Type": `"AWS::Serverless::Functoin"`},
			want:  fn + `/Type: unknown resource type "AWS::Serverless::Functoin"; did you mean "AWS::Serverless::Function"?`,
		},
		{
			name:  "unknown resource type",
			edits: map[string]string{"/Resources/Bucket/Type": `"AWS::Nope::Thing"`},
			want:  `/Resources/Bucket/Type: unknown resource type "AWS::Nope::Thing"`,
		},
		{
			name:  "logical ID not alphanumeric",
			edits: map[string]string{"/Resources/My-Bucket": `{"Type": "AWS::S3::Bucket"}`},
			want:  `/Resources/My-Bucket: property name does not match ^[a-zA-Z0-9]+$`,
		},
		{
			name:  "resource without Type",
			edits: map[string]string{"/Resources/Bucket/Type": ``},
			want:  `/Resources/Bucket: missing required property "Type"`,
		},
		{
			name:  "misspelt nested property",
			edits: map[string]string{props + "/Environment": `{"Variablez": {"A": "b"}}`},
			want: props + `/Environment: missing required property "Variables"` + "\n" +
				props + `/Environment/Variablez: unknown property; did you mean "Variables"?`,
		},
		{
			name:  "wrong type in a map value",
			edits: map[string]string{props + "/Environment/Variables/PLAIN": `["x"]`},
			want:  props + `/Environment/Variables/PLAIN: got array, want string`,
		},
		{
			name:  "misspelt property of an added SQS property",
			edits: map[string]string{events + "/Queue/Properties/ScalingConfig": `{"MaximumConcurency": 5}`},
			want:  events + `/Queue/Properties/ScalingConfig/MaximumConcurency: unknown property; did you mean "MaximumConcurrency"?`,
		},
		{
			name: "SQS event properties checked as SQS, not as any event",
			edits: map[string]string{
				events + "/Queue/Properties": `{"Stream": "arn", "StartingPosition": "LATEST"}`,
			},
			want: events + `/Queue/Properties: missing required property "Queue"` + "\n" +
				events + `/Queue/Properties/StartingPosition: unknown property` + "\n" +
				events + `/Queue/Properties/Stream: unknown property`,
		},
		{
			name:  "unknown event type",
			edits: map[string]string{events + "/Queue/Type": `"SQSS"`},
			want:  events + `/Queue/Type: unknown event type "SQSS"; did you mean "SQS"?`,
		},
		{
			name:  "event type SAM has but the schema does not",
			edits: map[string]string{events + "/Queue/Type": `"MSK"`},
			want: events + `/Queue/Type: unknown event type "MSK"; want one of AlexaSkill, Api, CloudWatchEvent, ` +
				`CloudWatchLogs, Cognito, DynamoDB, EventBridgeRule, HttpApi, IoTRule, Kinesis, S3, SNS, SQS, Schedule`,
		},
		{
			name:  "intrinsic where SAM needs a literal event",
			edits: map[string]string{events + "/Queue": `{"Ref": "Queue"}`},
			want: events + `/Queue: missing required property "Properties"` + "\n" +
				events + `/Queue: missing required property "Type"` + "\n" +
				events + `/Queue/Ref: unknown property`,
		},
		{
			name:  "endpoint type string",
			edits: map[string]string{"/Resources/RestAPI/Properties/EndpointConfiguration": `"EDGY"`},
			want:  `/Resources/RestAPI/Properties/EndpointConfiguration: value must be one of 'EDGE', 'REGIONAL', 'PRIVATE'`,
		},
		{
			name:  "endpoint type object",
			edits: map[string]string{"/Resources/RestAPI/Properties/EndpointConfiguration": `{"Types": ["EDGE"]}`},
			want:  `/Resources/RestAPI/Properties/EndpointConfiguration/Types: unknown property; did you mean "Type"?`,
		},
		{
			name:  "misspelt intrinsic function",
			edits: map[string]string{props + "/Role": `{"Fn::GetAtr": ["DefaultRole", "Arn"]}`},
			want:  props + `/Role/Fn::GetAtr: unknown property; did you mean "Fn::GetAtt"?`,
		},
		{
			name:  "Fn::Sub list without variables",
			edits: map[string]string{props + "/Role": `{"Fn::Sub": ["arn:${AWS::Partition}:iam::role/x"]}`},
			want:  props + `/Role/Fn::Sub: minItems: got 1, want 2`,
		},
		{
			name:  "Fn::GetAtt string without attribute",
			edits: map[string]string{props + "/Role": `{"Fn::GetAtt": "DefaultRole"}`},
			want:  props + `/Role/Fn::GetAtt: 'DefaultRole' does not match pattern '^[A-Za-z0-9]+\\..+$'`,
		},
		{
			name:  "two intrinsic functions in one object",
			edits: map[string]string{props + "/Role": `{"Ref": "R", "Fn::Sub": "x"}`},
			want:  props + `/Role: got object, want string`,
		},
		{
			name:  "intrinsic for the resource type",
			edits: map[string]string{"/Resources/Bucket/Type": `{"Ref": "T"}`},
			want:  `/Resources/Bucket/Type: got object, want string`,
		},
		{
			name: "several violations, sorted",
			edits: map[string]string{
				props + "/Timeout":  `"sixty"`,
				props + "/Handler":  ``,
				"/Resources/Bucket": `{"Type": "AWS::S3::Bucket", "Properties": {"BucketNme": "b"}}`,
			},
			want: `/Resources/Bucket/Properties/BucketNme: unknown property; did you mean "BucketName"?` + "\n" +
				props + `/Timeout: got string, want number`,
		},
		{
			name:  "template without Resources",
			edits: map[string]string{"/Resources": ``},
			want:  `(root): missing required property "Resources"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := edit(t, validTemplate, tt.edits)
			err := Validate(tmpl)
			var verr *Error
			if !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want an *Error", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestConcurrentValidate: other packages' tests may call Validate from
// parallel tests (meaningful under -race).
func TestConcurrentValidate(t *testing.T) {
	mustLoad(t)
	bad := edit(t, validTemplate, map[string]string{"/Resources/Worker/Properties/Timeout": `"sixty"`})
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			if i%2 == 0 {
				errs <- Validate([]byte(validTemplate))
			} else if err := Validate(bad); err == nil {
				errs <- errors.New("invalid template accepted")
			} else {
				errs <- nil
			}
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestNotJSON(t *testing.T) {
	mustLoad(t)
	err := Validate([]byte(`{"Resources": `))
	var verr *Error
	if err == nil || errors.As(err, &verr) || !strings.Contains(err.Error(), "not JSON") {
		t.Fatalf("Validate(truncated) = %v, want a JSON error", err)
	}
}

// TestBundledSchemaRejectsIntrinsics pins the FACTS.md entry the adapter
// exists for: goformation's SamSchema as shipped (compiled by compileDoc,
// whose ids and absolute $refs do not change its meaning) calls a Ref an
// invalid type, so no real template validates against it.
func TestBundledSchemaRejectsIntrinsics(t *testing.T) {
	raw, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.SamSchema))
	if err != nil {
		t.Fatal(err)
	}
	sch, err := compileDoc(raw.(map[string]any))
	if err != nil {
		t.Fatal(err)
	}

	literal := `{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": {"Type": "AWS::Serverless::Function",
		"Properties": {"Handler": "h", "Runtime": "provided.al2023", "CodeUri": "./x.zip", "Role": "arn:aws:iam::1:role/r"}}}}`
	withRef := strings.Replace(literal, `"arn:aws:iam::1:role/r"`, `{"Ref": "RoleArn"}`, 1)
	for _, tc := range []struct {
		tmpl  string
		valid bool
	}{{literal, true}, {withRef, false}} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.tmpl))
		if err != nil {
			t.Fatal(err)
		}
		err = sch.Validate(inst)
		if (err == nil) != tc.valid {
			t.Errorf("bundled schema on %s: err = %v, want valid=%v", tc.tmpl, err, tc.valid)
		}
		if err != nil && !strings.Contains(err.Error(), "got object, want string") {
			t.Errorf("bundled schema rejected the Ref with %v, want an invalid type", err)
		}
	}
}

// TestExtensionsAreMissingUpstream documents why each extension exists: the
// adapter refuses one the bundled schema already has (so an upgrade that
// catches up fails here), and each has a reason.
func TestExtensionsAreMissingUpstream(t *testing.T) {
	raw, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.SamSchema))
	if err != nil {
		t.Fatal(err)
	}
	defs := raw.(map[string]any)["definitions"].(map[string]any)
	for _, e := range extensions {
		spec := samSpec
		at := []string{e.definition, "properties"}
		if e.resource {
			// A CloudFormation resource's property: the CloudFormation
			// template reference defines it.
			spec = cfnSpec
			at = []string{e.definition, "properties", "Properties", "properties"}
		}
		if !strings.HasPrefix(e.reason, spec) {
			t.Errorf("extension %s.%s: reason %q does not cite %s", e.definition, e.property, e.reason, spec)
		}
		props, ok := objectField(defs, at...)
		if !ok {
			t.Errorf("extension %s.%s: no such definition", e.definition, e.property)
		} else if _, ok := props[e.property]; ok {
			t.Errorf("extension %s.%s: the bundled schema has it", e.definition, e.property)
		}
	}
	// Adapting a schema that has the property must fail.
	props, _ := objectField(defs, "AWS::Serverless::Function.SQSEvent", "properties")
	props["ScalingConfig"] = map[string]any{"type": "object"}
	if _, err := adapt(raw.(map[string]any)); err == nil || !strings.Contains(err.Error(), "drop the extension") {
		t.Errorf("adapt with an upstream ScalingConfig: err = %v, want drop the extension", err)
	}
}

func BenchmarkValidate(b *testing.B) {
	mustLoad(b)
	data, err := os.ReadFile(filepath.Join("testdata", "chalc-rest-app.sam.json"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Validate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// edit applies JSON-pointer edits to a JSON document.
func edit(t *testing.T, doc string, edits map[string]string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	for ptr, val := range edits {
		toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
		parent := jsonvalue.Lookup(v, toks[:len(toks)-1])
		last := toks[len(toks)-1]
		var nv any
		if val != "" {
			if err := json.Unmarshal([]byte(val), &nv); err != nil {
				t.Fatalf("%s: %v", ptr, err)
			}
		}
		switch p := parent.(type) {
		case map[string]any:
			if val == "" {
				delete(p, last)
			} else {
				p[last] = nv
			}
		case []any:
			var i int
			if err := json.Unmarshal([]byte(last), &i); err != nil || i >= len(p) {
				t.Fatalf("%s: bad index", ptr)
			}
			p[i] = nv
		default:
			t.Fatalf("%s: no parent", ptr)
		}
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
