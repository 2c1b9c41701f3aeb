package project

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/internal/testgen"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/sam"
)

// BenchmarkCompileTemplate1000: everything from chalice.yaml bytes to the
// written template bytes for 1000 routes (and 200 functions), without the
// Go build or the handler type-check. Target: < 50 ms/op.
func BenchmarkCompileTemplate1000(b *testing.B) {
	src := testgen.Manifest(1000, 200)
	b.ReportAllocs()
	for b.Loop() {
		set, ds := manifest.Parsed("chalice.yaml", src)
		if ds.HasErrors() {
			b.Fatal(ds)
		}
		app, cds := compiler.Compile(set, compiler.Options{})
		if app == nil {
			b.Fatal(cds)
		}
		v, err := sam.Generate(app)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cfnjson.EncodeJSON(v, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPackageCached: `chalc package` of the petstore example when
// nothing changed — load, check (type-check cache hit), generate, template,
// build (cache hit), write. Target: < 300 ms/op. The first, uncached run
// happens before the timer starts.
func BenchmarkPackageCached(b *testing.B) {
	dir := filepath.Join("..", "testdata", "apps", "petstore")
	opts := Options{Dir: dir, CacheDir: b.TempDir()}
	out := b.TempDir()
	run := func() *Packaged {
		c, err := Check(opts)
		if err != nil || c.App == nil {
			b.Fatalf("check: %v %v", err, c.Diagnostics)
		}
		p, err := Package(context.Background(), c, PackageOptions{Out: out}, opts)
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	run() // fills both caches
	b.ResetTimer()
	for b.Loop() {
		if p := run(); !p.BuildCached {
			b.Fatal("the build cache missed")
		}
	}
}
