package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
)

// project writes files (path → content; content "->target" makes a
// symlink) under a temporary directory and returns it.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(content, "->"); ok {
			err = os.Symlink(target, path)
		} else {
			err = os.WriteFile(path, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// rendered is the diagnostics as the CLI prints them, paths relative to
// root.
func rendered(root string, s *Set, ds diag.Diagnostics) string {
	var b strings.Builder
	diag.Fprint(&b, s.Sources, ds.Sorted())
	return strings.ReplaceAll(b.String(), filepath.ToSlash(root)+"/", "")
}

const fragment = "routes:\n  /a:\n    GET: A\n"

// TestLoadOutsideProject: a blueprint fragment must stay inside the
// project directory once symlinks are resolved, unless allowed.
func TestLoadOutsideProject(t *testing.T) {
	root := project(t, map[string]string{
		"app/chalice.yaml": "version: 1\napp_name: a\nblueprints:\n" +
			"  - {manifest: ../shared/admin.yaml, url_prefix: /a}\n" +
			"  - {manifest: linked/admin.yaml, url_prefix: /b}\n" +
			"  - {manifest: inside.yaml, url_prefix: /c}\n",
		"app/linked":                "->../shared",
		"app/inside.yaml":           "->chalicelib/admin.yaml",
		"app/chalicelib/admin.yaml": fragment,
		"shared/admin.yaml":         fragment,
	})
	manifest := filepath.Join(root, "app", "chalice.yaml")
	s, ds := Load(manifest)
	want := `app/chalice.yaml:4:16: error: blueprint manifest "../shared/admin.yaml" leads outside the project directory
  4 |   - {manifest: ../shared/admin.yaml, url_prefix: /a}
    |                ^^^^^^^^^^^^^^^^^^^^
  hint: keep it inside the project (the directory of chalice.yaml), or pass --allow-outside-project to allow paths outside it

app/chalice.yaml:5:16: error: blueprint manifest "linked/admin.yaml" leads outside the project directory
  5 |   - {manifest: linked/admin.yaml, url_prefix: /b}
    |                ^^^^^^^^^^^^^^^^^
  hint: the path goes through a symlink that leads out of the project
  hint: keep it inside the project (the directory of chalice.yaml), or pass --allow-outside-project to allow paths outside it

`
	if got := rendered(root, s, ds); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if len(s.Fragments) != 1 {
		t.Errorf("loaded %d fragments, want the one inside", len(s.Fragments))
	}
	s, ds = LoadWith(manifest, LoadOptions{AllowOutsideProject: true})
	if len(ds) > 0 || len(s.Fragments) != 3 {
		t.Errorf("allowed: %d fragments, %v", len(s.Fragments), ds)
	}
}

// TestLoadTooLarge: a manifest or a fragment over the size cap is
// refused before it is read.
func TestLoadTooLarge(t *testing.T) {
	root := project(t, map[string]string{
		"chalice.yaml": "version: 1\napp_name: a\nblueprints:\n  - {manifest: big.yaml, url_prefix: /a}\n",
	})
	big := filepath.Join(root, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(10<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s, ds := Load(filepath.Join(root, "chalice.yaml"))
	want := `chalice.yaml:4:16: error: cannot read blueprint manifest "big.yaml": it holds 10.0 MiB; chalc reads at most 10 MiB of it
  4 |   - {manifest: big.yaml, url_prefix: /a}
    |                ^^^^^^^^
  hint: a blueprint manifest is a regular YAML file of at most 10 MiB

`
	if got := rendered(root, s, ds); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	s, ds = Load(big)
	if s.Root != nil || len(ds) != 1 || !strings.HasSuffix(ds[0].Error(), "big.yaml: error: cannot read the manifest: it holds 10.0 MiB; chalc reads at most 10 MiB of it") {
		t.Errorf("Load(big.yaml): %v", ds)
	}
}
