//go:build unix

package manifest

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestLoadSpecialFiles: a manifest or fragment naming a FIFO or a device
// fails at once; it used to block forever (FIFO) or grow until out of
// memory (/dev/zero).
func TestLoadSpecialFiles(t *testing.T) {
	root := project(t, map[string]string{
		"app/chalice.yaml": "version: 1\napp_name: a\nblueprints:\n" +
			"  - {manifest: fifo.yaml, url_prefix: /a}\n" +
			"  - {manifest: zero.yaml, url_prefix: /b}\n",
		"app/zero.yaml":     "->/dev/zero",
		"zero/chalice.yaml": "->/dev/zero",
	})
	if err := syscall.Mkfifo(filepath.Join(root, "app", "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, ds := LoadWith(filepath.Join(root, "app", "chalice.yaml"), LoadOptions{AllowOutsideProject: true})
	want := `app/chalice.yaml:4:16: error: cannot read blueprint manifest "fifo.yaml": it is a named pipe (FIFO), not a regular file
  4 |   - {manifest: fifo.yaml, url_prefix: /a}
    |                ^^^^^^^^^
  hint: a blueprint manifest is a regular YAML file of at most 10 MiB

app/chalice.yaml:5:16: error: cannot read blueprint manifest "zero.yaml": it is a character device, not a regular file
  5 |   - {manifest: zero.yaml, url_prefix: /b}
    |                ^^^^^^^^^
  hint: a blueprint manifest is a regular YAML file of at most 10 MiB

`
	if got := rendered(root, s, ds); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	s, ds = Load(filepath.Join(root, "zero", "chalice.yaml"))
	want = `zero/chalice.yaml: error: cannot read the manifest: it is a character device, not a regular file
  hint: chalice.yaml must be a regular file (or a symlink to one) holding the app's YAML

`
	if got := rendered(root, s, ds); got != want || s.Root != nil {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
