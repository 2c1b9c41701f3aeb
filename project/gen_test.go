package project

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/chalc-dev/chalc/build"
)

// TestGenerateCached: chalc_gen.go through the formatting cache is
// byte-identical to the formatted source, on a miss and on a hit.
func TestGenerateCached(t *testing.T) {
	c, err := Check(Options{Dir: filepath.Join("..", "testdata", "apps", "petstore"), CacheDir: testCache(t)})
	if err != nil || c.App == nil {
		t.Fatalf("%v %v", err, c.Diagnostics)
	}
	want, err := build.GenerateApp(c.App)
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	for _, run := range []string{"miss", "hit"} {
		got, err := build.GenerateAppCached(c.App, cache)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the cached generation differs from GenerateApp's", run)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(cache, "gen")); len(entries) != 1 {
		t.Errorf("the cache holds %d entries, want 1", len(entries))
	}
}
