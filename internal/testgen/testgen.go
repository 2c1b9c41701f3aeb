// Package testgen generates large, valid chalc projects for benchmarks
// and size tests.
package testgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Manifest returns a valid chalice.yaml with the given number of routes
// (short and long forms, some with CORS and an authorizer) and functions
// (every trigger kind in turn), with a prod stage overriding a tenth of
// the functions. Handlers are Route<i> and Fn<i> (see Handlers).
func Manifest(routes, functions int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\napp_name: large\nhandlers: ./app\nlambda_timeout: 30\nenvironment_variables: {ENV_A: a, ENV_B: b}\n")
	b.WriteString("authorizers:\n  jwt: {type: builtin, handler: CheckToken}\n")
	if routes > 0 {
		b.WriteString("routes:\n")
	}
	for i := 0; i < routes; i++ {
		fmt.Fprintf(&b, "  /resource%d/{id}:\n", i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "    GET: Route%d\n", i)
			continue
		}
		fmt.Fprintf(&b, "    POST:\n      handler: Route%d\n      authorizer: jwt\n      content_types: [application/json]\n", i)
		if i%3 == 0 {
			b.WriteString("      cors: {allow_origin: \"https://example.com\", max_age: 600}\n")
		}
	}
	if functions == 0 {
		return []byte(b.String())
	}
	b.WriteString("functions:\n")
	events := []string{
		"",
		"    schedule: rate(1 hour)\n",
		"    sqs: {queue: jobs, batch_size: 10}\n",
		"    sns: {topic: notes}\n",
		"    kinesis: {stream: clicks, starting_position: LATEST}\n",
		"    dynamodb: {stream_arn: \"arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2020-01-01T00:00:00.000\", batch_size: 100}\n",
		"    cloudwatch_event: {event_pattern: {source: [aws.ec2]}}\n",
	}
	for i := 0; i < functions; i++ {
		fmt.Fprintf(&b, "  fn_%d:\n    handler: Fn%d\n%s", i, i, events[i%len(events)])
	}
	b.WriteString("stages:\n  prod:\n    lambda_memory_size: 512\n    lambda_functions:\n")
	for i := 0; i < functions; i += 10 {
		fmt.Fprintf(&b, "      fn_%d: {lambda_timeout: 60, environment_variables: {ENV_X: \"1\"}}\n", i)
	}
	return []byte(b.String())
}

// Handlers returns the Go source of package app with every handler
// Manifest names.
func Handlers(routes, functions int) []byte {
	var b strings.Builder
	b.WriteString("// Package app is a generated large app.\npackage app\n\nimport (\n")
	if functions > 0 {
		b.WriteString("\t\"context\"\n\n")
	}
	b.WriteString("\t\"github.com/chalc-dev/chalc/runtime/chalice\"\n)\n\n")
	b.WriteString("// CheckToken allows everything.\nfunc CheckToken(req chalice.AuthRequest) (chalice.AuthResponse, error) {\n\treturn chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: \"*\"}}, PrincipalID: \"u\"}, nil\n}\n\n")
	for i := 0; i < routes; i++ {
		fmt.Fprintf(&b, "// Route%d serves /resource%d/{id}.\nfunc Route%d(id string) (map[string]string, error) {\n\treturn map[string]string{\"id\": id}, nil\n}\n\n", i, i, i)
	}
	events := []string{"", "chalice.CloudWatchEvent", "chalice.SQSEvent", "chalice.SNSEvent", "chalice.KinesisEvent", "chalice.DynamoDBEvent", "chalice.CloudWatchEvent"}
	for i := 0; i < functions; i++ {
		ev := events[i%len(events)]
		if ev == "" {
			fmt.Fprintf(&b, "// Fn%d is a pure function.\nfunc Fn%d(ctx context.Context, in map[string]any) (map[string]any, error) { return in, nil }\n\n", i, i)
			continue
		}
		fmt.Fprintf(&b, "// Fn%d handles an event.\nfunc Fn%d(ctx context.Context, e %s) error { return nil }\n\n", i, i, ev)
	}
	return []byte(b.String())
}

// Project writes into dir a whole app module: chalice.yaml (Manifest,
// without the empty keys it writes for zero functions), app/app.go
// (Handlers), and a go.mod and go.sum that replace chalc with the
// checkout at chalcDir (petstore's, whose requirements are what a chalc
// app needs). With one route and no functions it is the smallest app.
func Project(dir string, routes, functions int, chalcDir string) error {
	petstore := filepath.Join(chalcDir, "testdata", "apps", "petstore")
	mod, err := os.ReadFile(filepath.Join(petstore, "go.mod"))
	if err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(petstore, "go.sum"))
	if err != nil {
		return err
	}
	m := string(mod)
	m = strings.Replace(m, "module example.com/petstore", "module example.com/large", 1)
	m = strings.Replace(m, "=> ../../..", "=> "+chalcDir, 1)
	if !strings.Contains(m, "module example.com/large") || !strings.Contains(m, "=> "+chalcDir) {
		return fmt.Errorf("testgen: petstore's go.mod changed shape:\n%s", mod)
	}
	manifest := string(Manifest(routes, functions))
	if functions == 0 {
		// Manifest writes `functions:` and `lambda_functions:` without
		// entries, which YAML reads as null.
		manifest = strings.Replace(manifest, "\nfunctions:\n", "\n", 1)
		manifest = strings.TrimSuffix(manifest, "stages:\n  prod:\n    lambda_memory_size: 512\n    lambda_functions:\n")
	}
	files := map[string][]byte{
		"go.mod":       []byte(m),
		"go.sum":       sum,
		"chalice.yaml": []byte(manifest),
		"app/app.go":   Handlers(routes, functions),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
