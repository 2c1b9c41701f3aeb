package manifest

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/diag"
)

// Stage values. A Chalice app is imported with its stage's environment
// variables set, so app.py writes what differs per stage as
// os.environ['ORIGIN']. In chalice.yaml the fields users fill that way
// take placeholders instead, resolved per stage (package stages):
//
//	${env:NAME}   the stage's environment variable NAME, as the function
//	              the field belongs to sees it (environment_variables,
//	              merged for that function and stage)
//	${stage}      the stage's name
//	${app_name}   app_name
//	$${           a literal "${"
//
// Which fields take them is declared on the model: a `key:"...,stage"`
// tag. Any other string holding a placeholder is an error
// (CheckPlaceholders), so that a placeholder is never silently left as
// text.

// PartKind says what a part of a Template is.
type PartKind int

// Part kinds.
const (
	Literal PartKind = iota
	EnvVar
	StageName
	AppName
)

// Part is a piece of a Template: literal text (escapes resolved) or one
// placeholder.
type Part struct {
	Kind PartKind
	// Text is the literal text, or the variable's name for EnvVar.
	Text string
	// Written is the placeholder as written (${env:NAME}); At is where.
	Written string
	At      diag.Range
}

// Template is the value of a field that takes stage values when it holds
// a placeholder or an escape: the text as written and its parts.
type Template struct {
	Text  string
	Parts []Part
	// At is the value's position.
	At diag.Range
	// Errors are the mistakes in its placeholders; a Template with
	// errors is never expanded (CheckPlaceholders reports them).
	Errors []*diag.Diagnostic
}

// Expand returns the template's text with each placeholder replaced by
// value(part); ok is false when value fails for any of them (every
// placeholder is still asked, so the caller learns of each).
func (t *Template) Expand(value func(Part) (string, bool)) (string, bool) {
	var b strings.Builder
	ok := true
	for _, p := range t.Parts {
		if p.Kind == Literal {
			b.WriteString(p.Text)
			continue
		}
		v, good := value(p)
		ok = ok && good
		b.WriteString(v)
	}
	return b.String(), ok
}

// placeholderSyntax lists the placeholders, for hints.
const placeholderSyntax = "${env:NAME}, ${stage} and ${app_name}; write $${ for a literal ${"

// envName is what ${env:NAME} accepts: a name Lambda takes, or any name a
// shell would (the manifest's own check of names reports the rest).
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// hasPlaceholderSyntax reports whether s could hold a placeholder or an
// escape (a quick test before parsing).
func hasPlaceholderSyntax(s string) bool { return strings.Contains(s, "${") }

// parseTemplate splits s into parts; pos gives the range of the bytes
// s[i:j] (a placeholder) for diagnostics.
func parseTemplate(s string, at diag.Range, pos func(i, j int) diag.Range) *Template {
	t := &Template{Text: s, At: at}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.Parts = append(t.Parts, Part{Kind: Literal, Text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			lit.WriteString("${")
			i += 3
			continue
		case !strings.HasPrefix(s[i:], "${"):
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			t.Errors = append(t.Errors, placeholderError(pos(i, len(s)), "%q opens a placeholder that is not closed with }", s[i:]).
				Hint("placeholders are %s", placeholderSyntax))
			return t
		}
		written := s[i : i+end+1]
		inner := written[2 : len(written)-1]
		p := Part{Written: written, At: pos(i, i+end+1)}
		switch name, isEnv := strings.CutPrefix(inner, "env:"); {
		case inner == "stage":
			p.Kind = StageName
		case inner == "app_name":
			p.Kind = AppName
		case isEnv && envName.MatchString(name):
			p.Kind, p.Text = EnvVar, name
		case isEnv:
			d := placeholderError(p.At, "%s does not name an environment variable", written).
				Hint("write ${env:NAME}, with NAME of letters, digits and \"_\"")
			t.Errors = append(t.Errors, d)
		default:
			d := placeholderError(p.At, "unknown placeholder %s", written)
			if envName.MatchString(inner) {
				d.Hint("for the environment variable %s, write ${env:%s}", inner, inner)
			}
			d.Hint("placeholders are %s", placeholderSyntax)
			t.Errors = append(t.Errors, d)
		}
		flush()
		t.Parts = append(t.Parts, p)
		i += end + 1
	}
	flush()
	return t
}

func placeholderError(at diag.Range, format string, args ...any) *diag.Diagnostic {
	return diag.Errorf(diag.Placeholder, at, format, args...)
}

// recognized matches what is unmistakably meant as a placeholder, for
// the check of fields that take none: ${env:...}, ${stage}, ${app_name}
// (not after a $, which a user writing a literal may have escaped).
var recognized = regexp.MustCompile(`\$\{(env:[^}]*|stage|app_name)\}`)

// Placeholders is what the decoder found of stage values in one
// document: every Template, and every node of a field that takes them.
type Placeholders struct {
	Templates []*Template
	// allowed holds the scalars of fields that take stage values.
	allowed map[*Node]bool
}

func (p *Placeholders) allow(n *Node) {
	if p.allowed == nil {
		p.allowed = map[*Node]bool{}
	}
	p.allowed[n] = true
}

// CheckPlaceholders reports the mistakes in the placeholders of m and its
// blueprint fragments: syntax errors, and placeholders in fields that do
// not take them (which would otherwise reach AWS as text).
func CheckPlaceholders(m *Manifest) diag.Diagnostics {
	var ds diag.Diagnostics
	check := func(doc *Document, p *Placeholders) {
		if doc == nil || doc.Root == nil {
			return
		}
		for _, t := range p.Templates {
			ds = append(ds, t.Errors...)
		}
		// key is the key a node is the value of (a list's items: the
		// list's key), parent the key of the mapping holding it.
		var walk func(n *Node, key, parent string)
		seen := map[*Node]bool{} // aliases share nodes: report each once
		walk = func(n *Node, key, parent string) {
			if n == nil {
				return
			}
			if n.Kind != ScalarNode {
				if seen[n] {
					return
				}
				seen[n] = true
			}
			switch n.Kind {
			case MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					k := n.Content[i]
					ds.Append(misplaced(doc, k, "", "", true)...)
					walk(n.Content[i+1], k.Value, key)
				}
			case SequenceNode:
				for _, c := range n.Content {
					walk(c, key, parent)
				}
			case ScalarNode:
				if !p.allowed[n] {
					ds.Append(misplaced(doc, n, key, parent, false)...)
				}
			}
		}
		walk(doc.Root, "", "")
	}
	check(m.Doc, &m.Placeholders)
	done := map[*Fragment]bool{}
	for _, b := range m.Blueprints {
		if f := b.Fragment; f != nil && !done[f] {
			done[f] = true
			check(f.Doc, &f.Placeholders)
		}
	}
	return ds
}

// misplaced reports each placeholder in a scalar of a field that takes
// none (a key when isKey): the value of key, in a mapping that is the
// value of parent.
func misplaced(doc *Document, n *Node, key, parent string, isKey bool) diag.Diagnostics {
	if n.Kind != ScalarNode || !hasPlaceholderSyntax(n.Value) {
		return nil
	}
	var ds diag.Diagnostics
	for _, m := range recognized.FindAllStringIndex(n.Value, -1) {
		if m[0] > 0 && n.Value[m[0]-1] == '$' {
			continue // escaped, as it would be in a field that takes them
		}
		written := n.Value[m[0]:m[1]]
		at := doc.placeholderRange(n, m[0], m[1])
		where := "a key"
		if !isKey {
			where = "this field"
			if key != "" {
				where = key
			}
		}
		d := ds.Errorf(diag.Placeholder, at, "%s is not expanded in %s: it takes no stage values", written, where)
		switch {
		case !isKey && parent == "environment_variables":
			d.Hint("environment_variables are where ${env:...} values come from: give each stage its own value under stages.<stage>.environment_variables")
		default:
			d.Hint("stage values are taken by event sources, CORS, authorizers, custom domains, layers, VPC ids and tags (docs/manifest.md, \"Stage values\")")
		}
		d.Hint("to keep the text as written, it must not look like a placeholder")
	}
	return ds
}

// placeholderRange is the range of the bytes [i, j) of scalar n's value in
// the source: found in the node's line when the value is written there as
// it reads (plain, or quoted without escapes before it), else the whole
// value.
func (d *Document) placeholderRange(n *Node, i, j int) diag.Range {
	whole := d.Range(n)
	if d.Src == nil || strings.ContainsAny(n.Value, "\n\r") || n.Line < 1 {
		return whole
	}
	line, ok := sourceLine(d.Src, n.Line)
	if !ok {
		return whole
	}
	// The column is counted in characters; the value starts at it (after
	// a quote when quoted).
	start := n.Column - 1
	if n.Style&(SingleQuotedStyle|DoubleQuotedStyle) != 0 {
		start++
	}
	runes := []rune(line)
	if start < 0 || start > len(runes) {
		return whole
	}
	text := string(runes[start:])
	want := n.Value[i:j]
	// The k-th occurrence in the value is the k-th in the text.
	k := strings.Count(n.Value[:i], want)
	off := -1
	for pos := 0; k >= 0; k-- {
		idx := strings.Index(text[pos:], want)
		if idx < 0 {
			return whole
		}
		off = pos + idx
		pos = off + len(want)
	}
	col := n.Column + (start - (n.Column - 1)) + utf8.RuneCountInString(text[:off])
	return diag.Range{Filename: d.Filename, Start: diag.Pos{Line: n.Line, Column: col},
		End: diag.Pos{Line: n.Line, Column: col + utf8.RuneCountInString(want)}}
}

// sourceLine returns line n (1-based) of src, without its line ending.
func sourceLine(src []byte, n int) (string, bool) {
	for l := 1; l < n; l++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return "", false
		}
		src = src[i+1:]
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}

// Templates returns the templates of the tagged fields of *ptr, a model
// struct (its Value, List and Map fields), in field order.
func Templates(ptr any) []*Template {
	var out []*Template
	walkTemplated(reflect.ValueOf(ptr).Elem(), func(v reflect.Value) {
		switch x := v.Addr().Interface().(type) {
		case *Value[string]:
			if x.Template != nil {
				out = append(out, x.Template)
			}
		case *Value[int]:
			if x.Template != nil {
				out = append(out, x.Template)
			}
		case *List:
			for _, it := range x.Items {
				if it.Template != nil {
					out = append(out, it.Template)
				}
			}
		case *Map:
			for _, e := range x.Entries {
				if e.Value.Template != nil {
					out = append(out, e.Value.Template)
				}
			}
		}
	})
	return out
}

// ExpandCopy returns a copy of *src, a model struct, whose templated
// fields hold their expanded values: expand gives a template's value; a
// number field's text is read by number, which reports one that is not a
// number (the field is then left unset). The copy's fields keep their
// Template, so checks of it can tell what was expanded. Lists and maps
// are copied before they change: src is never modified.
func ExpandCopy[T any](src *T, expand func(*Template) string, number func(v Value[int], text string) (int, bool)) *T {
	cp := *src
	walkTemplated(reflect.ValueOf(&cp).Elem(), func(v reflect.Value) {
		switch x := v.Addr().Interface().(type) {
		case *Value[string]:
			if x.Template != nil {
				x.V = expand(x.Template)
			}
		case *Value[int]:
			if x.Template != nil {
				x.V, x.Set = number(*x, expand(x.Template))
			}
		case *List:
			items := append([]Value[string](nil), x.Items...)
			for i, it := range items {
				if it.Template != nil {
					items[i].V = expand(it.Template)
				}
			}
			x.Items = items
		case *Map:
			entries := append([]Entry(nil), x.Entries...)
			for i, e := range entries {
				if e.Value.Template != nil {
					entries[i].Value.V = expand(e.Value.Template)
				}
			}
			x.Entries = entries
		}
	})
	return &cp
}

// walkTemplated calls fn with each field of struct v that takes stage
// values.
func walkTemplated(v reflect.Value, fn func(reflect.Value)) {
	for _, index := range stageFields(v.Type()) {
		fn(v.FieldByIndex(index))
	}
}

// stageFieldIndexes caches stageFields by type: a manifest of a
// thousand routes asks for the fields of its CORS a thousand times.
var stageFieldIndexes sync.Map // reflect.Type → [][]int

// stageFields returns the indexes of the fields of struct type t that
// take stage values.
func stageFields(t reflect.Type) [][]int {
	if f, ok := stageFieldIndexes.Load(t); ok {
		return f.([][]int)
	}
	var out [][]int
	for _, f := range reflect.VisibleFields(t) {
		if _, o := parseKeyTag(f.Tag.Get("key")); o.stage {
			out = append(out, f.Index)
		}
	}
	stageFieldIndexes.Store(t, out)
	return out
}
