package merge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/cfnjson"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/internal/userinput"
)

// File is a loaded merge template: its value and where each JSON path
// came from, for diagnostics.
type File struct {
	Name  string // display path
	Value map[string]any
	Src   []byte
	// positions maps a JSON pointer to its value's position (YAML and
	// JSON alike); keys to the position of the key naming it.
	positions map[string]diag.Pos
	keys      map[string]diag.Pos
}

// keyPos returns the position of the key naming path, else Pos(path).
func (f *File) keyPos(path []string) diag.Range {
	if f != nil && len(path) > 0 {
		if pos, ok := f.keys[Pointer(path)]; ok {
			return diag.Range{Filename: f.Name, Start: pos}
		}
	}
	return f.Pos(path)
}

// Pos returns the position of the value at path, or the file itself.
func (f *File) Pos(path []string) diag.Range {
	if f == nil {
		return diag.Range{}
	}
	for p := path; ; p = p[:len(p)-1] {
		if pos, ok := f.positions[Pointer(p)]; ok {
			return diag.Range{Filename: f.Name, Start: pos}
		}
		if len(p) == 0 {
			return diag.Range{Filename: f.Name}
		}
	}
}

// Load reads a merge template: YAML when the name ends in .yaml or .yml,
// else JSON. name is how diagnostics show the file. When the file has
// errors, Load still returns it, with Src (so the diagnostics can be shown
// with their source line) and a nil Value; it returns nil only when the
// file cannot be read.
func Load(path, name string) (*File, diag.Diagnostics) {
	var ds diag.Diagnostics
	src, err := userinput.ReadFile(path, userinput.MaxSourceFile)
	if err != nil {
		at := diag.Range{Filename: name}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			ds.Errorf(diag.FileNotFound, at, "merge template not found").
				Hint("the path is relative to the working directory")
		case userinput.IsNotRegular(err), userinput.IsTooLarge(err):
			ds.Errorf(diag.FileUnreadable, at, "cannot read the merge template: %v", err).
				Hint("a merge template is a regular JSON or YAML file of at most %s", userinput.Bytes(userinput.MaxSourceFile))
		default:
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the message names the file already
			}
			ds.Errorf(diag.FileUnreadable, at, "cannot read the merge template: %v", err)
		}
		return nil, ds
	}
	f := &File{Name: name, Src: src, positions: map[string]diag.Pos{}, keys: map[string]diag.Pos{}}
	var v any
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		v, ds = f.parseYAML(src)
	default:
		v, ds = f.parseJSON(src)
	}
	if ds.HasErrors() {
		return f, ds
	}
	m, ok := v.(map[string]any)
	if !ok {
		ds.Errorf(diag.MergeTemplate, f.Pos(nil), "the merge template must be a mapping at the top level, not %s", kind(v)).
			Hint("a template looks like {\"Resources\": {...}}")
		return f, ds
	}
	f.Value = m
	return f, ds
}

func (f *File) parseJSON(src []byte) (any, diag.Diagnostics) {
	var ds diag.Diagnostics
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			ds.Errorf(diag.MergeTemplate, diag.Range{Filename: f.Name}, "the merge template is empty").
				Hint("a template looks like {\"Resources\": {...}}")
			return nil, ds
		}
		off := int64(len(src))
		msg := err.Error()
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			// Offset counts the offending byte: point at it.
			off = max(se.Offset-1, 0)
		case errors.Is(err, io.ErrUnexpectedEOF):
			msg = "unexpected end of file"
		}
		d := ds.Errorf(diag.JSONSyntax, diag.Range{Filename: f.Name, Start: f.pos(src, off)}, "invalid JSON: %s", msg)
		trimmed := bytes.TrimSpace(src)
		switch {
		case int(off) < len(src) && (src[off] == '}' || src[off] == ']') && bytes.HasSuffix(bytes.TrimSpace(src[:off]), []byte(",")):
			d.Hint("JSON allows no comma after the last member: remove it")
		case len(trimmed) > 0 && trimmed[0] != '{' && trimmed[0] != '[':
			d.Hint("a file is read as YAML only when its name ends in .yaml or .yml")
		case msg == "unexpected end of file":
			d.Hint("a bracket or a quote is not closed")
		}
		return nil, ds
	}
	if dec.More() {
		ds.Errorf(diag.JSONSyntax, diag.Range{Filename: f.Name, Start: f.pos(src, skipSpace(src, dec.InputOffset()))}, "invalid JSON: more than one value").
			Hint("a merge template is one JSON object")
		return nil, ds
	}
	return v, f.indexJSON(src)
}

// pos is the position of byte offset off of src.
func (f *File) pos(src []byte, off int64) diag.Pos {
	var c cursor
	return c.pos(src, off)
}

// skipSpace returns the offset of the first byte at or after off that is
// neither blank nor a JSON separator: where the next token starts.
func skipSpace(src []byte, off int64) int64 {
	for int(off) < len(src) {
		switch src[off] {
		case ',', ':', ' ', '\n', '\t', '\r':
			off++
			continue
		}
		break
	}
	return off
}

// indexJSON records the position of every value by its JSON pointer and
// reports keys written twice in one object (encoding/json silently keeps
// the last). It walks the token stream of a document already known to
// be valid.
func (f *File) indexJSON(src []byte) diag.Diagnostics {
	var ds diag.Diagnostics
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	type frame struct {
		obj  bool
		key  string
		idx  int
		want bool                // next string token is a key
		keys map[string]diag.Pos // keys seen in this object
	}
	var stack []frame
	// Tokens come in order: positions are counted on from the last one,
	// so indexing a large (or one-line, minified) file stays linear.
	var cur cursor
	path := func() []string {
		p := make([]string, 0, len(stack))
		for _, fr := range stack {
			if fr.obj {
				p = append(p, fr.key)
			} else {
				p = append(p, strconv.Itoa(fr.idx))
			}
		}
		return p
	}
	for {
		at := cur.pos(src, skipSpace(src, dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return ds
		}
		top := len(stack) - 1
		if top >= 0 && stack[top].obj && stack[top].want {
			if k, ok := tok.(string); ok {
				if first, dup := stack[top].keys[k]; dup {
					ds.Errorf(diag.DuplicateKey, diag.Range{Filename: f.Name, Start: at}, "duplicate key %q", diag.Clip(k)).
						Hint("JSON keeps only the last of them; remove or rename one").
						Note(diag.Range{Filename: f.Name, Start: first}, "%q is first defined here", diag.Clip(k))
				} else {
					stack[top].keys[k] = at
				}
				stack[top].key, stack[top].want = k, false
				f.keys[Pointer(path())] = at
				continue
			}
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if n := len(stack) - 1; n >= 0 {
				stack[n].idx++
				stack[n].want = stack[n].obj
			}
			continue
		}
		f.positions[Pointer(path())] = at
		if d, ok := tok.(json.Delim); ok {
			fr := frame{obj: d == '{', want: d == '{'}
			if fr.obj {
				fr.keys = map[string]diag.Pos{}
			}
			stack = append(stack, fr)
			continue
		}
		if n := len(stack) - 1; n >= 0 {
			stack[n].idx++
			stack[n].want = stack[n].obj
		}
	}
}

// cursor converts byte offsets of a source to positions (line, and
// column in characters), counting on from the previous offset asked: a
// pass over a file in order costs one scan of it.
type cursor struct {
	off  int64 // bytes of src counted so far
	line int   // 0 before the first use
	col  int
}

func (c *cursor) pos(src []byte, off int64) diag.Pos {
	off = max(0, min(off, int64(len(src))))
	if c.line == 0 || off < c.off {
		*c = cursor{line: 1, col: 1}
	}
	for c.off < off {
		switch r, size := utf8.DecodeRune(src[c.off:]); {
		case r == '\n':
			c.line, c.col = c.line+1, 1
			c.off++
		case c.off+int64(size) > off:
			c.off = off // an offset inside a character: stop at it
		default:
			c.col++
			c.off += int64(size)
		}
	}
	return diag.Pos{Line: c.line, Column: c.col}
}

var jsonNumber = regexp.MustCompile(`^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

var (
	yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	// The YAML library reports these parser (not scanner) errors with a
	// 0-based line (go-yaml/yaml#205).
	yamlParserError = regexp.MustCompile(`^did not find expected (node content|key|'-' indicator|',' or|<document start>)`)
)

func (f *File) parseYAML(src []byte) (v any, ds diag.Diagnostics) {
	defer func() {
		// The YAML library has panicked on hostile input before.
		if r := recover(); r != nil {
			v, ds = nil, diag.Diagnostics{diag.Errorf(diag.YAMLSyntax, diag.Range{Filename: f.Name, Start: diag.Pos{Line: 1, Column: 1}},
				"the YAML parser failed on this file: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			ds.Errorf(diag.MergeTemplate, diag.Range{Filename: f.Name}, "the merge template is empty").
				Hint("a template looks like `Resources: {...}`")
			return nil, ds
		}
		ds.Append(f.yamlSyntaxError(src, err))
		return nil, ds
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		ds.Errorf(diag.YAMLSyntax, diag.Range{Filename: f.Name, Start: diag.Pos{Line: extra.Line, Column: extra.Column}},
			"a second YAML document starts here; a merge template is one document").
			Hint("merge the documents into one, or pass each with its own --merge-template")
		return nil, ds
	} else if !errors.Is(err, io.EOF) {
		ds.Append(f.yamlSyntaxError(src, err))
		return nil, ds
	}
	if len(root.Content) == 0 {
		ds.Errorf(diag.MergeTemplate, diag.Range{Filename: f.Name}, "the merge template is empty")
		return nil, ds
	}
	w := &yamlWalker{f: f, ds: &ds}
	v = w.value(root.Content[0], nil, 0)
	return v, ds
}

// yamlSyntaxError turns the YAML library's "yaml: line N: msg" into a
// diagnostic at that line, pointing at its first non-blank character.
func (f *File) yamlSyntaxError(src []byte, err error) *diag.Diagnostic {
	line, msg := splitYAMLError(err)
	switch {
	case line == 0:
		// Errors on the first line, and some others, come without one.
		line = yamlErrorLine(src, 1, msg)
	case yamlParserError.MatchString(msg):
		line = yamlErrorLine(src, line+1, msg)
	}
	at := diag.Range{Filename: f.Name, Start: diag.Pos{Line: line}}
	if text, ok := (diag.Sources{f.Name: src}).Line(f.Name, line); ok {
		at.Start.Column = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " \t"))) + 1
		if i := strings.IndexByte(text, '\t'); i >= 0 && strings.Contains(msg, "cannot start any token") {
			at.Start.Column = len([]rune(text[:i])) + 1
		}
	}
	d := diag.Errorf(diag.YAMLSyntax, at, "invalid YAML: %s", msg)
	switch {
	case strings.Contains(msg, "found character that cannot start any token"):
		d.Hint("YAML indents with spaces, never tabs")
	case yamlParserError.MatchString(msg):
		d.Hint("check this line's indentation against the lines above, and that brackets are closed")
	case strings.Contains(msg, "unexpected end of stream"):
		d.Hint("a quote or a bracket opened above is not closed")
	case strings.Contains(msg, "mapping values are not allowed"):
		d.Hint("quote values that contain \": \", or check the indentation")
	}
	return d
}

// splitYAMLError splits the YAML library's "yaml: line N: msg" (line 0
// when it names none).
func splitYAMLError(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// yamlErrorLine finds the line of a syntax error. For parser errors the
// library reports the line where the enclosing block starts, often well
// above the mistake, and for some errors no line at all. The mistake is on
// the first line k (from on) such that the file's first k lines fail to
// parse with the same message; a longer prefix fails the same way, so k is
// found by bisection. If no prefix does, from is kept (1: unknown, 0).
func yamlErrorLine(src []byte, from int, msg string) int {
	lines := bytes.SplitAfter(src, []byte("\n"))
	fails := func(k int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		if err == nil {
			return false
		}
		_, m := splitYAMLError(err)
		return m == msg
	}
	lo, hi := max(from, 1), len(lines)
	if lo > hi || !fails(hi) {
		if from == 1 {
			return 0
		}
		return from
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// yamlWalker turns YAML nodes into JSON values, recording positions.
// Aliases are expanded by walking their anchor's node again, each node
// walked charged to the file's alias budget (a "billion laughs" file, or a
// long string repeated into a gigabyte of template, must fail, not
// exhaust memory), so the work is bounded by the budget.
type yamlWalker struct {
	f      *File
	ds     *diag.Diagnostics
	budget userinput.AliasBudget
	// alias is the outermost alias being expanded (as a value or as a
	// merge key's source): what the error names when the budget runs
	// out; nil outside.
	alias   *yaml.Node
	stopped bool // the budget ran out: walk no further
}

// expand runs walk, which walks the node alias names, charging what it
// walks to the budget.
func (w *yamlWalker) expand(alias *yaml.Node, walk func()) {
	if w.alias != nil {
		walk() // already charged as part of an outer alias
		return
	}
	w.alias = alias
	walk()
	w.alias = nil
}

// charge counts n against the budget when an alias is being expanded; it
// reports false (once, with the error) when the budget runs out.
func (w *yamlWalker) charge(n *yaml.Node) bool {
	if w.alias == nil || w.budget.Spend(1, int64(len(n.Value))) {
		return true
	}
	w.ds.Errorf(diag.YAMLAliasBudget, w.at(w.alias), "alias *%s takes what aliases add to the merge template past %s", diag.Clip(w.alias.Value), w.budget.Exceeded()).
		Hint("%s", userinput.AliasHint())
	w.stopped = true
	return false
}

func (w *yamlWalker) at(n *yaml.Node) diag.Range {
	return diag.Range{Filename: w.f.Name, Start: diag.Pos{Line: n.Line, Column: n.Column}}
}

func (w *yamlWalker) value(n *yaml.Node, path []string, depth int) any {
	if w.stopped || !w.charge(n) {
		return nil
	}
	if depth > 1000 {
		w.ds.Errorf(diag.NestingDepth, w.at(n), "the merge template nests too deeply")
		w.stopped = true
		return nil
	}
	if n.Kind == yaml.AliasNode {
		var v any
		w.expand(n, func() { v = w.value(n.Alias, path, depth+1) })
		// The value is where the alias is used; its parts where the
		// anchor defines them.
		w.f.positions[Pointer(path)] = diag.Pos{Line: n.Line, Column: n.Column}
		return v
	}
	w.f.positions[Pointer(path)] = diag.Pos{Line: n.Line, Column: n.Column}
	tag := n.Tag
	if long, ok := cfnjson.ShortForm(tag); ok {
		plain := *n
		plain.Tag = ""
		if n.Kind == yaml.ScalarNode {
			plain.Tag = "!!str"
		}
		return cfnjson.LongForm(long, w.value(&plain, append(path, long), depth+1))
	}
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		d := w.ds.Errorf(diag.YAMLTag, w.at(n), "unknown YAML tag %s", diag.Clip(tag))
		if s := suggest.Closest(tag, cfnjson.ShortTags()); s != "" {
			d.Hint("did you mean %s?", s)
		}
		d.Hint("CloudFormation's short forms are !Ref, !GetAtt, !Sub, !Join, !If, ...; or write the long form {\"Fn::Name\": ...}")
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		return w.mapping(n, path, depth)
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			s = append(s, w.value(c, append(path, strconv.Itoa(i)), depth+1))
		}
		return s
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return b
	case "!!int", "!!float":
		v := strings.ReplaceAll(n.Value, "_", "")
		if jsonNumber.MatchString(v) {
			return json.Number(strings.TrimPrefix(v, "+"))
		}
		if i, err := strconv.ParseInt(v, 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		// .5, 1., 1e3 without digits after the point: finite floats
		// JSON cannot spell as written.
		if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
			return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
		}
	}
	// Strings, and everything YAML types beyond JSON (an unquoted
	// 2010-09-09 is a timestamp to YAML): CloudFormation wants the text.
	return n.Value
}

// mapping reads a mapping: a key written twice is an error; merge keys
// (<<: *a or <<: [*a, *b]) add the keys the mapping does not write
// itself, earlier sources first, as PyYAML (Chalice's loader) does.
func (w *yamlWalker) mapping(n *yaml.Node, path []string, depth int) map[string]any {
	m := map[string]any{}
	keyAt := map[string]*yaml.Node{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.ScalarNode && kn.ShortTag() == "!!merge" {
			merges = append(merges, vn)
			continue
		}
		k, ok := w.key(kn)
		if !ok {
			continue
		}
		if first, dup := keyAt[k]; dup {
			w.ds.Errorf(diag.DuplicateKey, w.at(kn), "duplicate key %q", diag.Clip(k)).
				Hint("YAML keeps only one of them; remove or rename this one").
				Note(w.at(first), "%q is first defined here", diag.Clip(k))
			continue
		}
		keyAt[k] = kn
		w.f.keys[Pointer(append(path, k))] = diag.Pos{Line: kn.Line, Column: kn.Column}
		m[k] = w.value(vn, append(path, k), depth+1)
	}
	for _, mv := range merges {
		srcs := []*yaml.Node{mv}
		if mv.Kind == yaml.SequenceNode {
			srcs = mv.Content
		}
		for _, src := range srcs {
			target := src
			for target.Kind == yaml.AliasNode && target.Alias != nil {
				target = target.Alias
			}
			if target.Kind != yaml.MappingNode {
				w.ds.Errorf(diag.YAMLMergeKey, w.at(src), "a merge key (<<) needs a mapping, not %s", nodeKind(target))
				continue
			}
			if target == src {
				w.mergeFrom(m, target, path, depth)
			} else {
				w.expand(src, func() { w.mergeFrom(m, target, path, depth) })
			}
		}
	}
	return m
}

// key is the text of a mapping key. A key that is not a plain scalar (a
// list or a mapping, `{[x]: d}`; a tagged scalar, `!Ref x: d`) has no
// JSON form: an error at the key, rather than the empty key the YAML
// library's Value would make of it. An alias key is its anchor's scalar.
func (w *yamlWalker) key(kn *yaml.Node) (string, bool) {
	target := kn
	for target.Kind == yaml.AliasNode && target.Alias != nil {
		target = target.Alias
	}
	switch {
	case target.Kind != yaml.ScalarNode:
		w.ds.Errorf(diag.YAMLKey, w.at(kn), "a mapping key must be a string, not %s", nodeKind(target)).
			Hint("CloudFormation templates are JSON, whose keys are strings: write the key as plain text, quoted if need be")
		return "", false
	case strings.HasPrefix(target.Tag, "!") && !strings.HasPrefix(target.Tag, "!!"):
		w.ds.Errorf(diag.YAMLKey, w.at(kn), "a mapping key cannot be an intrinsic function (%s %s)", diag.Clip(target.Tag), diag.Clip(target.Value)).
			Hint("CloudFormation computes values, never keys: move the function to a value")
		return "", false
	}
	return target.Value, true
}

// mergeFrom adds the keys of mapping src that m does not have.
func (w *yamlWalker) mergeFrom(m map[string]any, src *yaml.Node, path []string, depth int) {
	for i := 0; i+1 < len(src.Content) && !w.stopped; i += 2 {
		k, ok := w.key(src.Content[i])
		if !ok {
			continue
		}
		if _, ok := m[k]; !ok && w.charge(src.Content[i]) {
			m[k] = w.value(src.Content[i+1], append(path, k), depth+1)
		}
	}
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return "a scalar"
}
