// Package gocheck owns everything chalc asks the go command or learns by
// loading Go code: that the app's module provides what the handlers and
// the generated code import (go.mod/go.sum bookkeeping), the exported
// funcs of each handlers package with their signatures (the compiler
// checks them against the manifest), and the aws-sdk-go-v2 operations the
// code can reach (the compiler turns them into IAM actions). It also
// decides which local files a go command reads (sources.go), so that its
// caches and the bootstrap build's are keyed alike.
//
// One load of a module's code (load.go) serves the signatures and the SDK
// walk: the module's own packages from source, everything else from the
// export data of the build that follows (BuildConfig), so nothing is
// compiled twice. Every answer is cached by what decides it: `go env`
// (goenv.go), `go list` (list.go), the check's result (Check), so that a
// project with nothing changed runs no go command.
//
// It never imports the compiler: the compiler describes what to check in a
// Request and consumes the Result. Problems are diag.Diagnostics at the
// Go source line, or at the manifest value that named the package.
package gocheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/diag"
)

// Check runs the checks req asks for, one load per module holding
// handlers packages (load.go). Results are cached by a digest of every
// local source the go command may read (sources.go), so an unchanged
// project runs no go command at all.
func Check(req gomodel.Request) (*gomodel.Result, diag.Diagnostics) {
	res := &gomodel.Result{Packages: make([]*gomodel.Package, len(req.Packages))}
	if req.Checks&gomodel.Handlers == 0 || len(req.Packages) == 0 {
		return res, nil
	}
	if req.Build.GOOS == "" {
		req.Build = gomodel.DefaultBuild()
	}
	var ds diag.Diagnostics
	var modules []*moduleCheckRun
	byRoot := map[string]*moduleCheckRun{}
	for i, t := range req.Packages {
		if d := checkHandlersDir(t); d != nil {
			ds.Append(d)
			continue
		}
		root := ModuleRoot(t.Dir)
		if root == "" {
			ds.Errorf(diag.GoModule, targetAt(t), "the handlers package %s is not in a Go module", targetName(t)).
				Hint("run `go mod init example.com/myapp` in the project directory")
			continue
		}
		m := byRoot[root]
		if m == nil {
			m = &moduleCheckRun{req: &req, root: root}
			byRoot[root] = m
			modules = append(modules, m)
		}
		if i == 0 && req.Checks&gomodel.RuntimeModules != 0 {
			m.runtime = req.Runtime
		}
		m.targets = append(m.targets, t)
		m.index = append(m.index, i)
	}
	graph := &gomodel.SDKGraph{Nodes: map[string]*gomodel.SDKNode{}}
	for _, m := range modules {
		out, mds := m.run()
		ds = append(ds, mds...)
		if out == nil {
			continue
		}
		for k, i := range m.index {
			res.Packages[i] = out.Packages[k]
		}
		if out.SDK != nil {
			graph.Merge(out.SDK)
		}
	}
	if req.Checks&gomodel.SDKCalls != 0 && !ds.HasErrors() {
		res.SDK = graph
	}
	return res, ds
}

// moduleCheckRun checks the handlers packages of one module.
type moduleCheckRun struct {
	req     *gomodel.Request
	root    string
	targets []gomodel.Target
	index   []int // of each target in req.Packages
	runtime []gomodel.RuntimeImport
}

// moduleResult is what a module's check learnt (a cache entry).
type moduleResult struct {
	// Packages parallels the module's targets.
	Packages []*gomodel.Package
	// SDK is the module's SDK graph, file names relative to its root in
	// the cache.
	SDK *gomodel.SDKGraph
}

func (m *moduleCheckRun) run() (*moduleResult, diag.Diagnostics) {
	var ds diag.Diagnostics
	first := m.targets[0]
	cfg := m.req.Build
	environ := cfg.Environ()
	env, err := ReadEnvCached(context.Background(), "go", m.root, environ, m.req.CacheDir)
	if err != nil {
		d := ds.Errorf(diag.GoLoad, targetAt(first), "cannot load the handlers package %s: %v", targetName(first), err)
		var ee *exec.Error
		if errors.As(err, &ee) || strings.Contains(err.Error(), "executable file not found") {
			d.Hint("chalc needs the go command (Go 1.26 or newer) on PATH")
		}
		return nil, ds
	}
	var hidden []string
	for _, t := range m.targets {
		gen := filepath.Join(t.Dir, gomodel.GeneratedFile)
		if _, err := os.Stat(gen); err == nil {
			hidden = append(hidden, gen)
		}
	}
	srcs, err := readSources(m.root, env, hidden)
	if err != nil {
		ds.Errorf(diag.HandlersDir, targetAt(first), "cannot read the handlers package %s: %v", targetName(first), err)
		return nil, ds
	}
	key := m.key(srcs.digest(fullContent))
	cacheFile := ""
	if m.req.CacheDir != "" {
		// gob: a thousand handlers' entry decodes in a quarter of JSON's
		// time, and every command with nothing changed reads it.
		cacheFile = filepath.Join(m.req.CacheDir, "gocheck", key+".gob")
		var c moduleResult
		if readGob(cacheFile, &c) && len(c.Packages) == len(m.targets) && c.SDK != nil {
			absolute(c.SDK, m.root)
			return &c, nil
		}
	}
	out, ds := m.load(env, environ, hidden, srcs)
	if out == nil || ds.HasErrors() {
		return out, ds
	}
	if cacheFile != "" {
		writeGob(cacheFile, out)
	}
	absolute(out.SDK, m.root)
	return out, ds
}

// key hashes what decides a module's check: the handlers packages, the
// runtime packages the module must provide, the build, and the module's
// sources digest (any package of the module, a workspace module or a
// replacement may decide a handler's types).
func (m *moduleCheckRun) key(digest string) string {
	h := sha256.New()
	fmt.Fprintf(h, "gocheck %s\n%s\ninputs %s\n", goCheckVersion, m.root, awsfacts.InputPathsDigest())
	for _, t := range m.targets {
		fmt.Fprintf(h, "target %s\n", t.Dir)
	}
	for _, r := range m.runtime {
		fmt.Fprintf(h, "runtime %s\n", r.Path)
	}
	fmt.Fprintf(h, "build %s\nsources %s\n", m.req.Build, digest)
	return hex.EncodeToString(h.Sum(nil))
}

// load asks the go command for the module's import graph (checking its
// go.mod/go.sum bookkeeping on the way) and the dependencies' export
// data, loads the module-local code once (load.go), and learns from it
// both the handlers' signatures and the SDK graph.
func (m *moduleCheckRun) load(env Env, environ, hidden []string, srcs *sources) (*moduleResult, diag.Diagnostics) {
	var ds diag.Diagnostics
	first := m.targets[0]
	cfg := m.req.Build
	args, err := cfg.Args(env["GOFLAGS"])
	if err != nil {
		// The build says what is wrong with GOFLAGS; the check goes on
		// with the program's own flags.
		args, _ = cfg.Args("")
	}
	gl := goList{root: m.root, environ: environ, args: args, hide: hidden, cacheDir: m.req.CacheDir}
	var patterns []string
	for _, t := range m.targets {
		rel, err := filepath.Rel(m.root, t.Dir)
		if err != nil {
			ds.Errorf(diag.HandlersDir, targetAt(t), "cannot read the handlers package %s: %v", targetName(t), err)
			return nil, ds
		}
		patterns = append(patterns, "./"+filepath.ToSlash(rel))
	}
	for _, r := range m.runtime {
		patterns = append(patterns, r.Path)
	}
	listed, stderr, ok := gl.deps(patterns, srcs.digest(goHeaders))
	if !ok {
		msg := cleanGoMsg(oneLine(stderr))
		if msg == "" {
			msg = "go list failed"
		}
		d := ds.Errorf(diag.GoLoad, targetAt(first), "the go command cannot load the handlers package %s: %s", targetName(first), msg)
		if isModuleProblem(msg) {
			d.Hint("%s", tidyHint(m.root, msg))
		}
		return nil, ds
	}
	mds, broken := moduleCheck(m.root, m.targets, m.runtime, listed)
	ds = append(ds, mds...)

	// The module-local packages the targets reach.
	byPath := map[string]*listedPackage{}
	for i := range listed {
		byPath[listed[i].ImportPath] = &listed[i]
	}
	found := make([]*listedPackage, len(m.targets))
	mainPath := ""
	for k, t := range m.targets {
		dirs := []string{filepath.Clean(t.Dir)}
		if real, err := filepath.EvalSymlinks(t.Dir); err == nil {
			dirs = append(dirs, real)
		}
		for i := range listed {
			lp := &listed[i]
			if !lp.DepOnly && lp.Dir != "" && slices.Contains(dirs, filepath.Clean(lp.Dir)) {
				found[k] = lp
				if lp.Module != nil {
					mainPath = lp.Module.Path
				}
				break
			}
		}
	}
	local := map[string]bool{}
	var visit func(path string)
	visit = func(path string) {
		lp := byPath[path]
		if local[path] || lp == nil || lp.Module == nil || lp.Module.Path != mainPath {
			return
		}
		local[path] = true
		for _, imp := range lp.Imports {
			visit(imp)
		}
	}
	for k, lp := range found {
		if lp == nil {
			d := ds.Errorf(diag.GoLoad, targetAt(m.targets[k]), "the go command cannot load the handlers package %s", targetName(m.targets[k]))
			d.Note(diag.Range{}, "go list did not list the package in %s", diag.DisplayPath(m.targets[k].Dir))
			continue
		}
		if !broken[k] {
			visit(lp.ImportPath)
		}
	}
	if len(local) == 0 {
		if !ds.HasErrors() {
			// (Not in module mode, such as GO111MODULE=off.)
			ds.Errorf(diag.GoModule, targetAt(first), "the go command does not list the handlers package %s as part of a module", targetName(first)).
				Hint("chalc builds modules: check GO111MODULE and GOFLAGS")
		}
		return nil, ds
	}

	// Export data for what the local packages import from elsewhere,
	// keyed by the sources less the main module's Go bodies, unless such
	// a package depends on the main module (a workspace module or a
	// replacement importing it back).
	need := map[string]bool{}
	for path := range local {
		lp := byPath[path]
		for _, imp := range lp.Imports {
			if mapped, ok := lp.ImportMap[imp]; ok {
				imp = mapped
			}
			if !local[imp] && imp != "unsafe" && imp != "C" {
				need[imp] = true
			}
		}
	}
	paths := make([]string, 0, len(need))
	exportDigest := ""
	for p := range need {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if lp := byPath[p]; lp != nil && exportDigest == "" {
			for _, d := range lp.Deps {
				if dp := byPath[d]; dp != nil && dp.Module != nil && dp.Module.Path == mainPath {
					exportDigest = srcs.digest(fullContent)
					break
				}
			}
		}
	}
	if exportDigest == "" {
		exportDigest = srcs.digest(mainHeaders)
	}
	exports, failed := gl.exports(paths, exportDigest)
	prog := load(m.root, listed, local, exports, failed, cfg.GOARCH)

	out := &moduleResult{Packages: make([]*gomodel.Package, len(m.targets))}
	// Each Go error is reported once, with the first handlers package
	// that reaches it.
	reported := map[*loadedPackage]bool{}
	goErrs := false
	for k, t := range m.targets {
		lp := found[k]
		if lp == nil || broken[k] {
			continue
		}
		p := prog.local[lp.ImportPath]
		if p == nil {
			continue
		}
		out.Packages[k] = describe(p, prog.fset)
		var errs []goError
		for _, q := range prog.reach(p) {
			if !reported[q] {
				reported[q] = true
				errs = append(errs, q.errors...)
			}
		}
		if len(errs) > 0 {
			goErrs = true
			ds = append(ds, goErrorDiagnostics(t, errs, m.req.Sources)...)
		}
	}
	if goErrs || ds.HasErrors() {
		return out, ds
	}
	out.SDK = walkSDK(prog)
	return out, ds
}
