package merge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/chalc-dev/chalc/diag"
)

// File is a loaded merge template: its value and where each JSON path
// came from, for diagnostics.
type File struct {
	Name  string // display path
	Value map[string]any
	Src   []byte
	// positions maps a JSON pointer to its position (YAML and JSON alike).
	positions map[string]diag.Pos
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
// else JSON. name is how diagnostics show the file.
func Load(path, name string) (*File, diag.Diagnostics) {
	var ds diag.Diagnostics
	src, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ds.Errorf(diag.Range{Filename: name}, "merge template not found").
				Hint("the path is relative to the working directory")
		} else {
			ds.Errorf(diag.Range{Filename: name}, "cannot read the merge template: %v", err)
		}
		return nil, ds
	}
	f := &File{Name: name, Src: src, positions: map[string]diag.Pos{}}
	var v any
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		v, ds = f.parseYAML(src)
	default:
		v, ds = f.parseJSON(src)
	}
	if ds.HasErrors() {
		return nil, ds
	}
	m, ok := v.(map[string]any)
	if !ok {
		ds.Errorf(diag.Range{Filename: name, Start: diag.Pos{Line: 1, Column: 1}}, "the merge template must be a mapping at the top level, not %s", kind(v)).
			Hint("a template looks like {\"Resources\": {...}}")
		return nil, ds
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
		off := int64(0)
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		default:
			off = int64(len(src))
		}
		line, col := lineCol(src, off)
		ds.Errorf(diag.Range{Filename: f.Name, Start: diag.Pos{Line: line, Column: col}}, "invalid JSON: %s", err).
			Hint("a file ending in .yaml or .yml is read as YAML")
		return nil, ds
	}
	if dec.More() {
		line, col := lineCol(src, dec.InputOffset())
		ds.Errorf(diag.Range{Filename: f.Name, Start: diag.Pos{Line: line, Column: col}}, "invalid JSON: more than one value")
		return nil, ds
	}
	f.indexJSON(src)
	return v, ds
}

// indexJSON records the position of every object key's value by walking
// the token stream (cheap; merge templates are small).
func (f *File) indexJSON(src []byte) {
	dec := json.NewDecoder(bytes.NewReader(src))
	type frame struct {
		obj  bool
		key  string
		idx  int
		want bool // next string token is a key
	}
	var stack []frame
	path := func() []string {
		var p []string
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
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return
		}
		top := len(stack) - 1
		if top >= 0 && stack[top].obj && stack[top].want {
			if k, ok := tok.(string); ok {
				stack[top].key, stack[top].want = k, false
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
		// A value starts here (skip the separator the offset may include).
		for int(off) < len(src) && (src[off] == ',' || src[off] == ':' || src[off] == ' ' || src[off] == '\n' || src[off] == '\t' || src[off] == '\r') {
			off++
		}
		line, col := lineCol(src, off)
		f.positions[Pointer(path())] = diag.Pos{Line: line, Column: col}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{obj: d == '{', want: d == '{'})
			continue
		}
		if n := len(stack) - 1; n >= 0 {
			stack[n].idx++
			stack[n].want = stack[n].obj
		}
	}
}

func lineCol(src []byte, off int64) (int, int) {
	if off > int64(len(src)) {
		off = int64(len(src))
	}
	line, col := 1, 1
	for _, c := range src[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

var jsonNumber = regexp.MustCompile(`^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// shortForms maps YAML short intrinsic tags to their long form.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub",
	"!Join": "Fn::Join", "!If": "Fn::If", "!Select": "Fn::Select", "!Split": "Fn::Split",
	"!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64",
	"!Cidr": "Fn::Cidr", "!GetAZs": "Fn::GetAZs", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!Transform": "Fn::Transform", "!ToJsonString": "Fn::ToJsonString",
	"!Length": "Fn::Length",
}

func (f *File) parseYAML(src []byte) (any, diag.Diagnostics) {
	var ds diag.Diagnostics
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		line := 1
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
			line, _ = strconv.Atoi(strings.TrimPrefix(msg[:i], "line "))
			msg = msg[i+2:]
		}
		ds.Errorf(diag.Range{Filename: f.Name, Start: diag.Pos{Line: line}}, "invalid YAML: %s", msg)
		return nil, ds
	}
	if len(root.Content) == 0 {
		ds.Errorf(diag.Range{Filename: f.Name}, "the merge template is empty")
		return nil, ds
	}
	return f.yamlValue(root.Content[0], nil, &ds, 0), ds
}

func (f *File) yamlValue(n *yaml.Node, path []string, ds *diag.Diagnostics, depth int) any {
	if depth > 1000 {
		ds.Errorf(diag.Range{Filename: f.Name, Start: diag.Pos{Line: n.Line, Column: n.Column}}, "the merge template nests too deeply")
		return nil
	}
	f.positions[Pointer(path)] = diag.Pos{Line: n.Line, Column: n.Column}
	if n.Kind == yaml.AliasNode {
		return f.yamlValue(n.Alias, path, ds, depth+1)
	}
	tag := n.Tag
	if long, ok := shortForms[tag]; ok {
		plain := *n
		plain.Tag = ""
		if n.Kind == yaml.ScalarNode {
			plain.Tag = "!!str"
		}
		inner := f.yamlValue(&plain, append(path, long), ds, depth+1)
		if long == "Fn::GetAtt" {
			if s, ok := inner.(string); ok {
				if res, attr, found := strings.Cut(s, "."); found {
					inner = []any{res, attr}
				}
			}
		}
		return map[string]any{long: inner}
	}
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		ds.Errorf(diag.Range{Filename: f.Name, Start: diag.Pos{Line: n.Line, Column: n.Column}}, "unknown YAML tag %s", tag).
			Hint("CloudFormation's short forms are !Ref, !GetAtt, !Sub, !Join, !If, ...")
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				ds.Errorf(diag.Range{Filename: f.Name, Start: diag.Pos{Line: n.Content[i].Line, Column: n.Content[i].Column}}, "duplicate key %q", k)
			}
			m[k] = f.yamlValue(n.Content[i+1], append(path, k), ds, depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			s = append(s, f.yamlValue(c, append(path, strconv.Itoa(i)), ds, depth+1))
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
		if v := strings.ReplaceAll(n.Value, "_", ""); jsonNumber.MatchString(v) {
			return json.Number(strings.TrimPrefix(v, "+"))
		}
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
	}
	// Strings, and everything YAML types beyond JSON (an unquoted
	// 2010-09-09 is a timestamp to YAML): CloudFormation wants the text.
	return n.Value
}
