package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

// FuzzLoad feeds arbitrary bytes through the whole front end — YAML
// parse, schema, decode, stages, checks — and requires no panic, no hang,
// and the same rendered output twice. Seeds: every manifest under
// testdata/ (valid, invalid, examples, testdata/fuzz).
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{
		"../testdata/manifests/*/*.yaml",
		"../testdata/manifests/*/*/*.yaml",
		"../testdata/apps/*/chalice.yaml",
		"../testdata/fuzz/*.yaml",
	} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		first := frontEnd(src)
		if second := frontEnd(src); first != second {
			t.Fatalf("output differs between two runs:\n%s\n---\n%s", first, second)
		}
	})
}

func frontEnd(src []byte) string {
	set, ds := manifest.Parsed("chalice.yaml", src)
	if set.Root != nil && set.Root.Root != nil {
		_, cds := Compile(set, Options{})
		ds = append(ds, cds...)
	}
	var b strings.Builder
	diag.Fprint(&b, set.Sources, ds.Sorted())
	return b.String()
}
