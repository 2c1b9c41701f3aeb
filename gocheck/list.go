package gocheck

// The two questions the check asks the go command, and their caches:
//
//   - listDeps, `go list -deps`: the import graph of the handlers packages
//     and the runtime packages (which packages, in which directories, from
//     which modules, with which errors: go.mod/go.sum bookkeeping among
//     them). It compiles nothing, and reads of the local sources only what
//     go/build reads: file names, package clauses, build constraints and
//     imports. Its answer is cached by exactly that (sources.digest
//     goHeaders), so editing a function body asks nothing.
//   - listExport, `go list -export`: the export data of the packages the
//     module-local code imports from elsewhere (the standard library,
//     other modules), compiled with the flags of the build that follows,
//     so that this build finds them compiled. Export files live in the go
//     build cache under the hash of their content: an entry names files
//     that either still exist with that content, or are gone (a cleaned
//     cache), which is a miss. It is keyed by what decides those packages:
//     everything local but the main module's Go files, of which only the
//     headers count (the main module's packages are type-checked from
//     source, not compiled here).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// listVersion is part of both listing caches' keys: bump it when
// listedPackage or the go list flags change.
const listVersion = "1"

// listedPackage is one package of `go list -json`.
type listedPackage struct {
	ImportPath string
	Name       string            `json:",omitempty"`
	Dir        string            `json:",omitempty"`
	GoFiles    []string          `json:",omitempty"`
	Imports    []string          `json:",omitempty"`
	ImportMap  map[string]string `json:",omitempty"`
	Deps       []string          `json:",omitempty"`
	DepOnly    bool              `json:",omitempty"`
	Standard   bool              `json:",omitempty"`
	Module     *listedModule     `json:",omitempty"`
	Error      *listError        `json:",omitempty"`
	Export     string            `json:",omitempty"`
}

type listedModule struct {
	Path      string
	Dir       string `json:",omitempty"`
	GoVersion string `json:",omitempty"`
	Main      bool   `json:",omitempty"`
}

type listError struct {
	Pos string `json:",omitempty"`
	Err string
}

// depsFields are the fields listDeps asks for.
const depsFields = "ImportPath,Name,Dir,GoFiles,Imports,ImportMap,Deps,DepOnly,Standard,Module,Error"

// goList is one `go list` run in a module with a build's flags and
// environment.
type goList struct {
	root    string
	environ []string
	args    []string // the build's flags
	// hide are chalc_gen.go files the go command must see as empty (a
	// stale one may name handlers that are gone).
	hide     []string
	cacheDir string
}

// deps lists patterns and their dependencies (`go list -e -deps`), through
// the cache keyed by headers (the digest of sources' Go headers). ok is
// false when the go command failed as a whole (stderr says why).
func (l goList) deps(patterns []string, headers string) (listed []listedPackage, stderr string, ok bool) {
	key := l.key("deps", headers, patterns)
	file := ""
	if l.cacheDir != "" {
		file = filepath.Join(l.cacheDir, "golist", key+".json")
		if readJSON(file, &listed) && len(listed) > 0 {
			return listed, "", true
		}
	}
	args := append([]string{"list", "-e", "-deps", "-json=" + depsFields}, l.args...)
	if len(l.hide) > 0 {
		overlay, cleanup, err := l.overlay()
		if err != nil {
			return nil, err.Error(), false
		}
		defer cleanup()
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "--")
	listed, stderr, err := l.run(append(args, patterns...))
	if err != nil && len(listed) == 0 {
		return nil, stderr, false
	}
	if err == nil && file != "" && cleanListing(listed) {
		writeJSON(file, listed)
	}
	return listed, stderr, true
}

// exports returns the export data file of each package of paths
// (`go list -e -export`), and why a package has none. notMain is the
// digest of sources as mainHeaders.
func (l goList) exports(paths []string, notMain string) (files map[string]string, failed map[string]string) {
	files, failed = map[string]string{}, map[string]string{}
	if len(paths) == 0 {
		return files, failed
	}
	key := l.key("export", notMain, paths)
	file := ""
	if l.cacheDir != "" {
		file = filepath.Join(l.cacheDir, "golist", key+".json")
		var cached map[string]string
		if readJSON(file, &cached) && len(cached) == len(paths) && exportFilesExist(cached) {
			return cached, failed
		}
	}
	args := append([]string{"list", "-e", "-export", "-json=ImportPath,Export,Error"}, l.args...)
	listed, stderr, err := l.run(append(append(args, "--"), paths...))
	for _, p := range listed {
		switch {
		case p.Export != "":
			files[p.ImportPath] = p.Export
		case p.Error != nil:
			failed[p.ImportPath] = p.Error.Err
		}
	}
	for _, p := range paths {
		if files[p] == "" && failed[p] == "" {
			msg := oneLine(stderr)
			if msg == "" && err != nil {
				msg = err.Error()
			}
			if msg == "" {
				msg = "the go command reported no export data"
			}
			failed[p] = msg
		}
	}
	if len(failed) == 0 && file != "" {
		writeJSON(file, files)
	}
	return files, failed
}

// key identifies a listing: what it asks, of which module, with which
// flags and environment, over which sources.
func (l goList) key(what, digest string, patterns []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "golist %s %s\n%s\n%q\n", listVersion, what, l.root, l.args)
	for _, kv := range l.environ {
		// The variables a go command's answer depends on; the rest of the
		// environment (and what `go env -w` set) is in the sources
		// digest's go env values or the go env cache's key.
		if k, _, _ := cutEnv(kv); k == "GOOS" || k == "GOARCH" || k == "CGO_ENABLED" || len(k) > 2 && k[:2] == "GO" {
			fmt.Fprintf(h, "%s\n", kv)
		}
	}
	sorted := append([]string(nil), patterns...)
	sort.Strings(sorted)
	fmt.Fprintf(h, "%q\n%q\nsources %s\n", l.hide, sorted, digest)
	return hex.EncodeToString(h.Sum(nil))
}

func cutEnv(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return kv, "", false
}

// run runs one go list command and decodes its JSON stream.
func (l goList) run(args []string) ([]listedPackage, string, error) {
	cmd := exec.CommandContext(context.Background(), "go", args...)
	cmd.Dir = l.root
	cmd.Env = l.environ
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var listed []listedPackage
	for dec := json.NewDecoder(&stdout); ; {
		var lp listedPackage
		if err := dec.Decode(&lp); err != nil {
			if err != io.EOF {
				listed = nil
			}
			break
		}
		listed = append(listed, lp)
	}
	return listed, stderr.String(), runErr
}

// overlay writes a go command -overlay file showing each hidden file as
// a bare package clause.
func (l goList) overlay() (string, func(), error) {
	tmp, err := os.MkdirTemp("", "chalc-gocheck-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	replace := map[string]string{}
	for i, f := range l.hide {
		stub := filepath.Join(tmp, fmt.Sprintf("%d.go", i))
		if err := os.WriteFile(stub, []byte("package "+PackageName(filepath.Dir(f))+"\n"), 0o644); err != nil {
			cleanup()
			return "", nil, err
		}
		replace[f] = stub
	}
	b, _ := json.Marshal(map[string]any{"Replace": replace})
	overlay := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlay, b, 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	return overlay, cleanup, nil
}

// cleanListing: no package has an error (a listing with errors is not
// cached: the check reports them, and they may be passing, such as a
// module the go command could not download).
func cleanListing(listed []listedPackage) bool {
	for _, p := range listed {
		if p.Error != nil {
			return false
		}
	}
	return true
}

// exportFilesExist: every export file of a cached listing is still in the
// go build cache (which names them by the hash of their content).
func exportFilesExist(files map[string]string) bool {
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return true
}
