package merge

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzJSON decodes a fuzz input as a template value; ok is false for
// anything that is not a single JSON value.
func fuzzJSON(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// goldenSeeds returns the base template and every golden merge template,
// as JSON (YAML files through Load, so the seeds hold long-form
// intrinsics).
func goldenSeeds(f *testing.F) (base []byte, files [][]byte) {
	base, err := os.ReadFile(baseTemplate)
	if err != nil {
		f.Fatal(err)
	}
	dirs, _ := filepath.Glob("testdata/golden/*")
	for _, dir := range dirs {
		for _, path := range mergeFiles(f, dir) {
			mf, ds := Load(path, filepath.Base(path))
			if ds.HasErrors() {
				f.Fatal(ds)
			}
			b, err := json.Marshal(mf.Value)
			if err != nil {
				f.Fatal(err)
			}
			files = append(files, b)
		}
	}
	return base, files
}

// FuzzMerge checks Merge's laws on any pair of JSON values: it never
// panics and never modifies its inputs; merging an empty mapping changes
// nothing; merging the same file twice is the same as once (go/printer's
// idempotence test, for merges), and the second time reports no conflict.
func FuzzMerge(f *testing.F) {
	base, files := goldenSeeds(f)
	for _, file := range files {
		f.Add(base, file)
		f.Add(file, file)
	}
	for _, pair := range [][2]string{
		{`{"a": {"b": 1}}`, `{"a": "x"}`},
		{`{"a": [1, 2]}`, `{"a": {"b": null}}`},
		{`{"a": {"Ref": "X"}}`, `{"a": {"Fn::GetAtt": ["Y", "Arn"]}}`},
		{`{"a": {}}`, `{"a": {"Fn::Sub": "x"}}`},
		{`{"a": {"Fn::If": [1, 2, 3]}}`, `{"a": {"b": 1}}`},
		{`{"a": null}`, `{"a": {"b": [true]}}`},
		{`[1]`, `{}`},
		{`"s"`, `{"a": 1}`},
	} {
		f.Add([]byte(pair[0]), []byte(pair[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		va, ok := fuzzJSON(a)
		if !ok {
			return
		}
		vb, ok := fuzzJSON(b)
		if !ok {
			return
		}
		aText, bText := encode(t, va), encode(t, vb)

		once, ds := Merge(va, vb, nil)
		if encode(t, va) != aText || encode(t, vb) != bText {
			t.Fatalf("Merge modified its inputs")
		}
		for _, d := range ds {
			if !strings.HasPrefix(d.Message, "/") {
				t.Errorf("diagnostic without a JSON pointer: %q", d.Message)
			}
		}

		if _, isMap := va.(map[string]any); isMap {
			same, ds := Merge(va, map[string]any{}, nil)
			if len(ds) > 0 || encode(t, same) != aText {
				t.Fatalf("merge(a, {}) != a:\n a: %s\n got: %s %v", aText, encode(t, same), ds)
			}
		}

		twice, ds := Merge(once, vb, nil)
		if g, w := encode(t, twice), encode(t, once); g != w {
			t.Fatalf("merging b twice differs from once:\n a: %s\n b: %s\n once: %s\n twice: %s", aText, bText, w, g)
		}
		if len(ds) > 0 {
			t.Fatalf("merging b a second time reports %v", ds)
		}
	})
}

// FuzzLoad: no input makes Load panic, and whatever it accepts is a
// mapping whose values encode as JSON. The seeds are the golden merge
// templates, in both formats.
func FuzzLoad(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/golden/*")
	for _, dir := range dirs {
		for _, path := range mergeFiles(f, dir) {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src, strings.HasSuffix(path, ".yaml"))
		}
	}
	f.Add([]byte("a: &a [*a]\n"), true)
	f.Add([]byte("a: &a {b: 1}\nc: {<<: *a, b: 2}\n"), true)
	f.Add([]byte("{\"a\": 1, \"a\": 2}"), false)
	f.Fuzz(func(t *testing.T, src []byte, isYAML bool) {
		name := "m.json"
		if isYAML {
			name = "m.yaml"
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		file, ds := Load(path, name)
		if file == nil || ds.HasErrors() != (file.Value == nil) {
			t.Fatalf("Load returned %+v with diagnostics %v", file, ds)
		}
		for _, d := range ds {
			if d.Subject.Filename != name {
				t.Errorf("diagnostic not in %s: %v", name, d)
			}
		}
		if file.Value == nil {
			return
		}
		if _, err := json.Marshal(file.Value); err != nil {
			t.Fatalf("the loaded value does not encode as JSON: %v", err)
		}
		if r := file.Pos([]string{"no", "such", "path"}); r.Filename != name {
			t.Errorf("Pos of a missing path: %v", r)
		}
	})
}
