package gocheck

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGoHeader: the header is what `go list` reads of a Go file, so an
// edit outside it must keep it and an edit inside it must change it.
func TestGoHeader(t *testing.T) {
	base := "//go:build linux\n\n// Package app does things.\npackage app\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\nimport \"os\"\n\nfunc F() { fmt.Println(str.ToUpper(os.Args[0])) }\n"
	header := "//go:build linux\n\n// Package app does things.\npackage app\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\nimport \"os\""
	if got := string(goHeader([]byte(base))); got != header {
		t.Fatalf("header:\n%q\nwant\n%q", got, header)
	}
	for _, tc := range []struct {
		what, src string
		same      bool
	}{
		{"a body edited", "//go:build linux\n\n// Package app does things.\npackage app\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\nimport \"os\"\n\nfunc F() { fmt.Println(os.Args) }\n\nfunc G() {}\n", true},
		{"a build constraint changed", "//go:build darwin" + base[len("//go:build linux"):], false},
		{"an import added", "package app\n\nimport \"fmt\"\nimport \"os\"\n\nfunc F() { fmt.Println(os.Args) }\n", false},
		{"the package renamed", "//go:build linux\n\n// Package app does things.\npackage app2\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\nimport \"os\"\n", false},
		{"a cgo preamble changed", "//go:build linux\n\n// Package app does things.\npackage app\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\n// #include <stdio.h>\nimport \"os\"\n\nfunc F() { fmt.Println(str.ToUpper(os.Args[0])) }\n", false},
	} {
		if same := string(goHeader([]byte(tc.src))) == header; same != tc.same {
			t.Errorf("%s: header unchanged = %v, want %v", tc.what, same, tc.same)
		}
	}
	// go/build reads on for //go:embed patterns, and a header it cannot
	// scan is not cut: the whole file counts.
	for _, whole := range []string{
		"package app\n\nimport _ \"embed\"\n\n//go:embed x.txt\nvar x string\n",
		"package app\n\nimport (\n\t\"fmt\"\n\t_ `embed`\n)\n\nvar x = fmt.Sprint()\n",
		"package app\n\nimport (\n\t\"fmt\"\n",
		"// no package clause\n",
	} {
		if got := string(goHeader([]byte(whole))); got != whole {
			t.Errorf("%q: header %q, want the whole file", whole, got)
		}
	}
}

// TestSourcesDigests: the digest of headers ignores bodies everywhere;
// the digest for export data ignores them in the main module only (the
// other modules are compiled from their bodies).
func TestSourcesDigests(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "app")
	writeFile(t, filepath.Join(root, "go.mod"), "module example.com/app\n\ngo 1.26\n\nreplace example.com/lib => ../lib\n")
	writeFile(t, filepath.Join(root, "app.go"), "package app\n\nfunc F() {}\n")
	writeFile(t, filepath.Join(top, "lib", "go.mod"), "module example.com/lib\n\ngo 1.26\n")
	writeFile(t, filepath.Join(top, "lib", "lib.go"), "package lib\n\nfunc G() {}\n")
	digests := func() [3]string {
		t.Helper()
		s, err := readSources(root, Env{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return [3]string{s.digest(fullContent), s.digest(goHeaders), s.digest(mainHeaders)}
	}
	start := digests()
	writeFile(t, filepath.Join(root, "app.go"), "package app\n\nfunc F() { println() }\n")
	mainBody := digests()
	if mainBody[0] == start[0] || mainBody[1] != start[1] || mainBody[2] != start[2] {
		t.Errorf("a body of the main module: want only the full digest to change, got %v → %v", start, mainBody)
	}
	writeFile(t, filepath.Join(top, "lib", "lib.go"), "package lib\n\nfunc G() { println() }\n")
	libBody := digests()
	if libBody[0] == mainBody[0] || libBody[1] != mainBody[1] || libBody[2] == mainBody[2] {
		t.Errorf("a body of a replacement: want the full and export digests to change, got %v → %v", mainBody, libBody)
	}
	if err := os.WriteFile(filepath.Join(root, "more.go"), []byte("package app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	added := digests()
	if added[1] == libBody[1] || added[2] == libBody[2] {
		t.Errorf("a file added: want every digest to change, got %v → %v", libBody, added)
	}
	// A vendored dependency is another module's code, compiled from its
	// bodies.
	writeFile(t, filepath.Join(root, "vendor", "example.com", "dep", "dep.go"), "package dep\n\nfunc D() {}\n")
	before := digests()
	writeFile(t, filepath.Join(root, "vendor", "example.com", "dep", "dep.go"), "package dep\n\nfunc D() { println() }\n")
	if after := digests(); after[1] != before[1] || after[2] == before[2] {
		t.Errorf("a vendored body: want the export digest to change, not the headers', got %v → %v", before, after)
	}
	// A package that embeds files: they count, whatever their name.
	writeFile(t, filepath.Join(root, "web", "web.go"), "package web\n\nimport _ \"embed\"\n\n//go:embed index.html\nvar Index string\n")
	writeFile(t, filepath.Join(root, "web", "index.html"), "<p>one</p>\n")
	one := digests()
	writeFile(t, filepath.Join(root, "web", "index.html"), "<p>two</p>\n")
	if two := digests(); two[0] == one[0] || two[1] == one[1] || two[2] == one[2] {
		t.Errorf("an embedded file edited: want every digest to change, got %v → %v", one, two)
	}
}
