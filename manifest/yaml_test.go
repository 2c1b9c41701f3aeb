package manifest

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestParseAliasBudget: aliases that expand a small manifest into a huge
// tree stop at the alias that crosses the budget — before the expansion
// is walked (nine levels of nine aliases took 106 s) — with the limit and
// the fix; the document is then dropped.
func TestParseAliasBudget(t *testing.T) {
	laughs, err := os.ReadFile("../testdata/fuzz/alias-laughs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	amplified, err := os.ReadFile("../testdata/fuzz/alias-amplified.yaml")
	if err != nil {
		t.Fatal(err)
	}
	merges := "version: 1\napp_name: m\nbase: &base {a: " + strings.Repeat("B", 10000) + "}\nstages:\n"
	for i := 0; i < 500; i++ {
		merges += fmt.Sprintf("  s%d: {<<: *base}\n", i)
	}
	for _, tc := range []struct {
		name, src, at, message string
	}{
		// *e stands for 66430 nodes: the third in f's list crosses.
		{"billion laughs", string(laughs), "chalice.yaml:11:18",
			"alias *e takes what aliases add to the file past 262144 nodes"},
		// 1000 bytes, 10^4 times; the fourth *p3 (1 MB each) crosses.
		{"a long string repeated", string(amplified), "chalice.yaml:8:25",
			"alias *p3 takes what aliases add to the file past 4 MiB of text"},
		// Merge keys repeat their source: 10 KB each, the 420th crosses.
		{"merge keys", merges, "chalice.yaml:424:14",
			"alias *base takes what aliases add to the file past 4 MiB of text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, ds := Parse("chalice.yaml", []byte(tc.src))
			if doc.Root != nil || len(ds) != 1 {
				t.Fatalf("want one error and no document, got %v", ds)
			}
			d := ds[0]
			if d.Subject.String() != tc.at || d.Message != tc.message {
				t.Errorf("got %s: %s\nwant %s: %s", d.Subject, d.Message, tc.at, tc.message)
			}
			if len(d.Hints) != 1 || !strings.Contains(d.Hints[0], "aliases may add at most 262144 nodes and 4 MiB of text") {
				t.Errorf("hints %q", d.Hints)
			}
		})
	}
}

// TestParseAliases: within the budget, aliases share their target and
// merge keys add the keys a mapping does not write; a loop is an error.
func TestParseAliases(t *testing.T) {
	src := "version: 1\napp_name: a\nd: &d {t: 30, m: 256}\nstages:\n  dev: {<<: *d, t: 60}\n  prod: *d\n"
	doc, ds := Parse("chalice.yaml", []byte(src))
	if len(ds) > 0 || doc.Root == nil {
		t.Fatalf("Parse: %v", ds)
	}
	stages := Lookup(doc.Root, "stages")
	dev, prod := Lookup(stages, "dev"), Lookup(stages, "prod")
	if Lookup(dev, "t").Value != "60" || Lookup(dev, "m").Value != "256" || prod != Lookup(doc.Root, "d") {
		t.Errorf("dev %v, prod %v", dev.Content, prod)
	}
	doc, ds = Parse("chalice.yaml", []byte("a: &a [1, *a]\n"))
	if doc.Root != nil || len(ds) != 1 || ds[0].Error() != "chalice.yaml:1:11: error: alias *a refers to a node that contains it" {
		t.Errorf("loop: %v", ds)
	}
}
