package merge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
)

// load writes src to a temporary file called name and loads it.
func load(t *testing.T, name, src string) (*File, diag.Diagnostics) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(path, name)
}

// mustLoad loads a file that must have no diagnostics at all.
func mustLoad(t *testing.T, name, src string) *File {
	t.Helper()
	f, ds := load(t, name, src)
	if len(ds) > 0 || f == nil {
		t.Fatalf("Load(%s): %v", name, ds)
	}
	return f
}

func TestLoadJSON(t *testing.T) {
	f := mustLoad(t, "merge.json", `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "MusicTable": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}},
    "APIHandler": {"Properties": {"MemorySize": 1024, "Timeout": 2.5,
      "Environment": {"Variables": {"TABLE_NAME": {"Ref": "MusicTable"}, "BIG": 12345678901234567890, "EXP": 1E+3, "NEG": -0.0}}}}
  },
  "Outputs": {"Flag": {"Value": true}, "Nothing": {"Value": null}, "List": {"Value": [1, "a", [false]]}}
}`)
	want := `{"AWSTemplateFormatVersion":"2010-09-09",
	  "Resources":{"MusicTable":{"Type":"AWS::DynamoDB::Table","Properties":{"BillingMode":"PAY_PER_REQUEST"}},
	  "APIHandler":{"Properties":{"MemorySize":1024,"Timeout":2.5,
	    "Environment":{"Variables":{"TABLE_NAME":{"Ref":"MusicTable"},"BIG":12345678901234567890,"EXP":1E+3,"NEG":-0.0}}}}},
	  "Outputs":{"Flag":{"Value":true},"Nothing":{"Value":null},"List":{"Value":[1,"a",[false]]}}}`
	if g, w := encode(t, f.Value), canon(t, want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
	// Numbers keep their text exactly (json.Number), not float64.
	vars := f.Value["Resources"].(map[string]any)["APIHandler"].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
	if got := encode(t, vars["BIG"]); got != "12345678901234567890" {
		t.Errorf("BIG = %s", got)
	}
	if f.Name != "merge.json" || !strings.Contains(string(f.Src), "MusicTable") {
		t.Errorf("Name %q, Src %d bytes", f.Name, len(f.Src))
	}
}

// TestLoadPositions: every value's position is known by its JSON pointer;
// deeper paths fall back to the nearest known parent.
func TestLoadPositions(t *testing.T) {
	jsonSrc := "{\n" +
		"  \"Resources\": {\n" +
		"    \"A\": {\"Type\": \"AWS::SNS::Topic\",\n" +
		"      \"Properties\": {\"Tags\": [{\"Key\": \"k\", \"Value\": \"v\"}, \"x\"]}}\n" +
		"  }\n" +
		"}\n"
	yamlSrc := "Resources:\n" +
		"  A:\n" +
		"    Type: AWS::SNS::Topic\n" +
		"    Properties:\n" +
		"      Tags:\n" +
		"        - {Key: k, Value: v}\n" +
		"        - x\n" +
		"      Name: !Sub '${AWS::StackName}-t'\n"
	for _, tc := range []struct {
		name, src string
		want      map[string]diag.Pos
	}{
		{"m.json", jsonSrc, map[string]diag.Pos{
			"/":                                     {Line: 1, Column: 1},
			"/Resources":                            {Line: 2, Column: 16},
			"/Resources/A":                          {Line: 3, Column: 10},
			"/Resources/A/Type":                     {Line: 3, Column: 19},
			"/Resources/A/Properties":               {Line: 4, Column: 21},
			"/Resources/A/Properties/Tags/0":        {Line: 4, Column: 31},
			"/Resources/A/Properties/Tags/0/Value":  {Line: 4, Column: 53},
			"/Resources/A/Properties/Tags/1":        {Line: 4, Column: 59},
			"/Resources/A/Properties/Tags/1/deeper": {Line: 4, Column: 59}, // falls back
			"/Outputs":                              {Line: 1, Column: 1},  // the root
		}},
		{"m.yaml", yamlSrc, map[string]diag.Pos{
			"/":                                    {Line: 1, Column: 1},
			"/Resources/A/Type":                    {Line: 3, Column: 11},
			"/Resources/A/Properties/Tags/0":       {Line: 6, Column: 11},
			"/Resources/A/Properties/Tags/0/Value": {Line: 6, Column: 27},
			"/Resources/A/Properties/Tags/1":       {Line: 7, Column: 11},
			"/Resources/A/Properties/Name":         {Line: 8, Column: 13},
			"/Resources/A/Properties/Name/Fn::Sub": {Line: 8, Column: 13},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustLoad(t, tc.name, tc.src)
			for ptr, want := range tc.want {
				var path []string
				if ptr != "/" {
					path = strings.Split(ptr[1:], "/")
				}
				got := f.Pos(path)
				if got.Filename != tc.name || got.Start != want {
					t.Errorf("Pos(%s) = %v, want %s:%d:%d", ptr, got, tc.name, want.Line, want.Column)
				}
			}
		})
	}
	var nilFile *File
	if r := nilFile.Pos([]string{"a"}); !r.IsZero() {
		t.Errorf("nil File: Pos = %v", r)
	}
}

// TestLoadYAMLShortForms: every CloudFormation short form becomes the long
// form (Chalice's YAMLTemplateSerializer does the same): !Ref and
// !Condition keep their name, the rest become Fn::X, and !GetAtt a.b is
// split on the first dot.
func TestLoadYAMLShortForms(t *testing.T) {
	cases := []struct{ yaml, json string }{
		{`!Ref MusicTable`, `{"Ref": "MusicTable"}`},
		{`!Ref AWS::Region`, `{"Ref": "AWS::Region"}`},
		{`!GetAtt MusicTable.Arn`, `{"Fn::GetAtt": ["MusicTable", "Arn"]}`},
		{`!GetAtt Db.Endpoint.Address`, `{"Fn::GetAtt": ["Db", "Endpoint.Address"]}`},
		{`!GetAtt [MusicTable, StreamArn]`, `{"Fn::GetAtt": ["MusicTable", "StreamArn"]}`},
		{`!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"`, `{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}`},
		{`!Sub ["${A}-${B}", {A: !Ref X, B: b}]`, `{"Fn::Sub": ["${A}-${B}", {"A": {"Ref": "X"}, "B": "b"}]}`},
		{"!Sub |\n  line ${A}\n", `{"Fn::Sub": "line ${A}\n"}`},
		{`!Join [",", [a, !Ref B]]`, `{"Fn::Join": [",", ["a", {"Ref": "B"}]]}`},
		{`!If [IsProd, 1024, !Ref AWS::NoValue]`, `{"Fn::If": ["IsProd", 1024, {"Ref": "AWS::NoValue"}]}`},
		{`!Select [0, !GetAZs ""]`, `{"Fn::Select": [0, {"Fn::GetAZs": ""}]}`},
		{`!Select [1, !Split [",", !ImportValue Subnets]]`, `{"Fn::Select": [1, {"Fn::Split": [",", {"Fn::ImportValue": "Subnets"}]}]}`},
		{`!FindInMap [Regions, !Ref AWS::Region, Ami]`, `{"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Ami"]}`},
		{`!ImportValue {"Fn::Sub": "${Net}-VpcId"}`, `{"Fn::ImportValue": {"Fn::Sub": "${Net}-VpcId"}}`},
		{`!Base64 "#!/bin/sh"`, `{"Fn::Base64": "#!/bin/sh"}`},
		{`!Cidr [10.0.0.0/16, 4, 8]`, `{"Fn::Cidr": ["10.0.0.0/16", 4, 8]}`},
		{`!GetAZs us-east-1`, `{"Fn::GetAZs": "us-east-1"}`},
		{`!Equals [!Ref Stage, prod]`, `{"Fn::Equals": [{"Ref": "Stage"}, "prod"]}`},
		{`!And [!Condition A, !Not [!Condition B]]`, `{"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}]}`},
		{`!Or [!Equals [a, b], !Condition C]`, `{"Fn::Or": [{"Fn::Equals": ["a", "b"]}, {"Condition": "C"}]}`},
		{`!Condition IsProd`, `{"Condition": "IsProd"}`},
		{`!Ref 2010-09-09`, `{"Ref": "2010-09-09"}`}, // a tagged scalar is a string
		{`!Ref 42`, `{"Ref": "42"}`},
		{`!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}`, `{"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}`},
		{`!GetAtt "quoted.Attr"`, `{"Fn::GetAtt": ["quoted", "Attr"]}`},
		{`!GetAtt NoDot`, `{"Fn::GetAtt": "NoDot"}`},
	}
	for _, tc := range cases {
		t.Run(strings.SplitN(tc.yaml, " ", 2)[0], func(t *testing.T) {
			f := mustLoad(t, "m.yaml", "V: "+tc.yaml)
			if g, w := encode(t, f.Value["V"]), canon(t, tc.json); g != w {
				t.Errorf("%s\n got: %s\nwant: %s", tc.yaml, g, w)
			}
		})
	}
}

// TestLoadYAMLScalars: YAML's types map onto JSON's, and what YAML types
// beyond JSON (timestamps) stays text, as CloudFormation wants.
func TestLoadYAMLScalars(t *testing.T) {
	f := mustLoad(t, "m.yml", `
AWSTemplateFormatVersion: 2010-09-09
Date: 2024-01-02T03:04:05Z
Int: 42
Neg: -7
Plus: +5
Big: 12345678901234567890
Float: 2.50
Exp: 1e3
Half: .5
Hex: 0x1F
Octal: 0o17
Under: 1_000
True: true
TrueCaps: True
Yes: yes
On: on
Null: null
Tilde: ~
Empty:
Quoted: "123"
Version: '1.0'
Str: hello world
Inf: .inf
Anchor: &a {x: 1}
Alias: *a
KeyName: &k Aliased
*k : from an alias key
`)
	want := `{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Date": "2024-01-02T03:04:05Z",
		"Int": 42, "Neg": -7, "Plus": 5, "Big": 12345678901234567890,
		"Float": 2.50, "Exp": 1e3, "Half": 0.5, "Hex": 31, "Octal": 15, "Under": 1000,
		"True": true, "TrueCaps": true, "Yes": "yes", "On": "on",
		"Null": null, "Tilde": null, "Empty": null,
		"Quoted": "123", "Version": "1.0", "Str": "hello world", "Inf": ".inf",
		"Anchor": {"x": 1}, "Alias": {"x": 1},
		"KeyName": "Aliased", "Aliased": "from an alias key"
	}`
	if g, w := encode(t, f.Value), canon(t, want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

// TestLoadYAMLMergeKey: YAML merge keys (<<) work as in PyYAML's
// SafeLoader, which Chalice uses: keys written in the mapping win.
func TestLoadYAMLMergeKey(t *testing.T) {
	f := mustLoad(t, "m.yaml", `
base: &base {Runtime: provided.al2023, MemorySize: 128, Timeout: 30}
more: &more {Tracing: Active}
one:
  <<: *base
  MemorySize: 512
many:
  <<: [*base, *more]
  Timeout: 60
`)
	want := `{
		"base": {"Runtime": "provided.al2023", "MemorySize": 128, "Timeout": 30},
		"more": {"Tracing": "Active"},
		"one": {"Runtime": "provided.al2023", "MemorySize": 512, "Timeout": 30},
		"many": {"Runtime": "provided.al2023", "MemorySize": 128, "Timeout": 60, "Tracing": "Active"}
	}`
	if g, w := encode(t, f.Value), canon(t, want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

// TestLoadErrors: every way a merge template can be unreadable, with the
// position the user must look at (file:line:col, or file:line when the
// YAML parser gives no column).
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		description string
		name, src   string
		at          string // file:line:col as rendered
		message     string // substring of the message
		hint        string // substring of some hint ("" for none expected)
		note        string // the note, as "file:line:col: message"
	}{
		{
			description: "JSON syntax error: a trailing comma",
			name:        "m.json",
			src:         "{\n  \"Resources\": {\n    \"A\": 1,\n  }\n}\n",
			at:          "m.json:4:3",
			message:     "invalid JSON: invalid character '}' looking for beginning of object key string",
			hint:        "no comma after the last member",
		},
		{
			description: "YAML: a list as a key (it used to become \"\")",
			name:        "m.yaml",
			src:         "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {[x]: d}\n",
			at:          "m.yaml:4:18",
			message:     "a mapping key must be a string, not a list",
			hint:        "JSON, whose keys are strings",
		},
		{
			description: "YAML: a mapping as a key",
			name:        "m.yaml",
			src:         "Resources:\n  ? {a: b}\n  : {Type: AWS::SNS::Topic}\n",
			at:          "m.yaml:2:5",
			message:     "a mapping key must be a string, not a mapping",
		},
		{
			description: "YAML: an intrinsic function as a key",
			name:        "m.yaml",
			src:         "Resources:\n  !Ref Name: {Type: AWS::SNS::Topic}\n",
			at:          "m.yaml:2:3",
			message:     "a mapping key cannot be an intrinsic function (!Ref Name)",
		},
		{
			description: "YAML: an alias of a list as a key",
			name:        "m.yaml",
			src:         "Metadata: &l [a]\nResources:\n  *l : {Type: AWS::SNS::Topic}\n",
			at:          "m.yaml:3:3",
			message:     "a mapping key must be a string, not a list",
		},
		{
			description: "JSON syntax error: a missing comma",
			name:        "m.json",
			src:         "{\"a\": 1\n \"b\": 2}",
			at:          "m.json:2:2",
			message:     "invalid JSON: invalid character '\"' after object key:value pair",
		},
		{
			description: "JSON syntax error: unterminated",
			name:        "m.json",
			src:         "{\"a\": [1, 2",
			at:          "m.json:1:12",
			message:     "invalid JSON: unexpected end of file",
			hint:        "not closed",
		},
		{
			description: "YAML in a .json file: the hint says how the format is chosen",
			name:        "merge.json",
			src:         "Resources:\n  A: 1\n",
			at:          "merge.json:1:1",
			message:     "invalid JSON",
			hint:        ".yaml or .yml",
		},
		{
			description: "JSON: two values",
			name:        "m.json",
			src:         "{}\n{}\n",
			at:          "m.json:2:1",
			message:     "more than one value",
		},
		{
			description: "empty JSON file",
			name:        "m.json",
			src:         "",
			at:          "m.json",
			message:     "the merge template is empty",
		},
		{
			description: "empty YAML file",
			name:        "m.yaml",
			src:         "# only a comment\n",
			at:          "m.yaml",
			message:     "the merge template is empty",
		},
		{
			description: "YAML syntax error",
			name:        "m.yaml",
			src:         "Resources:\n  A:\n    Type: x\n   Properties: {}\n",
			at:          "m.yaml:4:4",
			message:     "invalid YAML",
		},
		{
			description: "YAML syntax error in a nested block: the line of the mistake, not of the block",
			name:        "m.yaml",
			src:         "Resources:\n  A:\n    Type: x\n    Properties:\n      Tags: [a,\n        b]\n      Name: n\n     Bad: 2\n",
			at:          "m.yaml:8:6",
			message:     "invalid YAML: did not find expected key",
			hint:        "indentation",
		},
		{
			description: "YAML syntax error on the first line (the library gives no line)",
			name:        "m.yaml",
			src:         "Resources: Type: x\n",
			at:          "m.yaml:1:1",
			message:     "invalid YAML: mapping values are not allowed in this context",
			hint:        "quote values",
		},
		{
			description: "YAML: an unclosed quote",
			name:        "m.yaml",
			src:         "Outputs:\n  A: {Value: 'x}\n",
			at:          "m.yaml:2:3",
			message:     "invalid YAML: found unexpected end of stream",
			hint:        "not closed",
		},
		{
			description: "YAML: two documents",
			name:        "m.yaml",
			src:         "Resources: {}\n---\nOutputs: {}\n",
			at:          "m.yaml:2:1",
			message:     "a second YAML document starts here",
		},
		{
			description: "YAML: a merge key on a scalar",
			name:        "m.yaml",
			src:         "a: &a 1\nb:\n  <<: *a\n",
			at:          "m.yaml:3:7",
			message:     "a merge key (<<) needs a mapping, not a scalar",
		},
		{
			description: "YAML: a tab for indentation",
			name:        "m.yaml",
			src:         "Resources:\n\tA: 1\n",
			at:          "m.yaml:2:1",
			message:     "invalid YAML: found character that cannot start any token",
			hint:        "never tabs",
		},
		{
			description: "top level is a list (JSON)",
			name:        "m.json",
			src:         "[{\"Resources\": {}}]",
			at:          "m.json:1:1",
			message:     "the merge template must be a mapping at the top level, not a list",
		},
		{
			description: "top level is a string (YAML)",
			name:        "m.yaml",
			src:         "# comment\nResources\n",
			at:          "m.yaml:2:1",
			message:     "the merge template must be a mapping at the top level, not a string",
		},
		{
			description: "top level is null (JSON)",
			name:        "m.json",
			src:         "null",
			at:          "m.json:1:1",
			message:     "not null",
		},
		{
			description: "unknown short form",
			name:        "m.yaml",
			src:         "Resources:\n  A:\n    Value: !GetAttr A.Arn\n",
			at:          "m.yaml:3:12",
			message:     "unknown YAML tag !GetAttr",
			hint:        "did you mean !GetAtt?",
		},
		{
			description: "duplicate YAML key",
			name:        "m.yaml",
			src:         "Resources:\n  A: {Type: x}\n  B: {Type: y}\n  A: {Type: z}\n",
			at:          "m.yaml:4:3",
			message:     `duplicate key "A"`,
			note:        `m.yaml:2:3: "A" is first defined here`,
		},
		{
			description: "duplicate JSON key",
			name:        "m.json",
			src:         "{\"Resources\": {\n  \"A\": {\"Type\": \"x\"},\n  \"A\": {\"Type\": \"y\"}}}",
			at:          "m.json:3:3",
			message:     `duplicate key "A"`,
			note:        `m.json:2:3: "A" is first defined here`,
		},
		{
			description: "missing file",
			name:        "nope.json",
			at:          "nope.json",
			message:     "merge template not found",
			hint:        "relative to the working directory",
		},
	}
	for _, tc := range cases {
		t.Run(tc.description, func(t *testing.T) {
			var f *File
			var ds diag.Diagnostics
			if tc.src == "" && tc.name == "nope.json" {
				f, ds = Load(filepath.Join(t.TempDir(), tc.name), tc.name)
			} else {
				f, ds = load(t, tc.name, tc.src)
			}
			switch {
			case tc.name == "nope.json" && f != nil:
				t.Errorf("Load returned a file that does not exist")
			case tc.name != "nope.json" && (f == nil || f.Value != nil || string(f.Src) != tc.src):
				t.Errorf("Load of a file with errors: want its source and a nil Value, got %+v", f)
			}
			if len(ds) != 1 {
				t.Fatalf("want one diagnostic, got %d: %v", len(ds), ds)
			}
			d := ds[0]
			if d.Severity != diag.Error {
				t.Errorf("severity %v", d.Severity)
			}
			if got := d.Subject.String(); got != tc.at {
				t.Errorf("at %s, want %s (%s)", got, tc.at, d.Message)
			}
			if !strings.Contains(d.Message, tc.message) {
				t.Errorf("message %q, want it to contain %q", d.Message, tc.message)
			}
			if tc.hint != "" && !strings.Contains(strings.Join(d.Hints, "\n"), tc.hint) {
				t.Errorf("hints %q, want one containing %q", d.Hints, tc.hint)
			}
			if tc.note != "" && (len(d.Notes) != 1 || d.Notes[0].Range.String()+": "+d.Notes[0].Message != tc.note) {
				t.Errorf("notes %v, want %q", d.Notes, tc.note)
			}
		})
	}
}

// TestLoadFormatByExtension: .yaml and .yml (any case) are YAML, anything
// else is JSON — JSON is YAML too, so a .yaml file may hold JSON.
func TestLoadFormatByExtension(t *testing.T) {
	for _, name := range []string{"m.yaml", "m.YML", "m.Yaml"} {
		f := mustLoad(t, name, "A: !Ref B\n")
		if g := encode(t, f.Value); g != `{"A":{"Ref":"B"}}` {
			t.Errorf("%s: %s", name, g)
		}
	}
	f := mustLoad(t, "m.yaml", `{"A": {"Ref": "B"}}`)
	if g := encode(t, f.Value); g != `{"A":{"Ref":"B"}}` {
		t.Errorf("JSON in a .yaml file: %s", g)
	}
	for _, name := range []string{"m.json", "m.template", "m"} {
		f := mustLoad(t, name, `{"A": {"Ref": "B"}}`)
		if g := encode(t, f.Value); g != `{"A":{"Ref":"B"}}` {
			t.Errorf("%s: %s", name, g)
		}
	}
}
