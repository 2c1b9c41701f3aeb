package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

// reporter turns the validator's error tree into diagnostics: leaf causes
// only, one alternative per oneOf, each at its YAML node.
type reporter struct {
	doc  *manifest.Document
	raw  *raw
	root obj // the schema the document was validated against
	inst any // the converted document
	ds   diag.Diagnostics
	// done holds the locations of values already reported, so the odd
	// scalar pass does not report the same value twice.
	done map[string]bool
}

func (r *reporter) walk(e *verror) {
	switch k := e.kind.(type) {
	case kSchema, kGroup, kAllOf, kReference:
		for _, c := range e.causes {
			r.walk(c)
		}
	case kOneOf:
		if k.both != nil {
			// Two alternatives matched: the schema's alternatives overlap,
			// a bug in the schema rather than in the manifest.
			r.unexpected(e)
			return
		}
		r.alternatives(e)
	case kAnyOf:
		r.alternatives(e)
	default:
		r.leaf(e)
	}
}

// alternatives reports a value that matched none of a oneOf's forms: the
// problems of the form whose type fits the value (the one the user was
// writing), or, when no form has the value's type, one type error.
func (r *reporter) alternatives(e *verror) {
	for _, c := range e.causes {
		if !typeFailed(c, e.loc) {
			r.walk(c)
			return
		}
	}
	r.typeError(e.loc, r.raw.ptr(e.schema))
}

// typeFailed reports whether an alternative failed only because the value
// at loc has another type.
func typeFailed(e *verror, loc []string) bool {
	for {
		switch e.kind.(type) {
		case kReference, kSchema, kGroup:
			if len(e.causes) == 1 {
				e = e.causes[0]
				continue
			}
		case kType:
			return slices.Equal(e.loc, loc)
		}
		return false
	}
}

func (r *reporter) leaf(e *verror) {
	loc := e.loc
	s := r.raw.ptr(e.schema)
	switch k := e.kind.(type) {
	case kType:
		r.typeError(loc, s)
	case kEnum:
		r.enumError(loc, k.want, s)
	case kConst:
		r.constError(loc, k.want)
	case kMinimum, kMaximum:
		r.rangeError(loc, s)
	case kPattern:
		r.patternError(loc, k.want)
	case kMaxLength:
		r.lengthError(loc, k.got, k.want)
	case kMinProperties:
		r.emptyMapping(loc, s)
	case kMaxProperties:
		fs := r.frames(loc)
		r.add(diag.SchemaInvalid, loc, r.valueRange(loc), "%s has %d keys; it takes %d", r.name(fs, len(fs)-1), k.got, k.want).
			Hint("an intrinsic function is a mapping of one function to its argument, such as {Ref: MusicTable}")
	case kNot:
		if r.raw.str(s, "x-chalc-misplaced") != "" {
			r.misplaced(loc, s)
			return
		}
		r.unexpected(e)
	case kRequired:
		for _, m := range k.missing {
			r.required(loc, m, s)
		}
	case kAdditionalProperties:
		for _, p := range k.props {
			r.unknownKey(loc, p, s)
		}
	default:
		r.unexpected(e)
	}
}

// unexpected reports a violation of a keyword the messages do not cover.
// TestSchemaKeywords keeps the schema to the covered ones, so this is a
// safety net that still says where the problem is.
func (r *reporter) unexpected(e *verror) {
	fs := r.frames(e.loc)
	check := e.kind.keyword()
	if check == "" {
		check = fmt.Sprintf("%T", e.kind)
	}
	r.add(diag.SchemaInvalid, e.loc, r.valueRange(e.loc), "%s is not valid here", r.name(fs, len(fs)-1)).
		Hint("chalc has no message for this schema check (%s); please report it", check)
}

// ---- locations and names

func (r *reporter) frames(loc []string) []frame { return r.raw.frames(r.root, r.inst, loc) }

// nodes returns the key node (nil at the root and for list items) and the
// value node at loc.
func (r *reporter) nodes(loc []string) (key, val *manifest.Node) {
	val = r.doc.Root
	for _, tok := range loc {
		if val == nil {
			return nil, nil
		}
		switch val.Kind {
		case manifest.MappingNode:
			var next *manifest.Node
			for i := 0; i+1 < len(val.Content); i += 2 {
				if val.Content[i].Value == tok {
					key, next = val.Content[i], val.Content[i+1]
					break
				}
			}
			val = next
		case manifest.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(val.Content) {
				return nil, nil
			}
			key, val = nil, val.Content[i]
		default:
			return nil, nil
		}
	}
	return key, val
}

func (r *reporter) rng(n *manifest.Node) diag.Range {
	if n == nil {
		return r.doc.Range(r.doc.Root)
	}
	rg := r.doc.Range(n)
	// A plain scalar is exactly as wide as its value; say so rather than
	// leave the renderer to guess (it takes "-.inf" for a list marker).
	if n.Kind == manifest.ScalarNode && n.Style == 0 && n.Value != "" && !strings.ContainsAny(n.Value, "\n") {
		rg.End = diag.Pos{Line: n.Line, Column: n.Column + utf8.RuneCountInString(n.Value)}
	}
	return rg
}

// valueRange is where a wrong value is shown: the value, or its key when
// the value is a block collection starting on a later line.
func (r *reporter) valueRange(loc []string) diag.Range {
	k, v := r.nodes(loc)
	switch {
	case v == nil:
		return r.rng(k)
	case k != nil && (v.Kind == manifest.MappingNode || v.Kind == manifest.SequenceNode) && v.Line != k.Line:
		return r.rng(k)
	case k != nil && v.ShortTag() == manifest.TagNull:
		// An empty value has no text of its own.
		return r.rng(k)
	}
	return r.rng(v)
}

// holderRange is where a problem of a whole mapping is shown: its key, or
// the mapping itself for list items and the root.
func (r *reporter) holderRange(loc []string) diag.Range {
	if len(loc) == 0 {
		// A key missing from the whole file: point at the file, not at
		// whatever key happens to come first.
		return diag.Range{Filename: r.doc.Filename, Start: diag.Pos{Line: 1}}
	}
	k, v := r.nodes(loc)
	if k != nil {
		return r.rng(k)
	}
	return r.rng(v)
}

// name says how a message names the value at fs[i]: the schema's
// x-chalc-name template, else "item N of <parent>" for list items, else the
// key.
func (r *reporter) name(fs []frame, i int) string {
	f := fs[i]
	if t := r.raw.str(f.schema, "x-chalc-name"); t != "" {
		pkey := ""
		if i > 0 {
			pkey = fs[i-1].tok
		}
		n := ""
		if idx, err := strconv.Atoi(f.tok); err == nil {
			n = strconv.Itoa(idx + 1)
		}
		return strings.NewReplacer("{key}", f.tok, "{pkey}", pkey, "{n}", n).Replace(t)
	}
	if i == 0 {
		return "the file"
	}
	if _, isList := fs[i-1].value.([]any); isList {
		idx, _ := strconv.Atoi(f.tok)
		return fmt.Sprintf("item %d of %s", idx+1, r.name(fs, i-1))
	}
	return f.tok
}

func key(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return loc[len(loc)-1]
}

func locKey(loc []string) string { return strings.Join(loc, "\x00") }

func (r *reporter) add(code diag.Code, loc []string, at diag.Range, format string, args ...any) *diag.Diagnostic {
	if r.done == nil {
		r.done = map[string]bool{}
	}
	r.done[locKey(loc)] = true
	return r.ds.Errorf(code, at, format, args...)
}

// ---- value errors

func (r *reporter) typeError(loc []string, s obj) {
	fs := r.frames(loc)
	f := fs[len(fs)-1]
	name := r.name(fs, len(fs)-1)
	_, node := r.nodes(loc)
	if f.value == nil {
		r.null(loc, fs)
		return
	}
	if c := r.raw.get(s, "const"); c != nil {
		r.constError(loc, c)
		return
	}
	if e, ok := r.raw.get(s, "enum").([]any); ok {
		r.enumError(loc, e, s)
		return
	}
	expect := r.raw.str(s, "x-chalc-expect")
	if expect == "" {
		expect = r.raw.str(f.schema, "x-chalc-expect")
	}
	if expect == "" {
		expect = r.describe(s)
	}
	types := r.raw.types(s)
	got := gotPhrase(node)
	if node != nil && node.Kind == manifest.ScalarNode && jsonType(f.value) == "number" && contains(types, "integer") {
		got = node.Value
	}
	d := r.add(diag.SchemaType, loc, r.valueRange(loc), "%s must be %s, not %s", name, expect, got)
	if node == nil || node.Kind != manifest.ScalarNode {
		return
	}
	// A string that reads as a number or a boolean was quoted (or tagged).
	quoted := node.ShortTag() == manifest.TagStr
	k := ""
	if len(fs) >= 2 {
		if _, inMap := fs[len(fs)-2].value.(map[string]any); inMap {
			k = key(loc) + ": "
		}
	}
	if method, handler, ok := missingColon(node.Value); ok && strings.Contains(r.raw.str(s, "x-chalc-fix"), "{GET: {value}}") {
		// "POST Login" under a path: the colon after the method is missing.
		d.Hint("a colon is missing after the method: write %s: %s", method, handler)
		return
	}
	if fix := r.raw.str(s, "x-chalc-fix"); fix != "" {
		d.Hint("write %s", fillFix(fix, key(loc), flowScalar(node)))
		return
	}
	switch {
	case stringOnly(types) && node.ShortTag() != manifest.TagStr:
		d.Hint("quote it: %s%q", k, node.Value)
	case contains(types, "boolean") && quoted && (strings.EqualFold(node.Value, "true") || strings.EqualFold(node.Value, "false")):
		d.Hint("remove the quotes: %s%s", k, strings.ToLower(node.Value))
	case contains(types, "integer") && quoted:
		if _, err := strconv.ParseInt(node.Value, 10, 64); err == nil {
			d.Hint("remove the quotes: %s%s", k, node.Value)
		}
	case contains(r.raw.allTypes(s), "boolean") && node.ShortTag() == manifest.TagStr:
		// YAML 1.1 booleans are plain strings in YAML 1.2.
		switch strings.ToLower(node.Value) {
		case "yes", "on", "y":
			d.Hint("write %strue", k)
		case "no", "off", "n":
			d.Hint("write %sfalse", k)
		}
	}
}

// stringOnly: of the scalar types, a value here may only be a string
// (a mapping, such as an environment variable's intrinsic, aside).
func stringOnly(types []string) bool {
	return contains(types, "string") && !contains(types, "integer") && !contains(types, "number") && !contains(types, "boolean")
}

// null reports an explicit YAML null (or an empty value): the manifest
// format has no "unset" value.
func (r *reporter) null(loc []string, fs []frame) {
	name := r.name(fs, len(fs)-1)
	switch {
	case len(loc) == 0:
		d := r.add(diag.SchemaEmpty, loc, r.rng(r.doc.Root), "%s is empty", name)
		if exp := r.raw.str(r.root, "x-chalc-expect"); exp != "" {
			d.Hint("it must be %s", exp)
		}
	case isListItem(fs):
		r.add(diag.SchemaNull, loc, r.valueRange(loc), "%s is null; remove it or give it a value", name)
	default:
		r.add(diag.SchemaNull, loc, r.valueRange(loc), "%s is null; remove the key or give it a value", name)
	}
}

// digitsOnly reports whether s is an optionally signed run of digits.
func digitsOnly(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return s != "" && strings.Trim(s, "0123456789_") == ""
}

func isListItem(fs []frame) bool {
	if len(fs) < 2 {
		return false
	}
	_, ok := fs[len(fs)-2].value.([]any)
	return ok
}

func (r *reporter) enumError(loc []string, want []any, s obj) {
	fs := r.frames(loc)
	name := r.name(fs, len(fs)-1)
	_, node := r.nodes(loc)
	opts := make([]string, len(want))
	for i, w := range want {
		opts[i] = fmt.Sprint(w)
	}
	unit := ""
	if u := r.raw.str(s, "x-chalc-unit"); u != "" {
		unit = " (" + u + ")"
	}
	d := r.add(diag.SchemaEnum, loc, r.valueRange(loc), "%s must be one of %s%s, not %s", name, strings.Join(opts, ", "), unit, shown(node))
	if node == nil || node.Kind != manifest.ScalarNode {
		return
	}
	if _, numeric := want[0].(json.Number); numeric {
		if lo, hi, ok := nearest(node.Value, want); ok {
			d.Hint("the nearest allowed values are %s and %s", lo, hi)
		}
		return
	}
	if s := suggestValue(node.Value, opts); s != "" {
		d.Hint("did you mean %q?", s)
	}
}

func (r *reporter) constError(loc []string, want any) {
	fs := r.frames(loc)
	_, node := r.nodes(loc)
	d := r.add(diag.SchemaEnum, loc, r.valueRange(loc), "%s must be %v, not %s", r.name(fs, len(fs)-1), want, shown(node))
	// A quoted number: the right value, the wrong type.
	if node != nil && node.Kind == manifest.ScalarNode && node.ShortTag() == manifest.TagStr && node.Value == fmt.Sprint(want) {
		k := ""
		if !isListItem(fs) && len(loc) > 0 {
			k = key(loc) + ": "
		}
		d.Hint("remove the quotes: %s%v", k, want)
	}
}

// missingColon splits "POST Login", an HTTP method and a handler name
// written without the colon between them.
func missingColon(v string) (method, handler string, ok bool) {
	m, h, found := strings.Cut(strings.TrimSpace(v), " ")
	h = strings.TrimSpace(h)
	if !found || h == "" || strings.ContainsAny(h, " :{}[]") || !methodKey.MatchString(m) {
		return "", "", false
	}
	return strings.ToUpper(m), h, true
}

var methodKey = regexp.MustCompile(`^(?i:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$`)

// fillFix fills an x-chalc-fix template: {key} is the key, {KEY} the key
// in upper case, {value} the value as written.
func fillFix(fix, key, value string) string {
	return strings.NewReplacer("{key}", key, "{KEY}", strings.ToUpper(key), "{value}", value).Replace(fix)
}

// lengthError reports a string longer than the schema's maxLength.
func (r *reporter) lengthError(loc []string, got, want int) {
	fs := r.frames(loc)
	r.add(diag.SchemaLength, loc, r.valueRange(loc), "%s is %d characters long; the limit is %d", r.name(fs, len(fs)-1), got, want)
}

// emptyMapping reports a mapping that needs at least one key (a path
// without methods).
func (r *reporter) emptyMapping(loc []string, s obj) {
	fs := r.frames(loc)
	noun := r.raw.str(s, "x-chalc-keys")
	if noun == "" {
		noun = "key"
	}
	d := r.add(diag.SchemaEmpty, loc, r.valueRange(loc), "%s has no %ss", r.name(fs, len(fs)-1), noun)
	if ex, ok := r.raw.get(s, "examples").([]any); ok && len(ex) > 0 && len(loc) > 0 {
		d.Hint("add one, for example: %s: %s", flowString(key(loc)), flow(ex[0]))
	} else {
		d.Hint("add a %s or remove the key", noun)
	}
}

// misplaced reports a key written one level too high: a schema that
// accepts no value, annotated with what such a key is (an HTTP method
// directly under routes:). One error, at the key: nothing below it is
// checked, since it is in the wrong place as a whole.
func (r *reporter) misplaced(loc []string, s obj) {
	k, v := r.nodes(loc)
	at := r.rng(k)
	if k == nil {
		at = r.valueRange(loc)
	}
	d := r.add(diag.SchemaPlacement, loc, at, "%q is %s", key(loc), r.raw.str(s, "x-chalc-misplaced"))
	if fix := r.raw.str(s, "x-chalc-fix"); fix != "" {
		value := "..."
		if v != nil && v.Kind == manifest.ScalarNode {
			value = flowScalar(v)
		}
		d.Hint("%s", fillFix(fix, key(loc), value))
	}
}

func (r *reporter) rangeError(loc []string, s obj) {
	fs := r.frames(loc)
	name := r.name(fs, len(fs)-1)
	_, node := r.nodes(loc)
	lo, hasLo := r.raw.get(s, "minimum").(json.Number)
	hi, hasHi := r.raw.get(s, "maximum").(json.Number)
	unit := ""
	if u := r.raw.str(s, "x-chalc-unit"); u != "" {
		unit = " (" + u + ")"
	}
	got := shown(node)
	switch {
	case hasLo && hasHi:
		r.add(diag.SchemaRange, loc, r.valueRange(loc), "%s must be between %s and %s%s, not %s", name, lo, hi, unit, got)
	case hasLo:
		r.add(diag.SchemaRange, loc, r.valueRange(loc), "%s must be %s or more%s, not %s", name, lo, unit, got)
	case hasHi:
		r.add(diag.SchemaRange, loc, r.valueRange(loc), "%s must be at most %s%s, not %s", name, hi, unit, got)
	default:
		r.add(diag.SchemaRange, loc, r.valueRange(loc), "%s is out of range: %s", name, got)
	}
}

// patternText words the schema's patterns; TestPatternsWorded keeps it
// complete.
var patternText = map[string]string{
	"^[A-Za-z0-9_-]+$": `may only contain letters, digits, "_" and "-"`,
	"^[A-Za-z0-9_-]*$": `may only contain letters, digits, "_" and "-"`,
	"^(?i:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)$": "is an HTTP method",
	"^x-":                        "starts with x- (an extension key chalc ignores)",
	"^[a-z0-9-]+:[A-Za-z0-9*]+$": "is an IAM action such as kms:Decrypt (service:Action)",
	// A number written as a stage value (ttl_seconds: "${env:AUTH_TTL}").
	`\$\{(env:[A-Za-z_][A-Za-z0-9_]*|stage|app_name)\}`: "must be a number, or a string holding a placeholder such as \"${env:NAME}\"",
}

func (r *reporter) patternError(loc []string, pattern string) {
	fs := r.frames(loc)
	name := r.name(fs, len(fs)-1)
	_, node := r.nodes(loc)
	if node != nil && node.Value == "" {
		r.add(diag.SchemaEmpty, loc, r.valueRange(loc), "%s must not be empty", name)
		return
	}
	text, ok := patternText[pattern]
	if !ok {
		text = "must match " + pattern
	}
	d := r.add(diag.SchemaPattern, loc, r.valueRange(loc), "%s %s, not %s", name, text, shown(node))
	if node != nil && node.Kind == manifest.ScalarNode && strings.HasPrefix(pattern, `\$\{`) && digitsOnly(node.Value) {
		d.Hint("remove the quotes: %s: %s", key(loc), node.Value)
	}
	if node != nil && node.Kind == manifest.ScalarNode && strings.HasPrefix(pattern, "^[A-Za-z0-9_-]") {
		// A name with spaces or dots: offer it with "-" instead.
		fixed := strings.Map(func(r rune) rune {
			if r < utf8.RuneSelf && (r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				return r
			}
			return '-'
		}, node.Value)
		if fixed != "" && fixed != node.Value && !isListItem(r.frames(loc)) {
			d.Hint("write %s: %s", key(loc), flowString(fixed))
		}
	}
}

// ---- mapping errors

func (r *reporter) required(loc []string, missing string, s obj) {
	fs := r.frames(loc)
	var d *diag.Diagnostic
	if len(loc) == 0 {
		d = r.ds.Errorf(diag.SchemaRequired, r.holderRange(loc), "%s is required", missing)
	} else {
		where := r.name(fs, len(fs)-1)
		if ctx := r.raw.str(s, "x-chalc-context"); ctx != "" {
			d = r.ds.Errorf(diag.SchemaRequired, r.holderRange(loc), "%s is required in %s: %s need it", missing, where, ctx)
		} else {
			d = r.ds.Errorf(diag.SchemaRequired, r.holderRange(loc), "%s is required in %s", missing, where)
		}
	}
	prop, _ := r.raw.object(s, "properties")[missing].(map[string]any)
	if prop == nil {
		f := fs[len(fs)-1]
		prop, _ = r.raw.object(r.raw.branch(f.schema, f.value), "properties")[missing].(map[string]any)
	}
	if ex, ok := r.raw.get(prop, "examples").([]any); ok && len(ex) > 0 {
		d.Hint("for example: %s: %s", missing, flow(ex[0]))
	}
}

func (r *reporter) unknownKey(loc []string, k string, s obj) {
	kloc := append(append([]string(nil), loc...), k)
	kn, _ := r.nodes(kloc)
	at := r.rng(kn)
	allowed := r.raw.properties(s)

	// A key outside the keys of one authorizer type (an if/then case).
	if ctx := r.raw.str(s, "x-chalc-context"); ctx != "" {
		fs := r.frames(loc)
		f := fs[len(fs)-1]
		if !r.raw.hasProperty(r.raw.branch(f.schema, f.value), k) {
			return // not a key anywhere: reported as unknown by the outer schema
		}
		d := r.ds.Errorf(diag.SchemaNotApplicable, at, "%q does not apply to %s", k, ctx)
		if len(allowed) == 1 {
			d.Hint("%s take only %s", ctx, allowed[0])
		} else {
			d.Hint("%s take %s", ctx, and(allowed))
		}
		return
	}

	// A key that breaks the pattern of a map's keys (function names...).
	if noun := r.raw.str(s, "x-chalc-keys"); noun != "" {
		if pp := r.raw.object(s, "patternProperties"); len(pp) > 0 {
			p := sortedPatterns(pp)[0] // the schema has one pattern per map
			text, ok := patternText[p]
			if !ok {
				text = "must match " + p
			}
			if k == "" {
				r.ds.Errorf(diag.SchemaEmpty, at, "%s must not be empty", noun)
			} else {
				r.ds.Errorf(diag.SchemaPattern, at, "%s %q %s", noun, k, text)
			}
			return
		}
	}

	top := r.raw.root
	stage := r.raw.ptr("#/$defs/stage")
	perFunction := r.raw.ptr("#/$defs/functionSettings")
	switch r.raw.str(s, "x-chalc-place") {
	case "stage":
		if r.raw.hasProperty(top, k) {
			r.ds.Errorf(diag.SchemaPlacement, at, "%q can only be set at the top level, not in a stage", k).
				Hint("move it to the top level of the file")
			return
		}
	case "function":
		if r.raw.hasProperty(stage, k) {
			r.ds.Errorf(diag.SchemaPlacement, at, "%q is a per-stage setting: set it at the top level or in a stage, not per function", k)
			return
		}
		if r.raw.hasProperty(top, k) {
			r.ds.Errorf(diag.SchemaPlacement, at, "%q can only be set at the top level, not per function", k)
			return
		}
	case "function definition":
		if r.raw.hasProperty(perFunction, k) {
			_, v := r.nodes(kloc)
			val := "..."
			if v != nil && v.Kind == manifest.ScalarNode {
				val = flowScalar(v)
			}
			r.ds.Errorf(diag.SchemaPlacement, at, "%q is a setting, not part of a function's definition: set it under lambda_functions:", k).
				Hint("lambda_functions: {%s: {%s: %s}}", key(loc), k, val)
			return
		}
	case "fragment":
		if k == "blueprints" {
			r.ds.Errorf(diag.SchemaFragment, at, "blueprint fragments cannot register blueprints; fragments do not nest").
				Hint("register every fragment in the app's blueprints: list")
			return
		}
		if r.raw.hasProperty(top, k) {
			r.ds.Errorf(diag.SchemaFragment, at, "blueprint fragments cannot set %q; set it in the app's chalice.yaml", k)
			return
		}
	}

	noun := "key"
	if n := r.raw.str(s, "x-chalc-keys"); n != "" {
		noun = n
	}
	d := r.ds.Errorf(diag.UnknownKey, at, "unknown %s %q", noun, k)
	if sug := suggestKey(k, allowed); sug != "" {
		d.Hint("did you mean %q?", sug)
	} else if len(allowed) > 0 && len(allowed) <= 8 {
		d.Hint("valid %ss here: %s", noun, strings.Join(allowed, ", "))
	}
}

// ---- scalars JSON cannot describe

// oddScalars reports whole-number floats where an integer is expected
// (60.0) and YAML timestamps or binaries where a string is expected (a
// plain 2024-01-01): the validator accepts them as JSON, the decoder does
// not.
func (r *reporter) oddScalars(odd []oddScalar) {
	for _, o := range odd {
		if r.done[locKey(o.loc)] {
			continue
		}
		fs := r.frames(o.loc)
		f := fs[len(fs)-1]
		s := r.raw.branch(f.schema, f.value)
		if s == nil {
			continue
		}
		types := r.raw.types(s)
		name := r.name(fs, len(fs)-1)
		n := o.node
		switch {
		case n.ShortTag() == manifest.TagFloat && contains(types, "integer"):
			if digitsOnly(n.Value) {
				// YAML reads integers beyond 64 bits as floats.
				r.add(diag.SchemaRange, o.loc, r.valueRange(o.loc), "%s is too large: %s", name, n.Value)
				continue
			}
			d := r.add(diag.SchemaType, o.loc, r.valueRange(o.loc), "%s must be %s, not %s", name, r.describe(s), n.Value)
			if f, ok := new(big.Float).SetString(strings.ReplaceAll(n.Value, "_", "")); ok {
				d.Hint("write %s", f.Text('f', -1))
			}
		case n.ShortTag() != manifest.TagFloat && strings.HasPrefix(n.ShortTag(), "!!") && contains(types, "string"):
			// (A custom tag such as !Ref was reported by the parser.)
			what := "a " + strings.TrimPrefix(n.ShortTag(), "!!") + " value"
			switch n.ShortTag() {
			case "!!timestamp":
				what = "a date"
			case "!!binary":
				what = "binary data"
			}
			k := ""
			if len(fs) >= 2 {
				if _, inMap := fs[len(fs)-2].value.(map[string]any); inMap {
					k = key(o.loc) + ": "
				}
			}
			r.add(diag.SchemaType, o.loc, r.valueRange(o.loc), "%s must be a string; YAML reads %s as %s", name, n.Value, what).
				Hint("quote it: %s%q", k, n.Value)
		}
	}
}
