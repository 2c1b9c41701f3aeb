package gocheck

// One load of a module's code serves every question the check asks of it:
// the handlers' signatures and the SDK calls (and, next, the call graph).
//
// The module-local packages the handlers packages reach are parsed and
// type-checked from source, in this process; everything they import from
// elsewhere (the standard library, other modules, a replaced chalc) is
// read from export data that `go list -export` produced with the flags of
// the build that follows (listExport). Nothing is compiled for the check
// alone: the go build of the bootstrap or of chalc local's server finds
// those dependencies in the go build cache, and compiles the module's own
// packages once, as it must. Should this Go's reader not understand the
// export data (a newer toolchain's format), the dependencies are
// type-checked from source instead, as go/packages would, without their
// function bodies.

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"golang.org/x/tools/go/gcexportdata"
)

// program is the Go code one check loaded.
type program struct {
	root string
	fset *token.FileSet
	// local are the module-local packages the targets reach, by import
	// path; order lists them dependencies first.
	local map[string]*loadedPackage
	order []*loadedPackage
}

// loadedPackage is one module-local package, parsed and type-checked.
type loadedPackage struct {
	listed *listedPackage
	files  []*ast.File
	types  *types.Package
	info   *types.Info
	// errors are its Go errors: from the go command's listing, the
	// parser and the type checker.
	errors []goError
}

// loader type-checks packages of a listing.
type loader struct {
	root   string
	fset   *token.FileSet
	byPath map[string]*listedPackage
	local  map[string]bool
	sizes  types.Sizes
	// exports are the export data files of the non-local packages the
	// local ones import; exportErrs why a package has none.
	exports    map[string]string
	exportErrs map[string]string
	// fromSource: read every non-local package from source (the export
	// data could not be read).
	fromSource bool

	done     map[string]*types.Package // checked or imported packages
	imported map[string]*types.Package // gcexportdata's shared view
	failed   error                     // an export data file this Go cannot read
}

// errExportFormat marks export data this Go cannot read.
type errExportFormat struct{ err error }

func (e *errExportFormat) Error() string { return e.err.Error() }

// load parses and type-checks the local packages of listed (local, in
// the listing's order: dependencies first), their imports from exports.
func load(root string, listed []listedPackage, local map[string]bool, exports, exportErrs map[string]string, goarch string) *program {
	ld := &loader{
		root:       root,
		byPath:     map[string]*listedPackage{},
		local:      local,
		sizes:      types.SizesFor("gc", goarch),
		exports:    exports,
		exportErrs: exportErrs,
	}
	for i := range listed {
		ld.byPath[listed[i].ImportPath] = &listed[i]
	}
	prog := ld.run(root, listed)
	if ld.failed != nil {
		// The export data is of a format this Go does not know: check
		// everything from source.
		ld.fromSource = true
		prog = ld.run(root, listed)
	}
	return prog
}

func (ld *loader) run(root string, listed []listedPackage) *program {
	ld.fset = token.NewFileSet()
	ld.done = map[string]*types.Package{}
	ld.imported = map[string]*types.Package{}
	ld.failed = nil
	prog := &program{root: root, fset: ld.fset, local: map[string]*loadedPackage{}}
	var pkgs []*loadedPackage
	for i := range listed {
		lp := &listed[i]
		if ld.local[lp.ImportPath] && !(lp.Error != nil && len(lp.GoFiles) == 0 && lp.DepOnly) {
			// (A dependency that cannot be listed at all, such as a
			// misspelt import, is reported where it is imported.)
			p := &loadedPackage{listed: lp}
			prog.local[lp.ImportPath] = p
			pkgs = append(pkgs, p)
		}
	}
	ld.parse(pkgs)
	for _, p := range pkgs {
		ld.check(p)
		if ld.failed != nil {
			return prog
		}
		prog.order = append(prog.order, p)
	}
	return prog
}

// parse parses the local packages' files, on every core: the one big
// file of a thousand handlers is most of a check's time.
func (ld *loader) parse(pkgs []*loadedPackage) {
	type job struct {
		p    *loadedPackage
		i    int
		path string
	}
	var jobs []job
	for _, p := range pkgs {
		names := sourceFiles(p.listed)
		p.files = make([]*ast.File, len(names))
		for i, n := range names {
			jobs = append(jobs, job{p, i, filepath.Join(p.listed.Dir, n)})
		}
	}
	errs := make([][]goError, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				f, err := parser.ParseFile(ld.fset, j.path, nil, parser.ParseComments|parser.SkipObjectResolution)
				j.p.files[j.i] = f
				errs[i] = parseErrors(j.path, err)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, j := range jobs {
		j.p.errors = append(j.p.errors, errs[i]...)
	}
	for _, p := range pkgs {
		files := p.files[:0]
		for _, f := range p.files {
			if f != nil {
				files = append(files, f)
			}
		}
		p.files = files
	}
}

// sourceFiles are the Go files of a package as the check sees it:
// chalc_gen.go is left out (it may be stale; the build has the current
// one).
func sourceFiles(lp *listedPackage) []string {
	var out []string
	for _, n := range lp.GoFiles {
		if n != gomodel.GeneratedFile {
			out = append(out, n)
		}
	}
	return out
}

func workers() int { return max(2, runtime.NumCPU()) }

// parseErrors turns the parser's errors into goErrors.
func parseErrors(file string, err error) []goError {
	if err == nil {
		return nil
	}
	var list scanner.ErrorList
	if !errors.As(err, &list) {
		return []goError{{File: file, Msg: err.Error()}}
	}
	var out []goError
	for _, e := range list {
		out = append(out, goError{File: e.Pos.Filename, Line: e.Pos.Line, Col: e.Pos.Column, Msg: e.Msg})
	}
	return out
}

// check type-checks one local package from source; its imports are
// checked already (dependencies first) or come from export data.
func (ld *loader) check(p *loadedPackage) {
	lp := p.listed
	if lp.Error != nil {
		p.errors = append(p.errors, listGoError(ld.root, lp))
	}
	p.info = &types.Info{
		Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{},
	}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) { return ld.importFor(lp, path) }),
		Sizes:    ld.sizes,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				pos := te.Fset.Position(te.Pos)
				p.errors = append(p.errors, goError{File: pos.Filename, Line: pos.Line, Col: pos.Column, Msg: te.Msg})
				return
			}
			p.errors = append(p.errors, goError{Msg: err.Error()})
		},
	}
	if lp.Module != nil && lp.Module.GoVersion != "" {
		conf.GoVersion = "go" + lp.Module.GoVersion
	}
	p.types, _ = conf.Check(lp.ImportPath, ld.fset, p.files, p.info)
	ld.done[lp.ImportPath] = p.types
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importFor resolves an import of the package from: its import map
// (vendoring), then a checked local package, export data, or source.
func (ld *loader) importFor(from *listedPackage, path string) (*types.Package, error) {
	if mapped, ok := from.ImportMap[path]; ok {
		path = mapped
	}
	return ld.importPath(path)
}

func (ld *loader) importPath(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p := ld.done[path]; p != nil {
		return p, nil
	}
	lp := ld.byPath[path]
	if ld.local[path] {
		// Not checked yet: an import cycle, which the listing reports.
		if lp != nil && lp.Error != nil {
			return nil, fmt.Errorf("%s", lp.Error.Err)
		}
		return nil, fmt.Errorf("import cycle through %s", path)
	}
	if ld.failed != nil {
		return nil, ld.failed
	}
	if ld.fromSource {
		return ld.sourcePackage(path)
	}
	file := ld.exports[path]
	if file == "" {
		if msg := ld.exportErrs[path]; msg != "" {
			return nil, fmt.Errorf("%s", cleanGoMsg(msg))
		}
		if lp != nil && lp.Error != nil {
			return nil, fmt.Errorf("%s", cleanGoMsg(lp.Error.Err))
		}
		return nil, fmt.Errorf("no export data for %s", path)
	}
	pkg, err := ld.readExport(path, file)
	if err != nil {
		ld.failed = &errExportFormat{err}
		return nil, ld.failed
	}
	ld.done[path] = pkg
	return pkg, nil
}

// readExport reads one package's export data into the shared view, in
// which the packages it refers to are the same *types.Package as when
// imported themselves.
func (ld *loader) readExport(path, file string) (*types.Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading export data for %s: %v", path, err)
	}
	pkg, err := gcexportdata.Read(r, ld.fset, ld.imported, path)
	if err != nil {
		return nil, fmt.Errorf("reading export data for %s: %v", path, err)
	}
	return pkg, nil
}

// sourcePackage type-checks a non-local package from source, without
// function bodies (only its API matters), its imports first.
func (ld *loader) sourcePackage(path string) (*types.Package, error) {
	lp := ld.byPath[path]
	if lp == nil || lp.Dir == "" {
		return nil, fmt.Errorf("package %s is not in the listing", path)
	}
	if lp.Error != nil {
		return nil, fmt.Errorf("%s", cleanGoMsg(lp.Error.Err))
	}
	var files []*ast.File
	for _, n := range lp.GoFiles {
		f, err := parser.ParseFile(ld.fset, filepath.Join(lp.Dir, n), nil, parser.SkipObjectResolution)
		if f != nil {
			files = append(files, f)
		} else if err != nil {
			return nil, err
		}
	}
	conf := types.Config{
		Importer:         importerFunc(func(p string) (*types.Package, error) { return ld.importFor(lp, p) }),
		Sizes:            ld.sizes,
		IgnoreFuncBodies: true,
		Error:            func(error) {}, // a dependency's problems are its build's to report
	}
	if lp.Module != nil && lp.Module.GoVersion != "" {
		conf.GoVersion = "go" + lp.Module.GoVersion
	}
	pkg, _ := conf.Check(path, ld.fset, files, nil)
	ld.done[path] = pkg
	return pkg, nil
}

// listGoError is the go command's error about a package, at its
// position when it has one (relative to root, where the go command ran).
func listGoError(root string, lp *listedPackage) goError {
	e := parseGoError(lp.Error.Pos, cleanGoMsg(lp.Error.Err))
	if e.File != "" && !filepath.IsAbs(e.File) {
		e.File = filepath.Join(root, e.File)
	}
	if e.File == "" {
		e.Msg = strings.TrimSpace(e.Msg)
	}
	return e
}

// reach returns p and the local packages it imports, transitively, each
// once, p first.
func (prog *program) reach(p *loadedPackage) []*loadedPackage {
	seen := map[*loadedPackage]bool{}
	var out []*loadedPackage
	var visit func(q *loadedPackage)
	visit = func(q *loadedPackage) {
		if q == nil || seen[q] {
			return
		}
		seen[q] = true
		out = append(out, q)
		for _, imp := range q.listed.Imports {
			if mapped, ok := q.listed.ImportMap[imp]; ok {
				imp = mapped
			}
			visit(prog.local[imp])
		}
	}
	visit(p)
	return out
}
