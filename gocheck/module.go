package gocheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
)

// at is where messages about the package point: the handlers: value,
// else the directory.
func (p Target) at() diag.Range {
	if p.At.Start.Line != 0 {
		return p.At
	}
	return diag.Range{Filename: diag.DisplayPath(p.Dir)}
}

// display names the package directory as the manifest does.
func (p Target) display() string {
	if p.Written != "" {
		return p.Written
	}
	return diag.DisplayPath(p.Dir)
}

// checkHandlersDir reports a handlers: directory that is missing, not a
// directory or without Go files.
func checkHandlersDir(p Target) *diag.Diagnostic {
	st, err := os.Stat(p.Dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		d := diag.Errorf(diag.HandlersDir, p.at(), "the handlers directory %s does not exist", p.display())
		if s := suggestDir(p); s != "" {
			d.Hint("did you mean %s?", s)
		} else {
			d.Hint("set handlers: to the directory holding the handler funcs, relative to %s", manifestName(p))
		}
		return d
	case err != nil:
		return diag.Errorf(diag.HandlersDir, p.at(), "cannot read the handlers directory %s: %v", p.display(), err)
	case !st.IsDir():
		return diag.Errorf(diag.HandlersDir, p.at(), "handlers: %s is a file, not a directory", p.display()).
			Hint("set handlers: to the directory of the Go package holding the handler funcs")
	}
	if !hasGoFiles(p.Dir) {
		d := diag.Errorf(diag.HandlersDir, p.at(), "the handlers directory %s has no Go files", p.display())
		if s := suggestDir(p); s != "" {
			d.Hint("did you mean %s?", s)
		} else {
			d.Hint("declare the handler funcs in a Go package there, or set handlers: to the directory holding them")
		}
		return d
	}
	return nil
}

func manifestName(p Target) string {
	if p.At.Filename != "" {
		return path.Base(p.At.Filename)
	}
	return "the manifest"
}

// hasGoFiles: dir holds a Go source file other than tests and chalc_gen.go.
func hasGoFiles(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && n != GeneratedFile {
			return true
		}
	}
	return false
}

// suggestDir returns the handlers: value naming a sibling directory with
// Go files whose name is close to the one written, or "".
func suggestDir(p Target) string {
	if p.Written == "" {
		return ""
	}
	parent, base := filepath.Dir(p.Dir), filepath.Base(p.Dir)
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && n != base && !strings.HasPrefix(n, ".") && !strings.HasPrefix(n, "_") &&
			n != "testdata" && n != "vendor" && hasGoFiles(filepath.Join(parent, n)) {
			names = append(names, n)
		}
	}
	best := suggest.Closest(base, names)
	if best == "" {
		return ""
	}
	// Keep the value as written up to its last element.
	w := strings.TrimSuffix(filepath.ToSlash(p.Written), "/")
	return w[:strings.LastIndexByte(w, '/')+1] + best
}

// listedPackage is one package of `go list -deps -json`.
type listedPackage struct {
	ImportPath string
	DepOnly    bool
	Deps       []string
	Error      *struct {
		Pos string
		Err string
	}
}

// moduleCheck asks the go command whether the module can provide
// everything the handlers package and the runtime packages import:
// go.mod and go.sum must record every module involved. It is cheap (no
// compiling) and catches what `go build` of the bootstrap would fail on
// with "missing go.sum entry", whose go get advice does not apply to a
// chalc app.
//
// handlersBroken says that the handlers package's own imports are
// affected, so that its type errors would be echoes.
func moduleCheck(p Target, runtime []RuntimeImport) (ds diag.Diagnostics, handlersBroken bool) {
	args := []string{"list", "-e", "-deps", "-json=ImportPath,DepOnly,Deps,Error"}
	gen := filepath.Join(p.Dir, GeneratedFile)
	if _, err := os.Stat(gen); err == nil {
		// Hide chalc_gen.go, as the type check does: it may be stale.
		tmp, err := os.MkdirTemp("", "chalc-gocheck-")
		if err != nil {
			return nil, false
		}
		defer os.RemoveAll(tmp)
		stub := filepath.Join(tmp, GeneratedFile)
		overlay := filepath.Join(tmp, "overlay.json")
		b, _ := json.Marshal(map[string]any{"Replace": map[string]string{gen: stub}})
		if os.WriteFile(stub, []byte("package "+PackageName(p.Dir)+"\n"), 0o644) != nil || os.WriteFile(overlay, b, 0o644) != nil {
			return nil, false
		}
		args = append(args, "-overlay", overlay)
	}
	args = append(args, ".")
	for _, r := range runtime {
		args = append(args, r.Path)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = p.Dir
	cmd.Env = goEnv()
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
	root := ModuleRoot(p.Dir)
	if runErr != nil && len(listed) == 0 {
		// A module-level failure (go.mod needs updates): the go command
		// says so on stderr. Anything else is left to the type check,
		// which reports it with more context.
		if msg := oneLine(stderr.String()); isModuleProblem(msg) {
			ds.Errorf(diag.GoModule, p.at(), "the go command cannot load the handlers package %s: %s", p.display(), cleanGoMsg(msg)).
				Hint("%s", tidyHint(root, msg))
			return ds, true
		}
		return nil, false
	}

	// Each failing package is charged to the first group that imports
	// it: the handlers package (its own imports), then each runtime
	// package in order.
	type group struct {
		roots     []string
		deps      map[string]bool
		at        diag.Range
		what, why string
		msgs      []string
		notes     []diag.Note
	}
	var groups []*group
	byRoot, byWhat := map[string]*group{}, map[string]*group{}
	handlers := &group{at: p.at(), what: "the handlers package " + p.display()}
	groups = append(groups, handlers)
	for _, r := range runtime {
		g := byWhat[r.What]
		if g == nil {
			g = &group{at: r.At, what: r.What, why: r.Why}
			byWhat[r.What] = g
			groups = append(groups, g)
		}
		g.roots = append(g.roots, r.Path)
		byRoot[r.Path] = g
	}
	for _, lp := range listed {
		if lp.DepOnly {
			continue
		}
		g := byRoot[lp.ImportPath]
		if g == nil {
			g = handlers
			g.roots = append(g.roots, lp.ImportPath)
		}
		if g.deps == nil {
			g.deps = map[string]bool{}
		}
		g.deps[lp.ImportPath] = true
		for _, d := range lp.Deps {
			g.deps[d] = true
		}
	}
	for _, lp := range listed {
		if lp.Error == nil {
			continue
		}
		for _, g := range groups {
			if !g.deps[lp.ImportPath] {
				continue
			}
			// The handlers' own errors other than module bookkeeping
			// (a misspelt import) are the type check's to report.
			if g == handlers && !isModuleProblem(lp.Error.Err) {
				break
			}
			msg := cleanGoMsg(lp.Error.Err)
			if !slices.Contains(g.msgs, msg) {
				g.msgs = append(g.msgs, msg)
				var at diag.Range
				if g == handlers {
					e := parseGoError(lp.Error.Pos, "")
					if e.File != "" && !filepath.IsAbs(e.File) {
						// go list names files relative to where it ran.
						e.File = filepath.Join(p.Dir, e.File)
					}
					if e.File != "" {
						at = diag.Range{Filename: diag.DisplayPath(e.File), Start: diag.Pos{Line: e.Line, Column: e.Col}}
					}
				}
				g.notes = append(g.notes, diag.Note{Range: at, Message: msg})
			}
			break
		}
	}
	for _, g := range groups {
		if len(g.msgs) == 0 {
			continue
		}
		all := strings.Join(g.msgs, "\n")
		var d *diag.Diagnostic
		if isModuleProblem(all) {
			d = ds.Errorf(diag.GoModule, g.at, "%s cannot be built: go.mod and go.sum do not record every module it needs", g.what)
		} else {
			d = ds.Errorf(diag.GoLoad, g.at, "%s cannot be loaded", g.what)
		}
		it := "it"
		if len(g.roots) > 1 {
			it = "them"
		}
		if g.why != "" {
			d.Note(diag.Range{}, "%s: %s", strings.Join(g.roots, ", "), strings.ReplaceAll(g.why, "imports it", "imports "+it))
		}
		if g == handlers {
			handlersBroken = true
		}
		const maxNotes = 3
		for i, n := range g.notes {
			if i == maxNotes {
				d.Note(diag.Range{}, "... and %d more", len(g.notes)-maxNotes)
				break
			}
			d.Notes = append(d.Notes, n)
		}
		switch {
		case g == handlers || !isModuleProblem(all) || strings.Contains(all, "vendor"):
			d.Hint("%s", tidyHint(root, all))
		default:
			// chalc generate writes chalc_gen.go, which imports these,
			// and records what they need (RecordRuntime), offline when
			// the module cache has it. (go's own advice, go get
			// <package>@v0.0.0, asks the module proxy about every
			// prefix of the path first.)
			d.Hint("run `chalc generate`: it records what chalc's runtime needs in go.mod and go.sum")
		}
	}
	return ds, handlersBroken
}

// isModuleProblem: the go command's message is about go.mod/go.sum
// bookkeeping, which `go mod tidy` (or `go mod vendor`) fixes.
func isModuleProblem(msg string) bool {
	for _, s := range []string{"missing go.sum entry", "no required module provides package", "is replaced but not required", "updates to go.mod needed", "go mod tidy", "inconsistent vendoring"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// tidyHint is the fix for module bookkeeping problems in the module at
// root, named relative to the working directory.
func tidyHint(root, msg string) string {
	cmd := "go mod tidy"
	if strings.Contains(msg, "inconsistent vendoring") || strings.Contains(msg, "-mod=vendor") {
		cmd = "go mod vendor"
	}
	if r := diag.DisplayPath(root); r != "." && root != "" {
		return fmt.Sprintf("run `%s` in %s", cmd, r)
	}
	return fmt.Sprintf("run `%s`", cmd)
}

// cleanGoMsg drops the go command's advice ("to add: go get ...@v0.0.0"),
// which is wrong for a replaced chalc, and its "go: " prefix.
func cleanGoMsg(msg string) string {
	for _, cut := range []string{"; to add", "; to update it"} {
		if i := strings.Index(msg, cut); i >= 0 {
			msg = msg[:i]
		}
	}
	return strings.TrimSpace(strings.TrimPrefix(msg, "go: "))
}
