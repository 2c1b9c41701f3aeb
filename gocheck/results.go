package gocheck

import (
	"go/types"
	"reflect"

	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// jsonProblem returns why encoding/json cannot encode values of t, or nil
// when it can as far as the static type tells (interfaces are decided at
// run time). qf writes type names.
func jsonProblem(t types.Type, qf types.Qualifier) *gomodel.JSONIssue {
	issue := jsonWalk(t, qf, map[types.Type]bool{})
	if issue != nil {
		issue.Result = types.TypeString(t, qf)
		if issue.Field == "" {
			issue.Type = issue.Result
		}
	}
	return issue
}

// jsonWalk follows encoding/json's rules.
func jsonWalk(t types.Type, qf types.Qualifier, seen map[types.Type]bool) *gomodel.JSONIssue {
	t = types.Unalias(t)
	if seen[t] {
		return nil
	}
	seen[t] = true
	if marshals(t) {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsComplex != 0 || u.Kind() == types.UnsafePointer {
			return &gomodel.JSONIssue{}
		}
	case *types.Chan, *types.Signature:
		return &gomodel.JSONIssue{}
	case *types.Pointer:
		return jsonWalk(u.Elem(), qf, seen)
	case *types.Slice:
		return jsonWalk(u.Elem(), qf, seen)
	case *types.Array:
		return jsonWalk(u.Elem(), qf, seen)
	case *types.Map:
		k := types.Unalias(u.Key())
		if kb, ok := k.Underlying().(*types.Basic); !marshalsText(k) && (!ok || kb.Info()&(types.IsString|types.IsInteger) == 0) {
			return &gomodel.JSONIssue{MapKey: true}
		}
		return jsonWalk(u.Elem(), qf, seen)
	case *types.Struct:
		name := "struct"
		if n, ok := t.(*types.Named); ok {
			name = n.Obj().Name()
		}
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if reflect.StructTag(u.Tag(i)).Get("json") == "-" {
				continue
			}
			ft := types.Unalias(f.Type())
			if f.Embedded() {
				// encoding/json promotes the fields of embedded structs,
				// exported or not, and ignores other unexported ones.
				e := ft
				if p, ok := e.Underlying().(*types.Pointer); ok {
					e = types.Unalias(p.Elem())
				}
				if _, isStruct := e.Underlying().(*types.Struct); !isStruct && !f.Exported() {
					continue
				}
			} else if !f.Exported() {
				continue
			}
			if issue := jsonWalk(ft, qf, seen); issue != nil {
				if issue.Field == "" {
					issue.Field, issue.Type = name+"."+f.Name(), types.TypeString(f.Type(), qf)
				}
				return issue
			}
		}
	}
	return nil
}

// marshals: t or *t has a MarshalJSON or MarshalText method, so
// encoding/json does not look inside.
func marshals(t types.Type) bool {
	return hasMethod(t, "MarshalJSON") || marshalsText(t)
}

func marshalsText(t types.Type) bool { return hasMethod(t, "MarshalText") }

// hasMethod: t or *t has the method name with MarshalJSON's shape,
// func() ([]byte, error).
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 2 &&
		isRawBytes(sig.Results().At(0).Type()) && canonicalType(sig.Results().At(1).Type()) == "error"
}

// isRawBytes: t is a plain []byte (not a named type such as
// json.RawMessage), which a route answers as a binary body.
func isRawBytes(t types.Type) bool {
	s, ok := types.Unalias(t).(*types.Slice)
	if !ok {
		return false
	}
	b, ok := types.Unalias(s.Elem()).(*types.Basic)
	return ok && b.Kind() == types.Uint8
}
