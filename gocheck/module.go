package gocheck

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
)

// targetAt is where messages about the package point: the handlers: value,
// else the directory.
func targetAt(p gomodel.Target) diag.Range {
	if p.At.Start.Line != 0 {
		return p.At
	}
	return diag.Range{Filename: diag.DisplayPath(p.Dir)}
}

// targetName names the package directory as the manifest does.
func targetName(p gomodel.Target) string {
	if p.Written != "" {
		return p.Written
	}
	return diag.DisplayPath(p.Dir)
}

// checkHandlersDir reports a handlers: directory that is missing, not a
// directory or without Go files.
func checkHandlersDir(p gomodel.Target) *diag.Diagnostic {
	st, err := os.Stat(p.Dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		d := diag.Errorf(diag.HandlersDir, targetAt(p), "the handlers directory %s does not exist", targetName(p))
		if s := suggestDir(p); s != "" {
			d.Hint("did you mean %s?", s)
		} else {
			d.Hint("set handlers: to the directory holding the handler funcs, relative to %s", manifestName(p))
		}
		return d
	case err != nil:
		return diag.Errorf(diag.HandlersDir, targetAt(p), "cannot read the handlers directory %s: %v", targetName(p), err)
	case !st.IsDir():
		return diag.Errorf(diag.HandlersDir, targetAt(p), "handlers: %s is a file, not a directory", targetName(p)).
			Hint("set handlers: to the directory of the Go package holding the handler funcs")
	}
	if !hasGoFiles(p.Dir) {
		d := diag.Errorf(diag.HandlersDir, targetAt(p), "the handlers directory %s has no Go files", targetName(p))
		if s := suggestDir(p); s != "" {
			d.Hint("did you mean %s?", s)
		} else {
			d.Hint("declare the handler funcs in a Go package there, or set handlers: to the directory holding them")
		}
		return d
	}
	return nil
}

func manifestName(p gomodel.Target) string {
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
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && n != gomodel.GeneratedFile {
			return true
		}
	}
	return false
}

// suggestDir returns the handlers: value naming a sibling directory with
// Go files whose name is close to the one written, or "".
func suggestDir(p gomodel.Target) string {
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

// moduleCheck reports, from the listing of the targets (all in the
// module at root) and the runtime packages, whether the module can
// provide everything they import: go.mod and go.sum must record every
// module involved. The listing compiles nothing, and it catches what `go
// build` of the bootstrap would fail on with "missing go.sum entry",
// whose go get advice does not apply to a chalc app.
//
// broken[i] says that target i's own imports are affected, so that its
// type errors would be echoes.
func moduleCheck(root string, targets []gomodel.Target, runtime []gomodel.RuntimeImport, listed []listedPackage) (ds diag.Diagnostics, broken []bool) {
	broken = make([]bool, len(targets))
	// Each failing package is charged to the first group that imports
	// it: each handlers package (its own imports), then each runtime
	// package in order.
	type group struct {
		target    int // index in targets; -1 for a runtime group
		roots     []string
		deps      map[string]bool
		at        diag.Range
		what, why string
		msgs      []string
		notes     []diag.Note
	}
	var groups []*group
	byDir := map[string]*group{}
	for i, t := range targets {
		g := &group{target: i, at: targetAt(t), what: "the handlers package " + targetName(t)}
		groups = append(groups, g)
		byDir[filepath.Clean(t.Dir)] = g
	}
	byRoot, byWhat := map[string]*group{}, map[string]*group{}
	for _, r := range runtime {
		g := byWhat[r.What]
		if g == nil {
			g = &group{target: -1, at: r.At, what: r.What, why: r.Why}
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
			if g = byDir[filepath.Clean(lp.Dir)]; g == nil {
				g = groups[0]
			}
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
			if g.target >= 0 && !isModuleProblem(lp.Error.Err) {
				break
			}
			msg := cleanGoMsg(lp.Error.Err)
			if !slices.Contains(g.msgs, msg) {
				g.msgs = append(g.msgs, msg)
				var at diag.Range
				if g.target >= 0 {
					e := listGoError(root, &lp)
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
		if g.target >= 0 {
			broken[g.target] = true
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
		case g.target >= 0 || !isModuleProblem(all) || strings.Contains(all, "vendor"):
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
	return ds, broken
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
