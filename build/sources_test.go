package build

import (
	"path/filepath"
	"testing"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// TestInputDigestIsTheRuntimes: the digests the compiler records are the
// ones chalicetest computes (chalice.SourceDigest), CRLF included.
func TestInputDigestIsTheRuntimes(t *testing.T) {
	for _, src := range []string{"version: 1\napp_name: x\n", "version: 1\r\napp_name: x\r\n"} {
		set, ds := manifest.Parsed(filepath.Join(t.TempDir(), "chalice.yaml"), []byte(src))
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		set.Root.Path = "/abs/chalice.yaml" // as Load sets it
		app, cds := compiler.Compile(set, compiler.Options{})
		if app == nil {
			t.Fatal(cds)
		}
		if len(app.Inputs) != 1 || app.Inputs[0].SHA256 != chalice.SourceDigest([]byte(src)) {
			t.Errorf("%q: inputs %+v, runtime digest %s", src, app.Inputs, chalice.SourceDigest([]byte(src)))
		}
	}
}
