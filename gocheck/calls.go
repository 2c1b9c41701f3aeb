package gocheck

// Calls the walk cannot see as plain references: calls of interface
// methods, followed to the module's implementations (class hierarchy
// analysis, CHA, on the module's own types), and the calls it cannot
// follow at all, recorded as Unresolved.
//
// CHA was chosen over golang.org/x/tools/go/callgraph (VTA or CHA on SSA):
// those need go/ssa built for the module and, for CHA, the method sets of
// every type of every dependency (the SDK's packages are large), on every
// edit; this pass reuses the load and the walk the check makes anyway,
// and costs one types.Implements per interface method called and type of
// the module. It is as precise as x/tools' CHA for the module's code:
// a call through an interface reaches each module type implementing it.

import (
	"go/token"
	"go/types"
	"strings"

	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// dispatch adds, for every call of an interface method, an edge to that
// method of each type of the module implementing the interface; a call
// that reaches none, of a method whose signature uses an SDK service's
// types, is unresolved.
func (w *sdkWalker) dispatch() {
	impls := map[*types.Func][]*types.Func{}
	for _, c := range w.abstract {
		targets, ok := impls[c.fn]
		if !ok {
			targets = w.implementations(c.fn)
			impls[c.fn] = targets
			for _, t := range targets {
				w.flow.usedAsValue(t, "it is called through the interface "+recvName(c.fn.Type().(*types.Signature).Recv().Type()))
			}
		}
		for _, t := range targets {
			c.node.Refs = append(c.node.Refs, t.FullName())
		}
		if len(targets) > 0 || c.sdk {
			continue
		}
		sig := c.fn.Type().(*types.Signature)
		if svc := signatureService(sig); svc != "" {
			u := &gomodel.SDKUnresolved{Kind: gomodel.UnresolvedInterface, Call: recvName(sig.Recv().Type()) + "." + c.fn.Name(), Service: svc, In: c.in}
			u.File, u.Line, u.Col = w.position(c.pos)
			c.node.Unresolved = append(c.node.Unresolved, u)
		}
	}
}

// implementations returns the method m of every type of the module that
// implements m's interface (as T or *T), origins of generic methods.
func (w *sdkWalker) implementations(m *types.Func) []*types.Func {
	iface, _ := m.Type().(*types.Signature).Recv().Type().Underlying().(*types.Interface)
	if iface == nil {
		return nil
	}
	var out []*types.Func
	seen := map[*types.Func]bool{}
	for _, n := range w.types {
		for _, t := range []types.Type{n, types.NewPointer(n)} {
			if !implements(t, n, iface) {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
			f, ok := obj.(*types.Func)
			if !ok {
				continue
			}
			f = f.Origin()
			if f.Pkg() != nil && w.local[f.Pkg().Path()] && !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
			break // *T's methods include T's
		}
	}
	return out
}

// implements reports whether t (n or *n) implements iface. A generic type
// implements it when it has every method by name (types.Implements is not
// defined on uninstantiated types): an instance may.
func implements(t types.Type, n *types.Named, iface *types.Interface) bool {
	if n.TypeParams().Len() == 0 {
		return types.Implements(t, iface)
	}
	for i := range iface.NumMethods() {
		m := iface.Method(i)
		obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
		if _, ok := obj.(*types.Func); !ok {
			return false
		}
	}
	return true
}

// unresolvedCall records a call of another module's func or method that
// the analysis cannot follow to the SDK operations it may make: one that
// is handed an SDK client (a shared library's repository, a transfer
// manager), reflection's Value.Call, a plugin's lookup.
func (w *sdkWalker) unresolvedCall(sc scope, id interface{ Pos() token.Pos }, fn *types.Func, sig *types.Signature) {
	path := fn.Pkg().Path()
	kind, svc := "", ""
	switch {
	case path == "reflect" && (fn.Name() == "Call" || fn.Name() == "CallSlice"):
		kind = gomodel.UnresolvedReflect
	case path == "plugin" && fn.Name() == "Lookup":
		kind = gomodel.UnresolvedPlugin
	case strings.HasPrefix(path, "github.com/aws/aws-sdk-go-v2/") && sdkService(path) != "":
		return // the SDK's own helpers: its operations are uses
	default:
		for i := range sig.Params().Len() {
			if s := clientService(sig.Params().At(i).Type()); s != "" {
				kind, svc = gomodel.UnresolvedExternal, s
				break
			}
		}
	}
	if kind == "" {
		return
	}
	name := fn.Pkg().Name() + "." + fn.Name()
	if sig.Recv() != nil {
		name = recvName(sig.Recv().Type()) + "." + fn.Name()
	}
	u := &gomodel.SDKUnresolved{Kind: kind, Call: name, Service: svc, In: sc.name}
	u.File, u.Line, u.Col = w.position(id.Pos())
	sc.node.Unresolved = append(sc.node.Unresolved, u)
}

// clientService returns the service of an SDK client type: *<svc>.Client,
// or an interface with a method shaped like one of its operations (the
// <Op>APIClient interfaces, a transfer manager's); "" for other types.
func clientService(t types.Type) string {
	if n := namedOf(t); n != nil && n.Obj().Pkg() != nil && n.Obj().Name() == "Client" {
		if svc := sdkService(n.Obj().Pkg().Path()); svc != "" {
			return svc
		}
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return ""
	}
	for i := range iface.NumMethods() {
		m := iface.Method(i)
		if svc := operationInput(m.Type().(*types.Signature), m.Name()); svc != "" {
			return svc
		}
	}
	return ""
}

// signatureService returns the SDK service whose types a signature's
// parameters or results use (*dynamodb.GetItemOutput,
// types.AttributeValue of service/dynamodb/types), "" when none does.
func signatureService(sig *types.Signature) string {
	for _, tup := range []*types.Tuple{sig.Params(), sig.Results()} {
		for i := range tup.Len() {
			if svc := typeService(tup.At(i).Type(), 0); svc != "" {
				return svc
			}
		}
	}
	return ""
}

// typeService finds an SDK service package among the named types t is
// made of (pointers, slices, maps, a few levels deep).
func typeService(t types.Type, depth int) string {
	if depth > 4 {
		return ""
	}
	switch u := types.Unalias(t).(type) {
	case *types.Named:
		if pkg := u.Obj().Pkg(); pkg != nil {
			path := strings.TrimSuffix(pkg.Path(), "/types")
			if svc := sdkService(path); svc != "" {
				return svc
			}
		}
		for i := range u.TypeArgs().Len() {
			if svc := typeService(u.TypeArgs().At(i), depth+1); svc != "" {
				return svc
			}
		}
	case *types.Pointer:
		return typeService(u.Elem(), depth+1)
	case *types.Slice:
		return typeService(u.Elem(), depth+1)
	case *types.Array:
		return typeService(u.Elem(), depth+1)
	case *types.Map:
		if svc := typeService(u.Key(), depth+1); svc != "" {
			return svc
		}
		return typeService(u.Elem(), depth+1)
	case *types.Chan:
		return typeService(u.Elem(), depth+1)
	}
	return ""
}
