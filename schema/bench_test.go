package schema

import (
	"testing"

	"github.com/chalc-dev/chalc/internal/testgen"
	"github.com/chalc-dev/chalc/manifest"
)

func BenchmarkValidate(b *testing.B) {
	set, ds := manifest.Parsed("chalice.yaml", testgen.Manifest(1000, 200))
	if len(ds) > 0 {
		b.Fatal(ds)
	}
	if got := Validate(set.Root); len(got) > 0 {
		b.Fatal(got)
	}
	b.ResetTimer()
	for b.Loop() {
		Validate(set.Root)
	}
}

// BenchmarkFrontEnd is parse + schema + decode, the share of the front
// end's 20 ms budget (compiler BenchmarkValidateLarge) spent before the
// checks.
func BenchmarkFrontEnd(b *testing.B) {
	src := testgen.Manifest(1000, 200)
	for b.Loop() {
		set, _ := manifest.Parsed("chalice.yaml", src)
		Validate(set.Root)
		set.Decode()
	}
}

func BenchmarkParse(b *testing.B) {
	src := testgen.Manifest(1000, 200)
	for b.Loop() {
		manifest.Parsed("chalice.yaml", src)
	}
}
