// Package golden compares test output with expected files and rewrites
// them on request. Set CHALC_UPDATE=1 (`make golden`) to rewrite every
// golden file the tests touch; review the diff like code. The variable is
// read while the test runs, not when the package loads, so go test's cache
// never serves a stale pass.
package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Update reports whether golden files are being rewritten.
func Update() bool { return os.Getenv("CHALC_UPDATE") != "" }

// Check compares got with the golden file at path, or rewrites it when
// Update() is true. On a mismatch it reports the first differing lines.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run `make golden` to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output (run `make golden` to accept it):\n%s", path, Diff(string(want), string(got)))
	}
}

// Diff describes where two texts first differ, with a few lines of
// context from each.
func Diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
		i++
	}
	var b strings.Builder
	from := max(0, i-3)
	fmt.Fprintf(&b, "first difference at line %d (want %d lines, got %d)\n", i+1, len(wl), len(gl))
	for j := from; j < i; j++ {
		fmt.Fprintf(&b, "   %s\n", wl[j])
	}
	for j := i; j < min(len(wl), i+4); j++ {
		fmt.Fprintf(&b, " - %s\n", wl[j])
	}
	for j := i; j < min(len(gl), i+4); j++ {
		fmt.Fprintf(&b, " + %s\n", gl[j])
	}
	return b.String()
}
