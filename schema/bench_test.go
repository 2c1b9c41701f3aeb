package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/manifest"
)

// bigManifest is a valid manifest with routes routes (alternating short and
// long forms, a third with CORS) and functions functions (one of each event
// source in turn) plus a stage overriding a tenth of them.
func bigManifest(routes, functions int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\napp_name: big\nlambda_timeout: 30\nenvironment_variables: {A: a, B: b}\n")
	b.WriteString("authorizers:\n  jwt: {type: builtin, handler: CheckToken}\n")
	b.WriteString("routes:\n")
	for i := 0; i < routes; i++ {
		fmt.Fprintf(&b, "  /r%d/{id}:\n", i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "    GET: Get%d\n", i)
			continue
		}
		fmt.Fprintf(&b, "    POST:\n      handler: Post%d\n      authorizer: jwt\n      content_types: [application/json]\n", i)
		if i%3 == 0 {
			b.WriteString("      cors: {allow_origin: https://example.com, max_age: 600}\n")
		}
	}
	b.WriteString("functions:\n")
	events := []string{
		"",
		"    schedule: rate(1 hour)\n",
		"    sqs: {queue: q, batch_size: 10}\n",
		"    sns: {topic: t}\n",
		"    s3: {bucket: b, events: [\"s3:ObjectCreated:*\"]}\n",
		"    kinesis: {stream: s, starting_position: LATEST}\n",
		"    dynamodb: {stream_arn: arn, batch_size: 100}\n",
		"    cloudwatch_event: {event_pattern: {source: [aws.ec2]}}\n",
	}
	for i := 0; i < functions; i++ {
		fmt.Fprintf(&b, "  fn_%d:\n    handler: Fn%d\n%s", i, i, events[i%len(events)])
	}
	b.WriteString("stages:\n  prod:\n    lambda_memory_size: 512\n    lambda_functions:\n")
	for i := 0; i < functions; i += 10 {
		fmt.Fprintf(&b, "      fn_%d: {lambda_timeout: 60, environment_variables: {X: \"1\"}}\n", i)
	}
	return []byte(b.String())
}

func BenchmarkValidate(b *testing.B) {
	set, ds := manifest.Parsed("chalice.yaml", bigManifest(1000, 200))
	if len(ds) > 0 {
		b.Fatal(ds)
	}
	if got := Validate(set.Root); len(got) > 0 {
		b.Fatal(got)
	}
	b.ResetTimer()
	for b.Loop() {
		Validate(set.Root)
	}
}

// BenchmarkFrontEnd is parse + schema + decode: the part of the front end
// that exists today, against the 20 ms budget.
func BenchmarkFrontEnd(b *testing.B) {
	src := bigManifest(1000, 200)
	for b.Loop() {
		set, _ := manifest.Parsed("chalice.yaml", src)
		Validate(set.Root)
		set.Decode()
	}
}

func BenchmarkParse(b *testing.B) {
	src := bigManifest(1000, 200)
	for b.Loop() {
		manifest.Parsed("chalice.yaml", src)
	}
}
