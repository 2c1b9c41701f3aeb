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
// An intrinsic function ({"Ref": ...}, {"Fn::GetAtt": ...}: a mapping
// whose only key is Ref or starts with Fn::) is a value, not a mapping: it
// replaces and is replaced whole, so `MemorySize: !Ref Memory` or a role
// ARN in place of the generated {"Fn::GetAtt": ...} work. (Chalice merges
// two such mappings key by key, which yields an object with two functions
// that CloudFormation rejects.)
//
// Unlike Chalice, a mapping merged onto a scalar or a list (or the
// reverse) is an error naming the JSON path: it is almost always a
// mistake, such as `Environment: "x"` written where SAM wants a mapping.
// Null is not a conflict either way.
//
// Templates are handled as plain JSON values (map[string]any, []any,
// json.Number, string, bool, nil), never through goformation, which would
// evaluate intrinsics.
package merge

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// Merge applies overlay onto base and returns the result, which shares no
// mapping or list with either input; neither input is modified. Conflicts
// (a mapping against a scalar or a list) are reported with the JSON path,
// at the key in file (nil: no position); the overlay wins, so the result
// is still complete.
func Merge(base, overlay any, file *File) (any, diag.Diagnostics) {
	var ds diag.Diagnostics
	out := merge(base, overlay, nil, file, &ds)
	dropNullOutputs(out)
	return out, ds
}

// dropNullOutputs removes the outputs a merge template sets to null, and
// the Outputs section when it sets that to null: CloudFormation has no
// null output (cfn-lint E6001), and a null there can only mean "remove
// it", as in Chalice's own merge template example (RestAPIId: null).
// Everywhere else null replaces (a null resource is then an error of
// Check): Outputs are the one section whose entries nothing refers to.
func dropNullOutputs(t any) {
	m, ok := t.(map[string]any)
	if !ok {
		return
	}
	outputs, present := m["Outputs"]
	switch o := outputs.(type) {
	case nil:
		if present {
			delete(m, "Outputs")
		}
	case map[string]any:
		for id, v := range o {
			if v == nil {
				delete(o, id)
			}
		}
	}
}

func merge(base, overlay any, path []string, file *File, ds *diag.Diagnostics) any {
	bm, bIsMap := base.(map[string]any)
	om, oIsMap := overlay.(map[string]any)
	bIsMap = bIsMap && !intrinsicMap(bm)
	oIsMap = oIsMap && !intrinsicMap(om)
	switch {
	case bIsMap && oIsMap:
		out := make(map[string]any, len(bm)+len(om))
		for k, v := range bm {
			if _, ok := om[k]; !ok {
				out[k] = clone(v)
			}
		}
		for _, k := range sortedKeys(om) {
			if bv, ok := bm[k]; ok {
				out[k] = merge(bv, om[k], append(path, k), file, ds)
			} else {
				out[k] = clone(om[k])
			}
		}
		return out
	case bIsMap != oIsMap && base != nil && overlay != nil && len(path) > 0 && !isIntrinsic(base) && !isIntrinsic(overlay):
		d := ds.Errorf(diag.MergeTemplate, file.keyPos(path), "%s: the merge template would replace %s with %s", Pointer(path), kind(base), kind(overlay))
		if bIsMap {
			d.Hint("a mapping is merged key by key: write a mapping holding just the keys to change")
		} else {
			d.Hint("write %s, as the template has, or an intrinsic function such as {\"Ref\": ...}", kind(base))
		}
		if b, err := json.Marshal(base); err == nil && len(b) <= 60 {
			d.Hint("the template has %s here", b)
		}
		d.Hint("to replace the value anyway, set it to null in an earlier --merge-template")
	}
	return clone(overlay)
}

// intrinsicMap reports whether m is a CloudFormation intrinsic function: a
// mapping whose only key is Ref or starts with "Fn::". (A one-key
// {"Condition": ...} is not counted: in a merge template it is far more
// often a resource's Condition attribute than the condition function.)
func intrinsicMap(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

func isIntrinsic(v any) bool {
	m, ok := v.(map[string]any)
	return ok && intrinsicMap(m)
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

// Pointer renders a JSON path as a JSON pointer (/Resources/APIHandler);
// the empty path, the whole template, is "/" here, not RFC 6901's "".
func Pointer(path []string) string {
	if len(path) == 0 {
		return "/"
	}
	return jsonvalue.Pointer(path...)
}

// Combined returns files merged onto each other in order, without a
// generated template: what the merge templates define, for the checks
// that run before a template is generated (a trigger's *_resource).
// Conflicts between the files are reported when they are merged onto
// the generated template.
func Combined(files []*File) map[string]any {
	var out any = map[string]any{}
	for _, f := range files {
		if f != nil && f.Value != nil {
			out, _ = Merge(out, f.Value, f)
		}
	}
	m, _ := out.(map[string]any)
	return m
}

// KeyAt returns where the key of path is written in the last of files
// that writes it, or a zero range.
func KeyAt(files []*File, path ...string) diag.Range {
	for i := len(files) - 1; i >= 0; i-- {
		if f := files[i]; f != nil {
			if pos, ok := f.keys[Pointer(path)]; ok {
				return diag.Range{Filename: f.Name, Start: pos}
			}
		}
	}
	return diag.Range{}
}
