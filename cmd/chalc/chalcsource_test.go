package main

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeProxy serves chalc's module at version from a GOPROXY directory, and
// points the go command at it with a module cache of the test's own.
func fakeProxy(t *testing.T, version string) {
	t.Helper()
	proxy := t.TempDir()
	dir := filepath.Join(proxy, "github.com", "chalc-dev", "chalc", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	goMod := "module " + chalcModule + "\n\ngo 1.26\n"
	files := map[string]string{
		"list":            version + "\n",
		version + ".info": `{"Version":"` + version + `","Time":"2026-01-02T03:04:05Z"}`,
		version + ".mod":  goMod,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	prefix := chalcModule + "@" + version + "/"
	for name, content := range map[string]string{"go.mod": goMod, "doc.go": "package chalc\n"} {
		w, err := zw.Create(prefix + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPROXY", "file://"+filepath.ToSlash(proxy))
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOFLAGS", "-modcacherw") // so that the test can remove its module cache
	t.Setenv("GONOSUMDB", chalcModule)
	t.Setenv("CHALC_SOURCE", "")
}

// TestChalcRequirement: a new project requires chalc's version when the
// go command can download it, and replaces chalc with this checkout when
// it cannot, whatever the version string looks like; a source given
// explicitly always wins.
func TestChalcRequirement(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	if builtFrom() == "" {
		t.Skip("built with -trimpath: this binary does not know its checkout")
	}
	fakeProxy(t, "v1.2.3")
	checkout, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		version, source, env string
		wantVersion          string
		wantReplace          string
		wantWhy              string
	}{
		{version: "v1.2.3", wantVersion: "v1.2.3"},
		{version: "v1.2.4", wantVersion: "v0.0.0", wantReplace: checkout, wantWhy: "chalc v1.2.4 cannot be downloaded: "},
		{version: "v0.0.0-20260102030405-ab5068a226a1", wantVersion: "v0.0.0", wantReplace: checkout,
			wantWhy: "chalc v0.0.0-20260102030405-ab5068a226a1 cannot be downloaded: "},
		{version: "v1.2.3+dirty", wantVersion: "v0.0.0", wantReplace: checkout,
			wantWhy: "chalc v1.2.3+dirty cannot be downloaded: not a version a go.mod can require"},
		{version: "dev", wantVersion: "v0.0.0", wantReplace: checkout, wantWhy: "this chalc is a development build"},
		{version: "v1.2.3", source: "../..", wantVersion: "v0.0.0", wantReplace: checkout, wantWhy: "named by --chalc-source"},
		{version: "v1.2.3", env: "../..", wantVersion: "v0.0.0", wantReplace: checkout, wantWhy: "named by CHALC_SOURCE"},
	} {
		t.Setenv("CHALC_SOURCE", tc.env)
		req, err := chalcRequirement(ctx, tc.version, tc.source, nil)
		if err != nil {
			t.Errorf("%s (source %q, CHALC_SOURCE %q): %v", tc.version, tc.source, tc.env, err)
			continue
		}
		t.Logf("%s (source %q, CHALC_SOURCE %q): %+v", tc.version, tc.source, tc.env, req)
		if req.Version != tc.wantVersion || req.Replace != tc.wantReplace || !strings.HasPrefix(req.Why, tc.wantWhy) {
			t.Errorf("%s (source %q, CHALC_SOURCE %q): got %+v, want version %s, replace %q, why %q...",
				tc.version, tc.source, tc.env, req, tc.wantVersion, tc.wantReplace, tc.wantWhy)
		}
	}
}
