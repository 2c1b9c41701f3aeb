package compiler

import (
	"testing"

	"github.com/chalc-dev/chalc/internal/testgen"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// BenchmarkValidateLarge: the whole front end — YAML parse, schema,
// decode, every cross-check, stage resolution (all stages checked) — of a
// manifest with 1000 routes and 200 functions. The README's number; the
// target is < 20 ms/op on the 2-core CI machine.
func BenchmarkValidateLarge(b *testing.B) {
	src := testgen.Manifest(1000, 200)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		set, ds := manifest.Parsed("chalice.yaml", src)
		if ds.HasErrors() {
			b.Fatal(ds)
		}
		app, ds := Compile(set, Options{CheckStages: []string{"dev", "prod"}})
		if app == nil {
			b.Fatal(ds)
		}
	}
}

// TestLargeManifestIsValid keeps the benchmark honest: the generated
// manifest compiles cleanly.
func TestLargeManifestIsValid(t *testing.T) {
	set, ds := manifest.Parsed("chalice.yaml", testgen.Manifest(1000, 200))
	app, cds := Compile(set, Options{CheckStages: stages.Names(set.Decode())})
	if app == nil || len(ds)+len(cds) > 0 {
		t.Fatalf("diagnostics: %v %v", ds, cds)
	}
	if len(app.Routes) != 1000 || len(app.Functions) != 201 {
		t.Errorf("routes %d functions %d", len(app.Routes), len(app.Functions))
	}
}
