package gocheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chalc-dev/chalc/gocheck/gomodel"
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
	write("app/app.go", "package app\n\nimport \"example.com/x/models\"\n\nfunc Get(id models.ID) (string, error) { return \"\", nil }\n")
	cache := t.TempDir()
	// The parameter type of Get, as the type-check reports it.
	param := func() string {
		t.Helper()
		res, ds := Check(gomodel.Request{Packages: []gomodel.Target{{Dir: filepath.Join(dir, "app")}}, Checks: gomodel.Handlers, CacheDir: cache})
		if ds.HasErrors() || res.Packages[0] == nil {
			t.Fatalf("unexpected problems: %v", ds)
		}
		return res.Packages[0].Funcs["Get"].Params[0]
	}

	write("models/models.go", "package models\n\ntype ID = string\n")
	if got := param(); got != "string" {
		t.Fatalf("ID = string: Get's parameter is %s", got)
	}
	write("models/models.go", "package models\n\ntype ID = []int\n")
	if got := param(); got != "[]int" {
		t.Fatalf("ID = []int after a cached check: Get's parameter is %s", got)
	}
	entries, _ := os.ReadDir(filepath.Join(cache, "gocheck"))
	if len(entries) != 2 {
		t.Errorf("the cache holds %d entries, want one per version of the sources", len(entries))
	}
}
