package merge

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/golden"
	"github.com/chalc-dev/chalc/internal/samschema"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/sam"
	"github.com/chalc-dev/chalc/stages"
)

// baseTemplate is testdata/base/sam.json: chalc's template for
// testdata/base/chalice.yaml, which the golden merges start from.
const baseTemplate = "testdata/base/sam.json"

// TestBaseTemplate keeps testdata/base/sam.json what chalc generates
// today (CHALC_UPDATE=1 rewrites it, and then the goldens below), and
// checks that a generated template passes Check with no diagnostic.
func TestBaseTemplate(t *testing.T) {
	src, err := os.ReadFile("testdata/base/chalice.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, ds := manifest.Parsed("chalice.yaml", src)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	app, cds := compiler.Compile(set, compiler.Options{})
	if app == nil {
		t.Fatal(cds)
	}
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	out, err := cfnjson.EncodeJSON(v, false)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, baseTemplate, out)
	compact, err := cfnjson.EncodeJSON(v, true)
	if err != nil {
		t.Fatal(err)
	}
	if ds := Check(v, "out/sam.json", len(out), len(compact), nil); len(ds) > 0 {
		t.Errorf("a generated template has diagnostics:\n%s", render(ds, nil))
	}
}

// readBase loads the base template as Package sees it (plain values,
// json.Number).
func readBase(t testing.TB) map[string]any {
	t.Helper()
	src, err := os.ReadFile(baseTemplate)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, string(src)).(map[string]any)
}

// mergeFiles lists a golden case's merge templates, in the order they
// apply (by name: 1-..., 2-...).
func mergeFiles(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if e.Name() != "want.json" && !e.IsDir() {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("%s has no merge template", dir)
	}
	return files
}

// TestGoldenMerges applies each testdata/golden/<case>/ merge template in
// name order onto the base template, as `chalc package --merge-template
// 1-... --merge-template 2-...` does, and compares the result with
// want.json (CHALC_UPDATE=1 rewrites it). Each result must pass Check
// without errors and the SAM resource schema (compiled once, ~25 s; skipped
// with -short).
func TestGoldenMerges(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var v any = readBase(t)
			var files []*File
			sources := diag.Sources{}
			for _, path := range mergeFiles(t, dir) {
				f, ds := Load(path, filepath.Base(path))
				if ds.HasErrors() {
					t.Fatalf("%s:\n%s", path, render(ds, nil))
				}
				sources[f.Name] = f.Src
				files = append(files, f)
				v, ds = Merge(v, f.Value, f)
				if len(ds) > 0 {
					t.Fatalf("merging %s:\n%s", path, render(ds, sources))
				}
			}
			out, err := cfnjson.EncodeJSON(v, false)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join(dir, "want.json"), out)
			compact, err := cfnjson.EncodeJSON(v, true)
			if err != nil {
				t.Fatal(err)
			}
			if ds := Check(v.(map[string]any), "out/sam.json", len(out), len(compact), files); ds.HasErrors() {
				t.Errorf("the merged template fails Check:\n%s", render(ds, sources))
			}
			// Merging the last file again changes nothing.
			last := files[len(files)-1]
			again, _ := Merge(v, last.Value, last)
			if encode(t, again) != encode(t, v) {
				t.Errorf("merging %s twice differs from merging it once", last.Name)
			}
			if testing.Short() {
				t.Skip("the SAM schema check takes ~25 s; skipped with -short")
			}
			if err := samschema.Validate(out); err != nil {
				t.Errorf("the merged template fails the SAM schema:\n%v", err)
			}
		})
	}
}

// render prints diagnostics as the CLI does, for test failures.
func render(ds diag.Diagnostics, src diag.Sources) string {
	var b strings.Builder
	diag.Fprint(&b, src, ds)
	return b.String()
}

// TestCheckGeneratedTemplates: every template chalc generates for the
// valid example manifests (every stage) passes Check without an error —
// including SAM's own references such as {"Ref": "RestAPI.Stage"} for a
// custom domain.
func TestCheckGeneratedTemplates(t *testing.T) {
	manifests, _ := filepath.Glob("../testdata/manifests/valid/*.yaml")
	apps, _ := filepath.Glob("../testdata/apps/*/chalice.yaml")
	manifests = append(manifests, apps...)
	if len(manifests) == 0 {
		t.Fatal("no example manifests")
	}
	stageRefs := 0
	defer func() {
		if stageRefs == 0 && !t.Failed() {
			t.Errorf(`no example template has {"Ref": "RestAPI.Stage"}; the test no longer covers it`)
		}
	}()
	sets := map[string]*manifest.Set{}
	// An app's resources.yaml is its merge template (package merges it).
	mergeFiles := map[string]*File{}
	for _, path := range manifests {
		res := filepath.Join(filepath.Dir(path), "resources.yaml")
		if _, err := os.Stat(res); err == nil && filepath.Base(path) == "chalice.yaml" {
			f, ds := Load(res, "resources.yaml")
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			mergeFiles[filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path)] = f
		}
		set, ds := manifest.Load(path)
		if ds.HasErrors() {
			t.Errorf("%s: %v", path, ds)
			continue
		}
		sets[filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path)] = set
	}
	// A custom domain: its base path mapping refers to RestAPI.Stage.
	set, ds := manifest.Parsed("chalice.yaml", []byte(`version: 1
app_name: domain
handlers: ./app
routes:
  /:
    GET: Index
stages:
  dev:
    api_gateway_custom_domain:
      domain_name: api.example.com
      certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/abc
`))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	sets["inline/custom_domain.yaml"] = set
	names := make([]string, 0, len(sets))
	for name := range sets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		set := sets[name]
		for _, stage := range stages.Names(set.Decode()) {
			t.Run(name+"/"+stage, func(t *testing.T) {
				app, cds := compiler.Compile(set, compiler.Options{Stage: stage})
				if app == nil {
					t.Fatal(cds)
				}
				v, err := sam.Generate(app)
				if errors.Is(err, fs.ErrNotExist) {
					t.Skipf("the example lacks a file it names (it is a manifest-only fixture): %v", err)
				}
				if err != nil {
					t.Fatal(err)
				}
				if f := mergeFiles[name]; f != nil {
					merged, ds := Merge(v, f.Value, f)
					if ds.HasErrors() {
						t.Fatal(ds)
					}
					v = merged.(map[string]any)
				}
				// bucket_resource, topic_resource...: name resources the
				// user's merge template defines; supply them as such a
				// template would.
				if sources := sourceResources(v); len(sources) > 0 {
					overlay := map[string]any{}
					for id, typ := range sources {
						overlay[id] = map[string]any{"Type": typ}
					}
					merged, ds := Merge(v, map[string]any{"Resources": overlay}, nil)
					if len(ds) > 0 {
						t.Fatal(ds)
					}
					v = merged.(map[string]any)
				}
				pretty, _ := cfnjson.EncodeJSON(v, false)
				if bytes.Contains(pretty, []byte(`"Ref": "RestAPI.Stage"`)) {
					stageRefs++
				}
				compact, _ := cfnjson.EncodeJSON(v, true)
				ds := Check(v, "out/sam.json", len(pretty), len(compact), nil)
				if ds.HasErrors() {
					t.Errorf("a generated template fails Check:\n%s", render(ds, nil))
				}
				for _, d := range ds {
					t.Logf("%v", d)
				}
			})
		}
	}
}

// sourceResources returns the resources SAM events refer to ({"Ref": X}
// or {"Fn::GetAtt": [X, ...]}) and the type each would have.
func sourceResources(t map[string]any) map[string]string {
	types := map[string]string{"S3": "AWS::S3::Bucket", "SNS": "AWS::SNS::Topic", "SQS": "AWS::SQS::Queue",
		"Kinesis": "AWS::Kinesis::Stream", "DynamoDB": "AWS::DynamoDB::Table"}
	out := map[string]string{}
	for _, r := range section(t, "Resources") {
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		events, _ := props["Events"].(map[string]any)
		for _, e := range events {
			ev, _ := e.(map[string]any)
			typ, _ := ev["Type"].(string)
			p, _ := ev["Properties"].(map[string]any)
			for _, key := range []string{"Bucket", "Topic", "Queue", "Stream"} {
				src, _ := p[key].(map[string]any)
				if ref, ok := src["Ref"].(string); ok {
					out[ref] = types[typ]
				}
				if ga, ok := src["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
					out[ga[0].(string)] = types[typ]
				}
			}
		}
	}
	return out
}
