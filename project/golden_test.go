package project

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/golden"
	"github.com/chalc-dev/chalc/internal/samschema"
	"github.com/chalc-dev/chalc/sam"
	"github.com/chalc-dev/chalc/stages"
)

// TestGoldenTemplates compiles every example app in testdata/apps for
// every stage it declares and compares the template with
// golden/<app>/<stage>.sam.json; each template must also pass the SAM
// resource schema. The committed chalc_gen.go of each app must be current.
// An app with a resources.yaml is packaged with it as its merge template
// (the golden is the merged template).
func TestGoldenTemplates(t *testing.T) {
	apps, err := filepath.Glob("../testdata/apps/*/chalice.yaml")
	if err != nil || len(apps) == 0 {
		t.Fatalf("no example apps found: %v", err)
	}
	for _, m := range apps {
		dir := filepath.Dir(m)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			var merges []string
			if _, err := os.Stat(filepath.Join(dir, "resources.yaml")); err == nil {
				merges = []string{filepath.Join(dir, "resources.yaml")}
			}
			c, err := Check(Options{Dir: dir, CacheDir: testCache(t), Templates: merges != nil, MergeTemplates: merges})
			if err != nil {
				t.Fatal(err)
			}
			if c.Diagnostics.HasErrors() {
				var b strings.Builder
				diag.Fprint(&b, c.Sources(), c.Diagnostics)
				t.Fatalf("example app has errors:\n%s", b.String())
			}
			src, err := build.GenerateApp(c.App)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, build.GeneratedPath(c.App), src)
			for _, st := range stages.Names(c.App.Manifest) {
				t.Run(st, func(t *testing.T) {
					cs, err := Check(Options{Dir: dir, Stage: st, CacheDir: testCache(t), Templates: merges != nil, MergeTemplates: merges})
					if err != nil || cs.App == nil {
						t.Fatalf("stage %s: %v %v", st, err, cs.Diagnostics)
					}
					v, err := sam.Generate(cs.App)
					if err != nil {
						t.Fatal(err)
					}
					if merges != nil {
						merged, _, probs := mergeTemplates(v, cs.MergeFiles, nil)
						if probs != nil {
							t.Fatal(probs)
						}
						v = merged
					}
					out, err := cfnjson.EncodeJSON(v, false)
					if err != nil {
						t.Fatal(err)
					}
					golden.Check(t, filepath.Join("..", "golden", name, st+".sam.json"), out)
					if err := samschema.Validate(out); err != nil {
						t.Errorf("template fails the SAM schema:\n%v", err)
					}
				})
			}
		})
	}
}

var (
	testCacheOnce sync.Once
	testCacheDir  string
)

// testCache is one cache directory shared by the package's tests, so the
// handler type-check of an example app runs once per test binary, not
// once per stage. It is removed when the tests end.
func testCache(t testing.TB) string {
	testCacheOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chalc-test-cache-")
		if err != nil {
			t.Fatal(err)
		}
		testCacheDir = dir
	})
	return testCacheDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testCacheDir != "" {
		os.RemoveAll(testCacheDir)
	}
	os.Exit(code)
}
