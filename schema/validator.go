package schema

// chalc's own validator for the keywords chalice.schema.json uses
// (TestSchemaKeywords keeps the schema to them; compile refuses any
// other). A general JSON Schema library compiled its metaschemas in its
// package initializer, which every chalc command paid at start-up (5 ms of
// `chalc --version`'s 11): this one compiles the embedded schema when a
// manifest is first validated, in well under a millisecond.
//
// Its error tree follows JSON Schema's evaluation (and the layout the
// reporter reads): a schema's keywords each add errors; one error is
// itself, several a group; a $ref wraps the errors of its target; allOf,
// anyOf and oneOf wrap their alternatives' errors; a wrong type or a
// failed const or enum stops the schema's other keywords.

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// verror is one validation failure: its kind, the schema whose keyword
// failed ("#/$defs/route", a JSON pointer into the schema) and the
// location of the value in the instance, with the failures it groups.
type verror struct {
	kind   errorKind
	schema string
	loc    []string
	causes []*verror
}

// errorKind says which keyword failed and how.
type errorKind interface{ keyword() string }

type (
	kSchema    struct{} // the whole document
	kGroup     struct{} // several keywords of one schema
	kReference struct{} // $ref: the target's errors
	kAllOf     struct{}
	kAnyOf     struct{}
	// kOneOf: no alternative matched (the causes say why), or two did
	// (both holds their indexes).
	kOneOf                struct{ both []int }
	kType                 struct{}
	kEnum                 struct{ want []any }
	kConst                struct{ want any }
	kMinimum              struct{}
	kMaximum              struct{}
	kPattern              struct{ want string }
	kMaxLength            struct{ got, want int }
	kMinProperties        struct{}
	kMaxProperties        struct{ got, want int }
	kMinItems             struct{}
	kMaxItems             struct{}
	kNot                  struct{}
	kRequired             struct{ missing []string }
	kAdditionalProperties struct{ props []string }
	kFalse                struct{} // the schema false
)

func (kSchema) keyword() string               { return "" }
func (kGroup) keyword() string                { return "" }
func (kReference) keyword() string            { return "$ref" }
func (kAllOf) keyword() string                { return "allOf" }
func (kAnyOf) keyword() string                { return "anyOf" }
func (kOneOf) keyword() string                { return "oneOf" }
func (kType) keyword() string                 { return "type" }
func (kEnum) keyword() string                 { return "enum" }
func (kConst) keyword() string                { return "const" }
func (kMinimum) keyword() string              { return "minimum" }
func (kMaximum) keyword() string              { return "maximum" }
func (kPattern) keyword() string              { return "pattern" }
func (kMaxLength) keyword() string            { return "maxLength" }
func (kMinProperties) keyword() string        { return "minProperties" }
func (kMaxProperties) keyword() string        { return "maxProperties" }
func (kMinItems) keyword() string             { return "minItems" }
func (kMaxItems) keyword() string             { return "maxItems" }
func (kNot) keyword() string                  { return "not" }
func (kRequired) keyword() string             { return "required" }
func (kAdditionalProperties) keyword() string { return "additionalProperties" }
func (kFalse) keyword() string                { return "false" }

// node is one compiled schema object (or boolean schema).
type node struct {
	loc   string // "#" or "#/$defs/route/properties/path"
	never bool   // the schema false
	types []string
	ref   *node
	// constV is set when hasConst.
	constV   any
	hasConst bool
	enum     []any

	props     map[string]*node
	patterns  []patternNode
	addlFalse bool
	addl      *node
	required  []string
	minProps  int // -1: none
	maxProps  int // -1: none

	items              *node
	minItems, maxItems int // -1: none

	minimum, maximum *big.Rat
	pattern          *regexp.Regexp
	maxLength        int // -1: none

	not                 *node
	allOf, anyOf, oneOf []*node
	ifN, thenN, elseN   *node
}

type patternNode struct {
	re *regexp.Regexp
	n  *node
}

// annotations are the keywords that do not validate.
func annotation(k string) bool {
	switch k {
	case "$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples":
		return true
	}
	return strings.HasPrefix(k, "x-chalc-")
}

// compiler compiles the schema document's objects, each once, by their
// pointer: $ref cycles are pointers between compiled nodes.
type compiler struct {
	raw   *raw
	nodes map[string]*node
}

func compileSchema(r *raw, ptr string) (*node, error) {
	c := &compiler{raw: r, nodes: map[string]*node{}}
	return c.at(ptr)
}

// at compiles the schema object at pointer ptr ("#/$defs/route").
func (c *compiler) at(ptr string) (*node, error) {
	if n := c.nodes[ptr]; n != nil {
		return n, nil
	}
	s := c.raw.ptr(ptr)
	if s == nil {
		return nil, fmt.Errorf("%s: no schema object there", ptr)
	}
	return c.compile(s, ptr)
}

func (c *compiler) compile(s obj, loc string) (*node, error) {
	n := &node{loc: loc, minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, maxLength: -1}
	c.nodes[loc] = n
	sub := func(k string) string { return loc + "/" + jsonvalue.EscapeToken(k) }
	child := func(v any, ptr string) (*node, error) {
		if b, ok := v.(bool); ok {
			// true accepts every value, false none.
			bn := &node{loc: ptr, minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, maxLength: -1, never: !b}
			c.nodes[ptr] = bn
			return bn, nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not a schema object", ptr)
		}
		return c.compile(m, ptr)
	}
	list := func(k string, v any) ([]*node, error) {
		items, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s: not a list", sub(k))
		}
		var out []*node
		for i, it := range items {
			cn, err := child(it, sub(k)+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out = append(out, cn)
		}
		return out, nil
	}
	count := func(k string, v any) (int, error) {
		num, ok := v.(json.Number)
		if !ok {
			return 0, fmt.Errorf("%s: not a number", sub(k))
		}
		i, err := strconv.Atoi(string(num))
		if err != nil {
			return 0, fmt.Errorf("%s: %v", sub(k), err)
		}
		return i, nil
	}
	rat := func(k string, v any) (*big.Rat, error) {
		num, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s: not a number", sub(k))
		}
		r, ok := new(big.Rat).SetString(string(num))
		if !ok {
			return nil, fmt.Errorf("%s: not a number", sub(k))
		}
		return r, nil
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var err error
	for _, k := range keys {
		v := s[k]
		switch k {
		case "type":
			n.types = jsonvalue.Strings(v)
		case "$ref":
			ref, _ := v.(string)
			if !strings.HasPrefix(ref, "#") {
				return nil, fmt.Errorf("%s: only references inside the document are supported, not %q", sub(k), ref)
			}
			n.ref, err = c.at(ref)
		case "const":
			n.constV, n.hasConst = v, true
		case "enum":
			n.enum, _ = v.([]any)
		case "properties":
			m, _ := v.(map[string]any)
			n.props = map[string]*node{}
			for _, p := range objectKeys(m) {
				if n.props[p], err = child(m[p], sub(k)+"/"+jsonvalue.EscapeToken(p)); err != nil {
					return nil, err
				}
			}
		case "patternProperties":
			m, _ := v.(map[string]any)
			for _, p := range objectKeys(m) {
				re, ok := c.raw.re[p]
				if !ok || re == nil {
					return nil, fmt.Errorf("%s: pattern %q does not compile", sub(k), p)
				}
				pn, err := child(m[p], sub(k)+"/"+jsonvalue.EscapeToken(p))
				if err != nil {
					return nil, err
				}
				n.patterns = append(n.patterns, patternNode{re, pn})
			}
		case "additionalProperties":
			if b, ok := v.(bool); ok {
				n.addlFalse = !b
			} else {
				n.addl, err = child(v, sub(k))
			}
		case "required":
			n.required = jsonvalue.Strings(v)
		case "minProperties":
			n.minProps, err = count(k, v)
		case "maxProperties":
			n.maxProps, err = count(k, v)
		case "items":
			n.items, err = child(v, sub(k))
		case "minItems":
			n.minItems, err = count(k, v)
		case "maxItems":
			n.maxItems, err = count(k, v)
		case "minimum":
			n.minimum, err = rat(k, v)
		case "maximum":
			n.maximum, err = rat(k, v)
		case "pattern":
			p, _ := v.(string)
			n.pattern, err = regexp.Compile(p)
		case "maxLength":
			n.maxLength, err = count(k, v)
		case "not":
			n.not, err = child(v, sub(k))
		case "allOf":
			n.allOf, err = list(k, v)
		case "anyOf":
			n.anyOf, err = list(k, v)
		case "oneOf":
			n.oneOf, err = list(k, v)
		case "if":
			n.ifN, err = child(v, sub(k))
		case "then":
			n.thenN, err = child(v, sub(k))
		case "else":
			n.elseN, err = child(v, sub(k))
		default:
			if !annotation(k) {
				return nil, fmt.Errorf("%s: the validator does not implement %q", loc, k)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return n, nil
}

func objectKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validate checks v against the schema n and returns nil or the error
// tree, rooted at a kSchema error.
func (n *node) validate(v any) *verror {
	vd := validation{}
	err := vd.check(n, v, nil)
	if err == nil {
		return nil
	}
	root := &verror{kind: kSchema{}, schema: n.loc}
	if _, ok := err.kind.(kGroup); ok {
		root.causes = err.causes
	} else {
		root.causes = []*verror{err}
	}
	return root
}

// validation is one run. quiet is set while only validity matters (not,
// if, a oneOf alternative after one matched): errors are then bare and
// checks stop at the first.
type validation struct{ quiet bool }

func (vd validation) fail(n *node, loc []string, k errorKind) *verror {
	if vd.quiet {
		return &verror{kind: k}
	}
	return &verror{kind: k, schema: n.loc, loc: append([]string(nil), loc...)}
}

// check validates v, at loc, against n.
func (vd validation) check(n *node, v any, loc []string) *verror {
	if n.never {
		return vd.fail(n, loc, kFalse{})
	}
	if n.types != nil && !typeMatches(n.types, v) {
		return vd.fail(n, loc, kType{})
	}
	if n.hasConst && !equal(v, n.constV) {
		return vd.fail(n, loc, kConst{want: n.constV})
	}
	if n.enum != nil {
		ok := false
		for _, w := range n.enum {
			if equal(v, w) {
				ok = true
				break
			}
		}
		if !ok {
			return vd.fail(n, loc, kEnum{want: n.enum})
		}
	}
	var errs []*verror
	add := func(e *verror) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	stop := func() bool { return vd.quiet && len(errs) > 0 }
	if n.ref != nil {
		if e := vd.check(n.ref, v, loc); e != nil {
			ref := vd.fail(n, loc, kReference{})
			if _, ok := e.kind.(kGroup); ok {
				ref.causes = e.causes
			} else {
				ref.causes = []*verror{e}
			}
			add(ref)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		vd.object(n, v, loc, add, stop)
	case []any:
		if n.minItems >= 0 && len(v) < n.minItems {
			add(vd.fail(n, loc, kMinItems{}))
		}
		if n.maxItems >= 0 && len(v) > n.maxItems {
			add(vd.fail(n, loc, kMaxItems{}))
		}
		if n.items != nil {
			for i, it := range v {
				if stop() {
					break
				}
				add(vd.check(n.items, it, append(loc, strconv.Itoa(i))))
			}
		}
	case string:
		if n.maxLength >= 0 {
			if l := utf8.RuneCountInString(v); l > n.maxLength {
				add(vd.fail(n, loc, kMaxLength{got: l, want: n.maxLength}))
			}
		}
		if n.pattern != nil && !n.pattern.MatchString(v) {
			add(vd.fail(n, loc, kPattern{want: n.pattern.String()}))
		}
	case json.Number:
		if n.minimum != nil || n.maximum != nil {
			if num, ok := new(big.Rat).SetString(string(v)); ok {
				if n.minimum != nil && num.Cmp(n.minimum) < 0 {
					add(vd.fail(n, loc, kMinimum{}))
				}
				if n.maximum != nil && num.Cmp(n.maximum) > 0 {
					add(vd.fail(n, loc, kMaximum{}))
				}
			}
		}
	}
	if !stop() {
		vd.conditions(n, v, loc, add)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	g := vd.fail(n, loc, kGroup{})
	g.causes = errs
	return g
}

func (vd validation) object(n *node, obj map[string]any, loc []string, add func(*verror), stop func() bool) {
	if n.minProps >= 0 && len(obj) < n.minProps {
		add(vd.fail(n, loc, kMinProperties{}))
	}
	if n.maxProps >= 0 && len(obj) > n.maxProps {
		add(vd.fail(n, loc, kMaxProperties{got: len(obj), want: n.maxProps}))
	}
	var missing []string
	for _, r := range n.required {
		if _, ok := obj[r]; !ok {
			missing = append(missing, r)
		}
	}
	if missing != nil {
		add(vd.fail(n, loc, kRequired{missing: missing}))
	}
	if stop() {
		return
	}
	var extra []string
	for _, k := range objectKeys(obj) {
		if stop() {
			return
		}
		val := obj[k]
		evaluated := false
		if p, ok := n.props[k]; ok {
			evaluated = true
			add(vd.check(p, val, append(loc, k)))
		}
		for _, pp := range n.patterns {
			if pp.re.MatchString(k) {
				evaluated = true
				add(vd.check(pp.n, val, append(loc, k)))
			}
		}
		if !evaluated {
			switch {
			case n.addlFalse:
				extra = append(extra, k)
			case n.addl != nil:
				add(vd.check(n.addl, val, append(loc, k)))
			}
		}
	}
	if extra != nil {
		add(vd.fail(n, loc, kAdditionalProperties{props: extra}))
	}
}

// conditions applies not, allOf, anyOf, oneOf and if/then/else.
func (vd validation) conditions(n *node, v any, loc []string, add func(*verror)) {
	quiet := validation{quiet: true}
	if n.not != nil && quiet.check(n.not, v, loc) == nil {
		add(vd.fail(n, loc, kNot{}))
	}
	if len(n.allOf) > 0 {
		var errs []*verror
		for _, s := range n.allOf {
			if e := vd.check(s, v, loc); e != nil {
				errs = append(errs, e)
				if vd.quiet {
					break
				}
			}
		}
		if errs != nil {
			e := vd.fail(n, loc, kAllOf{})
			e.causes = errs
			add(e)
		}
	}
	if len(n.anyOf) > 0 {
		var errs []*verror
		matched := false
		for _, s := range n.anyOf {
			e := vd.check(s, v, loc)
			if e == nil {
				matched = true
				break
			}
			errs = append(errs, e)
		}
		if !matched {
			e := vd.fail(n, loc, kAnyOf{})
			e.causes = errs
			add(e)
		}
	}
	if len(n.oneOf) > 0 {
		matched := -1
		var errs []*verror
		for i, s := range n.oneOf {
			check := vd
			if matched != -1 {
				check = quiet
			}
			if e := check.check(s, v, loc); e != nil {
				if matched == -1 {
					errs = append(errs, e)
				}
				continue
			}
			if matched != -1 {
				add(vd.fail(n, loc, kOneOf{both: []int{matched, i}}))
				break
			}
			matched = i
		}
		if matched == -1 {
			e := vd.fail(n, loc, kOneOf{})
			e.causes = errs
			add(e)
		}
	}
	if n.ifN != nil {
		if quiet.check(n.ifN, v, loc) == nil {
			if n.thenN != nil {
				add(vd.check(n.thenN, v, loc))
			}
		} else if n.elseN != nil {
			add(vd.check(n.elseN, v, loc))
		}
	}
}

// typeMatches: v has one of the JSON types (a whole number is an
// integer, whatever its notation).
func typeMatches(types []string, v any) bool {
	jt := valueType(v)
	for _, t := range types {
		if t == jt {
			return true
		}
		if t == "integer" && jt == "number" {
			if num, ok := v.(json.Number); ok {
				if r, ok := new(big.Rat).SetString(string(num)); ok && r.IsInt() {
					return true
				}
			}
		}
	}
	return false
}

// valueType is the JSON type of a converted value ("number" for every
// number; typeMatches decides integers).
func valueType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "invalid"
}

// equal is JSON equality: numbers by value, objects and arrays deeply.
func equal(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		m, ok := b.(map[string]any)
		if !ok || len(a) != len(m) {
			return false
		}
		for k, va := range a {
			vb, ok := m[k]
			if !ok || !equal(va, vb) {
				return false
			}
		}
		return true
	case []any:
		l, ok := b.([]any)
		if !ok || len(a) != len(l) {
			return false
		}
		for i := range a {
			if !equal(a[i], l[i]) {
				return false
			}
		}
		return true
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Rat).SetString(string(a))
		y, ok2 := new(big.Rat).SetString(string(bn))
		return ok1 && ok2 && x.Cmp(y) == 0
	case nil:
		return b == nil
	case bool:
		bb, ok := b.(bool)
		return ok && a == bb
	case string:
		bs, ok := b.(string)
		return ok && a == bs
	}
	return false
}
