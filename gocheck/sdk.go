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
// A call of an interface method is followed to the methods of every
// type of the module that implements the interface (class hierarchy
// analysis over the module's own types, calls.go): a client behind the
// module's own interface, faked in tests, is seen. Where the analysis
// cannot follow a call — an interface method that no type of the module
// implements and whose signature uses aws-sdk-go-v2 types, an SDK client
// handed to another module's code, reflection, plugins — the node records
// it as Unresolved, for the compiler to warn about at the call site.
//
// The walk also records where string values come from (values.go), so
// that the input fields naming an operation's resource (TableName,
// Bucket, QueueUrl...; awsfacts.InputPaths) can be traced to constants
// and os.Getenv calls: each SDKUse carries what its fields may hold.

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// absolute makes the cached (module-relative) file names absolute.
func absolute(g *gomodel.SDKGraph, root string) {
	abs := func(f *string) {
		if *f != "" && !filepath.IsAbs(*f) {
			*f = filepath.Join(root, filepath.FromSlash(*f))
		}
	}
	for _, n := range g.Nodes {
		for _, u := range n.Uses {
			abs(&u.File)
			for _, v := range u.Params {
				if v.At != nil {
					abs(&v.At.File)
				}
			}
		}
		for _, u := range n.Unresolved {
			abs(&u.File)
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
	w := &sdkWalker{root: prog.root, local: local, g: &gomodel.SDKGraph{Nodes: map[string]*gomodel.SDKNode{}}, fset: prog.fset,
		flow: newFlow()}
	pkgs := slices.Clone(prog.order)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].listed.ImportPath < pkgs[j].listed.ImportPath })
	for _, p := range pkgs {
		if p.info != nil {
			w.pkg(p)
		}
	}
	w.dispatch()
	w.resolveParams()
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
	// types are the module's named types that are not interfaces (the
	// implementations calls through interfaces may reach); abstract the
	// calls of interface methods met, resolved once all are known.
	types    []*types.Named
	abstract []abstractCall
	// sdkSites are the SDK operations called with an input, whose
	// fields are traced once the whole module is walked.
	sdkSites []sdkSite
	flow     *flow
}

// abstractCall is a call (or a method value) of an interface method.
type abstractCall struct {
	node *gomodel.SDKNode
	fn   *types.Func
	in   string // the Go func it is in, for messages
	pos  token.Pos
	// sdk: the method has an SDK operation's signature (a use already).
	sdk bool
}

// sdkSite is an SDK operation called with an input argument.
type sdkSite struct {
	use   *gomodel.SDKUse
	input valueSite
	typ   types.Type // the input's type (*<svc>.<Op>Input)
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

// scope is what the code being walked belongs to: the node its uses go
// to, and the func whose body it is (nil in a package initializer).
type scope struct {
	node *gomodel.SDKNode
	fn   *types.Func
	name string // for messages: app.GetTodo, (*store.DB).Get, the var or the package
	// value is, in a package-level var's initializer, the var's scope: a
	// func or method it holds as a value (not handed to a call, which
	// may call it during initialization) is called only through the var.
	value *scope
}

func (w *sdkWalker) pkg(p *loadedPackage) {
	w.info = p.info
	init := initKey(p.listed.ImportPath)
	w.node(init)
	w.g.Inits = append(w.g.Inits, init)
	for _, obj := range p.info.Defs {
		if tn, ok := obj.(*types.TypeName); ok && !tn.IsAlias() {
			if n, ok := tn.Type().(*types.Named); ok && !types.IsInterface(n) {
				w.types = append(w.types, n)
			}
		}
	}
	initScope := scope{node: w.node(init), name: p.listed.Name + " (package initialization)"}
	for _, f := range p.files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				fn, _ := w.info.Defs[d.Name].(*types.Func)
				sc := initScope
				if fn != nil && (d.Recv != nil || d.Name.Name != "init") {
					sc = scope{node: w.node(fn.FullName()), fn: fn, name: funcName(fn)}
				}
				if fn != nil {
					w.flow.declare(w.info, fn, d.Type)
				}
				w.walk(sc, d)
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					w.valueSpec(initScope, spec.(*ast.ValueSpec))
				}
			}
		}
	}
}

// valueSpec walks a package-level var declaration: function literals in
// its values belong to the var (they run when something calls them), the
// rest of its initializer runs at package initialization.
func (w *sdkWalker) valueSpec(init scope, vs *ast.ValueSpec) {
	w.flow.valueSpec(w.info, vs)
	for i, val := range vs.Values {
		owner := init
		if len(vs.Values) == len(vs.Names) {
			if v, ok := w.info.Defs[vs.Names[i]].(*types.Var); ok {
				owner = scope{node: w.node(varKey(v)), name: v.Pkg().Name() + "." + v.Name()}
			}
		}
		w.walkVar(init, owner, val)
	}
}

// walkVar walks a package-level var's value: function literals belong to
// owner, the rest to init.
func (w *sdkWalker) walkVar(init, owner scope, val ast.Expr) {
	var stack []ast.Node
	ast.Inspect(val, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if lit, ok := n.(*ast.FuncLit); ok {
			w.walk(owner, lit)
			return false
		}
		stack = append(stack, n)
		sc := init
		sc.value = &owner
		w.visit(sc, stack)
		return true
	})
}

// walk records what the code under root refers to, into sc's node.
func (w *sdkWalker) walk(sc scope, root ast.Node) {
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		w.visit(sc, stack)
		return true
	})
}

// visit looks at the last node of stack (the others are its parents).
func (w *sdkWalker) visit(sc scope, stack []ast.Node) {
	w.flow.visit(w, sc, stack)
	id, ok := stack[len(stack)-1].(*ast.Ident)
	if !ok {
		return
	}
	switch obj := w.info.Uses[id].(type) {
	case *types.Func:
		w.fn(sc, stack, id, obj.Origin())
	case *types.Var:
		if obj.Pkg() != nil && w.local[obj.Pkg().Path()] && obj.Parent() == obj.Pkg().Scope() {
			sc.node.Refs = append(sc.node.Refs, varKey(obj))
		}
	}
}

func (w *sdkWalker) fn(sc scope, stack []ast.Node, id *ast.Ident, fn *types.Func) {
	if fn.Pkg() == nil {
		return
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return
	}
	call := calleeOf(stack)
	abstract := sig.Recv() != nil && types.IsInterface(sig.Recv().Type())
	local := w.local[fn.Pkg().Path()]
	if call == nil && sc.value != nil && !inCall(stack) {
		sc = *sc.value
	}
	if local && !abstract {
		sc.node.Refs = append(sc.node.Refs, fn.FullName())
		if call == nil {
			w.flow.usedAsValue(fn, "it is used as a value")
		} else {
			w.flow.call(w.info, fn, call)
		}
		return
	}
	svc, op, name := sdkOperation(fn, sig)
	if svc == "" {
		if abstract {
			w.abstract = append(w.abstract, abstractCall{node: sc.node, fn: fn, in: sc.name, pos: id.Pos()})
			return
		}
		w.unresolvedCall(sc, id, fn, sig)
		return
	}
	use := &gomodel.SDKUse{Service: svc, Op: op, Call: name}
	use.File, use.Line, use.Col = w.position(id.Pos())
	sc.node.Uses = append(sc.node.Uses, use)
	if abstract {
		// A type of the module may implement it too (a wrapper).
		w.abstract = append(w.abstract, abstractCall{node: sc.node, fn: fn, in: sc.name, pos: id.Pos(), sdk: true})
	}
	if call != nil && sig.Params().Len() > 1 && len(call.Args) > 1 && !strings.HasSuffix(name, "Waiter") {
		w.sdkSites = append(w.sdkSites, sdkSite{use: use, input: valueSite{info: w.info, expr: call.Args[1]}, typ: sig.Params().At(1).Type()})
	}
}

// calleeOf returns the call whose callee is the identifier last on
// stack (pkg.F, x.M, F[T]...), nil when it is used as a value.
func calleeOf(stack []ast.Node) *ast.CallExpr {
	child := stack[len(stack)-1]
	for i := len(stack) - 2; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.SelectorExpr:
			if p.Sel != child {
				return nil
			}
		case *ast.IndexExpr, *ast.IndexListExpr, *ast.ParenExpr:
		case *ast.CallExpr:
			if p.Fun == child {
				return p
			}
			return nil
		default:
			return nil
		}
		child = stack[i]
	}
	return nil
}

// inCall: the node last on stack is inside a call's arguments.
func inCall(stack []ast.Node) bool {
	for _, n := range stack[:len(stack)-1] {
		if _, ok := n.(*ast.CallExpr); ok {
			return true
		}
	}
	return false
}

// position is a place as the graph records it: relative to the module
// root when inside it (the cache's form).
func (w *sdkWalker) position(pos token.Pos) (string, int, int) {
	p := w.fset.Position(pos)
	file := p.Filename
	if rel, err := filepath.Rel(w.root, file); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	}
	return file, p.Line, p.Column
}

// resolveParams traces the input fields of every SDK call site that
// decide its resources and dependent actions.
func (w *sdkWalker) resolveParams() {
	r := &resolver{w: w, flow: w.flow}
	for _, s := range w.sdkSites {
		for _, path := range awsfacts.InputPaths(s.use.Service, s.use.Op) {
			fields := fieldPath(s.typ, path)
			if fields == nil {
				continue
			}
			if s.use.Params == nil {
				s.use.Params = map[string]*gomodel.SDKValue{}
			}
			s.use.Params[path] = r.inputPath(s.input, fields)
		}
	}
}

// fieldPath returns the fields a dotted path selects from t's struct
// (through pointers), nil when t has no such path.
func fieldPath(t types.Type, path string) []*types.Var {
	var out []*types.Var
	for _, name := range strings.Split(path, ".") {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		var f *types.Var
		for i := range st.NumFields() {
			if st.Field(i).Name() == name {
				f = st.Field(i)
			}
		}
		if f == nil {
			return nil
		}
		out = append(out, f)
		t = f.Type()
	}
	return out
}

// funcName names a func for messages: app.GetTodo, (*store.DB).Get.
func funcName(fn *types.Func) string {
	qf := func(p *types.Package) string { return p.Name() }
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return "(" + types.TypeString(sig.Recv().Type(), qf) + ")." + fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
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
