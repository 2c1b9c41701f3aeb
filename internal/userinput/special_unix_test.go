//go:build unix

package userinput

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadFileSpecial: a named pipe and an endless device fail at once;
// reading them would block forever or exhaust memory.
func TestReadFileSpecial(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "chalice.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		fifo:        "it is a named pipe (FIFO), not a regular file",
		zero:        "it is a character device, not a regular file",
		"/dev/null": "it is a character device, not a regular file",
	} {
		_, err := ReadFile(path, MaxSourceFile)
		if !IsNotRegular(err) || err.Error() != want {
			t.Errorf("ReadFile(%s) = %v, want %q", path, err, want)
		}
	}
}
