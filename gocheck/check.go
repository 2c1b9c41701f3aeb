// Package gocheck owns everything chalc asks the go command or learns by
// loading Go code: that the app's module provides what the handlers and
// the generated code import (go.mod/go.sum bookkeeping), the exported
// funcs of each handlers package with their signatures (the compiler
// checks them against the manifest), and the aws-sdk-go-v2 operations the
// code can reach (the compiler turns them into IAM actions). It also
// decides which local files a go command reads (sources.go), so that its
// caches and the bootstrap build's are keyed alike.
//
// It never imports the compiler: the compiler describes what to check in a
// Request and consumes the Result. Problems are diag.Diagnostics at the
// Go source line, or at the manifest value that named the package.
package gocheck

import (
	"github.com/chalc-dev/chalc/diag"
)

// Import paths of chalc's runtime packages that generated code imports.
const (
	RuntimeModule = "github.com/chalc-dev/chalc"
	ChalicePath   = RuntimeModule + "/runtime/chalice"
	DispatchPath  = RuntimeModule + "/runtime/dispatch"
	S3NotifyPath  = RuntimeModule + "/runtime/s3notify"
)

// GeneratedFile is the name of the file chalc writes into the handlers
// package. The checks hide it: it may be stale, or name handlers that no
// longer exist.
const GeneratedFile = "chalc_gen.go"

// Checks selects what Check does.
type Checks uint8

const (
	// Handlers type-checks each handlers package and reports its exported
	// funcs and other package-level names.
	Handlers Checks = 1 << iota
	// RuntimeModules asks the go command whether go.mod and go.sum record
	// every module the Request's runtime packages need (chalc generate
	// skips it: it writes the file whose imports `go mod tidy` records).
	RuntimeModules
	// SDKCalls records the aws-sdk-go-v2 operations the module's code
	// uses (after a clean type-check).
	SDKCalls

	// All is every check.
	All = Handlers | RuntimeModules | SDKCalls
)

// Target is one handlers package to check.
type Target struct {
	// Dir is the package directory (absolute).
	Dir string
	// At is the manifest value naming the directory (handlers:) and
	// Written that value as the user wrote it; At is zero when the
	// directory is the default.
	At      diag.Range
	Written string
}

// RuntimeImport is a runtime package the app's generated code imports,
// so that the app's module must provide it and its dependencies.
type RuntimeImport struct {
	Path string
	// At is the manifest entry that needs it; What names it in messages
	// and Why says why the app needs it.
	At        diag.Range
	What, Why string
}

// Request says what to check.
type Request struct {
	// Packages are the handlers packages; the first is the app's own,
	// whose module builds the bootstrap.
	Packages []Target
	// Runtime lists the runtime packages the app's module must provide
	// (with RuntimeModules).
	Runtime []RuntimeImport
	Checks  Checks
	// CacheDir holds the caches ("" disables them).
	CacheDir string
	// Sources receives the Go files that diagnostics show lines of.
	Sources diag.Sources
}

// Result is what the checks learnt.
type Result struct {
	// Packages parallels Request.Packages; an entry is nil when its
	// package could not be checked (the diagnostics say why).
	Packages []*Package
	// SDK is the graph of SDK calls (with SDKCalls, after a clean check).
	SDK *SDKGraph
}

// Package is what the type-check learnt about one handlers package.
type Package struct {
	ImportPath string
	Name       string
	// Funcs are the exported top-level funcs; Objects the package's other
	// package-level names.
	Funcs   map[string]*Func
	Objects map[string]*Object
}

// Check runs the checks req asks for. Results are cached by a digest of
// every local source the go command may read (sources.go), so an
// unchanged project runs no go command for them.
func Check(req Request) (*Result, diag.Diagnostics) {
	res := &Result{Packages: make([]*Package, len(req.Packages))}
	if req.Checks&Handlers == 0 || len(req.Packages) == 0 {
		return res, nil
	}
	var ds diag.Diagnostics
	sources := &moduleSources{targets: req.Packages}
	for i, t := range req.Packages {
		var rt []RuntimeImport
		if i == 0 && req.Checks&RuntimeModules != 0 {
			rt = req.Runtime
		}
		p, pds := checkPackage(t, rt, req.CacheDir, sources, req.Sources)
		res.Packages[i] = p
		ds = append(ds, pds...)
	}
	if req.Checks&SDKCalls == 0 || ds.HasErrors() {
		return res, ds
	}
	g, err := analyse(req.Packages, req.CacheDir, sources)
	if err != nil {
		root := ModuleRoot(req.Packages[0].Dir)
		ds.Errorf(diag.SDKAnalysis, diag.Range{Filename: diag.DisplayPath(root)}, "cannot analyse the handlers' AWS SDK calls: %v", err).
			Hint("autogen_policy: false with iam_policy_file gives the role a policy of your own")
		return res, ds
	}
	res.SDK = g
	return res, ds
}

// analyse builds the SDK graph of every module holding a handlers
// package.
func analyse(targets []Target, cacheDir string, sources *moduleSources) (*SDKGraph, error) {
	byRoot := map[string][]string{}
	var roots []string
	for _, t := range targets {
		root := ModuleRoot(t.Dir)
		if _, ok := byRoot[root]; !ok {
			roots = append(roots, root)
		}
		byRoot[root] = append(byRoot[root], t.Dir)
	}
	g := &SDKGraph{Nodes: map[string]*SDKNode{}}
	for _, root := range roots {
		mg, err := analyseModule(root, byRoot[root], cacheDir, sources)
		if err != nil {
			return nil, err
		}
		g.merge(mg)
	}
	return g, nil
}
