package gocheck

// Where string values come from: the input field naming an SDK call's
// resource (TableName, Bucket, QueueUrl...) is traced back, across the
// module, to constants and os.Getenv calls, so that the compiler can
// scope the statement to the resource the function's environment
// names.
//
// The tracing is field-based and flow-insensitive, the usual cheap
// points-to approximation: a variable or a struct field (whatever the
// instance) may hold any value the module's code assigns to it anywhere
// (assignments, declarations, composite literals), a parameter any
// argument of a call of its func, a call's result any value its func
// returns. Whatever it cannot follow makes the value unknown, with the
// place and the reason: a value computed by other code (fmt.Sprintf, a
// map), a variable whose address is taken (it may be written through the
// pointer), a struct filled by another module's code (json.Unmarshal,
// an env-config library), a parameter of a func used as a value or called
// through an interface. An unknown value leaves the statement on "*".

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"

	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// valueSite is one value that may flow somewhere: an expression of a
// package (info), or the value of an environment variable (os.LookupEnv's
// first result).
type valueSite struct {
	info *types.Info
	expr ast.Expr
	env  string
	// obj: the value of a variable (a named result, at a bare return).
	obj *types.Var
}

// why is a reason a value cannot be followed, and where.
type why struct {
	text string
	pos  token.Pos
}

// flow indexes the module's assignments.
type flow struct {
	// assigns are the values written to each variable and struct field;
	// selAssigns those written to a field through a selector (x.F = v),
	// whatever the instance.
	assigns    map[types.Object][]valueSite
	selAssigns map[types.Object][]valueSite
	// opaque are the variables and fields written in ways not followed.
	opaque map[types.Object]why
	// addressed are the string variables and fields whose address is
	// taken (not for another module's code, which makes them opaque):
	// they are opaque if the module writes through a pointer anywhere
	// (pointerWrite, the first such place).
	addressed    map[types.Object]token.Pos
	pointerWrite token.Pos
	// returns are the values each func returns, by result index;
	// opaqueResults the funcs whose results are not followed.
	returns       map[*types.Func]map[int][]valueSite
	opaqueResults map[*types.Func]why
	// params maps a parameter to its func and index; calls are the
	// calls of each module func; asValue says why a func's parameters
	// cannot be followed (it is used as a value, called through an
	// interface).
	params  map[*types.Var]param
	calls   map[*types.Func][]call
	asValue map[*types.Func]string
}

type param struct {
	fn       *types.Func
	index    int
	variadic bool
}

type call struct {
	info *types.Info
	expr *ast.CallExpr
}

func newFlow() *flow {
	return &flow{
		assigns: map[types.Object][]valueSite{}, selAssigns: map[types.Object][]valueSite{}, opaque: map[types.Object]why{},
		addressed: map[types.Object]token.Pos{},
		returns:   map[*types.Func]map[int][]valueSite{}, opaqueResults: map[*types.Func]why{},
		params: map[*types.Var]param{}, calls: map[*types.Func][]call{}, asValue: map[*types.Func]string{},
	}
}

// declare records the parameters of a func declaration.
func (f *flow) declare(info *types.Info, fn *types.Func, ft *ast.FuncType) {
	if ft.Params == nil {
		return
	}
	i := 0
	for _, field := range ft.Params.List {
		_, variadic := field.Type.(*ast.Ellipsis)
		names := field.Names
		if len(names) == 0 {
			i++
			continue
		}
		for _, n := range names {
			if v, ok := info.Defs[n].(*types.Var); ok {
				f.params[v] = param{fn: fn, index: i, variadic: variadic}
			}
			i++
		}
	}
}

func (f *flow) usedAsValue(fn *types.Func, reason string) {
	if _, ok := f.asValue[fn]; !ok {
		f.asValue[fn] = reason
	}
}

func (f *flow) call(info *types.Info, fn *types.Func, c *ast.CallExpr) {
	f.calls[fn] = append(f.calls[fn], call{info, c})
}

func (f *flow) setOpaque(obj types.Object, text string, pos token.Pos) {
	if _, ok := f.opaque[obj]; !ok {
		f.opaque[obj] = why{text, pos}
	}
}

// objectOf returns the variable or field an assignable expression names
// (x, pkg.X, x.F), nil for others (m[k], *p, s[i]).
func objectOf(info *types.Info, e ast.Expr) (types.Object, bool) {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := info.Defs[x]; obj != nil {
			return obj, false
		}
		return info.Uses[x], false
	case *ast.SelectorExpr:
		obj := info.Uses[x.Sel]
		v, ok := obj.(*types.Var)
		return obj, ok && v.IsField()
	}
	return nil, false
}

// assign records that lhs is given value.
func (f *flow) assign(info *types.Info, lhs ast.Expr, value valueSite) {
	obj, sel := objectOf(info, lhs)
	if _, ok := obj.(*types.Var); !ok {
		return
	}
	f.assigns[obj] = append(f.assigns[obj], value)
	if sel {
		f.selAssigns[obj] = append(f.selAssigns[obj], value)
	}
}

// valueSpec records a var declaration's values.
func (f *flow) valueSpec(info *types.Info, vs *ast.ValueSpec) {
	switch {
	case len(vs.Values) == len(vs.Names):
		for i, n := range vs.Names {
			f.assign(info, n, valueSite{info: info, expr: vs.Values[i]})
		}
	case len(vs.Values) == 1:
		f.tuple(info, slices.Collect(func(yield func(ast.Expr) bool) {
			for _, n := range vs.Names {
				if !yield(n) {
					return
				}
			}
		}), vs.Values[0])
	}
}

// tuple records lhs = rhs, a call returning several values.
func (f *flow) tuple(info *types.Info, lhs []ast.Expr, rhs ast.Expr) {
	if c, ok := ast.Unparen(rhs).(*ast.CallExpr); ok {
		if fn := calledFunc(info, c); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "os" && fn.Name() == "LookupEnv" && len(c.Args) == 1 {
			if name, ok := constString(info, c.Args[0]); ok && len(lhs) > 0 {
				f.assign(info, lhs[0], valueSite{env: name})
				return
			}
		}
	}
	for _, l := range lhs {
		if obj, _ := objectOf(info, l); obj != nil {
			f.setOpaque(obj, "it is one of several values one expression gives", rhs.Pos())
		}
	}
}

// visit records what the node last on stack writes.
func (f *flow) visit(w *sdkWalker, sc scope, stack []ast.Node) {
	info := w.info
	switch n := stack[len(stack)-1].(type) {
	case *ast.AssignStmt:
		for _, l := range n.Lhs {
			if _, ok := ast.Unparen(l).(*ast.StarExpr); ok && !f.pointerWrite.IsValid() {
				f.pointerWrite = l.Pos()
			}
		}
		switch {
		case n.Tok != token.ASSIGN && n.Tok != token.DEFINE:
			for _, l := range n.Lhs {
				if obj, _ := objectOf(info, l); obj != nil {
					f.setOpaque(obj, "it is changed with "+n.Tok.String(), n.Pos())
				}
			}
		case len(n.Lhs) == len(n.Rhs):
			for i, l := range n.Lhs {
				f.assign(info, l, valueSite{info: info, expr: n.Rhs[i]})
			}
		case len(n.Rhs) == 1:
			f.tuple(info, n.Lhs, n.Rhs[0])
		}
	case *ast.ValueSpec:
		// (Package-level declarations are recorded by walkSDK's pkg.)
		f.valueSpec(info, n)
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{n.Key, n.Value} {
			if e != nil {
				if obj, _ := objectOf(info, e); obj != nil {
					f.setOpaque(obj, "it is a range loop's variable", e.Pos())
				}
			}
		}
	case *ast.FuncLit:
		for _, field := range n.Type.Params.List {
			for _, name := range field.Names {
				if v, ok := info.Defs[name].(*types.Var); ok {
					f.setOpaque(v, "it is a parameter of a function literal", name.Pos())
				}
			}
		}
	case *ast.ReturnStmt:
		fn := sc.fn
		if fn == nil || inFuncLit(stack) {
			return
		}
		sig := fn.Type().(*types.Signature)
		switch {
		case len(n.Results) == sig.Results().Len():
			if f.returns[fn] == nil {
				f.returns[fn] = map[int][]valueSite{}
			}
			for i, r := range n.Results {
				f.returns[fn][i] = append(f.returns[fn][i], valueSite{info: info, expr: r})
			}
		case len(n.Results) == 0 && sig.Results().Len() > 0:
			// Named results: the variables' values.
			if f.returns[fn] == nil {
				f.returns[fn] = map[int][]valueSite{}
			}
			for i := range sig.Results().Len() {
				f.returns[fn][i] = append(f.returns[fn][i], valueSite{info: info, obj: sig.Results().At(i)})
			}
		default:
			if _, ok := f.opaqueResults[fn]; !ok {
				f.opaqueResults[fn] = why{"it returns another call's results", n.Pos()}
			}
		}
	case *ast.CompositeLit:
		f.compositeLit(info, n)
	case *ast.UnaryExpr:
		if n.Op != token.AND {
			return
		}
		// A string written through the pointer is not seen; a struct's
		// fields are written by selectors and literals, which are.
		obj, _ := objectOf(info, n.X)
		if _, ok := obj.(*types.Var); !ok || sdkInputField(info, stack) {
			return
		}
		if _, isStruct := obj.Type().Underlying().(*types.Struct); isStruct {
			return
		}
		if c, ok := stack[len(stack)-2].(*ast.CallExpr); ok && c.Fun != n {
			if fn := calledFunc(info, c); fn == nil || fn.Pkg() == nil || !w.local[fn.Pkg().Path()] {
				f.setOpaque(obj, "its address is handed here to code chalc does not follow", n.Pos())
				return
			}
		}
		if _, ok := f.addressed[obj]; !ok {
			f.addressed[obj] = n.Pos()
		}
	case *ast.CallExpr:
		// A struct of the module handed to another module's code by
		// pointer may be filled there (json.Unmarshal, env decoders).
		fn := calledFunc(info, n)
		if fn == nil || fn.Pkg() == nil || w.local[fn.Pkg().Path()] {
			return
		}
		for _, a := range n.Args {
			if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
				if obj, _ := objectOf(info, u.X); obj != nil {
					f.structFilled(w, obj.Type(), a.Pos())
				}
				continue
			}
			if obj, _ := objectOf(info, a); obj != nil {
				if _, ok := obj.Type().Underlying().(*types.Pointer); ok {
					f.structFilled(w, obj.Type(), a.Pos())
				}
			}
		}
	}
}

// structFilled marks the fields of the module's struct type t (or *t)
// as written by code not followed.
func (f *flow) structFilled(w *sdkWalker, t types.Type, pos token.Pos) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n := namedOf(t)
	if n == nil || n.Obj().Pkg() == nil || !w.local[n.Obj().Pkg().Path()] {
		return
	}
	if st, ok := n.Underlying().(*types.Struct); ok {
		for i := range st.NumFields() {
			f.setOpaque(st.Field(i), "a "+n.Obj().Name()+" is handed by pointer to code chalc does not follow here", pos)
		}
	}
}

// compositeLit records the fields a struct literal sets.
func (f *flow) compositeLit(info *types.Info, lit *ast.CompositeLit) {
	var st *types.Struct
	positional := len(lit.Elts) > 0
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			positional = false
			if key, ok := kv.Key.(*ast.Ident); ok {
				if v, ok := info.Uses[key].(*types.Var); ok && v.IsField() {
					f.assigns[v] = append(f.assigns[v], valueSite{info: info, expr: kv.Value})
				}
			}
		}
	}
	if !positional {
		return
	}
	if t := literalType(info, lit); t != nil {
		st, _ = t.Underlying().(*types.Struct)
	}
	if st == nil {
		return // a slice, array or map literal, or a struct literal of an elided type (below)
	}
	for i, e := range lit.Elts {
		if i < st.NumFields() {
			f.assigns[st.Field(i)] = append(f.assigns[st.Field(i)], valueSite{info: info, expr: e})
		}
	}
}

// literalType is the type a composite literal names, nil when elided.
func literalType(info *types.Info, lit *ast.CompositeLit) types.Type {
	var id *ast.Ident
	switch t := lit.Type.(type) {
	case *ast.Ident:
		id = t
	case *ast.SelectorExpr:
		id = t.Sel
	case *ast.IndexExpr:
		return literalType(info, &ast.CompositeLit{Type: t.X})
	case *ast.IndexListExpr:
		return literalType(info, &ast.CompositeLit{Type: t.X})
	default:
		return nil
	}
	if tn, ok := info.Uses[id].(*types.TypeName); ok {
		return tn.Type()
	}
	return nil
}

// sdkInputField: the & last on stack is a field value of a literal of an
// SDK service type (TableName: &s.table): the SDK only reads it.
func sdkInputField(info *types.Info, stack []ast.Node) bool {
	if len(stack) < 3 {
		return false
	}
	kv, ok := stack[len(stack)-2].(*ast.KeyValueExpr)
	if !ok || kv.Value != stack[len(stack)-1] {
		return false
	}
	if _, ok := stack[len(stack)-3].(*ast.CompositeLit); !ok {
		return false
	}
	if key, ok := kv.Key.(*ast.Ident); ok {
		if v, ok := info.Uses[key].(*types.Var); ok && v.Pkg() != nil {
			return sdkService(trimTypes(v.Pkg().Path())) != ""
		}
	}
	return false
}

func trimTypes(path string) string {
	if len(path) > len("/types") && path[len(path)-len("/types"):] == "/types" {
		return path[:len(path)-len("/types")]
	}
	return path
}

// inFuncLit: the node last on stack is inside a function literal.
func inFuncLit(stack []ast.Node) bool {
	for _, n := range stack[:len(stack)-1] {
		if _, ok := n.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// calledFunc is the func or method a call calls, nil for a call of a
// func value, a conversion or a builtin.
func calledFunc(info *types.Info, c *ast.CallExpr) *types.Func {
	fun := ast.Unparen(c.Fun)
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = x.X
	case *ast.IndexListExpr:
		fun = x.X
	}
	var id *ast.Ident
	switch x := fun.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	if fn != nil {
		fn = fn.Origin()
	}
	return fn
}

// constString returns the value of a constant string expression.
func constString(info *types.Info, e ast.Expr) (string, bool) {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.Ident, *ast.SelectorExpr:
		id, _ := x.(*ast.Ident)
		if sel, ok := x.(*ast.SelectorExpr); ok {
			id = sel.Sel
		}
		if c, ok := info.Uses[id].(*types.Const); ok && c.Val().Kind() == constant.String {
			return constant.StringVal(c.Val()), true
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok1 := constString(info, x.X)
			b, ok2 := constString(info, x.Y)
			return a + b, ok1 && ok2
		}
	}
	return "", false
}

// resolver answers what values reach a place.
type resolver struct {
	w        *sdkWalker
	flow     *flow
	visiting map[any]bool
}

// value accumulates the possible values of a string.
type value struct {
	env, consts  []string
	unknown      *why
	values, nils int
}

func (v *value) add(o value) {
	v.env = append(v.env, o.env...)
	v.consts = append(v.consts, o.consts...)
	if v.unknown == nil {
		v.unknown = o.unknown
	}
	v.values += o.values
	v.nils += o.nils
}

func unknown(text string, pos token.Pos) value { return value{unknown: &why{text, pos}} }

const maxDepth = 40

// inputPath traces an input argument through fields (a path of the input
// struct) to what the last field may hold.
func (r *resolver) inputPath(arg valueSite, fields []*types.Var) *gomodel.SDKValue {
	r.visiting = map[any]bool{}
	cur := []valueSite{arg}
	for _, field := range fields {
		var next []valueSite
		for _, v := range cur {
			lits, ok := r.literals(v, 0)
			if !ok {
				// Whatever value it is: any the module gives the field.
				next = append(next, r.flow.assigns[field]...)
				continue
			}
			for _, lit := range lits {
				next = append(next, literalField(lit, field)...)
			}
		}
		next = append(next, r.flow.selAssigns[field]...)
		cur = next
	}
	last := fields[len(fields)-1]
	out := &gomodel.SDKValue{}
	if !isString(last.Type()) {
		// Only whether it is set matters (a notification channel).
		set := false
		for _, v := range cur {
			if !isNil(v) {
				set = true
			}
		}
		out.Absent = !set
		return out
	}
	var acc value
	r.visiting = map[any]bool{}
	for _, v := range cur {
		acc.add(r.str(v, 0))
	}
	if op, ok := r.flow.opaque[last]; ok && acc.unknown == nil {
		acc.unknown = &op
	}
	switch {
	case acc.unknown != nil:
		out.Unknown = acc.unknown.text
		if acc.unknown.pos.IsValid() {
			file, line, col := r.w.position(acc.unknown.pos)
			out.At = &gomodel.SDKPos{File: file, Line: line, Col: col}
		}
	case len(acc.env) == 0 && len(acc.consts) == 0:
		out.Absent = true
	default:
		slices.Sort(acc.env)
		slices.Sort(acc.consts)
		out.Env, out.Const = slices.Compact(acc.env), slices.Compact(acc.consts)
	}
	return out
}

func isString(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isNil(v valueSite) bool {
	if v.expr == nil {
		return false
	}
	id, ok := ast.Unparen(v.expr).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := v.info.Uses[id].(*types.Nil)
	return isNil
}

// literalField returns the value lit gives field, none when it does not
// set it. (A nil lit is new(T): sets nothing.)
func literalField(lit *litSite, field *types.Var) []valueSite {
	if lit.lit == nil {
		return nil
	}
	st := (*types.Struct)(nil)
	for i, e := range lit.lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok && lit.info.Uses[key] == field {
				return []valueSite{{info: lit.info, expr: kv.Value}}
			}
			continue
		}
		if st == nil {
			if t := literalType(lit.info, lit.lit); t != nil {
				st, _ = t.Underlying().(*types.Struct)
			}
			if st == nil {
				return nil
			}
		}
		if i < st.NumFields() && st.Field(i) == field {
			return []valueSite{{info: lit.info, expr: e}}
		}
	}
	return nil
}

type litSite struct {
	info *types.Info
	lit  *ast.CompositeLit // nil for new(T)
}

// literals traces v to the composite literals it may be; ok is false when
// some value is not one the tracing follows.
func (r *resolver) literals(v valueSite, depth int) ([]*litSite, bool) {
	if v.expr == nil || depth > maxDepth {
		return nil, false
	}
	switch x := ast.Unparen(v.expr).(type) {
	case *ast.CompositeLit:
		return []*litSite{{v.info, x}}, true
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return r.literals(valueSite{info: v.info, expr: x.X}, depth+1)
		}
	case *ast.StarExpr:
		return r.literals(valueSite{info: v.info, expr: x.X}, depth+1)
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "new" {
			if _, builtin := v.info.Uses[id].(*types.Builtin); builtin {
				return []*litSite{{v.info, nil}}, true
			}
		}
	case *ast.Ident:
		obj, ok := v.info.Uses[x].(*types.Var)
		if !ok || obj.IsField() {
			return nil, false
		}
		if _, isParam := r.flow.params[obj]; isParam {
			return nil, false
		}
		if _, bad := r.flow.opaque[obj]; bad {
			return nil, false
		}
		if r.visiting[obj] {
			return nil, true
		}
		r.visiting[obj] = true
		defer delete(r.visiting, obj)
		values := r.flow.assigns[obj]
		if len(values) == 0 {
			return nil, false
		}
		var out []*litSite
		for _, a := range values {
			lits, ok := r.literals(a, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, lits...)
		}
		return out, true
	}
	return nil, false
}

// str traces v to the strings it may hold.
func (r *resolver) str(v valueSite, depth int) value {
	if v.obj != nil {
		return r.object(v.obj, v.obj.Pos(), depth+1)
	}
	if v.expr == nil {
		return value{env: []string{v.env}, values: 1}
	}
	if depth > maxDepth {
		return unknown("it goes through too many assignments for chalc to follow", v.expr.Pos())
	}
	info := v.info
	e := ast.Unparen(v.expr)
	if s, ok := constString(info, e); ok {
		return value{consts: []string{s}, values: 1}
	}
	switch x := e.(type) {
	case *ast.Ident:
		switch obj := info.Uses[x].(type) {
		case *types.Nil:
			return value{nils: 1}
		case *types.Var:
			return r.object(obj, x.Pos(), depth)
		}
	case *ast.SelectorExpr:
		if obj, ok := info.Uses[x.Sel].(*types.Var); ok {
			return r.object(obj, x.Pos(), depth)
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return r.str(valueSite{info: info, expr: x.X}, depth+1)
		}
	case *ast.StarExpr:
		return r.str(valueSite{info: info, expr: x.X}, depth+1)
	case *ast.CallExpr:
		return r.callResult(info, x, depth)
	case *ast.BinaryExpr:
		return unknown("it is built with "+x.Op.String()+" from values that are not all constants", x.Pos())
	}
	return unknown("chalc does not follow values of this kind of expression", e.Pos())
}

// callResult traces what a call returns.
func (r *resolver) callResult(info *types.Info, c *ast.CallExpr, depth int) value {
	// A conversion: string(x), or to a named string type.
	if id := funIdent(c.Fun); id != nil && len(c.Args) == 1 {
		if _, ok := info.Uses[id].(*types.TypeName); ok {
			return r.str(valueSite{info: info, expr: c.Args[0]}, depth+1)
		}
	}
	fn := calledFunc(info, c)
	if fn == nil || fn.Pkg() == nil {
		return unknown("it is the result of a call chalc does not follow", c.Pos())
	}
	path, name := fn.Pkg().Path(), fn.Name()
	switch {
	case path == "os" && name == "Getenv" && len(c.Args) == 1:
		if env, ok := constString(info, c.Args[0]); ok {
			return value{env: []string{env}, values: 1}
		}
		return unknown("os.Getenv's argument is not a constant", c.Args[0].Pos())
	case path == "github.com/aws/aws-sdk-go-v2/aws" && (name == "String" || name == "ToString") && len(c.Args) == 1:
		return r.str(valueSite{info: info, expr: c.Args[0]}, depth+1)
	case !r.w.local[path]:
		return unknown(fmt.Sprintf("it is the result of %s.%s", fn.Pkg().Name(), name), c.Pos())
	}
	if op, ok := r.flow.opaqueResults[fn]; ok {
		return value{unknown: &op}
	}
	if r.visiting[fn] {
		return value{}
	}
	r.visiting[fn] = true
	defer delete(r.visiting, fn)
	results := r.flow.returns[fn][0]
	if len(results) == 0 {
		return unknown(funcName(fn)+" returns no value chalc can follow", c.Pos())
	}
	var acc value
	for _, res := range results {
		acc.add(r.str(res, depth+1))
	}
	return acc
}

func funIdent(e ast.Expr) *ast.Ident {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return x
	case *ast.SelectorExpr:
		return x.Sel
	}
	return nil
}

// object traces a variable, field or parameter.
func (r *resolver) object(obj *types.Var, at token.Pos, depth int) value {
	if op, ok := r.flow.opaque[obj]; ok {
		return value{unknown: &why{obj.Name() + ": " + op.text, op.pos}}
	}
	if pos, ok := r.flow.addressed[obj]; ok && r.flow.pointerWrite.IsValid() {
		file, line, col := r.w.position(r.flow.pointerWrite)
		return unknown(fmt.Sprintf("%s: its address is taken here, and the module writes through a pointer at %s:%d:%d", obj.Name(), file, line, col), pos)
	}
	if r.visiting[obj] {
		return value{}
	}
	r.visiting[obj] = true
	defer delete(r.visiting, obj)
	if p, ok := r.flow.params[obj]; ok {
		if reason, ok := r.flow.asValue[p.fn]; ok {
			return unknown(fmt.Sprintf("%s is a parameter of %s, and %s", obj.Name(), funcName(p.fn), reason), obj.Pos())
		}
		if p.variadic {
			return unknown(obj.Name()+" is a variadic parameter", obj.Pos())
		}
		calls := r.flow.calls[p.fn]
		if len(calls) == 0 {
			return unknown(fmt.Sprintf("%s is a parameter of %s, which the module's code does not call", obj.Name(), funcName(p.fn)), obj.Pos())
		}
		var acc value
		for _, c := range calls {
			if p.index >= len(c.expr.Args) || c.expr.Ellipsis.IsValid() {
				acc.add(unknown(fmt.Sprintf("%s is a parameter of %s, called here with arguments chalc does not follow", obj.Name(), funcName(p.fn)), c.expr.Pos()))
				continue
			}
			acc.add(r.str(valueSite{info: c.info, expr: c.expr.Args[p.index]}, depth+1))
		}
		return acc
	}
	values := r.flow.assigns[obj]
	if len(values) == 0 {
		if obj.Pkg() != nil && !r.w.local[obj.Pkg().Path()] {
			if obj.IsField() {
				return unknown(fmt.Sprintf("it is read from the field %s of a value package %s makes", obj.Name(), obj.Pkg().Name()), at)
			}
			return unknown(fmt.Sprintf("it is %s.%s, of another module", obj.Pkg().Name(), obj.Name()), at)
		}
		return unknown(obj.Name()+" is never given a value in the module's code", obj.Pos())
	}
	var acc value
	for _, v := range values {
		acc.add(r.str(v, depth+1))
	}
	return acc
}
