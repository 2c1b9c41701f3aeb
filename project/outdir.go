package project

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// OutDirError: an output directory chalc must not write into, because
// what it writes there (sam.json, deployment.zip, README.md...) would
// overwrite or sit among the project's own files. It is a usage error.
type OutDirError struct {
	Out, Reason string
}

func (e *OutDirError) Error() string {
	return fmt.Sprintf("the output directory %s %s; chalc writes its files there and replaces any of the same name\n"+
		"  hint: name a directory of its own, such as out/ in the project", e.Out, e.Reason)
}

// CheckOutDir refuses out as the output directory of the project in
// projectDir ("" is "."): the project directory itself, a directory
// holding a chalice.yaml (another project), or a directory containing
// the project. Symbolic links are followed, so another name for the
// project directory is refused too.
func CheckOutDir(projectDir, out string) error {
	if projectDir == "" {
		projectDir = "."
	}
	proj, err := realPath(projectDir)
	if err != nil {
		return err
	}
	o, err := realPath(out)
	if err != nil {
		return err
	}
	shown := filepath.ToSlash(out)
	switch {
	case o == proj:
		return &OutDirError{Out: shown, Reason: "is the project directory"}
	case within(o, proj):
		return &OutDirError{Out: shown, Reason: "is a parent of the project directory " + filepath.ToSlash(projectDir)}
	}
	if st, err := os.Stat(filepath.Join(o, ManifestName)); err == nil && !st.IsDir() {
		return &OutDirError{Out: shown, Reason: "holds a " + ManifestName + ": it is a project directory"}
	}
	return nil
}

// within reports whether path is below dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// realPath is path absolute with symbolic links resolved, as far as it
// exists (an output directory may not exist yet).
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// recordName is the file in an output directory that lists what chalc
// wrote there last, with the SHA-256 of each file, so that a later run
// removes a file that went stale (sam.json after a switch to YAML) only
// when chalc wrote it and nobody changed it since.
const recordName = ".chalc-package.json"

type record struct {
	Files map[string]string `json:"files"` // name → SHA-256
}

func readRecord(dir string) record {
	var r record
	if b, err := os.ReadFile(filepath.Join(dir, recordName)); err == nil {
		_ = json.Unmarshal(b, &r)
	}
	if r.Files == nil {
		r.Files = map[string]string{}
	}
	return r
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func writeRecord(dir string, files map[string][]byte) error {
	r := record{Files: map[string]string{}}
	for name, data := range files {
		r.Files[name] = sum(data)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, recordName), append(b, '\n'))
}
