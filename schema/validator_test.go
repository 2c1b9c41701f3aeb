package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/chalc-dev/chalc/manifest"
)

// TestValidatorAgreesWithJSONSchema compares chalc's validator with a
// general JSON Schema implementation (santhosh-tekuri/jsonschema, the one
// chalc used before) on every example manifest and on variants of the
// valid ones: each value replaced by one of every JSON type, and an
// unknown key added to each mapping. Both must find the same failures:
// the same keywords, at the same instance and schema locations, in the
// same tree.
func TestValidatorAgreesWithJSONSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	jc := jsonschema.NewCompiler()
	if err := jc.AddResource(ID, doc); err != nil {
		t.Fatal(err)
	}
	ref, err := jc.Compile(ID)
	if err != nil {
		t.Fatal(err)
	}
	ours := load().app

	compare := func(what string, inst any) {
		t.Helper()
		var want []string
		if err := ref.Validate(inst); err != nil {
			want = flattenReference(err.(*jsonschema.ValidationError), "")
		}
		var got []string
		if e := ours.validate(inst); e != nil {
			got = flattenOurs(e, "")
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\nchalc's validator:\n  %s\njsonschema:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}

	files, _ := filepath.Glob("../testdata/manifests/*/*.yaml")
	if len(files) < 50 {
		t.Fatalf("only %d example manifests", len(files))
	}
	variants := 0
	for _, f := range files {
		set, _ := manifest.Load(f)
		if set.Root == nil || set.Root.Root == nil {
			continue
		}
		inst := (&converter{}).value(set.Root.Root)
		compare(f, inst)
		if !strings.Contains(f, "/valid/") {
			continue
		}
		mutate(inst, func(path string) {
			variants++
			compare(f+" with "+path, inst)
		})
	}
	t.Logf("%d manifests, %d variants", len(files), variants)
}

// mutate calls fn after each change of v in place: every value replaced
// by one of each JSON type, and an unknown key added to every mapping;
// each change is undone after fn.
func mutate(v any, fn func(path string)) {
	replacements := []any{"x", json.Number("5"), json.Number("1.5"), json.Number("-3"), true, nil, []any{}, map[string]any{}, []any{"x"}, map[string]any{"k": "v"}}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			v["zz_unknown"] = "x"
			fn(path + "/+zz_unknown")
			delete(v, "zz_unknown")
			for _, k := range objectKeys(v) {
				old := v[k]
				for _, r := range replacements {
					v[k] = r
					fn(fmt.Sprintf("%s/%s=%v", path, k, r))
				}
				v[k] = old
				walk(old, path+"/"+k)
			}
		case []any:
			for i, old := range v {
				for _, r := range replacements {
					v[i] = r
					fn(fmt.Sprintf("%s/%d=%v", path, i, r))
				}
				v[i] = old
				walk(old, fmt.Sprintf("%s/%d", path, i))
			}
		}
	}
	walk(v, "")
}

// flattenReference lists a jsonschema error tree, one line per error:
// depth, keyword, instance location, schema location and details.
func flattenReference(e *jsonschema.ValidationError, indent string) []string {
	kw := strings.Join(e.ErrorKind.KeywordPath(), "/")
	detail := ""
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group:
		kw = ""
	case *kind.Reference:
		kw = "$ref"
	case *kind.OneOf:
		detail = fmt.Sprint(k.Subschemas)
	case *kind.Required:
		detail = fmt.Sprint(k.Missing)
	case *kind.AdditionalProperties:
		p := append([]string(nil), k.Properties...)
		sort.Strings(p)
		detail = fmt.Sprint(p)
	case *kind.FalseSchema:
		kw = "false"
	case *kind.Not:
		kw = "not" // its KeywordPath is empty
	}
	line := fmt.Sprintf("%s%s %q %s %s", indent, kw, e.InstanceLocation, fragment(e.SchemaURL), detail)
	return append([]string{line}, sortedCauses(e.Causes, func(c *jsonschema.ValidationError) []string { return flattenReference(c, indent+"  ") })...)
}

func flattenOurs(e *verror, indent string) []string {
	kw := e.kind.keyword()
	detail := ""
	switch k := e.kind.(type) {
	case kOneOf:
		detail = fmt.Sprint(k.both)
	case kRequired:
		detail = fmt.Sprint(k.missing)
	case kAdditionalProperties:
		detail = fmt.Sprint(k.props)
	}
	loc := e.loc
	if loc == nil {
		loc = []string{}
	}
	line := fmt.Sprintf("%s%s %q %s %s", indent, kw, loc, fragment(e.schema), detail)
	return append([]string{line}, sortedCauses(e.causes, func(c *verror) []string { return flattenOurs(c, indent+"  ") })...)
}

// sortedCauses flattens causes in a fixed order (the reference visits
// an object's properties in map order).
func sortedCauses[E any](causes []E, flat func(E) []string) []string {
	var blocks []string
	for _, c := range causes {
		blocks = append(blocks, strings.Join(flat(c), "\n"))
	}
	sort.Strings(blocks)
	var out []string
	for _, b := range blocks {
		out = append(out, strings.Split(b, "\n")...)
	}
	return out
}

// fragment is a schema URL's fragment, unescaped ("/$defs/route").
func fragment(u string) string {
	_, f, _ := strings.Cut(u, "#")
	if s, err := url.PathUnescape(f); err == nil {
		f = s
	}
	return "#" + f
}
