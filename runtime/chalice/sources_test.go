package chalice

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCheckSources(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "chalice.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(manifest, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("version: 1\napp_name: x\n")
	app := func(dir string) *App {
		return New("x", Config{SourceDir: dir, Sources: []Source{{Path: "chalice.yaml", SHA256: SourceDigest([]byte("version: 1\napp_name: x\n"))}}})
	}
	if err := app(dir).CheckSources(); err != nil {
		t.Fatalf("unchanged: %v", err)
	}
	// A checkout that writes CRLF line endings changes nothing.
	write("version: 1\r\napp_name: x\r\n")
	if err := app(dir).CheckSources(); err != nil {
		t.Fatalf("CRLF: %v", err)
	}
	write("version: 1\napp_name: x\nroutes: {/: {GET: Index}}\n")
	var stale *StaleError
	if err := app(dir).CheckSources(); !errors.As(err, &stale) || stale.Path != "chalice.yaml" || stale.Missing {
		t.Fatalf("changed: %v", err)
	} else if want := "chalc_gen.go is stale: chalice.yaml changed since it was generated; run `chalc generate`"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	os.Remove(manifest)
	if err := app(dir).CheckSources(); !errors.As(err, &stale) || !stale.Missing {
		t.Fatalf("removed: %v", err)
	}
	// Unknown directory (a -trimpath build) or no sources: nothing to say.
	if err := app("").CheckSources(); err != nil {
		t.Errorf("no SourceDir: %v", err)
	}
	if err := New("x", Config{}).CheckSources(); err != nil {
		t.Errorf("hand-built app: %v", err)
	}
}
