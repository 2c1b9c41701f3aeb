package gocheck

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// goLog puts a go command that logs its arguments (one line per run)
// ahead of the real one on PATH, and returns a function reading the
// runs since the last call.
func goLog(t *testing.T) func() []string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the logging go command is a shell script")
	}
	real, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	script := fmt.Sprintf("#!/bin/sh\necho \"$*\" >> %q\nexec %q \"$@\"\n", log, real)
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	seen := 0
	return func() []string {
		b, _ := os.ReadFile(log)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(b) == 0 {
			lines = nil
		}
		out := lines[seen:]
		seen = len(lines)
		return out
	}
}

// module writes files (path → content) under a new directory.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, dir, cache string) *gomodel.Result {
	t.Helper()
	res, ds := Check(gomodel.Request{Packages: []gomodel.Target{{Dir: dir}}, Checks: gomodel.Handlers | gomodel.SDKCalls, CacheDir: cache})
	if ds.HasErrors() || res.Packages[0] == nil {
		t.Fatalf("unexpected problems: %v", ds)
	}
	return res
}

func runs(lines []string, prefix string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// TestCheckAsksTheGoCommandOnlyWhatChanged: with nothing changed the
// check runs no go command at all; after a function body or a doc
// comment changed it runs none either (the listings are cached by the
// files' headers), yet sees the change; a new import lists the graph
// again.
func TestCheckAsksTheGoCommandOnlyWhatChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goRuns := goLog(t)
	dir := module(t, map[string]string{
		"go.mod":         "module example.com/x\n\ngo 1.26\n",
		"app/app.go":     "package app\n\nimport \"example.com/x/store\"\n\n// Get gets.\nfunc Get(id string) (string, error) { return store.Load(id), nil }\n",
		"store/store.go": "package store\n\nimport \"strings\"\n\nfunc Load(id string) string { return strings.ToUpper(id) }\n",
	})
	app, cache := filepath.Join(dir, "app"), t.TempDir()

	check(t, app, cache)
	if got := goRuns(); runs(got, "env") != 1 || runs(got, "list -e -deps") != 1 || runs(got, "list -e -export") != 1 {
		t.Errorf("first check: want go env, go list -deps and go list -export once each, got %q", got)
	}
	check(t, app, cache)
	if got := goRuns(); len(got) != 0 {
		t.Errorf("nothing changed: want no go command, got %q", got)
	}

	writeFile(t, filepath.Join(dir, "app", "app.go"), "package app\n\nimport \"example.com/x/store\"\n\n// Get gets it.\nfunc Get(id string) (string, error) { return store.Load(id + \"!\"), nil }\n")
	writeFile(t, filepath.Join(dir, "store", "store.go"), "package store\n\nimport \"strings\"\n\nfunc Load(id string) string { return strings.ToLower(id) }\n")
	res := check(t, app, cache)
	if got := goRuns(); len(got) != 0 {
		t.Errorf("bodies edited: want no go command, got %q", got)
	}
	if doc := res.Packages[0].Funcs["Get"].Doc; doc != "Get gets it.\n" {
		t.Errorf("the edited doc comment is not seen: %q", doc)
	}

	writeFile(t, filepath.Join(dir, "store", "store.go"), "package store\n\nimport (\n\t\"strings\"\n\t\"unicode\"\n)\n\nfunc Load(id string) string { _ = unicode.IsUpper; return strings.ToLower(id) }\n")
	check(t, app, cache)
	if got := goRuns(); runs(got, "list -e -deps") != 1 || runs(got, "list -e -export") != 1 || runs(got, "env") != 0 {
		t.Errorf("an import added: want go list -deps and -export again (not go env), got %q", got)
	}
}

// TestCheckExportDataGone: the export data a cached listing names may be
// gone (go clean -cache, the cache's trimming) or unreadable; the check
// then asks again, or reads the dependencies from source, and still gets
// the types right.
func TestCheckExportDataGone(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goRuns := goLog(t)
	dir := module(t, map[string]string{
		"go.mod":     "module example.com/x\n\ngo 1.26\n",
		"app/app.go": "package app\n\nimport \"net/url\"\n\nfunc Get(u *url.URL) (string, error) { return u.Path, nil }\n",
	})
	app, cache := filepath.Join(dir, "app"), t.TempDir()
	check(t, app, cache)
	goRuns()
	exportEntries := func(rewrite func(string) string) {
		t.Helper()
		entries, _ := filepath.Glob(filepath.Join(cache, "golist", "*.json"))
		n := 0
		for _, e := range entries {
			var files map[string]string
			if !readJSON(e, &files) || files["net/url"] == "" {
				continue
			}
			files["net/url"] = rewrite(files["net/url"])
			writeJSON(e, files)
			n++
		}
		if n != 1 {
			t.Fatalf("%d export listings name net/url, want 1", n)
		}
	}
	edit := func(n int) {
		writeFile(t, filepath.Join(app, "app.go"), fmt.Sprintf("package app\n\nimport \"net/url\"\n\nfunc Get(u *url.URL) (string, error) { return u.Path + %q, nil }\n", strings.Repeat("x", n)))
	}

	exportEntries(func(string) string { return filepath.Join(t.TempDir(), "gone-d") })
	edit(1)
	if got := check(t, app, cache).Packages[0].Funcs["Get"].Params[0]; got != "*net/url.URL" {
		t.Errorf("export data gone: the parameter is %s", got)
	}
	if got := goRuns(); runs(got, "list -e -export") != 1 {
		t.Errorf("export data gone: want go list -export again, got %q", got)
	}

	garbage := filepath.Join(t.TempDir(), "garbage-d")
	writeFile(t, garbage, "!<arch>\nnot export data\n")
	exportEntries(func(string) string { return garbage })
	edit(2)
	if got := check(t, app, cache).Packages[0].Funcs["Get"].Params[0]; got != "*net/url.URL" {
		t.Errorf("export data unreadable: the parameter is %s", got)
	}
}

// TestCheckReportsErrorsOfLocalPackages: a Go error in a package of the
// module that a handlers package imports is reported at its own line
// (the build would fail on it), and no stale result is cached.
func TestCheckReportsErrorsOfLocalPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := module(t, map[string]string{
		"go.mod":         "module example.com/x\n\ngo 1.26\n",
		"app/app.go":     "package app\n\nimport \"example.com/x/store\"\n\nfunc Get(id string) (string, error) { return store.Load(id), nil }\n",
		"store/store.go": "package store\n\nfunc Load(id string) string { return id + 1 }\n",
	})
	res, ds := Check(gomodel.Request{Packages: []gomodel.Target{{Dir: filepath.Join(dir, "app")}}, Checks: gomodel.Handlers | gomodel.SDKCalls, CacheDir: t.TempDir()})
	if !ds.HasErrors() {
		t.Fatalf("want an error, got none")
	}
	got := ds.Error()
	if !strings.Contains(got, filepath.Join("store", "store.go")+":3:") || !strings.Contains(got, "mismatched types") {
		t.Errorf("want the error at store/store.go:3, got:\n%s", got)
	}
	if res.SDK != nil {
		t.Errorf("an SDK graph for code with errors")
	}
}

// TestCheckCompilesNothingTwice is the point of the check's design: it
// takes the dependencies' export data as the build that follows compiles
// them, so that build compiles only the module's own packages.
func TestCheckCompilesNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	// A dependency no build cache has seen: a module of its own,
	// replaced by a local directory, with a unique constant.
	unique := fmt.Sprint(time.Now().UnixNano())
	dir := module(t, map[string]string{
		"go.mod":       "module example.com/x\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n",
		"app/app.go":   "package app\n\nimport \"example.com/lib\"\n\nfunc Get(id string) (string, error) { return lib.Name(id), nil }\n",
		"lib/go.mod":   "module example.com/lib\n\ngo 1.26\n",
		"lib/lib.go":   "//go:build lambda.norpc\n\npackage lib\n\nfunc Name(id string) string { return id + \"" + unique + "\" }\n",
		"main/main.go": "package main\n\nimport \"example.com/x/app\"\n\nfunc main() { app.Get(\"\") }\n",
	})
	build := gomodel.BuildConfig{GOOS: "linux", GOARCH: runtime.GOARCH, Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-trimpath"}, Tags: []string{"lambda.norpc"}, LDFlags: "-s -w"}
	res, ds := Check(gomodel.Request{Packages: []gomodel.Target{{Dir: filepath.Join(dir, "app")}}, Checks: gomodel.Handlers, Build: build, CacheDir: t.TempDir()})
	if ds.HasErrors() || res.Packages[0] == nil {
		t.Fatalf("unexpected problems: %v", ds)
	}
	args, err := build.Args("")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append(append([]string{"build", "-x", "-o", filepath.Join(t.TempDir(), "main")}, args...), "./main")...)
	cmd.Dir = dir
	cmd.Env = build.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var compiled []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "/compile ") {
			if _, rest, ok := strings.Cut(line, " -p "); ok {
				compiled = append(compiled, strings.Fields(rest)[0])
			}
		}
	}
	if strings.Join(compiled, " ") != "example.com/x/app main" {
		t.Errorf("the build after the check compiled %q, want only the module's own packages [example.com/x/app main]; go build -x:\n%s", compiled, out)
	}
}
