// Package merge owns --merge-template: it reads a user's template (JSON,
// or YAML with CloudFormation's short intrinsics such as !Ref and
// !GetAtt a.b, re-emitted in long form) and deep-merges it onto the
// generated template with Chalice's semantics:
//
//   - both values mappings: merge key by key (keys only in the generated
//     template are kept, keys only in the file are added);
//   - anything else: the file's value replaces the generated one — a
//     scalar, a whole list (lists are never concatenated), or null.
//
// Unlike Chalice, a mapping merged onto a non-mapping (or the reverse) is
// an error naming the JSON path: it is almost always a mistake, such as
// `Environment: "x"` written where SAM wants a mapping.
//
// Templates are handled as plain JSON values (map[string]any, []any,
// json.Number, string, bool, nil), never through goformation, which would
// evaluate intrinsics.
package merge

import (
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/diag"
)

// Merge applies overlay onto base and returns the result; neither input is
// modified. Conflicts (a mapping against a non-mapping) are reported with
// the JSON path and file position of the overlay's value; the overlay
// wins, so the result is still usable.
func Merge(base, overlay any, file *File) (any, diag.Diagnostics) {
	var ds diag.Diagnostics
	out := merge(base, overlay, nil, file, &ds)
	return out, ds
}

func merge(base, overlay any, path []string, file *File, ds *diag.Diagnostics) any {
	bm, bIsMap := base.(map[string]any)
	om, oIsMap := overlay.(map[string]any)
	switch {
	case bIsMap && oIsMap:
		out := make(map[string]any, len(bm)+len(om))
		for k, v := range bm {
			out[k] = v
		}
		for _, k := range sortedKeys(om) {
			if bv, ok := bm[k]; ok {
				out[k] = merge(bv, om[k], append(path, k), file, ds)
			} else {
				out[k] = clone(om[k])
			}
		}
		return out
	case base != nil && len(path) > 0 && bIsMap != oIsMap && overlay != nil:
		what, was := "a mapping", kind(base)
		if !oIsMap {
			what, was = kind(overlay), "a mapping"
		}
		d := ds.Errorf(file.Pos(path), "%s: the merge template puts %s where chalc generated %s", Pointer(path), what, was).
			Hint("mappings merge key by key; anything else replaces the whole value, which is rarely meant here")
		if oIsMap {
			d.Hint("write the value in the form the generated template has, or set the parent key instead")
		}
	}
	return clone(overlay)
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// clone deep-copies a JSON value so results never share maps with inputs.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Pointer renders a JSON path as a JSON pointer (/Resources/APIHandler).
func Pointer(path []string) string {
	if len(path) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, p := range path {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(p))
	}
	return b.String()
}
