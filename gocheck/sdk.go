package gocheck

// The SDK call analysis behind autogen_policy: which aws-sdk-go-v2
// operations the code reachable from each handler can call (the compiler
// turns them into each function's IAM actions).
//
// It walks the program the handlers check loaded (load.go): the handler
// packages and the packages of their own Go module that they import
// (transitively; not the standard library, not other modules), with
// syntax and types. Every module-local func, method, package-level var
// and package initializer becomes a node recording
//
//   - the SDK operations it uses: a method of the named type Client of a
//     package github.com/aws/aws-sdk-go-v2/service/<svc> (any method shaped
//     like an operation, `(ctx, *<Op>Input, ...)`, so an interface that an
//     SDK client satisfies counts too: `type getter interface{ GetObject(
//     context.Context, *s3.GetObjectInput, ...func(*s3.Options)) ... }`),
//     <svc>.New<Op>Paginator, <svc>.New<X>Waiter (the operation it polls,
//     from its <Op>APIClient parameter) and PresignClient.Presign<Op>;
//   - the module-local funcs, methods and package-level vars it refers to,
//     called or not (a func passed as a value may be called).
//
// The graph is one format for every question about who reaches what:
// Refs are edges to other nodes, Uses what a node does itself, so a call
// graph for other purposes adds edges or uses of other kinds to the same
// walk. SDKGraph.Reach gives the closure from a function's entry points (the
// compiler names them: its handlers and middleware) plus every
// module-local package initializer (the bootstrap runs them all, whatever
// the function).
//
// Limits, by design: calls through an interface method of the module's
// own interfaces are not followed to the implementations (unless the
// method has an SDK operation's signature); reflection, plugins and SDK
// calls made by other modules (a shared library of the company) are not
// seen. What the analysis misses, the function's role does not allow:
// autogen_policy: false with iam_policy_file is the escape hatch.

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// SDKServicePrefix is the import path prefix of aws-sdk-go-v2's service
// packages.
const SDKServicePrefix = "github.com/aws/aws-sdk-go-v2/service/"

// SDKGraph is what the walk of the handlers' modules records (one module's
// is cached): which SDK operations each func, method, var and package
// initializer uses, and which others it refers to.
type SDKGraph struct {
	// Nodes by key: a func's types.Func.FullName ("example.com/app.Index",
	// "(*example.com/app/store.Store).Save"), "var <pkg>.<name>" for a
	// package-level var, "init <pkg>" for a package's initialization.
	Nodes map[string]*SDKNode
	// Inits are the "init <pkg>" keys of every module-local package.
	Inits []string
}

// SDKNode is one func, method, package-level var or package initializer.
type SDKNode struct {
	Refs []string  `json:",omitempty"` // module-local nodes it refers to
	Uses []*SDKUse `json:",omitempty"` // SDK operations it uses
}

// SDKUse is one SDK operation used at one place.
type SDKUse struct {
	Service string // the package name under service/: s3, dynamodb
	Op      string // the operation: GetObject
	Call    string // what the code calls: s3.Client.GetObject
	File    string // absolute once loaded (relative to the module root in the cache)
	Line    int
	Col     int
}

// FuncKey is the node key of a package-level func: its import path and
// name.
func FuncKey(importPath, name string) string { return importPath + "." + name }

// Reach returns the SDK uses reachable from the nodes keys and from every
// package initializer, each once, in the order met.
func (g *SDKGraph) Reach(keys []string) []*SDKUse {
	seen := map[string]bool{}
	queue := append(append([]string(nil), keys...), g.Inits...)
	var out []*SDKUse
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k] {
			continue
		}
		seen[k] = true
		n := g.Nodes[k]
		if n == nil {
			continue
		}
		queue = append(queue, n.Refs...)
		out = append(out, n.Uses...)
	}
	return out
}

// merge adds another module's graph.
func (g *SDKGraph) merge(o *SDKGraph) {
	for k, n := range o.Nodes {
		g.Nodes[k] = n
	}
	g.Inits = append(g.Inits, o.Inits...)
}

// absolute makes the cached (module-relative) file names absolute.
func (g *SDKGraph) absolute(root string) {
	for _, n := range g.Nodes {
		for _, u := range n.Uses {
			if !filepath.IsAbs(u.File) {
				u.File = filepath.Join(root, filepath.FromSlash(u.File))
			}
		}
	}
}

// walkSDK builds the SDK graph of a loaded program: every module-local
// package the handlers reach (file names relative to the module root, as
// the cache keeps them).
func walkSDK(prog *program) *SDKGraph {
	local := make(map[string]bool, len(prog.local))
	for path := range prog.local {
		local[path] = true
	}
	w := &sdkWalker{root: prog.root, local: local, g: &SDKGraph{Nodes: map[string]*SDKNode{}}, fset: prog.fset}
	pkgs := slices.Clone(prog.order)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].listed.ImportPath < pkgs[j].listed.ImportPath })
	for _, p := range pkgs {
		if p.info != nil {
			w.pkg(p)
		}
	}
	for _, n := range w.g.Nodes {
		sort.Strings(n.Refs)
		n.Refs = slices.Compact(n.Refs)
	}
	return w.g
}

type sdkWalker struct {
	root  string
	local map[string]bool
	g     *SDKGraph
	fset  *token.FileSet
	info  *types.Info
}

func (w *sdkWalker) node(key string) *SDKNode {
	n := w.g.Nodes[key]
	if n == nil {
		n = &SDKNode{}
		w.g.Nodes[key] = n
	}
	return n
}

func initKey(pkg string) string { return "init " + pkg }

func varKey(v *types.Var) string { return "var " + v.Pkg().Path() + "." + v.Name() }

func (w *sdkWalker) pkg(p *loadedPackage) {
	w.info = p.info
	init := initKey(p.listed.ImportPath)
	w.node(init)
	w.g.Inits = append(w.g.Inits, init)
	for _, f := range p.files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				key := init
				if d.Recv != nil || d.Name.Name != "init" {
					fn, ok := w.info.Defs[d.Name].(*types.Func)
					if !ok {
						continue
					}
					key = fn.FullName()
				}
				w.walk(w.node(key), d.Body)
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					w.valueSpec(init, spec.(*ast.ValueSpec))
				}
			}
		}
	}
}

// valueSpec walks a package-level var declaration: function literals in
// its values belong to the var (they run when something calls them), the
// rest of its initializer runs at package initialization.
func (w *sdkWalker) valueSpec(init string, vs *ast.ValueSpec) {
	for i, val := range vs.Values {
		owner := w.node(init)
		if len(vs.Values) == len(vs.Names) {
			if v, ok := w.info.Defs[vs.Names[i]].(*types.Var); ok {
				owner = w.node(varKey(v))
			}
		}
		initNode := w.node(init)
		ast.Inspect(val, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok {
				w.walk(owner, lit.Body)
				return false
			}
			w.visit(initNode, n)
			return true
		})
	}
}

// walk records what the code under n refers to, into node.
func (w *sdkWalker) walk(node *SDKNode, n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		w.visit(node, n)
		return true
	})
}

func (w *sdkWalker) visit(node *SDKNode, n ast.Node) {
	id, ok := n.(*ast.Ident)
	if !ok {
		return
	}
	switch obj := w.info.Uses[id].(type) {
	case *types.Func:
		w.fn(node, id, obj.Origin())
	case *types.Var:
		if obj.Pkg() != nil && w.local[obj.Pkg().Path()] && obj.Parent() == obj.Pkg().Scope() {
			node.Refs = append(node.Refs, varKey(obj))
		}
	}
}

func (w *sdkWalker) fn(node *SDKNode, id *ast.Ident, fn *types.Func) {
	if fn.Pkg() == nil {
		return
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return
	}
	abstract := sig.Recv() != nil && types.IsInterface(sig.Recv().Type())
	if w.local[fn.Pkg().Path()] && !abstract {
		node.Refs = append(node.Refs, fn.FullName())
		return
	}
	svc, op, call := sdkOperation(fn, sig)
	if svc == "" {
		return
	}
	pos := w.fset.Position(id.Pos())
	file := pos.Filename
	if rel, err := filepath.Rel(w.root, file); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	}
	node.Uses = append(node.Uses, &SDKUse{Service: svc, Op: op, Call: call, File: file, Line: pos.Line, Col: pos.Column})
}

// sdkService returns the service of an aws-sdk-go-v2 service package
// path ("s3" for .../service/s3), or "".
func sdkService(path string) string {
	svc, ok := strings.CutPrefix(path, SDKServicePrefix)
	if !ok || svc == "" || strings.Contains(svc, "/") || svc == "internal" {
		return ""
	}
	return svc
}

// sdkOperation recognises a use of an SDK operation: it returns the
// service, the operation and how to name the call, or "".
func sdkOperation(fn *types.Func, sig *types.Signature) (svc, op, call string) {
	name := fn.Name()
	if recv := sig.Recv(); recv != nil {
		// Client.<Op>, or any method (an interface's) with the signature
		// of one: (context.Context, *<svc>.<Op>Input, ...).
		op = name
		if r := namedOf(recv.Type()); r != nil && r.Obj().Name() == "PresignClient" && strings.HasPrefix(name, "Presign") {
			op = strings.TrimPrefix(name, "Presign")
		}
		if svc = operationInput(sig, op); svc == "" {
			return "", "", ""
		}
		return svc, op, recvName(recv.Type()) + "." + name
	}
	svc = sdkService(fn.Pkg().Path())
	if svc == "" || !strings.HasPrefix(name, "New") {
		return "", "", ""
	}
	call = fn.Pkg().Name() + "." + name
	switch {
	case strings.HasSuffix(name, "Paginator") && len(name) > len("NewPaginator"):
		op = name[len("New") : len(name)-len("Paginator")]
		if operationInput(sig, op) == "" {
			return "", "", ""
		}
		return svc, op, call
	case strings.HasSuffix(name, "Waiter") && sig.Params().Len() > 0:
		// New<X>Waiter(client <Op>APIClient, ...): the operation it polls.
		if n := namedOf(sig.Params().At(0).Type()); n != nil && strings.HasSuffix(n.Obj().Name(), "APIClient") {
			return svc, strings.TrimSuffix(n.Obj().Name(), "APIClient"), call
		}
	}
	return "", "", ""
}

// operationInput returns the service when sig's second parameter is
// *<svc>.<op>Input of an SDK service package, else "".
func operationInput(sig *types.Signature, op string) string {
	if sig.Params().Len() < 2 {
		return ""
	}
	if !paramIsInput(sig, 1, op) {
		return ""
	}
	return sdkService(namedOf(sig.Params().At(1).Type()).Obj().Pkg().Path())
}

func paramIsInput(sig *types.Signature, i int, op string) bool {
	if sig.Params().Len() <= i {
		return false
	}
	p, ok := sig.Params().At(i).Type().(*types.Pointer)
	if !ok {
		return false
	}
	n := namedOf(p.Elem())
	return n != nil && n.Obj().Name() == op+"Input" && n.Obj().Pkg() != nil && sdkService(n.Obj().Pkg().Path()) != ""
}

func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// recvName names a method's receiver type for messages: s3.Client,
// store.Getter, or "interface" for an unnamed interface.
func recvName(t types.Type) string {
	if n := namedOf(t); n != nil {
		if n.Obj().Pkg() == nil {
			return n.Obj().Name()
		}
		return n.Obj().Pkg().Name() + "." + n.Obj().Name()
	}
	return "interface"
}
