package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/testgen"
	yaml "go.yaml.in/yaml/v3"
)

// sameTree compares what later steps read of two trees.
func sameTree(a, b *yaml.Node, path string) error {
	switch {
	case a == nil || b == nil:
		if a != b {
			return fmt.Errorf("%s: one tree is nil", path)
		}
		return nil
	case a.Kind != b.Kind, a.ShortTag() != b.ShortTag(), a.Value != b.Value, a.Style != b.Style,
		a.Line != b.Line, a.Column != b.Column, len(a.Content) != len(b.Content):
		return fmt.Errorf("%s: %v %s %q style %v at %d:%d (%d children) vs %v %s %q style %v at %d:%d (%d children)",
			path, a.Kind, a.ShortTag(), a.Value, a.Style, a.Line, a.Column, len(a.Content),
			b.Kind, b.ShortTag(), b.Value, b.Style, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if err := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkSplit: when the parallel parse takes a document, its tree is the
// sequential parse's.
func checkSplit(t *testing.T, src []byte) bool {
	t.Helper()
	par, ok := parseParallel(src)
	if !ok {
		return false
	}
	seq, ds := parseSequential("x.yaml", src)
	if ds.HasErrors() {
		t.Fatalf("the parallel parse took a document the sequential parse rejects: %v\n%s", ds, src)
	}
	if err := sameTree(par, seq, ""); err != nil {
		t.Fatalf("parallel and sequential parses differ: %v\n%s", err, src)
	}
	return true
}

func withParallelMin(t testing.TB, n int) {
	old := parallelMin
	parallelMin = n
	t.Cleanup(func() { parallelMin = old })
}

func TestParallelParse(t *testing.T) {
	withParallelMin(t, 0)
	var files []string
	for _, pattern := range []string{"../testdata/apps/*/chalice.yaml", "../testdata/manifests/*/*.yaml", "../testdata/fuzz/*.yaml"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	taken := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkSplit(t, src) {
			taken++
		}
	}
	if taken < 10 {
		t.Errorf("the parallel parse took only %d of %d files", taken, len(files))
	}
	if !checkSplit(t, testgen.Manifest(1000, 200)) {
		t.Error("the parallel parse did not take the large generated manifest")
	}
	// Comments and blank lines between entries, and a nested section.
	src := "# head\nversion: 1\n\napp_name: x\nroutes:\n  # first\n  /a:\n    GET: A\n\n  /b: {GET: B}\n  /c:\n    POST:\n      handler: C\n      cors: true\nstages:\n  prod:\n    lambda_memory_size: 512\n"
	if !checkSplit(t, []byte(src)) {
		t.Error("a plain manifest was not taken")
	}
	// What must fall back to one parse.
	for _, doc := range []string{
		"a: &x {b: 1}\nc: *x\n",
		"a: 1\n---\nb: 2\n",
		"- a\n- b\n",
		"{a: 1}\n",
		"a: [1,\n2]\n",
		"routes:\n  /a: &r {GET: A}\n  /b: *r\n",
		"a: b: c\n",
	} {
		if _, ok := parseParallel([]byte(doc)); ok {
			if !checkSplit(t, []byte(doc)) {
				continue
			}
			if strings.Contains(doc, "*") || strings.Contains(doc, "---") {
				t.Errorf("the parallel parse took %q", doc)
			}
		}
	}
}

func FuzzParallelParse(f *testing.F) {
	files, _ := filepath.Glob("../testdata/manifests/*/*.yaml")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		withParallelMin(t, 0)
		checkSplit(t, src)
	})
}
