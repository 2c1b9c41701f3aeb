package merge

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
)

// fn is a minimal function resource with extra properties.
func fn(props string) string {
	if props != "" {
		props = ", " + props
	}
	return `{"Type": "AWS::Serverless::Function", "Properties": {"Handler": "h", "Runtime": "provided.al2023", "CodeUri": "./deployment.zip"` + props + `}}`
}

// many returns n JSON members "<prefix><i>": value.
func many(prefix string, n int, value string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%q: %s", fmt.Sprint(prefix, i), value)
	}
	return strings.Join(parts, ", ")
}

// TestCheck: each check fires on a minimal template and names the
// offender; want lists every diagnostic as rendered on one line (with
// Error()), each matched as a substring, in sorted order.
func TestCheck(t *testing.T) {
	const topic = `{"Type": "AWS::SNS::Topic"}`
	cases := []struct {
		name     string
		template string
		size     int // 0: 1000 bytes
		compact  int // 0: size
		file     string
		// mergeFile, when set, is a merge template (JSON) merged onto
		// template before the check.
		mergeFile string
		want      []string
		hints     []string // substrings of some hint
	}{
		{
			name: "clean: references to resources, parameters, pseudo parameters, Sub variables",
			template: `{"Parameters": {"Stage": {"Type": "String"}}, "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
				"Resources": {"T": ` + topic + `, "F": ` + fn(`"Environment": {"Variables": {
					"A": {"Ref": "T"}, "B": {"Ref": "Stage"}, "C": {"Ref": "AWS::Region"}, "D": {"Fn::GetAtt": ["T", "TopicName"]},
					"E": {"Fn::GetAtt": "T.TopicName"}, "F": {"Fn::Sub": "${T}-${Stage}-${AWS::AccountId}-${T.TopicName}-${!Literal}"},
					"G": {"Fn::Sub": ["${X}-${T}", {"X": {"Ref": "Stage"}}]}, "H": {"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]},
					"I": {"Ref": "Api.Stage"}}}`) + `,
					"Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "api"}},
					"P": {"Type": "AWS::Lambda::Permission", "DependsOn": ["T", "F"], "Condition": "IsProd", "Properties": {}}},
				"Outputs": {"O": {"Value": {"Ref": "T"}, "Condition": "IsProd"}}}`,
		},
		{
			name:     "undefined Ref, with a suggestion",
			template: `{"Resources": {"MusicTable": {"Type": "AWS::DynamoDB::Table"}, "F": ` + fn(`"Environment": {"Variables": {"TABLE": {"Ref": "MusicTabel"}}}`) + `}}`,
			want:     []string{"error: /Resources/F/Properties/Environment/Variables/TABLE: Ref names MusicTabel, which is not a resource, parameter or pseudo parameter of the template"},
			hints:    []string{"did you mean MusicTable?"},
		},
		{
			name:     "undefined pseudo parameter",
			template: `{"Resources": {"F": ` + fn(`"Description": {"Ref": "AWS::Regoin"}`) + `}}`,
			want:     []string{"error: /Resources/F/Properties/Description: Ref names AWS::Regoin"},
		},
		{
			name:     "undefined GetAtt, list and string forms",
			template: `{"Resources": {"F": ` + fn(`"Role": {"Fn::GetAtt": ["DefaultRole", "Arn"]}, "Description": {"Fn::GetAtt": "Missing.Name"}`) + `}}`,
			want: []string{
				"error: /Resources/F/Properties/Description: Fn::GetAtt names Missing, which is not a resource of the template",
				"error: /Resources/F/Properties/Role: Fn::GetAtt names DefaultRole, which is not a resource of the template",
			},
		},
		{
			name:     "undefined Sub variables, string and list forms",
			template: `{"Resources": {"F": ` + fn(`"Description": {"Fn::Sub": "${Stage}-${AWS::Region}"}, "Handler": {"Fn::Sub": ["${X}${Y}${Gone.Arn}", {"X": "x"}]}`) + `}}`,
			want: []string{
				"error: /Resources/F/Properties/Description: Fn::Sub names Stage",
				"error: /Resources/F/Properties/Handler: Fn::Sub names Gone, which is not a resource",
				"error: /Resources/F/Properties/Handler: Fn::Sub names Y",
			},
		},
		{
			name:     "undefined DependsOn, string and list forms",
			template: `{"Resources": {"A": {"Type": "AWS::SNS::Topic", "DependsOn": "Nope"}, "B": {"Type": "AWS::SNS::Topic", "DependsOn": ["A", "Gone"]}}}`,
			want: []string{
				"error: resource A depends on Nope, which the template does not define",
				"error: resource B depends on Gone, which the template does not define",
			},
		},
		{
			name: "clean: references to resources SAM generates (stages, event resources, roles)",
			template: `{"Resources": {
				"RestAPI": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "api"}},
				"Beta": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "v1-beta"}},
				"Http": {"Type": "AWS::Serverless::HttpApi", "Properties": {}},
				"EveryHour": ` + fn(`"Role": "arn:aws:iam::123456789012:role/r", "Events": {"EveryHourEvent": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 hour)"}}}`) + `,
				"OnJob": ` + fn(`"Events": {"OnJobSqsEventSource": {"Type": "SQS", "Properties": {"Queue": "arn:aws:sqs:us-east-1:123456789012:jobs"}}}`) + `,
				"Usage": {"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": ["RestAPIapiStage", "BetaStage2817521297"],
					"Properties": {"ApiStages": [{"ApiId": {"Ref": "RestAPI"}, "Stage": {"Ref": "RestAPIapiStage"}}],
						"Description": {"Fn::Sub": "${HttpApiGatewayDefaultStage}-${EveryHourEveryHourEvent.Arn}-${OnJobRole.Arn}"}}},
				"Alarm": {"Type": "AWS::CloudWatch::Alarm", "DependsOn": ["EveryHourEveryHourEventPermission", "OnJobOnJobSqsEventSource"],
					"Properties": {"AlarmName": {"Fn::GetAtt": ["EveryHourEveryHourEvent", "Arn"]}}}}}`,
		},
		{
			name: "a SAM deployment is never a stable reference",
			template: `{"Resources": {
				"RestAPI": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "api"}},
				"Usage": {"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": "RestAPIDeployment0123456789",
					"Properties": {"Description": {"Ref": "RestAPIDeployment"}}}}}`,
			want: []string{
				"error: /Resources/Usage/Properties/Description: Ref names RestAPIDeployment, which is not a resource, parameter or pseudo parameter of the template",
				"error: resource Usage depends on RestAPIDeployment0123456789, which the template does not define",
			},
			hints: []string{"SAM names RestAPI's deployment after a hash of its definition", "refer to the stage instead: RestAPIapiStage"},
		},
		{
			name: "a stage SAM does not generate, with a suggestion",
			template: `{"Resources": {
				"RestAPI": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "api"}},
				"Usage": {"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": "RestAPIApiStage"}}}`,
			want:  []string{"error: resource Usage depends on RestAPIApiStage, which the template does not define"},
			hints: []string{"did you mean RestAPIapiStage?"},
		},
		{
			name: "a resource with the ID of one SAM generates",
			template: `{"Resources": {
				"EveryHour": ` + fn(`"Role": "r", "Events": {"EveryHourEvent": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 hour)"}}}`) + `,
				"EveryHourEveryHourEvent": {"Type": "AWS::SNS::Topic"}}}`,
			want:  []string{"error: resource EveryHourEveryHourEvent has the logical ID of the EventBridge rule SAM generates for event EveryHourEvent of EveryHour"},
			hints: []string{"rename yours"},
		},
		{
			name: "undefined conditions: resource, output, Fn::If, Condition function",
			template: `{"Conditions": {"IsProd": {"Fn::Equals": ["a", "b"]}, "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]}},
				"Resources": {"A": {"Type": "AWS::SNS::Topic", "Condition": "IsPrd", "Properties": {"TopicName": {"Fn::If": ["Staging", "a", "b"]}}}},
				"Outputs": {"O": {"Value": "x", "Condition": "Nope"}}}`,
			want: []string{
				"error: /Conditions/Both/Fn::And/1: condition IsDev is not defined in the template's Conditions",
				"error: /Resources/A/Properties/TopicName: condition Staging is not defined",
				"error: output O uses condition Nope, which the template does not define",
				"error: resource A uses condition IsPrd, which the template does not define",
			},
			hints: []string{"did you mean IsProd?"},
		},
		{
			name:     "bad logical IDs",
			template: `{"Resources": {"Music-Table": ` + topic + `, "` + strings.Repeat("A", 256) + `": ` + topic + `}, "Outputs": {"api_url": {"Value": "x"}}}`,
			want: []string{
				`error: logical ID "Music-Table" in Resources may only hold letters and digits`,
				`error: logical ID "api_url" in Outputs may only hold letters and digits`,
				"error: logical ID AAAAAAAAAAAAAAAAAAAA... in Resources is 256 characters; the limit is 255",
			},
		},
		{
			name:     "a null resource, a resource without Type",
			template: `{"Resources": {"APIHandler": ` + fn("") + `, "DefaultRole": null, "ApiHandler": {"Properties": {"MemorySize": 1024}}}}`,
			want: []string{
				"error: resource ApiHandler has no Type",
				"error: resource DefaultRole is null, not a mapping with a Type",
			},
			hints: []string{"did you mean APIHandler?", "null in a merge template does not delete a resource"},
		},
		{
			name:     "more than 500 resources",
			template: `{"Resources": {` + many("T", 501, topic) + `}}`,
			want:     []string{"error: the template has 501 resources; CloudFormation allows 500"},
		},
		{
			name:     "500 resources fit",
			template: `{"Resources": {` + many("T", 500, topic) + `}}`,
		},
		{
			name:     "more than 200 outputs",
			template: `{"Outputs": {` + many("O", 201, `{"Value": "v"}`) + `}}`,
			want:     []string{"error: the template has 201 outputs; CloudFormation allows 200"},
		},
		{
			name:     "more than 200 parameters",
			template: `{"Parameters": {` + many("P", 201, `{"Type": "String"}`) + `}}`,
			want:     []string{"error: the template has 201 parameters; CloudFormation allows 200"},
		},
		{
			name:     "over 1 MB, fits minified",
			template: `{}`,
			size:     1_700_000,
			compact:  760_000,
			want:     []string{"error: the template is 1700000 bytes; CloudFormation accepts at most 1000000"},
			hints:    []string{"minified JSON it is 760000 bytes, which fits: run chalc package with --compact"},
		},
		{
			name:     "over 1 MB as YAML, fits as minified JSON",
			template: `{}`,
			file:     "out/sam.yaml",
			size:     1_200_000,
			compact:  900_000,
			want:     []string{"out/sam.yaml: error: the template is 1200000 bytes"},
			hints:    []string{"run chalc package with --template-format json --compact"},
		},
		{
			name:     "over 1 MB even minified",
			template: `{}`,
			size:     2_000_000,
			compact:  1_000_001,
			want:     []string{"error: the template is 2000000 bytes (1000001 minified); CloudFormation accepts at most 1000000"},
			hints:    []string{"split the app"},
		},
		{
			name:     "exactly 1 MB fits, with the inline warning",
			template: `{}`,
			size:     1_000_000,
			want:     []string{"warning: the template is 1000000 bytes, over the 51200 CloudFormation takes inline"},
		},
		{
			name:     "over 51,200 bytes: a warning",
			template: `{}`,
			size:     51_201,
			want:     []string{"out/sam.json: warning: the template is 51201 bytes, over the 51200 CloudFormation takes inline"},
			hints:    []string{"--s3-bucket"},
		},
		{
			name:     "51,200 bytes: nothing",
			template: `{}`,
			size:     51_200,
		},
		{
			name:      "environment over 4 KB from a merge template",
			template:  `{"Resources": {"Big": ` + fn(`"Environment": {"Variables": {"A": "`+strings.Repeat("x", 4000)+`"}}`) + `, "Small": ` + fn(`"Environment": {"Variables": {"A": "`+strings.Repeat("x", 4000)+`"}}`) + `}}`,
			mergeFile: `{"Resources": {"Big": {"Properties": {"Environment": {"Variables": {"B": "` + strings.Repeat("y", 100) + `"}}}}}}`,
			want:      []string{"error: function Big: its environment variables take 4106 bytes; Lambda allows 4096"},
			hints:     []string{"SSM Parameter Store"},
		},
		{
			// chalc's own environment is checked at the manifest line that
			// set it (the compiler), not again in the template.
			name:     "environment over 4 KB without a merge template: the compiler's",
			template: `{"Resources": {"Big": ` + fn(`"Environment": {"Variables": {"A": "`+strings.Repeat("x", 4200)+`"}}`) + `}}`,
		},
		{
			name:     "FunctionName over 64 characters",
			template: `{"Resources": {"F": ` + fn(`"FunctionName": "`+strings.Repeat("f", 65)+`"`) + `, "G": ` + fn(`"FunctionName": "`+strings.Repeat("g", 64)+`"`) + `}}`,
			want:     []string{"error: function F: FunctionName \"" + strings.Repeat("f", 65) + "\" is 65 characters; Lambda allows 64"},
		},
		{
			name: "clean: intrinsics of every shape CloudFormation takes",
			template: `{"Parameters": {"Stage": {"Type": "String"}}, "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
					"Not": {"Fn::Not": [{"Condition": "IsProd"}]}, "Any": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "Not"}]}},
				"Mappings": {"M": {"a": {"b": "c"}}},
				"Globals": {"Function": {"Timeout": 30}, "Api": {"TracingEnabled": true}},
				"Resources": {"T": ` + topic + `, "F": ` + fn(`"Environment": {"Variables": {
					"A": {"Fn::Join": ["-", ["a", {"Ref": "T"}]]}, "B": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
					"C": {"Fn::Split": [",", "a,b"]}, "D": {"Fn::FindInMap": ["M", "a", "b"]}, "E": {"Fn::Base64": "x"},
					"G": {"Fn::GetAtt": ["T", {"Ref": "Stage"}]}, "H": {"Fn::ImportValue": {"Fn::Sub": "${Stage}-x"}},
					"I": {"Fn::If": ["IsProd", {"Fn::Join": ["", ["a"]]}, {"Ref": "AWS::NoValue"}]}, "J": {"Fn::Join": ["", {"Fn::Split": [",", "a"]}]}}}`) + `},
				"Outputs": {"O": {"Value": {"Fn::GetAtt": "T.TopicName"}}}}`,
		},
		{
			name: "malformed intrinsics",
			template: `{"Conditions": {"C": {"Fn::Equals": ["a"]}, "D": {"Fn::And": [{"Condition": 1}, {"Condition": "C"}]}},
				"Resources": {"T": ` + topic + `, "F": ` + fn(`"Environment": {"Variables": {
					"A": {"Ref": ["T"]}, "B": {"Fn::GetAtt": ["T", ""]}, "C": {"Fn::GetAtt": ["T"]}, "D": {"Fn::GetAtt": "T"},
					"E": {"Fn::If": {"Ref": "T"}}, "G": {"Fn::If": ["C", "a"]}, "H": {"Fn::Sub": ["${X}"]}, "I": {"Fn::Sbu": "x"},
					"J": {"Fn::Join": "-"}, "K": {"Fn::Select": [0, ["a"], 1]}, "L": {"Ref": ""}}}`) + `}}`,
			want: []string{
				"error: /Conditions/C: Fn::Equals takes a list of 2; this one has 1",
				"error: /Conditions/D/Fn::And/0: Condition takes the name of a condition, not the number 1",
				"error: /Resources/F/Properties/Environment/Variables/A: Ref takes the name of a resource or parameter, not a list of 1",
				"error: /Resources/F/Properties/Environment/Variables/B: Fn::GetAtt's attribute is empty",
				"error: /Resources/F/Properties/Environment/Variables/C: Fn::GetAtt takes a list of two, a logical ID and an attribute; this one has 1",
				`error: /Resources/F/Properties/Environment/Variables/D: Fn::GetAtt "T" names no attribute: it takes LogicalID.Attribute`,
				"error: /Resources/F/Properties/Environment/Variables/E: Fn::If takes a list of three: a condition name, the value if true, the value if false; got a mapping",
				"error: /Resources/F/Properties/Environment/Variables/G: Fn::If takes a list of three: a condition name, the value if true, the value if false; got a list of 2",
				"error: /Resources/F/Properties/Environment/Variables/H: Fn::Sub takes a string, or a list of a string and a mapping of variables; this list has 1 elements",
				"error: /Resources/F/Properties/Environment/Variables/I: Fn::Sbu is not a CloudFormation intrinsic function",
				`error: /Resources/F/Properties/Environment/Variables/J: Fn::Join takes a list of 2, not the string "-"`,
				"error: /Resources/F/Properties/Environment/Variables/K: Fn::Select takes a list of 2; this one has 3",
				"error: /Resources/F/Properties/Environment/Variables/L: Ref takes the name of a resource or parameter, not an empty string",
			},
			hints: []string{"did you mean Fn::Sub?", "YAML: !GetAtt LogicalID.Attribute", "YAML: !If [Condition, yes, no]"},
		},
		{
			name: "resource attributes of the wrong shape",
			template: `{"Conditions": {"IsProd": {"Fn::Equals": ["a", "b"]}}, "Resources": {
				"A": {"Type": "AWS::SNS::Topic", "Properties": ["TopicName", "x"]},
				"B": {"Type": "AWS::SNS::Topic", "DependsOn": {"Ref": "A"}},
				"C": {"Type": "AWS::SNS::Topic", "DependsOn": ["A", 7]},
				"D": {"Type": "AWS::SNS::Topic", "Condition": ["IsProd"]},
				"E": {"Type": "AWS::SNS::Topic", "Condition": "IsProd", "DependsOn": "A", "Properties": {"TopicName": "e"}}}}`,
			want: []string{
				"error: resource A: Properties is a list of 2, not a mapping",
				"error: resource B: DependsOn is a mapping; it takes a logical ID or a list of them",
				"error: resource C: DependsOn lists the number 7; it takes logical IDs",
				"error: resource D: Condition is a list of 1; it takes the name of a condition in Conditions",
			},
		},
		{
			name:     "a malformed Globals section",
			template: `{"Globals": {"Function": ["Timeout", 30], "Functions": {"Timeout": 30}}}`,
			want: []string{
				"error: Globals.Function is a list of 2; it maps property names to values",
				"warning: Globals.Functions is not a section SAM documents",
			},
			hints: []string{"did you mean Function?"},
		},
		{
			name:     "Globals not a mapping",
			template: `{"Globals": "Function"}`,
			want:     []string{`error: Globals is the string "Function"; it maps resource kinds (Function, Api, ...) to their shared properties`},
		},
		{
			name: "REST API over 300 resources: a warning",
			template: `{"Resources": {"RestAPI": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "api", "DefinitionBody": {"paths": {` +
				many("/r", 150, `{}`) + `, ` + many("/s/", 150, `{}`) + `}}}}}}`,
			want: []string{"warning: REST API RestAPI has 302 resources, over API Gateway's default quota of 300"},
		},
		{
			name: "REST API with 300 resources: nothing",
			template: `{"Resources": {"RestAPI": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "api", "DefinitionBody": {"paths": {` +
				many("/r", 299, `{}`) + `}}}}}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := decode(t, tc.template).(map[string]any)
			size, compact, file := tc.size, tc.compact, tc.file
			if size == 0 {
				size = 1000
			}
			if compact == 0 {
				compact = size
			}
			if file == "" {
				file = "out/sam.json"
			}
			var files []*File
			if tc.mergeFile != "" {
				path := filepath.Join(t.TempDir(), "merge.json")
				if err := os.WriteFile(path, []byte(tc.mergeFile), 0o644); err != nil {
					t.Fatal(err)
				}
				f, lds := Load(path, "merge.json")
				if lds.HasErrors() {
					t.Fatal(lds)
				}
				merged, mds := Merge(tmpl, f.Value, f)
				if mds.HasErrors() {
					t.Fatal(mds)
				}
				tmpl, files = merged.(map[string]any), []*File{f}
			}
			ds := Check(tmpl, file, size, compact, files).Sorted()
			sortByText(ds)
			if len(ds) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(ds), len(tc.want), render(ds, nil))
			}
			for i, want := range tc.want {
				if got := ds[i].Error(); !strings.Contains(got, want) {
					t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, got, want)
				}
			}
			var hints []string
			for _, d := range ds {
				hints = append(hints, d.Hints...)
			}
			for _, h := range tc.hints {
				if !strings.Contains(strings.Join(hints, "\n"), h) {
					t.Errorf("no hint contains %q; hints: %q", h, hints)
				}
			}
		})
	}
}

// sortByText orders diagnostics by their one-line text, so that the
// table can list them alphabetically whatever their positions.
func sortByText(ds diag.Diagnostics) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Error() < ds[j-1].Error(); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// TestCheckPositions: an offender that came from a merge template is
// reported at its line there (the last file that sets it); one that came
// from the generated template at the output file.
func TestCheckPositions(t *testing.T) {
	first := mustLoad(t, "1.yaml", "Resources:\n  APIHandler:\n    Properties:\n      Environment:\n        Variables:\n          TABLE_NAME: !Ref MusicTabel\n  ApiHandler:\n    Properties: {MemorySize: 1024}\n")
	second := mustLoad(t, "2.json", "{\"Resources\": {\n  \"APIHandler\": {\"Properties\": {\"Role\": {\"Fn::GetAtt\": [\"Rol\", \"Arn\"]}}},\n  \"Bad-Name\": {\"Type\": \"AWS::SNS::Topic\"}}}\n")
	base := decode(t, `{"Resources": {
		"MusicTable": {"Type": "AWS::DynamoDB::Table"},
		"APIHandler": `+fn(`"Role": {"Fn::GetAtt": ["DefaultRole", "Arn"]}, "Description": {"Ref": "Gone"}`)+`}}`)
	v, ds := Merge(base, first.Value, first)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	v, ds = Merge(v, second.Value, second)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	ds = Check(v.(map[string]any), "out/sam.json", 1000, 900, []*File{first, second}).Sorted()
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	want := []string{
		"1.yaml:6:23: error: /Resources/APIHandler/Properties/Environment/Variables/TABLE_NAME: Ref names MusicTabel, which is not a resource, parameter or pseudo parameter of the template",
		"1.yaml:7:3: error: resource ApiHandler has no Type",
		"2.json:2:41: error: /Resources/APIHandler/Properties/Role: Fn::GetAtt names Rol, which is not a resource of the template",
		"2.json:3:3: error: logical ID \"Bad-Name\" in Resources may only hold letters and digits",
		"out/sam.json: error: /Resources/APIHandler/Properties/Description: Ref names Gone, which is not a resource, parameter or pseudo parameter of the template",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
