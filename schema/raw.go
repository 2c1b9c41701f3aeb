package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// raw is the schema as plain JSON values, read to word messages: the
// validator says which keyword failed where; the annotations around it
// (x-chalc-*, examples, minimum and maximum together) live here.
type raw struct {
	root obj
	re   map[string]*regexp.Regexp
}

// obj is one schema object. A nil obj is "no schema known".
type obj map[string]any

func newRaw(src []byte) (*raw, error) {
	d := json.NewDecoder(bytes.NewReader(src))
	d.UseNumber()
	var root map[string]any
	if err := d.Decode(&root); err != nil {
		return nil, err
	}
	r := &raw{root: root, re: map[string]*regexp.Regexp{}}
	var err error
	walkSchemas(root, func(s obj) {
		pp, _ := s["patternProperties"].(map[string]any)
		for p := range pp {
			re, e := regexp.Compile(p)
			if e != nil && err == nil {
				err = fmt.Errorf("pattern %q: %v", p, e)
			}
			r.re[p] = re
		}
	})
	return r, err
}

// walkSchemas calls fn for every object in the schema document.
func walkSchemas(v any, fn func(obj)) {
	switch v := v.(type) {
	case map[string]any:
		fn(v)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkSchemas(v[k], fn)
		}
	case []any:
		for _, it := range v {
			walkSchemas(it, fn)
		}
	}
}

// ptr resolves a reference inside this document: "#", "#/$defs/x" or a
// full URL with that fragment (as the validator's SchemaURL).
func (r *raw) ptr(ref string) obj {
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		ref = ref[i+1:]
	} else {
		return nil
	}
	// The validator's schema URLs percent-encode the fragment (a pattern
	// property's regexp in it).
	if u, err := url.PathUnescape(ref); err == nil {
		ref = u
	}
	if ref == "" {
		return r.root
	}
	var cur any = map[string]any(r.root)
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "/"), "/") {
		cur = jsonvalue.Member(cur, jsonvalue.UnescapeToken(tok))
	}
	m, _ := cur.(map[string]any)
	return m
}

// get looks up keyword k in s, then along its $ref chain: a property like
// {"$ref": "#/$defs/lambda_timeout"} gets the target's keywords, and a
// keyword next to the $ref wins over the target's.
func (r *raw) get(s obj, k string) any {
	for i := 0; s != nil && i < 16; i++ {
		if v, ok := s[k]; ok {
			return v
		}
		ref, _ := s["$ref"].(string)
		if ref == "" {
			return nil
		}
		s = r.ptr(ref)
	}
	return nil
}

func (r *raw) str(s obj, k string) string {
	v, _ := r.get(s, k).(string)
	return v
}

func (r *raw) object(s obj, k string) obj {
	v, _ := r.get(s, k).(map[string]any)
	return v
}

// types returns the schema's "type" as a list.
func (r *raw) types(s obj) []string { return jsonvalue.Strings(r.get(s, "type")) }

// allTypes is types plus the types of s's oneOf/anyOf alternatives.
func (r *raw) allTypes(s obj) []string {
	out := r.types(s)
	for _, kw := range []string{"oneOf", "anyOf"} {
		alts, _ := r.get(s, kw).([]any)
		for _, a := range alts {
			if b, ok := a.(map[string]any); ok {
				out = append(out, r.types(b)...)
			}
		}
	}
	return out
}

// properties returns the keys s declares, sorted.
func (r *raw) properties(s obj) []string {
	props := r.object(s, "properties")
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (r *raw) hasProperty(s obj, k string) bool {
	_, ok := r.object(s, "properties")[k]
	return ok
}

// branch picks, for a oneOf/anyOf schema, the alternative whose type fits
// the value: the one the user evidently meant. It returns s itself when s
// has no alternatives and nil when none fits.
func (r *raw) branch(s obj, v any) obj {
	alts, _ := r.get(s, "oneOf").([]any)
	if alts == nil {
		alts, _ = r.get(s, "anyOf").([]any)
	}
	if alts == nil {
		return s
	}
	for _, a := range alts {
		if b, ok := a.(map[string]any); ok && r.fits(b, v) {
			return b
		}
	}
	return nil
}

// fits reports whether v has one of the JSON types s allows (any, when s
// says nothing).
func (r *raw) fits(s obj, v any) bool {
	ts := r.types(s)
	if ts == nil {
		return true
	}
	jt := jsonType(v)
	for _, t := range ts {
		if t == jt || (t == "number" && jt == "integer") {
			return true
		}
	}
	return false
}

// jsonType names v's JSON type, "integer" for whole numbers.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := strconv.ParseInt(string(v), 10, 64); err == nil || !strings.ContainsAny(string(v), ".eE") {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// child returns the schema for member tok of a value v validated by s (a
// property, a pattern property, additionalProperties or items), or nil.
func (r *raw) child(s obj, v any, tok string) obj {
	s = r.branch(s, v)
	if s == nil {
		return nil
	}
	if p, ok := r.object(s, "properties")[tok].(map[string]any); ok {
		return p
	}
	if pp := r.object(s, "patternProperties"); pp != nil {
		for _, k := range sortedPatterns(pp) {
			if re := r.re[k]; re != nil && re.MatchString(tok) {
				p, _ := pp[k].(map[string]any)
				return p
			}
		}
	}
	if ap, ok := r.get(s, "additionalProperties").(map[string]any); ok {
		return ap
	}
	if it, ok := r.get(s, "items").(map[string]any); ok {
		return it
	}
	return nil
}

func sortedPatterns(pp obj) []string {
	keys := make([]string, 0, len(pp))
	for k := range pp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// frame is one level of an instance location: the schema that applies to
// the value there (before choosing among alternatives), the value, and the
// token that led to it ("" for the root).
type frame struct {
	tok    string
	schema obj
	value  any
}

// frames walks loc from the root value, returning one frame per level
// (len(loc)+1); a level without a known schema has a nil schema.
func (r *raw) frames(root obj, inst any, loc []string) []frame {
	fs := make([]frame, 0, len(loc)+1)
	fs = append(fs, frame{schema: root, value: inst})
	s, v := root, inst
	for _, tok := range loc {
		if s != nil {
			s = r.child(s, v, tok)
		}
		v = jsonvalue.Member(v, tok)
		fs = append(fs, frame{tok: tok, schema: s, value: v})
	}
	return fs
}
