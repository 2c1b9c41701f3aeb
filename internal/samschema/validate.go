package samschema

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/chalc-dev/chalc/internal/jsonvalue"
	"github.com/chalc-dev/chalc/internal/suggest"
)

// schemaURL names the adapted schema inside the compiler; nothing is fetched.
const schemaURL = "https://chalc.invalid/goformation/v7/sam.schema.json"

// Error is a template's schema violations, sorted by pointer then message.
type Error struct {
	Violations []Violation
}

// A Violation is one leaf failure.
type Violation struct {
	Pointer string // RFC 6901 JSON pointer into the template; "" is the root
	Message string
}

func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "(root)"
	}
	return p + ": " + v.Message
}

// Error lists the violations one a line, as "<JSON pointer>: <message>".
func (e *Error) Error() string {
	lines := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		lines[i] = v.String()
	}
	return strings.Join(lines, "\n")
}

// Validate checks a JSON template against goformation's SAM schema, adapted
// to accept intrinsic functions (see the package doc). It returns nil, an
// *Error listing the violations, or another error if the template is not
// JSON or the schema does not compile. The first call compiles the schema
// (~4 s on a 2-core machine); later calls reuse it and may run concurrently.
func Validate(template []byte) error {
	c, err := load()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(template))
	if err != nil {
		return fmt.Errorf("samschema: template is not JSON: %w", err)
	}
	err = c.schema.Validate(inst)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return fmt.Errorf("samschema: %w", err)
	}
	r := &reporter{c: c, inst: inst}
	r.reduce(verr)
	if len(r.out) == 0 { // cannot happen; never hide a failure
		return fmt.Errorf("samschema: %w", err)
	}
	slices.SortFunc(r.out, func(a, b Violation) int {
		return cmp.Or(strings.Compare(a.Pointer, b.Pointer), strings.Compare(a.Message, b.Message))
	})
	return &Error{Violations: slices.Compact(r.out)}
}

type compiled struct {
	schema *jsonschema.Schema
	unions map[string]union // see adapted
	// what each object schema of the adapted document declares, by JSON
	// pointer: an index rather than the ~50 MB decoded document.
	declared map[string]declared
}

var load = sync.OnceValues(func() (*compiled, error) {
	raw, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.SamSchema))
	if err != nil {
		return nil, fmt.Errorf("samschema: decoding goformation's SamSchema: %w", err)
	}
	doc, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("samschema: goformation's SamSchema is not an object")
	}
	a, err := adapt(doc)
	if err != nil {
		return nil, fmt.Errorf("samschema: adapting goformation's SamSchema: %w", err)
	}
	sch, err := compileDoc(doc)
	if err != nil {
		return nil, fmt.Errorf("samschema: compiling the adapted SamSchema: %w", err)
	}
	return &compiled{schema: sch, unions: a.unions, declared: a.declared}, nil
})

// compileDoc compiles a decoded draft-04 schema document (it adds an "id" to
// each definition and makes every "$ref" absolute).
//
// jsonschema v6 looks up each subschema it enqueues by a linear scan of the
// current Compile call's queue, and every Compile enqueues the resource that
// holds its target: with the whole ~7.7 MB document as one resource, one
// Compile is quadratic in the document's size (FACTS.md: ~25 s for SamSchema
// as shipped; ~50 s adapted). Here each definition is its own resource, compiled
// by its own Compile call (Intrinsic, which every wrapped value references,
// first); the final Compile of the root finds them in the compiler's cache.
// Schema locations in errors are unchanged (document URL + JSON pointer).
func compileDoc(doc map[string]any) (*jsonschema.Schema, error) {
	defs, _ := doc["definitions"].(map[string]any)
	for name, d := range defs {
		if d, ok := d.(map[string]any); ok {
			d["id"] = definitionID + url.PathEscape(name)
		}
	}
	absoluteRefs(doc)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(defs))
	if _, ok := defs[intrinsicDef]; ok {
		names = append([]string{intrinsicDef}, names...)
	}
	for _, name := range names {
		if _, err := c.Compile(location("definitions", name)); err != nil {
			return nil, err
		}
	}
	return c.Compile(schemaURL)
}

// definitionID prefixes the "id" compileDoc gives each definition.
const definitionID = "https://chalc.invalid/goformation/v7/definitions/"

// absoluteRefs rewrites each "$ref": "#/..." in v to "<schemaURL>#/...", so
// that it still means the document's pointer inside a definition that has
// its own id.
func absoluteRefs(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if ref, ok := x.(string); ok && k == "$ref" && strings.HasPrefix(ref, "#") {
				v[k] = schemaURL + ref
				continue
			}
			absoluteRefs(x)
		}
	case []any:
		for _, x := range v {
			absoluteRefs(x)
		}
	}
}

// location is the URL of the schema at the JSON pointer tokens.
func location(tokens ...string) string {
	var sb strings.Builder
	sb.WriteString(schemaURL + "#")
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(url.PathEscape(jsonvalue.EscapeToken(t)))
	}
	return sb.String()
}

var printer = message.NewPrinter(language.English)

// reporter reduces a jsonschema error tree to leaf violations.
type reporter struct {
	c    *compiled
	inst any
	out  []Violation
}

func (r *reporter) add(loc []string, msg string) {
	r.out = append(r.out, Violation{Pointer: jsonvalue.Pointer(loc...), Message: msg})
}

func (r *reporter) reduce(e *jsonschema.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			r.reduce(c)
		}
	case *kind.AnyOf:
		r.union(e)
	case *kind.OneOf:
		if k.Subschemas == nil { // no branch matched (else: several did)
			r.union(e)
		} else {
			r.leaf(e)
		}
	default:
		r.leaf(e)
	}
}

// union reports the one branch of a failed anyOf that explains the failure.
func (r *reporter) union(e *jsonschema.ValidationError) {
	v := jsonvalue.Lookup(r.inst, e.InstanceLocation)
	if len(e.Causes) == 2 && isIntrinsicRef(e.Causes[0]) {
		// {"anyOf": [Intrinsic, original]}
		if looksIntrinsic(v) {
			r.reduce(e.Causes[0])
		} else {
			r.reduce(e.Causes[1])
		}
		return
	}
	if u, ok := r.c.unions[jsonvalue.Pointer(fragment(e.SchemaURL)...)]; ok {
		if obj, ok := v.(map[string]any); ok {
			r.discriminated(e, u, obj)
			return
		}
	}
	r.closest(e)
}

// discriminated reports the branch of a union chosen by the value's Type.
func (r *reporter) discriminated(e *jsonschema.ValidationError, u union, obj map[string]any) {
	loc := e.InstanceLocation
	t, ok := obj["Type"]
	if !ok {
		r.add(loc, `missing required property "Type"`)
		return
	}
	typeLoc := append(slices.Clip(loc), "Type")
	typ, ok := t.(string)
	if !ok {
		r.add(typeLoc, fmt.Sprintf("got %s, want string", jsonType(t)))
		return
	}
	for _, c := range e.Causes {
		if !hasErrorAt(c, typeLoc) {
			r.reduce(c)
			return
		}
	}
	msg := fmt.Sprintf("unknown %s %q", u.noun, typ)
	if s := closest(typ, u.types); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if len(u.types) <= 20 {
		msg += "; want one of " + strings.Join(u.types, ", ")
	}
	r.add(typeLoc, msg)
}

// closest reports a failed anyOf by its closest branch: if no branch takes
// the value's JSON type, one merged type error; else the branch with the
// fewest violations (the first on a tie).
func (r *reporter) closest(e *jsonschema.ValidationError) {
	var got string
	var wants []string
	var best []Violation
	found := false
	for _, c := range e.Causes {
		if g, w, ok := mismatch(c, e.InstanceLocation); ok {
			got, wants = g, append(wants, w...)
			continue
		}
		sub := &reporter{c: r.c, inst: r.inst}
		sub.reduce(c)
		if !found || len(sub.out) < len(best) {
			best, found = sub.out, true
		}
	}
	if !found {
		slices.Sort(wants)
		r.add(e.InstanceLocation, fmt.Sprintf("got %s, want %s", got, strings.Join(slices.Compact(wants), " or ")))
		return
	}
	r.out = append(r.out, best...)
}

// mismatch reports whether e fails only because the value at loc has the
// wrong JSON type, and which types would do.
func mismatch(e *jsonschema.ValidationError, loc []string) (got string, wants []string, ok bool) {
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return k.Got, k.Want, slices.Equal(e.InstanceLocation, loc)
	case *kind.Reference, *kind.Group, *kind.AllOf:
		for _, c := range e.Causes {
			if g, w, ok := mismatch(c, loc); ok {
				return g, w, true
			}
		}
	case *kind.AnyOf, *kind.OneOf:
		if !slices.Equal(e.InstanceLocation, loc) {
			return "", nil, false
		}
		for _, c := range e.Causes {
			g, w, ok := mismatch(c, loc)
			if !ok {
				return "", nil, false
			}
			got, wants = g, append(wants, w...)
		}
		return got, wants, len(e.Causes) > 0
	}
	return "", nil, false
}

// hasErrorAt reports whether e or one of its causes is about loc.
func hasErrorAt(e *jsonschema.ValidationError, loc []string) bool {
	if slices.Equal(e.InstanceLocation, loc) {
		return true
	}
	for _, c := range e.Causes {
		if hasErrorAt(c, loc) {
			return true
		}
	}
	return false
}

func (r *reporter) leaf(e *jsonschema.ValidationError) {
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		d := r.c.declared[jsonvalue.Pointer(fragment(e.SchemaURL)...)]
		for _, p := range slices.Sorted(slices.Values(k.Properties)) {
			msg := "unknown property"
			if s := closest(p, d.properties); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else if len(d.patterns) > 0 {
				msg = "property name does not match " + strings.Join(d.patterns, " or ")
			}
			r.add(append(slices.Clip(loc), p), msg)
		}
	case *kind.Required:
		for _, m := range k.Missing {
			r.add(loc, fmt.Sprintf("missing required property %q", m))
		}
	default:
		r.add(loc, e.ErrorKind.LocalizedString(printer))
	}
}

// fragment returns the JSON pointer tokens of a schema location's fragment
// ("https://...#/definitions/AWS::Serverless::Function").
func fragment(loc string) []string {
	_, frag, _ := strings.Cut(loc, "#")
	frag = strings.TrimPrefix(frag, "/")
	if frag == "" {
		return nil
	}
	toks := strings.Split(frag, "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			t = u
		}
		toks[i] = jsonvalue.UnescapeToken(t)
	}
	return toks
}

// closest is suggest.Closest, but only for a name at most a quarter of whose
// runes differ: "MSK" is not a typo of "S3".
func closest(got string, names []string) string {
	s := suggest.Closest(got, names)
	if s == "" || suggest.Distance(strings.ToLower(got), strings.ToLower(s)) > max(1, len([]rune(got))/4) {
		return ""
	}
	return s
}

func isIntrinsicRef(e *jsonschema.ValidationError) bool {
	ref, ok := e.ErrorKind.(*kind.Reference)
	return ok && slices.Equal(fragment(ref.URL), []string{"definitions", intrinsicDef})
}

// looksIntrinsic reports whether v was meant as an intrinsic function: an
// object with one key that is a function name (or starts like one).
func looksIntrinsic(v any) bool {
	obj, ok := v.(map[string]any)
	if !ok || len(obj) != 1 {
		return false
	}
	for k, arg := range obj {
		if k == "Condition" {
			_, ok := arg.(string)
			return ok
		}
		return k == "Ref" || strings.HasPrefix(k, "Fn::") || slices.Contains(intrinsicFunctions, k)
	}
	return false
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	default:
		return "number"
	}
}
