package project

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/testgen"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/merge"
	"github.com/chalc-dev/chalc/sam"
)

// TestLargeTemplateSize is the requirement: a 1000-route app must
// give a template CloudFormation accepts (at most 1,000,000 bytes) with
// --compact, and without it chalc must say so and name --compact. Chalice
// 1.33 writes 1.36 MB for the same app (FACTS.md), which deploys nowhere.
func TestLargeTemplateSize(t *testing.T) {
	set, ds := manifest.Parsed("chalice.yaml", largeManifest(1000))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	app, cds := compiler.Compile(set, compiler.Options{})
	if app == nil {
		t.Fatal(cds)
	}
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	pretty, err := cfnjson.EncodeJSON(v, false)
	if err != nil {
		t.Fatal(err)
	}
	compact, err := cfnjson.EncodeJSON(v, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1000 routes: pretty %d bytes, compact %d bytes (limit %d)", len(pretty), len(compact), awsfacts.MaxTemplateBytes)
	if len(compact) >= awsfacts.MaxTemplateBytes {
		t.Errorf("compact template is %d bytes; CloudFormation accepts at most %d", len(compact), awsfacts.MaxTemplateBytes)
	}
	if len(pretty) <= len(compact) {
		t.Errorf("pretty template (%d bytes) is not larger than the compact one (%d)", len(pretty), len(compact))
	}

	// Written pretty: an error when it is over the limit, naming --compact.
	pds := merge.Check(v, "out/sam.json", len(pretty), len(compact), nil)
	if len(pretty) > awsfacts.MaxTemplateBytes {
		if !sizeHasHint(pds, "--compact") {
			t.Errorf("pretty template over the limit: want an error hinting --compact, got\n%s", sizeRender(pds))
		}
	} else if pds.HasErrors() {
		t.Errorf("pretty template within the limit, yet errors:\n%s", sizeRender(pds))
	}
	t.Logf("pretty template diagnostics:\n%s", sizeRender(pds))
	// Written compact: no error (warnings, such as the API Gateway
	// resource quota and the inline size, are expected).
	cds = merge.Check(v, "out/sam.json", len(compact), len(compact), nil)
	if cds.HasErrors() {
		t.Errorf("compact template: want no error, got\n%s", sizeRender(cds))
	}
	t.Logf("compact template diagnostics:\n%s", sizeRender(cds))
}

func sizeHasHint(ds diag.Diagnostics, s string) bool {
	for _, d := range ds {
		if d.Severity != diag.Error {
			continue
		}
		for _, h := range d.Hints {
			if strings.Contains(h, s) {
				return true
			}
		}
	}
	return false
}

func sizeRender(ds diag.Diagnostics) string {
	var b strings.Builder
	diag.Fprint(&b, nil, ds)
	return b.String()
}

// largeManifest is testgen.Manifest(routes, 0) with the empty
// `functions:` and `lambda_functions:` keys removed: testgen writes them
// with no entries, which YAML reads as null and the schema rejects.
func largeManifest(routes int) []byte {
	src := string(testgen.Manifest(routes, 0))
	src = strings.Replace(src, "\nfunctions:\n", "\n", 1)
	src = strings.TrimSuffix(src, "    lambda_functions:\n")
	return []byte(src)
}

// TestPackageLargeMinified: a 1000-route app packages with no flags: its
// indented template would be over CloudFormation's limit, so chalc
// writes it minified and says so (Packaged.Minified), as CloudFormation
// reads both the same.
func TestPackageLargeMinified(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a bootstrap")
	}
	checkout, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := testgen.Project(dir, 1000, 0, checkout); err != nil {
		t.Fatal(err)
	}
	opts := Options{Dir: dir, CacheDir: testCache(t)}
	c, err := Check(opts)
	if err != nil || c.App == nil {
		t.Fatalf("%v\n%s", err, sizeRender(c.Diagnostics))
	}
	out := filepath.Join(t.TempDir(), "out")
	p, err := Package(context.Background(), c, PackageOptions{Out: out}, opts)
	if err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(out, "sam.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Minified || p.PrettySize <= awsfacts.MaxTemplateBytes || len(written) > awsfacts.MaxTemplateBytes || !json.Valid(written) {
		t.Errorf("minified %v, indented %d bytes, written %d bytes (limit %d)", p.Minified, p.PrettySize, len(written), awsfacts.MaxTemplateBytes)
	}
	if bytes.Contains(written, []byte("\n  ")) {
		t.Errorf("the written template is indented")
	}
	if p.Warnings.Diagnostics.HasErrors() {
		t.Errorf("errors:\n%s", sizeRender(p.Warnings.Diagnostics))
	}
}
