package manifest

// This file is the only one that talks to the YAML library (as kyaml's
// alias.go does), so changing libraries is one edit.

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/cfnjson"
	"github.com/chalc-dev/chalc/internal/userinput"
	yaml "go.yaml.in/yaml/v3"
)

// Node is a YAML node with its position. After Parse, aliases are resolved,
// `<<` merge keys are expanded and every mapping has unique keys, so later
// steps can walk the tree without knowing YAML's finer points.
type Node = yaml.Node

// Node kinds, re-exported for the packages that walk documents.
const (
	MappingNode  = yaml.MappingNode
	SequenceNode = yaml.SequenceNode
	ScalarNode   = yaml.ScalarNode
)

// Scalar styles, for positions inside quoted values.
const (
	SingleQuotedStyle = yaml.SingleQuotedStyle
	DoubleQuotedStyle = yaml.DoubleQuotedStyle
)

// Short tags of resolved scalars.
const (
	TagStr   = "!!str"
	TagInt   = "!!int"
	TagFloat = "!!float"
	TagBool  = "!!bool"
	TagNull  = "!!null"
)

// Document is one parsed YAML file: the app manifest or a blueprint fragment.
type Document struct {
	// Filename is the path shown in diagnostics (relative to the working
	// directory when below it, with forward slashes).
	Filename string
	// Path is the absolute path on disk ("" for in-memory documents).
	Path string
	// Root is the top-level node after normalisation; nil when the file is
	// empty or not valid YAML.
	Root *Node
	// Src is the file's text (positions inside values are found in it).
	Src []byte
}

// Range returns the position of n in d. A plain one-line scalar (keys
// included) gets its end too, so carets cover exactly the value, braces
// and all (/users/{id}).
func (d *Document) Range(n *Node) diag.Range {
	if n == nil {
		return diag.Range{Filename: d.Filename}
	}
	r := diag.Range{Filename: d.Filename, Start: diag.Pos{Line: n.Line, Column: n.Column}}
	if n.Kind == yaml.ScalarNode && n.Style == 0 && n.Value != "" && !strings.ContainsAny(n.Value, "\n\r") {
		r.End = diag.Pos{Line: n.Line, Column: n.Column + utf8.RuneCountInString(n.Value)}
	}
	return r
}

var (
	yamlLine    = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	parserError = regexp.MustCompile(`^did not find expected (node content|key|'-' indicator|',' or|<document start>)`)
)

// Parse reads one YAML document. It reports syntax errors, a second
// document, duplicate keys, CloudFormation tags and alias loops; the
// returned Document is usable (Root may be nil) even when it reports errors.
func Parse(filename string, src []byte) (doc *Document, ds diag.Diagnostics) {
	doc = &Document{Filename: filename, Src: src}
	defer func() {
		// The YAML library has panicked on hostile input before; a panic
		// here must become a diagnostic, never a stack trace.
		if r := recover(); r != nil {
			doc.Root = nil
			ds = append(ds, diag.Errorf(diag.YAMLSyntax, diag.Range{Filename: filename, Start: diag.Pos{Line: 1, Column: 1}},
				"the YAML parser failed on this file: %v", r))
		}
	}()
	n, ok := parseParallel(src)
	if !ok {
		if n, ds = parseSequential(filename, src); n == nil {
			return doc, ds
		}
	}
	nz := &normalizer{doc: doc, expanding: map[*yaml.Node]bool{}, done: map[*yaml.Node]bool{}, sizes: map[*yaml.Node]expansion{}}
	doc.Root = nz.normalize(n)
	nz.envIntrinsics(doc.Root)
	ds = append(ds, nz.ds...)
	if nz.loop || nz.tooBig {
		doc.Root = nil // a half-expanded tree would only add confusing errors
	}
	return doc, ds
}

// parseSequential parses src in one go and returns its root node, or nil
// with the diagnostics saying why there is none.
func parseSequential(filename string, src []byte) (*yaml.Node, diag.Diagnostics) {
	var ds diag.Diagnostics
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, errEOF) || err.Error() == "EOF" {
			msg := "the file is empty"
			if len(bytes.TrimSpace(src)) > 0 {
				msg = "the file has no content, only comments"
			}
			ds.Errorf(diag.YAMLSyntax, diag.Range{Filename: filename, Start: diag.Pos{Line: 1}}, "%s", msg).
				Hint("start with `version: 1` and `app_name: <name>`")
			return nil, ds
		}
		ds.Append(syntaxError(filename, src, err))
		return nil, ds
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		ds.Errorf(diag.YAMLSyntax, diag.Range{Filename: filename, Start: diag.Pos{Line: extra.Line, Column: extra.Column}},
			"a second YAML document starts here; a manifest is one document").
			Hint("remove the `---` line and merge the two documents")
	} else if err.Error() != "EOF" {
		ds.Append(syntaxError(filename, src, err))
	}
	n := &root
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	return n, ds
}

var errEOF = errors.New("EOF")

// syntaxError turns the YAML library's "yaml: line N: msg" into a
// diagnostic at that line, pointing at its first non-blank character.
func syntaxError(filename string, src []byte, err error) *diag.Diagnostic {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		// The library reports parser (not scanner) errors with a 0-based
		// line (go-yaml/yaml#205).
		if parserError.MatchString(msg) {
			line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	col := 1
	if text, ok := (diag.Sources{filename: src}).Line(filename, line); ok {
		col = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " \t"))) + 1
		if i := strings.IndexByte(text, '\t'); i >= 0 && strings.Contains(msg, "cannot start any token") {
			col = len([]rune(text[:i])) + 1
		}
	}
	d := diag.Errorf(diag.YAMLSyntax, diag.Range{Filename: filename, Start: diag.Pos{Line: line, Column: col}}, "invalid YAML: %s", msg)
	if strings.Contains(msg, "found character that cannot start any token") {
		d.Hint("YAML indents with spaces, never tabs")
	}
	if parserError.MatchString(msg) {
		d.Hint("check the indentation and the brackets of this block")
	}
	if strings.Contains(msg, "mapping values are not allowed") {
		d.Hint("quote values that contain \": \", or check the indentation of this line")
	}
	return d
}

type normalizer struct {
	doc       *Document
	ds        diag.Diagnostics
	expanding map[*yaml.Node]bool // nodes being normalised (alias loop guard)
	done      map[*yaml.Node]bool // anchored nodes already normalised (aliases share them)
	// sizes memoises expanded sizes: aliases share nodes, so the tree
	// is a graph whose expansion is counted, never walked.
	sizes  map[*yaml.Node]expansion
	budget userinput.AliasBudget
	tooBig bool
	loop   bool
	// intrinsics are the nodes tagged with a CloudFormation short form
	// (!Ref, !GetAtt...), in document order.
	intrinsics []*yaml.Node
}

// expansion is the size of a node as later steps walk it, shared nodes
// counted at every use.
type expansion struct{ nodes, bytes int64 }

func (z *normalizer) rng(n *yaml.Node) diag.Range { return z.doc.Range(n) }

// normalize rewrites n in place — the tree is ours — replacing aliases by
// their targets (which are then shared), expanding merge keys and
// reporting duplicate keys (the first is kept). It returns the node to use
// in n's place, or nil to drop it. Each node is normalised once; every
// alias then charges its target's expanded size to the file's budget, so
// the work stays linear in the file and stops at the alias that expands
// too far.
func (z *normalizer) normalize(n *yaml.Node) *yaml.Node {
	if n == nil || z.tooBig {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		if z.expanding[n.Alias] {
			z.ds.Errorf(diag.YAMLAliasCycle, z.rng(n), "alias *%s refers to a node that contains it", diag.Clip(n.Value)).
				Hint("an alias can only repeat a node defined outside it")
			z.loop = true
			return nil
		}
		t := z.normalize(n.Alias)
		if t == nil {
			return nil
		}
		if e := z.size(t); !z.budget.Spend(e.nodes, e.bytes) {
			z.ds.Errorf(diag.YAMLAliasBudget, z.rng(n), "alias *%s takes what aliases add to the file past %s", diag.Clip(n.Value), z.budget.Exceeded()).
				Hint("%s", userinput.AliasHint())
			z.tooBig = true
			return nil
		}
		return t
	}
	// Only anchored nodes can be reached twice (through aliases), so only
	// they are recorded: the maps stay small. The anchor is cleared once
	// done, so done is asked first.
	if z.done[n] {
		return n
	}
	anchored := n.Anchor != ""
	if t := n.Tag; t != "" && !strings.HasPrefix(t, "!!") && t != "!" {
		if _, ok := cfnjson.ShortForm(t); ok {
			// Allowed as an environment variable's value: decided once
			// the tree is whole (intrinsics).
			z.intrinsics = append(z.intrinsics, n)
		} else {
			z.ds.Errorf(diag.YAMLTag, z.rng(n), "YAML tag %s is not allowed in chalice.yaml", diag.Clip(t)).Hint("remove the tag")
		}
	}
	if anchored {
		z.expanding[n] = true
	}
	switch n.Kind {
	case yaml.MappingNode:
		n.Content = z.mapping(n)
	case yaml.SequenceNode:
		kept := n.Content[:0]
		for _, c := range n.Content {
			if m := z.normalize(c); m != nil {
				kept = append(kept, m)
			}
		}
		n.Content = kept
	}
	if anchored {
		delete(z.expanding, n)
		z.done[n] = true
		n.Anchor = ""
	}
	return n
}

// size returns the expanded size of a normalised node: its nodes and the
// bytes of its scalars, shared nodes counted at every use.
func (z *normalizer) size(n *yaml.Node) expansion {
	if e, ok := z.sizes[n]; ok {
		return e
	}
	e := expansion{nodes: 1, bytes: int64(len(n.Value))}
	for _, c := range n.Content {
		ce := z.size(c)
		// Saturate: a graph of shared nodes can count past any integer.
		e.nodes = min(e.nodes+ce.nodes, 1<<40)
		e.bytes = min(e.bytes+ce.bytes, 1<<50)
	}
	z.sizes[n] = e
	return e
}

// mapping flattens a mapping's key/value pairs: explicit keys first win
// over merged ones, and a key written twice is an error at the second.
func (z *normalizer) mapping(n *yaml.Node) []*yaml.Node {
	// Keys are looked up linearly in small mappings (most of them) and
	// through a map in large ones (routes:, functions:).
	var seenMap map[string]*yaml.Node
	if len(n.Content) > 32 {
		seenMap = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	out := n.Content[:0] // filtered in place: writes never pass reads
	find := func(key string) *yaml.Node {
		if seenMap != nil {
			return seenMap[key]
		}
		for i := 0; i+1 < len(out); i += 2 {
			if out[i].Value == key {
				return out[i]
			}
		}
		return nil
	}
	add := func(k, v *yaml.Node) {
		out = append(out, k, v)
		if seenMap != nil {
			seenMap[k.Value] = k
		}
	}
	var merges []*yaml.Node
	content := n.Content
	for i := 0; i+1 < len(content); i += 2 {
		k, v := content[i], content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			z.ds.Errorf(diag.YAMLKey, z.rng(k), "mapping keys must be plain strings, not a %s", kindName(k))
			continue
		}
		if first := find(k.Value); first != nil {
			z.ds.Errorf(diag.DuplicateKey, z.rng(k), "duplicate key %q", diag.Clip(k.Value)).
				Hint("YAML keeps only one of them; remove or rename this one").
				Note(z.rng(first), "%q is first defined here", diag.Clip(k.Value))
			continue
		}
		k.Anchor = ""
		nv := z.normalize(v)
		if nv == nil {
			nv = &yaml.Node{Kind: yaml.ScalarNode, Tag: TagNull, Line: v.Line, Column: v.Column}
		}
		add(k, nv)
	}
	// Merge keys: <<: *a or <<: [*a, *b]; explicit keys and earlier
	// sources win. The merged pairs are shared with their source.
	for _, m := range merges {
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			ns := z.normalize(s)
			if ns == nil {
				continue
			}
			if ns.Kind != yaml.MappingNode {
				z.ds.Errorf(diag.YAMLMergeKey, z.rng(s), "a merge key (<<) needs a mapping, not a %s", kindName(ns))
				continue
			}
			for i := 0; i+1 < len(ns.Content); i += 2 {
				if find(ns.Content[i].Value) == nil {
					add(ns.Content[i], ns.Content[i+1])
				}
			}
		}
	}
	return out
}

// kindName names a node's type as a user would: "string", "number", "list"...
func kindName(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	switch n.ShortTag() {
	case TagInt, TagFloat:
		return "number"
	case TagBool:
		return "boolean"
	case TagNull:
		return "null"
	}
	return "string"
}

// KindName is kindName for other packages (schema messages).
func KindName(n *Node) string { return kindName(n) }

// ScalarString renders a scalar as the user wrote it, for messages.
func ScalarString(n *Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return kindName(n)
	}
	return fmt.Sprintf("%q", diag.Clip(n.Value))
}

// envIntrinsics writes the CloudFormation short forms of environment
// variables' values in long form (!Ref Table → {Ref: Table}, as a merge
// template reads them), so that later steps see ordinary mappings; a
// short form anywhere else is an error. environment_variables is the
// one place chalice.yaml takes intrinsics: a function gets the name of a
// table or the URL of a queue its stack creates, which Chalice users
// otherwise add to every function of a merge template by hand.
func (z *normalizer) envIntrinsics(root *yaml.Node) {
	if len(z.intrinsics) == 0 {
		return
	}
	allowed := map[*yaml.Node]bool{}
	env := func(m *yaml.Node) {
		vars := lookup(m, "environment_variables")
		if vars == nil || vars.Kind != yaml.MappingNode {
			return
		}
		for i := 1; i < len(vars.Content); i += 2 {
			if hasShortForm(vars.Content[i]) {
				vars.Content[i] = longFormNode(vars.Content[i], allowed)
			}
		}
	}
	each := func(m *yaml.Node, fn func(*yaml.Node)) {
		if m != nil && m.Kind == yaml.MappingNode {
			for i := 1; i < len(m.Content); i += 2 {
				fn(m.Content[i])
			}
		}
	}
	layer := func(m *yaml.Node) {
		env(m)
		each(lookup(m, "lambda_functions"), env)
	}
	layer(root)
	each(lookup(root, "stages"), layer)
	for _, n := range z.intrinsics {
		if allowed[n] {
			continue
		}
		z.ds.Errorf(diag.YAMLTag, z.rng(n), "YAML tag %s is not allowed here", diag.Clip(n.Tag)).
			Hint("chalice.yaml takes CloudFormation intrinsics only as environment_variables values; elsewhere, put them in a template passed with --merge-template")
	}
}

// hasShortForm reports whether n or a node below it has a CloudFormation
// short-form tag.
func hasShortForm(n *yaml.Node) bool {
	if _, ok := cfnjson.ShortForm(n.Tag); ok {
		return true
	}
	for _, c := range n.Content {
		if hasShortForm(c) {
			return true
		}
	}
	return false
}

// longFormNode returns a copy of n with every short form in long form,
// recording the tagged nodes it converts. Nodes are copied, never
// changed: an alias may share them with a place that takes no intrinsic.
func longFormNode(n *yaml.Node, converted map[*yaml.Node]bool) *yaml.Node {
	cp := *n
	if len(n.Content) > 0 {
		cp.Content = make([]*yaml.Node, len(n.Content))
		for i, c := range n.Content {
			cp.Content[i] = longFormNode(c, converted)
		}
	}
	long, ok := cfnjson.ShortForm(n.Tag)
	if !ok {
		return &cp
	}
	converted[n] = true
	cp.Style &^= yaml.TaggedStyle
	switch cp.Kind {
	case yaml.ScalarNode:
		cp.Tag = TagStr
	case yaml.MappingNode:
		cp.Tag = "!!map"
	case yaml.SequenceNode:
		cp.Tag = "!!seq"
	}
	arg := &cp
	if res, attr, split := cfnjson.SplitGetAtt(cp.Value); long == "Fn::GetAtt" && cp.Kind == yaml.ScalarNode && split {
		scalar := func(v string) *yaml.Node {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: TagStr, Value: v, Line: cp.Line, Column: cp.Column, Style: yaml.DoubleQuotedStyle}
		}
		arg = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: cp.Line, Column: cp.Column,
			Content: []*yaml.Node{scalar(res), scalar(attr)}}
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: TagStr, Value: long, Line: n.Line, Column: n.Column, Style: yaml.DoubleQuotedStyle}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle, Line: n.Line, Column: n.Column,
		Content: []*yaml.Node{key, arg}}
}
