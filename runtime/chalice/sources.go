package chalice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SourceDigest is the digest Source.SHA256 holds for a manifest file's
// content: SHA-256 of its bytes with "\r\n" read as "\n", so a checkout
// that converts line endings does not look changed.
func SourceDigest(content []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(sum[:])
}

// StaleError says that a manifest file changed after the code that
// serves it was generated: the routes and functions the tests see are
// the old ones until `chalc generate` runs.
type StaleError struct {
	// Path is the changed (or missing) file, as Source.Path names it.
	Path    string
	Missing bool
}

func (e *StaleError) Error() string {
	what := "changed"
	if e.Missing {
		what = "is gone"
	}
	return fmt.Sprintf("chalc_gen.go is stale: %s %s since it was generated; run `chalc generate`", e.Path, what)
}

// CheckSources compares the app's Sources with the files as they are
// now, relative to Config.SourceDir (the generated code's directory): a
// *StaleError names the first that changed. An app without Sources (one
// built by hand), or whose SourceDir is unknown, is never stale.
func (a *App) CheckSources() error {
	dir := a.config.SourceDir
	if dir == "" || !filepath.IsAbs(dir) {
		return nil
	}
	for _, s := range a.config.Sources {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(s.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return &StaleError{Path: s.Path, Missing: true}
		case err != nil:
			return err
		case SourceDigest(b) != s.SHA256:
			return &StaleError{Path: s.Path}
		}
	}
	return nil
}
