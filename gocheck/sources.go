package gocheck

// Which local files a go command run in a module may read, hashed
// together with the go environment that changes what it reads or builds.
// chalc's caches (the bootstrap build, the handler type-check, the
// SDK-call analysis) are all keyed by it: one answer to "what can change
// a go command's result", so that a change go build would see misses
// every cache alike, including changes in a go.work found in a parent
// directory, its modules and replacements.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"golang.org/x/mod/modfile"
)

// Env is the go command's view of its environment (`go env -json`),
// so that settings from `go env -w`, a toolchain switch and a go.work
// found in a parent directory count as they do for go build.
type Env map[string]string

// KeyEnv are the go environment variables that change a go command's
// output or what it reads (CGO_ENABLED, GOOS and GOARCH are the
// caller's: they are in the environment it runs the command with).
// GOPROXY and the like do not: go.sum pins every downloaded module.
var KeyEnv = []string{
	"GOVERSION", "GOROOT", "GOWORK", "GOFLAGS", "GOEXPERIMENT",
	"GOAMD64", "GOARM64", "GOFIPS140",
}

// ReadEnv asks goCmd, run in dir with environ, for KeyEnv.
func ReadEnv(ctx context.Context, goCmd, dir string, environ []string) (Env, error) {
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"env", "-json"}, KeyEnv...)...)
	cmd.Dir = dir
	cmd.Env = environ
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("chalc needs the go command (Go 1.26 or newer) on PATH: %v", ee.Err)
		}
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("go env (in %s) failed:\n%s", dir, msg)
		}
		return nil, fmt.Errorf("go env (in %s): %v", dir, err)
	}
	env := Env{}
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("go env -json: %v", err)
	}
	return env, nil
}

// Hash writes to h everything of the module at root a go command may
// read locally, as seen with env: KeyEnv's values, then the module
// files and directory trees of moduleDirs, except below exclude
// (absolute paths of directories or files). Paths are hashed relative to
// root, so that moving the whole tree keeps a cache.
func Hash(h io.Writer, root string, env Env, exclude []string) error {
	s, err := readSources(root, env, exclude)
	if err != nil {
		return err
	}
	s.write(h, fullContent)
	return nil
}

// sources is one reading of the files Hash covers, kept so that the
// digests of parts of them (headers) need no second reading.
type sources struct {
	env   Env
	items []sourceItem
}

// sourceItem is a file, or the start of a module directory's files.
type sourceItem struct {
	// name is the file's path relative to its module directory (or the
	// module directory's, relative to root, for a module start).
	name   string
	module bool
	// main: the file is in the module at root (not a replacement or a
	// workspace module), whose Go files the check type-checks from
	// source.
	main bool
	data []byte
}

// What a digest takes of a Go file (other files count whole).
type contentMode int

const (
	// fullContent: every byte.
	fullContent contentMode = iota
	// goHeaders: the header of every Go file (goHeader), which is all
	// `go list` reads: the package clause, build constraints and imports.
	goHeaders
	// mainHeaders: the header of the main module's Go files, the whole
	// of the others: what decides the export data of the packages that
	// are not the main module's.
	mainHeaders
)

func readSources(root string, env Env, exclude []string) (*sources, error) {
	s := &sources{env: env}
	dirs, files, err := moduleDirs(root, env)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(root, f)
		s.items = append(s.items, sourceItem{name: filepath.ToSlash(rel), data: b})
	}
	for i, d := range dirs {
		rel, _ := filepath.Rel(root, d)
		s.items = append(s.items, sourceItem{name: filepath.ToSlash(rel), module: true})
		n := len(s.items)
		if err := readTree(s, d, exclude); err != nil {
			return nil, err
		}
		for j := n; j < len(s.items); j++ {
			// (vendor/ holds other modules' code, compiled from its bodies.)
			s.items[j].main = i == 0 && !strings.HasPrefix(s.items[j].name, "vendor/")
		}
	}
	return s, nil
}

// write writes the digest input of s to h, Go files as mode says.
func (s *sources) write(h io.Writer, mode contentMode) {
	for _, k := range KeyEnv {
		fmt.Fprintf(h, "%s=%q\n", k, s.env[k])
	}
	fmt.Fprintf(h, "content %d\n", mode)
	for _, it := range s.items {
		if it.module {
			fmt.Fprintf(h, "module %s\n", it.name)
			continue
		}
		data := it.data
		if strings.HasSuffix(it.name, ".go") && (mode == goHeaders || mode == mainHeaders && it.main) {
			data = goHeader(data)
		}
		fmt.Fprintf(h, "%s %d\n", it.name, len(data))
		h.Write(data)
	}
}

// digest is the hex SHA-256 of write(mode).
func (s *sources) digest(mode contentMode) string {
	h := sha256.New()
	s.write(h, mode)
	return hex.EncodeToString(h.Sum(nil))
}

// moduleDirs lists the directories whose sources a build in root may
// read, and the module files outside them that decide what it reads:
//   - root, and the directories its go.mod (or GOFLAGS' -modfile)
//     replaces modules with;
//   - in workspace mode (GOWORK, which the go command may find in any
//     parent directory), go.work and go.work.sum, every module it uses
//     with the directories their go.mod files replace modules with, the
//     directories go.work replaces modules with, and its vendor directory.
//
// Modules from the module cache are not listed: go.sum pins their content.
func moduleDirs(root string, env Env) (dirs, files []string, err error) {
	seen := map[string]bool{}
	add := func(d string) {
		d = filepath.Clean(d)
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	// addModule adds a module directory and its go.mod's replacements.
	addModule := func(dir, gomod string) {
		add(dir)
		b, err := os.ReadFile(gomod)
		if err != nil {
			return
		}
		// Not ParseLax: it skips replace directives.
		mf, err := modfile.Parse(gomod, b, nil)
		if err != nil {
			return
		}
		for _, r := range mf.Replace {
			if modfile.IsDirectoryPath(r.New.Path) {
				add(resolve(dir, r.New.Path))
			}
		}
	}
	gomod := filepath.Join(root, "go.mod")
	if mf := gomodel.FlagValue(env["GOFLAGS"], "modfile"); mf != "" {
		gomod = resolve(root, mf)
		files = append(files, gomod, strings.TrimSuffix(gomod, ".mod")+".sum")
	}
	addModule(root, gomod)
	work := env["GOWORK"]
	if work == "" || work == "off" {
		return dirs, files, nil
	}
	b, err := os.ReadFile(work)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the workspace file %s (GOWORK): %v", work, err)
	}
	files = append(files, work, strings.TrimSuffix(work, ".work")+".work.sum")
	wf, err := modfile.ParseWork(work, b, nil)
	if err != nil {
		return nil, nil, err
	}
	wdir := filepath.Dir(work)
	for _, u := range wf.Use {
		d := resolve(wdir, u.Path)
		addModule(d, filepath.Join(d, "go.mod"))
	}
	for _, r := range wf.Replace {
		if modfile.IsDirectoryPath(r.New.Path) {
			add(resolve(wdir, r.New.Path))
		}
	}
	// A vendored workspace keeps its dependencies next to go.work.
	if st, err := os.Stat(filepath.Join(wdir, "vendor")); err == nil && st.IsDir() {
		add(filepath.Join(wdir, "vendor"))
	}
	return dirs, files, nil
}

// resolve is path, relative to dir unless absolute.
func resolve(dir, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// readTree reads the files of a module tree the go command may read:
// Go sources (not tests), assembly and C, go.mod/go.sum, vendor's
// modules.txt, and every file of a directory whose Go files use
// //go:embed. Hidden directories, testdata and nested modules are skipped,
// and so is every directory or file in exclude. Each file is read once.
func readTree(s *sources, root string, exclude []string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil
		}
		if !d.IsDir() {
			return nil // read with its directory
		}
		name := d.Name()
		if path != root {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
		}
		if slices.Contains(exclude, path) {
			return filepath.SkipDir
		}
		return readDir(s, root, path, exclude)
	})
}

// readDir reads the build inputs of one directory; when its Go files use
// //go:embed, it reads every file below it instead (readAll).
func readDir(s *sources, root, dir string, exclude []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	start := len(s.items)
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if e.IsDir() || !e.Type().IsRegular() || !buildInput(name) || slices.Contains(exclude, path) {
			continue
		}
		if err := readFile(s, root, path); err != nil {
			return err
		}
		if strings.HasSuffix(name, ".go") && bytes.Contains(s.items[len(s.items)-1].data, []byte("//go:embed")) {
			s.items = s.items[:start]
			return readAll(s, dir, exclude)
		}
	}
	return nil
}

func buildInput(name string) bool {
	switch {
	case strings.HasSuffix(name, "_test.go"):
		return false
	case name == "go.mod", name == "go.sum", name == "modules.txt", name == "go.work", name == "go.work.sum":
		return true
	}
	switch filepath.Ext(name) {
	case ".go", ".s", ".c", ".h", ".syso":
		return true
	}
	return false
}

// readAll reads every regular file below dir (embedded files), then
// stops the outer walk from descending again.
func readAll(s *sources, dir string, exclude []string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			for _, ex := range exclude {
				if path == ex {
					return filepath.SkipDir
				}
			}
			if path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasSuffix(d.Name(), "_test.go") {
			return nil
		}
		return readFile(s, dir, path)
	})
	if err != nil {
		return err
	}
	return filepath.SkipDir
}

func readFile(s *sources, root, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	rel, _ := filepath.Rel(root, path)
	s.items = append(s.items, sourceItem{name: filepath.ToSlash(rel), data: b})
	return nil
}

// goHeader is the part of a Go file `go list` reads (go/build stops
// there): from the start to the end of the import declarations, build
// constraints and cgo preambles included. A file that imports "embed"
// counts whole (go/build reads on for //go:embed patterns), and so does
// one whose header does not scan as expected.
func goHeader(src []byte) []byte {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, src, nil, 0)
	scan := func() (int, token.Token, string) {
		pos, tok, lit := sc.Scan()
		return file.Offset(pos), tok, lit
	}
	if _, tok, _ := scan(); tok != token.PACKAGE {
		return src
	}
	off, tok, lit := scan()
	if tok != token.IDENT {
		return src
	}
	end := off + len(lit)
	isEmbed := func(lit string) bool {
		p, err := strconv.Unquote(lit)
		return err != nil || p == "embed"
	}
	if _, tok, _ = scan(); tok != token.SEMICOLON {
		return src
	}
	for {
		if _, tok, _ = scan(); tok != token.IMPORT {
			return src[:end]
		}
		off, tok, lit = scan()
		if tok == token.LPAREN {
			for {
				off, tok, lit = scan()
				if tok == token.RPAREN {
					end = off + 1
					break
				}
				if tok == token.EOF || tok == token.ILLEGAL || tok == token.STRING && isEmbed(lit) {
					return src
				}
			}
		} else {
			if tok == token.IDENT || tok == token.PERIOD {
				off, tok, lit = scan()
			}
			if tok != token.STRING || isEmbed(lit) {
				return src
			}
			end = off + len(lit)
		}
		if _, tok, _ = scan(); tok != token.SEMICOLON {
			return src
		}
	}
}
