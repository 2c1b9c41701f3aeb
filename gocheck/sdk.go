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

	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// absolute makes the cached (module-relative) file names absolute.
func absolute(g *gomodel.SDKGraph, root string) {
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
func walkSDK(prog *program) *gomodel.SDKGraph {
	local := make(map[string]bool, len(prog.local))
	for path := range prog.local {
		local[path] = true
	}
	w := &sdkWalker{root: prog.root, local: local, g: &gomodel.SDKGraph{Nodes: map[string]*gomodel.SDKNode{}}, fset: prog.fset}
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
	g     *gomodel.SDKGraph
	fset  *token.FileSet
	info  *types.Info
}

func (w *sdkWalker) node(key string) *gomodel.SDKNode {
	n := w.g.Nodes[key]
	if n == nil {
		n = &gomodel.SDKNode{}
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
func (w *sdkWalker) walk(node *gomodel.SDKNode, n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		w.visit(node, n)
		return true
	})
}

func (w *sdkWalker) visit(node *gomodel.SDKNode, n ast.Node) {
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

func (w *sdkWalker) fn(node *gomodel.SDKNode, id *ast.Ident, fn *types.Func) {
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
	node.Uses = append(node.Uses, &gomodel.SDKUse{Service: svc, Op: op, Call: call, File: file, Line: pos.Line, Col: pos.Column})
}

// sdkService returns the service of an aws-sdk-go-v2 service package
// path ("s3" for .../service/s3), or "".
func sdkService(path string) string {
	svc, ok := strings.CutPrefix(path, gomodel.SDKServicePrefix)
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
