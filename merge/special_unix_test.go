//go:build unix

package merge

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLoadSpecialFiles: a merge template naming a FIFO or a device fails
// at once; it used to block forever (FIFO) or grow until out of memory.
func TestLoadSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		fifo:        "fifo.json: error: cannot read the merge template: it is a named pipe (FIFO), not a regular file",
		"/dev/zero": "zero: error: cannot read the merge template: it is a character device, not a regular file",
		zero:        "zero.yaml: error: cannot read the merge template: it is a character device, not a regular file",
	} {
		name := filepath.Base(path)
		f, ds := Load(path, name)
		if f != nil || len(ds) != 1 || ds[0].Error() != want {
			t.Errorf("Load(%s) = %v, %v\nwant %s", path, f, ds, want)
			continue
		}
		if len(ds[0].Hints) != 1 || ds[0].Hints[0] != "a merge template is a regular JSON or YAML file of at most 10 MiB" {
			t.Errorf("hints %q", ds[0].Hints)
		}
	}
}
