package merge

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
)

// decode reads a JSON literal as merge sees templates: plain values,
// numbers as json.Number.
func decode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad JSON literal %s: %v", s, err)
	}
	return v
}

// encode renders a value as compact JSON with sorted keys, for comparing.
func encode(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}

// canon re-encodes a JSON literal so that it compares with encode's output.
func canon(t testing.TB, s string) string {
	t.Helper()
	return encode(t, decode(t, s))
}

// TestMerge is the semantics, as a table in the manner of kyaml's merge2
// tests: the generated template (chalice), the merge template (file) and
// the expected result. Chalice's TemplateDeepMerger: both mappings merge key
// by key; otherwise the file's value replaces the generated one.
func TestMerge(t *testing.T) {
	cases := []struct {
		description string
		chalice     string
		file        string
		expected    string
		// errors are substrings of the diagnostics expected, in order.
		errors []string
	}{
		{
			description: "scalars are replaced",
			chalice:     `{"Resources": {"APIHandler": {"Properties": {"MemorySize": 128, "Runtime": "provided.al2023", "Tracing": "PassThrough"}}}}`,
			file:        `{"Resources": {"APIHandler": {"Properties": {"MemorySize": 1024, "Tracing": "Active"}}}}`,
			expected:    `{"Resources": {"APIHandler": {"Properties": {"MemorySize": 1024, "Runtime": "provided.al2023", "Tracing": "Active"}}}}`,
		},
		{
			description: "a scalar replaces one of another type",
			chalice:     `{"A": 1, "B": "x", "C": true, "D": [1]}`,
			file:        `{"A": "one", "B": false, "C": 3, "D": "d"}`,
			expected:    `{"A": "one", "B": false, "C": 3, "D": "d"}`,
		},
		{
			description: "lists are replaced wholesale, never concatenated or merged by index",
			chalice:     `{"Architectures": ["x86_64"], "Layers": ["a", "b", "c"], "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}`,
			file:        `{"Architectures": ["arm64"], "Layers": ["z"], "Statement": [{"Action": "s3:PutObject"}]}`,
			expected:    `{"Architectures": ["arm64"], "Layers": ["z"], "Statement": [{"Action": "s3:PutObject"}]}`,
		},
		{
			description: "an empty list replaces a list",
			chalice:     `{"Layers": ["a"]}`,
			file:        `{"Layers": []}`,
			expected:    `{"Layers": []}`,
		},
		{
			description: "null replaces the value (it does not delete the key)",
			chalice:     `{"Properties": {"Timeout": 60, "Environment": {"Variables": {"A": "a"}}, "Layers": ["x"]}}`,
			file:        `{"Properties": {"Timeout": null, "Environment": null, "Layers": null}}`,
			expected:    `{"Properties": {"Timeout": null, "Environment": null, "Layers": null}}`,
		},
		{
			description: "an output set to null is removed: CloudFormation has no null output",
			chalice:     `{"Outputs": {"RestAPIId": {"Value": {"Ref": "RestAPI"}}, "EndpointURL": {"Value": "x"}}}`,
			file:        `{"Outputs": {"RestAPIId": null, "New": null}}`,
			expected:    `{"Outputs": {"EndpointURL": {"Value": "x"}}}`,
		},
		{
			description: "Outputs set to null removes every output",
			chalice:     `{"Outputs": {"RestAPIId": {"Value": {"Ref": "RestAPI"}}}, "Resources": {}}`,
			file:        `{"Outputs": null}`,
			expected:    `{"Resources": {}}`,
		},
		{
			description: "a value replaces null",
			chalice:     `{"A": null, "B": null}`,
			file:        `{"A": {"x": 1}, "B": [1]}`,
			expected:    `{"A": {"x": 1}, "B": [1]}`,
		},
		{
			description: "nested mappings merge at every depth",
			chalice:     `{"a": {"b": {"c": {"d": 1, "e": 2}, "f": 3}, "g": 4}}`,
			file:        `{"a": {"b": {"c": {"e": 20, "h": 5}}}}`,
			expected:    `{"a": {"b": {"c": {"d": 1, "e": 20, "h": 5}, "f": 3}, "g": 4}}`,
		},
		{
			description: "keys only in the generated template are kept, keys only in the file are added",
			chalice:     `{"AWSTemplateFormatVersion": "2010-09-09", "Outputs": {"RestAPIId": {"Value": {"Ref": "RestAPI"}}}}`,
			file:        `{"Parameters": {"Stage": {"Type": "String"}}, "Outputs": {"Extra": {"Value": "x"}}}`,
			expected:    `{"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"Stage": {"Type": "String"}}, "Outputs": {"RestAPIId": {"Value": {"Ref": "RestAPI"}}, "Extra": {"Value": "x"}}}`,
		},
		{
			description: "an empty file changes nothing",
			chalice:     `{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}`,
			file:        `{}`,
			expected:    `{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}`,
		},
		{
			description: "an empty mapping merges as nothing (it does not clear)",
			chalice:     `{"Outputs": {"A": {"Value": "a"}}}`,
			file:        `{"Outputs": {}}`,
			expected:    `{"Outputs": {"A": {"Value": "a"}}}`,
		},
		{
			description: "Chalice's documented example: a DynamoDB table and its name in the API handler's environment",
			chalice: `{
				"AWSTemplateFormatVersion": "2010-09-09",
				"Transform": "AWS::Serverless-2016-10-31",
				"Outputs": {"APIHandlerName": {"Value": {"Ref": "APIHandler"}}},
				"Resources": {
					"APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {
						"Runtime": "provided.al2023", "Handler": "api_handler", "CodeUri": "./deployment.zip",
						"MemorySize": 128, "Timeout": 60,
						"Environment": {"Variables": {"LOG_LEVEL": "info"}}}},
					"APIHandlerInvokePermission": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "APIHandler"}}}
				}}`,
			file: `{
				"Resources": {
					"MusicTable": {
						"Type": "AWS::DynamoDB::Table",
						"Properties": {
							"TableName": "MusicData",
							"AttributeDefinitions": [{"AttributeName": "artist", "AttributeType": "S"}, {"AttributeName": "song", "AttributeType": "S"}],
							"KeySchema": [{"AttributeName": "artist", "KeyType": "HASH"}, {"AttributeName": "song", "KeyType": "RANGE"}],
							"ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
						}
					},
					"APIHandler": {"Properties": {"Environment": {"Variables": {"TABLE_NAME": {"Ref": "MusicTable"}}}}}
				}}`,
			expected: `{
				"AWSTemplateFormatVersion": "2010-09-09",
				"Transform": "AWS::Serverless-2016-10-31",
				"Outputs": {"APIHandlerName": {"Value": {"Ref": "APIHandler"}}},
				"Resources": {
					"APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {
						"Runtime": "provided.al2023", "Handler": "api_handler", "CodeUri": "./deployment.zip",
						"MemorySize": 128, "Timeout": 60,
						"Environment": {"Variables": {"LOG_LEVEL": "info", "TABLE_NAME": {"Ref": "MusicTable"}}}}},
					"APIHandlerInvokePermission": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "APIHandler"}}},
					"MusicTable": {
						"Type": "AWS::DynamoDB::Table",
						"Properties": {
							"TableName": "MusicData",
							"AttributeDefinitions": [{"AttributeName": "artist", "AttributeType": "S"}, {"AttributeName": "song", "AttributeType": "S"}],
							"KeySchema": [{"AttributeName": "artist", "KeyType": "HASH"}, {"AttributeName": "song", "KeyType": "RANGE"}],
							"ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
						}
					}
				}}`,
		},
		{
			description: "numbers keep their exact text",
			chalice:     `{"A": 1, "B": 2.50, "C": 12345678901234567890}`,
			file:        `{"A": 1.0, "D": 1e3}`,
			expected:    `{"A": 1.0, "B": 2.50, "C": 12345678901234567890, "D": 1e3}`,
		},
		// Intrinsic functions are values, not mappings: they replace and
		// are replaced whole, with no conflict.
		{
			description: "an intrinsic function replaces a scalar",
			chalice:     `{"Properties": {"MemorySize": 128, "Runtime": "provided.al2023"}}`,
			file:        `{"Properties": {"MemorySize": {"Ref": "Memory"}, "Runtime": {"Fn::If": ["Arm", "provided.al2023", "provided.al2"]}}}`,
			expected:    `{"Properties": {"MemorySize": {"Ref": "Memory"}, "Runtime": {"Fn::If": ["Arm", "provided.al2023", "provided.al2"]}}}`,
		},
		{
			description: "a scalar replaces an intrinsic function (a role ARN for the generated role)",
			chalice:     `{"Role": {"Fn::GetAtt": ["DefaultRole", "Arn"]}}`,
			file:        `{"Role": "arn:aws:iam::123456789012:role/app"}`,
			expected:    `{"Role": "arn:aws:iam::123456789012:role/app"}`,
		},
		{
			description: "an intrinsic function replaces another one whole (never a two-key mix)",
			chalice:     `{"Role": {"Fn::GetAtt": ["DefaultRole", "Arn"]}, "Url": {"Fn::Sub": "https://${RestAPI}/"}}`,
			file:        `{"Role": {"Ref": "RoleArn"}, "Url": {"Fn::Sub": ["https://${Api}/", {"Api": "x"}]}}`,
			expected:    `{"Role": {"Ref": "RoleArn"}, "Url": {"Fn::Sub": ["https://${Api}/", {"Api": "x"}]}}`,
		},
		{
			description: "an intrinsic function replaces a mapping (Fn::If around a whole Environment)",
			chalice:     `{"Environment": {"Variables": {"A": "a"}}}`,
			file:        `{"Environment": {"Fn::If": ["Prod", {"Variables": {"A": "p"}}, {"Ref": "AWS::NoValue"}]}}`,
			expected:    `{"Environment": {"Fn::If": ["Prod", {"Variables": {"A": "p"}}, {"Ref": "AWS::NoValue"}]}}`,
		},
		{
			description: "a one-key Condition mapping is a resource attribute, not an intrinsic: it merges",
			chalice:     `{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}`,
			file:        `{"Resources": {"T": {"Condition": "IsProd"}}}`,
			expected:    `{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"}}}`,
		},
		// Conflicts: a mapping against a scalar or a list. The file still
		// wins, so the result is complete, but it is an error.
		{
			description: "a scalar onto a mapping is an error naming the JSON pointer",
			chalice:     `{"Resources": {"APIHandler": {"Properties": {"Environment": {"Variables": {"A": "a"}}}}}}`,
			file:        `{"Resources": {"APIHandler": {"Properties": {"Environment": "TABLE=music"}}}}`,
			expected:    `{"Resources": {"APIHandler": {"Properties": {"Environment": "TABLE=music"}}}}`,
			errors:      []string{"/Resources/APIHandler/Properties/Environment: the merge template would replace a mapping with a string"},
		},
		{
			description: "a mapping onto a scalar is an error",
			chalice:     `{"Resources": {"APIHandler": {"Properties": {"MemorySize": 128}}}}`,
			file:        `{"Resources": {"APIHandler": {"Properties": {"MemorySize": {"Value": 512}}}}}`,
			expected:    `{"Resources": {"APIHandler": {"Properties": {"MemorySize": {"Value": 512}}}}}`,
			errors:      []string{"/Resources/APIHandler/Properties/MemorySize: the merge template would replace a number with a mapping"},
		},
		{
			description: "a list onto a mapping, a mapping onto a list: each is reported",
			chalice:     `{"Outputs": {"A": {"Value": "a"}}, "Layers": ["x"]}`,
			file:        `{"Outputs": [], "Layers": {"x": true}}`,
			expected:    `{"Outputs": [], "Layers": {"x": true}}`,
			errors: []string{
				"/Layers: the merge template would replace a list with a mapping",
				"/Outputs: the merge template would replace a mapping with a list",
			},
		},
		{
			description: "JSON pointer escapes ~ and / in keys",
			chalice:     `{"paths": {"/users/{id}": {"get": {"x~y": {"a": 1}}}}}`,
			file:        `{"paths": {"/users/{id}": {"get": {"x~y": "flat"}}}}`,
			expected:    `{"paths": {"/users/{id}": {"get": {"x~y": "flat"}}}}`,
			errors:      []string{"/paths/~1users~1{id}/get/x~0y: the merge template would replace a mapping with a string"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.description, func(t *testing.T) {
			base, file := decode(t, tc.chalice), decode(t, tc.file)
			baseBefore, fileBefore := encode(t, base), encode(t, file)
			got, ds := Merge(base, file, nil)
			if g, w := encode(t, got), canon(t, tc.expected); g != w {
				t.Errorf("merge result\n got: %s\nwant: %s", g, w)
			}
			var msgs []string
			for _, d := range ds {
				if d.Severity != diag.Error {
					t.Errorf("unexpected warning: %v", d)
				}
				msgs = append(msgs, d.Message)
			}
			if len(msgs) != len(tc.errors) {
				t.Fatalf("diagnostics: got %q, want %d matching %q", msgs, len(tc.errors), tc.errors)
			}
			for i, want := range tc.errors {
				if !strings.Contains(msgs[i], want) {
					t.Errorf("diagnostic %d: got %q, want it to contain %q", i, msgs[i], want)
				}
			}
			if encode(t, base) != baseBefore || encode(t, file) != fileBefore {
				t.Errorf("Merge modified its inputs")
			}
		})
	}
}

// TestMergeDoesNotShare: the result shares no mapping or list with either
// input, so later edits (a second merge file, the checks) cannot reach back.
func TestMergeDoesNotShare(t *testing.T) {
	base := decode(t, `{"Keep": {"a": [1, {"b": 2}]}, "Both": {"x": {"y": 1}}}`)
	file := decode(t, `{"New": {"c": [3]}, "Both": {"z": {"w": 2}, "l": [{"m": 1}]}}`)
	want := encode(t, base) + encode(t, file)
	got, ds := Merge(base, file, nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	var scribble func(v any)
	scribble = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				scribble(e)
				x[k] = "scribbled"
			}
			x["added"] = true
		case []any:
			for i, e := range x {
				scribble(e)
				x[i] = "scribbled"
			}
		}
	}
	scribble(got)
	if encode(t, base)+encode(t, file) != want {
		t.Errorf("editing the result changed the inputs:\n%s\n%s", encode(t, base), encode(t, file))
	}
}

// TestMergeConflictPosition: the conflict is reported at the key in the
// merge template, file:line:col, for YAML and JSON alike.
func TestMergeConflictPosition(t *testing.T) {
	base := decode(t, `{"Resources": {"APIHandler": {"Properties": {"Environment": {"Variables": {"A": "a"}}, "MemorySize": 128}}}}`)
	cases := []struct {
		name, src string
		want      []diag.Range
		pointers  []string
	}{
		{
			name: "merge.yaml",
			src: "Resources:\n" +
				"  APIHandler:\n" +
				"    Properties:\n" +
				"      Environment: TABLE=music\n" +
				"      MemorySize:\n" +
				"        Ref: Memory\n" + // an intrinsic: no conflict
				"",
			want:     []diag.Range{{Filename: "merge.yaml", Start: diag.Pos{Line: 4, Column: 7}}},
			pointers: []string{"/Resources/APIHandler/Properties/Environment"},
		},
		{
			name: "merge.json",
			src: "{\n" +
				"  \"Resources\": {\n" +
				"    \"APIHandler\": {\n" +
				"      \"Properties\": {\n" +
				"        \"MemorySize\": {\"Size\": 512},\n" +
				"        \"Environment\": [\"TABLE=music\"]\n" +
				"      }\n" +
				"    }\n" +
				"  }\n" +
				"}\n",
			want: []diag.Range{
				{Filename: "merge.json", Start: diag.Pos{Line: 5, Column: 9}},
				{Filename: "merge.json", Start: diag.Pos{Line: 6, Column: 9}},
			},
			pointers: []string{"/Resources/APIHandler/Properties/MemorySize", "/Resources/APIHandler/Properties/Environment"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			f, ds := Load(path, tc.name)
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			_, ds = Merge(base, f.Value, f)
			ds = ds.Sorted()
			if len(ds) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%v", len(ds), len(tc.want), ds)
			}
			for i, d := range ds {
				if d.Subject != tc.want[i] {
					t.Errorf("diagnostic %d at %v, want %v", i, d.Subject, tc.want[i])
				}
				if !strings.HasPrefix(d.Message, tc.pointers[i]+": ") {
					t.Errorf("diagnostic %d: %q does not start with the pointer %s", i, d.Message, tc.pointers[i])
				}
				if len(d.Hints) == 0 {
					t.Errorf("diagnostic %d has no hint", i)
				}
			}
		})
	}
}

// TestMergeInOrder: several files apply in order, the later one
// winning, the same as merging them one after the other.
func TestMergeInOrder(t *testing.T) {
	base := decode(t, `{"P": {"MemorySize": 128, "Timeout": 60}}`)
	first := decode(t, `{"P": {"MemorySize": 256, "Tracing": "Active"}}`)
	second := decode(t, `{"P": {"MemorySize": 512}}`)
	v, _ := Merge(base, first, nil)
	v, _ = Merge(v, second, nil)
	if g, w := encode(t, v), canon(t, `{"P": {"MemorySize": 512, "Timeout": 60, "Tracing": "Active"}}`); g != w {
		t.Errorf("got %s, want %s", g, w)
	}
	v, _ = Merge(base, second, nil)
	v, _ = Merge(v, first, nil)
	if g, w := encode(t, v), canon(t, `{"P": {"MemorySize": 256, "Timeout": 60, "Tracing": "Active"}}`); g != w {
		t.Errorf("reversed: got %s, want %s", g, w)
	}
}

func TestPointer(t *testing.T) {
	for _, tc := range []struct {
		path []string
		want string
	}{
		{nil, "/"},
		{[]string{"Resources"}, "/Resources"},
		{[]string{"paths", "/a/{b}", "get"}, "/paths/~1a~1{b}/get"},
		{[]string{"a~b", "~/"}, "/a~0b/~0~1"},
		{[]string{"Statement", "0"}, "/Statement/0"},
	} {
		if got := Pointer(tc.path); got != tc.want {
			t.Errorf("Pointer(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
