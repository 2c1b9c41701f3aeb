package project

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/buildinfo"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestBootstrapHoldsNoLocalPath: a project whose go.mod replaces chalc
// with an absolute path (as new-project writes it) gets a bootstrap with
// no byte of the builder's paths (its module information, which would
// record the replacement, is left out): the zip leaks no home directory
// and is the same on every machine.
func TestBootstrapHoldsNoLocalPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a bootstrap")
	}
	chalc, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "hello")
	copyTree(t, filepath.Join(chalc, "testdata", "apps", "petstore"), dir)
	mod := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(mod)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("=> ../../.."), []byte("=> "+chalc))
	if err := os.WriteFile(mod, b, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Dir: dir, CacheDir: t.TempDir()}
	c, err := Check(opts)
	if err != nil || c.Diagnostics.HasErrors() {
		t.Fatalf("check: %v %v", err, c.Diagnostics)
	}
	p, err := Package(context.Background(), c, PackageOptions{Out: filepath.Join(t.TempDir(), "out")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(p.Zip), int64(len(p.Zip)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := buildinfo.Read(bytes.NewReader(bin)); err == nil && len(info.Deps) > 0 {
		t.Errorf("the bootstrap holds module information, which records the replacement's path:\n%s", info)
	}
	for _, leak := range []string{chalc, dir} {
		if bytes.Contains(bin, []byte(leak)) {
			i := bytes.Index(bin, []byte(leak))
			t.Errorf("the bootstrap holds the local path %s: %q", leak, bin[max(0, i-80):min(len(bin), i+80)])
		}
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
