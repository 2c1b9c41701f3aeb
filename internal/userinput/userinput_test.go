package userinput

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(small, 100); err != nil || string(b) != "version: 1\n" {
		t.Fatalf("ReadFile(small) = %q, %v", b, err)
	}
	// A symlink to a regular file is read through.
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(link, 100); err != nil || string(b) != "version: 1\n" {
		t.Fatalf("ReadFile(link) = %q, %v", b, err)
	}
	// Over the limit: refused without reading.
	_, err := ReadFile(small, 4)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Size != 11 || tl.Limit != 4 || !IsTooLarge(err) {
		t.Fatalf("ReadFile over the limit: %v", err)
	}
	if got, want := err.Error(), "it holds 11 bytes; chalc reads at most 4 bytes of it"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 100); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, err := ReadFile(dir, 100); !IsNotRegular(err) || !strings.Contains(err.Error(), "a directory") {
		t.Errorf("ReadFile(dir) = %v", err)
	}
}

func TestWithin(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "project")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(project, "app"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"project/out":      "../outside",         // a directory link leading out
		"project/in":       "app",                // one staying in
		"project/dangling": "../outside/nothing", // a dangling link leading out
		"project/abs":      "/etc/passwd",        // an absolute one
		"project/app/up":   "../../project/app",  // out and back in
		"link-to-project":  "project",            // the project reached by a link
		"project/loop":     "loop",               // a link to itself
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]bool{
		"project":                  true,
		"project/app":              true,
		"project/app/x.go":         true,
		"project/not/yet/there":    true,
		"project/in/x.go":          true,
		"project/app/up/x.go":      true,
		"project/loop":             true,
		"project/../outside":       false,
		"project/out":              false,
		"project/out/x.json":       false,
		"project/dangling":         false,
		"project/dangling/deeper":  false,
		"project/abs":              false,
		"outside":                  false,
		"link-to-project/app/x.go": true,
	} {
		if got := Within(project, filepath.Join(root, filepath.FromSlash(path))); got != want {
			t.Errorf("Within(project, %s) = %v, want %v", path, got, want)
		}
	}
	// The project named through a link holds what it holds.
	if !Within(filepath.Join(root, "link-to-project"), filepath.Join(project, "app")) {
		t.Error("a project named through a symlink does not hold its own directory")
	}
	if Within(project, "/proc/self/environ") {
		t.Error("/proc/self/environ is within the project")
	}
}

func TestAliasBudget(t *testing.T) {
	var b AliasBudget
	if !b.Spend(MaxAliasNodes, 0) || b.Spend(1, 0) || b.Exceeded() != "262144 nodes" {
		t.Errorf("node budget: %+v, %s", b, b.Exceeded())
	}
	b = AliasBudget{}
	if !b.Spend(1, MaxAliasBytes-1) || b.Spend(1, 2) || b.Exceeded() != "4 MiB of text" {
		t.Errorf("byte budget: %+v, %s", b, b.Exceeded())
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1 << 10: "1 KiB", 1536: "1.5 KiB",
		10 << 20: "10 MiB", 10<<20 + 1<<19: "10.5 MiB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
