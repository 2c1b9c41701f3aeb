package sam_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/internal/cfnjson"
	"github.com/chalc-dev/chalc/sam"
)

const userStringsManifest = `version: 1
app_name: strings
routes:
  /:
    GET:
      handler: Index
      summary: placeholder
functions:
  every_hour:
    handler: Tick
    schedule: {expression: rate(1 hour), description: placeholder}
environment_variables: {VALUE: placeholder}
tags: {owner: placeholder}
`

// userStringsOut generates the template of userStringsManifest with s in
// the places a user's strings go (an environment variable, a tag, a
// route's summary, a schedule's description) and returns what the
// template holds in each.
func userStringsOut(t *testing.T, s string) map[string]any {
	t.Helper()
	app := compile(t, userStringsManifest)
	for _, f := range app.Stage.Functions {
		for i := range f.Environment {
			f.Environment[i].Value = s
		}
		for i := range f.Tags {
			f.Tags[i].Value = s
		}
	}
	app.Routes[0].Summary = s
	app.Functions[0].Schedule.Description = s
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	// Through the bytes chalc writes, as deploy and merge read them.
	b, err := cfnjson.EncodeJSON(v, true)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	res := out["Resources"].(map[string]any)
	fn := props(t, res, "EveryHour")
	api := props(t, res, "RestAPI")
	return map[string]any{
		"env":         fn["Environment"].(map[string]any)["Variables"].(map[string]any)["VALUE"],
		"tag":         fn["Tags"].(map[string]any)["owner"],
		"summary":     api["DefinitionBody"].(map[string]any)["paths"].(map[string]any)["/"].(map[string]any)["get"].(map[string]any)["summary"],
		"description": fn["Events"].(map[string]any)["EveryHourEvent"].(map[string]any)["Properties"].(map[string]any)["Description"],
	}
}

// TestUserStringsAreNotIntrinsics: goformation encodes its intrinsic
// helpers as base64 JSON in strings, and renders any string that decodes
// to one as an intrinsic. A user's value that happens to be such a string
// (base64 of {"Ref":"AWS::Region"}) must come out as that string.
func TestUserStringsAreNotIntrinsics(t *testing.T) {
	for _, s := range []string{
		"eyJSZWYiOiJBV1M6OlJlZ2lvbiJ9",                 // {"Ref":"AWS::Region"}
		"eyAiRm46OkdldEF0dCIgOiBbICJBIiwgIkFybiIgXSB9", // { "Fn::GetAtt" : [ "A", "Arn" ] }
		"chalc:definition-body:RestAPI",                // the old swagger placeholder
	} {
		for where, got := range userStringsOut(t, s) {
			if got != s {
				t.Errorf("%s %q came out as %v", where, s, got)
			}
		}
	}
}

// FuzzUserStrings: no user string changes on its way into the template.
func FuzzUserStrings(f *testing.F) {
	f.Add("eyJSZWYiOiJBV1M6OlJlZ2lvbiJ9")
	f.Add("${AWS::Region}")
	f.Add("\x00chalc-0123:fn:{\"Ref\":\"X\"}")
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
			return // YAML strings are valid UTF-8; an empty summary is none
		}
		for where, got := range userStringsOut(t, s) {
			if got != s {
				t.Fatalf("%s %q came out as %v", where, s, got)
			}
		}
	})
}
