package manifest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
)

func decodeString(t *testing.T, src string) (*Manifest, diag.Diagnostics) {
	t.Helper()
	doc, ds := Parse("chalice.yaml", []byte(src))
	if doc.Root == nil {
		t.Fatalf("no document: %v", ds)
	}
	return Decode(doc, nil), ds
}

func TestParseTemplate(t *testing.T) {
	at := func(i, j int) diag.Range { return diag.Range{Filename: "f", Start: diag.Pos{Line: 1, Column: i + 1}} }
	cases := []struct {
		in     string
		parts  []Part // At left out
		errors []string
	}{
		{in: "${env:BUCKET}", parts: []Part{{Kind: EnvVar, Text: "BUCKET", Written: "${env:BUCKET}"}}},
		{in: "${app_name}-${stage}-uploads", parts: []Part{
			{Kind: AppName, Written: "${app_name}"}, {Kind: Literal, Text: "-"},
			{Kind: StageName, Written: "${stage}"}, {Kind: Literal, Text: "-uploads"}}},
		{in: "cost $$5 $${stage} is text", parts: []Part{{Kind: Literal, Text: "cost $$5 ${stage} is text"}}},
		{in: "${foo}", errors: []string{"unknown placeholder ${foo}"}},
		{in: "${env:}", errors: []string{"${env:} does not name an environment variable"}},
		{in: "${env:A-B}", errors: []string{"${env:A-B} does not name an environment variable"}},
		{in: "x-${env:A", errors: []string{`"${env:A" opens a placeholder that is not closed with }`}},
	}
	for _, c := range cases {
		tm := parseTemplate(c.in, diag.Range{}, at)
		var errs []string
		for _, d := range tm.Errors {
			errs = append(errs, d.Message)
		}
		if !reflect.DeepEqual(errs, c.errors) {
			t.Errorf("%q: errors %q, want %q", c.in, errs, c.errors)
		}
		if c.errors != nil {
			continue
		}
		got := append([]Part(nil), tm.Parts...)
		for i := range got {
			got[i].At = diag.Range{}
		}
		if !reflect.DeepEqual(got, c.parts) {
			t.Errorf("%q: parts %+v, want %+v", c.in, got, c.parts)
		}
	}
}

// TestPlaceholderPositions: a placeholder's error points at the
// placeholder inside the value, plain or quoted.
func TestPlaceholderPositions(t *testing.T) {
	src := "version: 1\napp_name: a\nfunctions:\n  f:\n    handler: F\n    s3: {bucket: \"x-${env:B}-${env:B}\", prefix: 'a/${foo}'}\n" +
		"  g:\n    handler: G\n    s3:\n      bucket: b\n      suffix: ${stage}.png\n"
	m, ds := decodeString(t, src)
	if len(ds) != 0 {
		t.Fatal(ds)
	}
	s3 := m.Functions[0].S3
	parts := s3.Bucket.Template.Parts
	if got := []string{parts[1].At.String(), parts[3].At.String()}; got[0] != "chalice.yaml:6:21" || got[1] != "chalice.yaml:6:30" {
		t.Errorf("bucket placeholders at %v", got)
	}
	if e := s3.Prefix.Template.Errors; len(e) != 1 || e[0].Subject.String() != "chalice.yaml:6:52" {
		t.Errorf("prefix errors %v", e)
	}
	if p := m.Functions[1].S3.Suffix.Template.Parts[0]; p.Kind != StageName || p.At.String() != "chalice.yaml:11:15" || p.At.End.Column != 23 {
		t.Errorf("suffix %+v", p)
	}
}

// TestCheckPlaceholders: a placeholder in a field that takes none is an
// error at it, with the fix; the fields that take them are not reported,
// and neither is an escaped or unrecognised ${...} outside them.
func TestCheckPlaceholders(t *testing.T) {
	src := `version: 1
app_name: a
lambda_timeout: 60
environment_variables:
  ORIGIN: https://${stage}.example.com
  OK: "${HOME} and $${stage}"
  TWO: "${app_name}${stage}"
routes:
  /:
    GET:
      handler: Index
      cors: {allow_origin: "${env:ORIGIN}"}
functions:
  f:
    handler: F
    sns: {topic: "${env:TOPIC}"}
iam_role_arn: arn:aws:iam::1:role/${app_name}
`
	m, ds := decodeString(t, src)
	if len(ds) != 0 {
		t.Fatal(ds)
	}
	var got []string
	for _, d := range CheckPlaceholders(m) {
		got = append(got, d.Subject.String()+": "+d.Message+" | "+d.Hints[0])
	}
	want := []string{
		"chalice.yaml:5:19: ${stage} is not expanded in ORIGIN: it takes no stage values | environment_variables are where ${env:...} values come from: give each stage its own value under stages.<stage>.environment_variables",
		"chalice.yaml:7:9: ${app_name} is not expanded in TWO: it takes no stage values | environment_variables are where ${env:...} values come from: give each stage its own value under stages.<stage>.environment_variables",
		"chalice.yaml:7:20: ${stage} is not expanded in TWO: it takes no stage values | environment_variables are where ${env:...} values come from: give each stage its own value under stages.<stage>.environment_variables",
		"chalice.yaml:17:35: ${app_name} is not expanded in iam_role_arn: it takes no stage values | stage values are taken by event sources, CORS, authorizers, custom domains, layers, VPC ids and tags (docs/manifest.md, \"Stage values\")",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEnvironmentIntrinsics: environment_variables values may be
// intrinsics, short or long form, at every layer; anywhere else a short
// form is an error.
func TestEnvironmentIntrinsics(t *testing.T) {
	src := `version: 1
app_name: a
environment_variables:
  TABLE: !Ref MusicTable
  QUEUE: !GetAtt Jobs.QueueUrl
  PLAIN: text
lambda_functions:
  f:
    environment_variables: {URL: !Sub "https://${Api}.example.com/${AWS::Region}"}
stages:
  prod:
    environment_variables:
      LONG: {"Fn::GetAtt": [Jobs, Arn]}
      NESTED: !Join [",", [!Ref A, !GetAtt B.Arn]]
    lambda_functions:
      f: {environment_variables: {ID: !ImportValue shared-id}}
tags: {team: !Ref Team}
`
	m, ds := decodeString(t, src)
	if len(ds) != 1 || ds[0].Subject.String() != "chalice.yaml:17:14" || ds[0].Code != diag.YAMLTag {
		t.Fatalf("want one yaml-tag error at the tag value, got %v", ds)
	}
	intrinsics := map[string]any{}
	collect := func(mp Map) {
		for _, e := range mp.Entries {
			if e.Intrinsic != nil {
				intrinsics[e.Key.V] = e.Intrinsic
			} else if !e.Value.Set {
				t.Errorf("%s: neither a string nor an intrinsic", e.Key.V)
			}
		}
	}
	collect(m.Config.EnvironmentVariables)
	collect(m.LambdaFunctions[0].Config.EnvironmentVariables)
	collect(m.Stages[0].Config.EnvironmentVariables)
	collect(m.Stages[0].LambdaFunctions[0].Config.EnvironmentVariables)
	want := map[string]any{
		"TABLE":  map[string]any{"Ref": "MusicTable"},
		"QUEUE":  map[string]any{"Fn::GetAtt": []any{"Jobs", "QueueUrl"}},
		"URL":    map[string]any{"Fn::Sub": "https://${Api}.example.com/${AWS::Region}"},
		"LONG":   map[string]any{"Fn::GetAtt": []any{"Jobs", "Arn"}},
		"NESTED": map[string]any{"Fn::Join": []any{",", []any{map[string]any{"Ref": "A"}, map[string]any{"Fn::GetAtt": []any{"B", "Arn"}}}}},
		"ID":     map[string]any{"Fn::ImportValue": "shared-id"},
	}
	if !reflect.DeepEqual(intrinsics, want) {
		t.Errorf("got %#v\nwant %#v", intrinsics, want)
	}
}
