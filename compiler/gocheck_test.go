package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

// TestGoCheckCacheSeesImportedPackages: the Go check's cache is keyed by
// every local source the go command reads, not only the handlers
// package's own files: a handler's parameter type declared in another
// package of the module decides its answer too.
func TestGoCheckCacheSeesImportedPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the package with the go command")
	}
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/x\n\ngo 1.26\n")
	write("chalice.yaml", "version: 1\napp_name: x\nhandlers: ./app\nroutes:\n  /items/{id}:\n    GET: Get\n")
	write("app/app.go", "package app\n\nimport \"example.com/x/models\"\n\nfunc Get(id models.ID) (string, error) { return \"\", nil }\n")
	cache := t.TempDir()
	compile := func() (string, bool) {
		t.Helper()
		set, ds := manifest.Load(filepath.Join(dir, "chalice.yaml"))
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		_, ds = Compile(set, Options{CacheDir: cache, SkipRuntimeModules: true, SkipSDKAnalysis: true})
		var b strings.Builder
		diag.Fprint(&b, set.Sources, ds)
		return b.String(), ds.HasErrors()
	}

	write("models/models.go", "package models\n\ntype ID = string\n")
	if out, bad := compile(); bad {
		t.Fatalf("ID = string: unexpected errors:\n%s", out)
	}
	write("models/models.go", "package models\n\ntype ID = []int\n")
	if out, bad := compile(); !bad || !strings.Contains(out, "Get") {
		t.Fatalf("ID = []int after a cached check: want the wrong signature of Get, got:\n%s", out)
	}
}
