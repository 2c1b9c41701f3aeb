package manifest

import (
	"bytes"
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// Parsing a large manifest is its slowest step (go-yaml reads ~10 MB/s),
// and most of a large manifest is one long mapping (routes:, functions:).
// parseParallel cuts such a document at its keys — top-level keys, and the
// entries of large top-level mappings — parses the pieces on every core
// and joins the trees, lines shifted back to where they were. It gives up
// (ok false) whenever the result could differ from one parse of the whole
// file: the caller then parses sequentially, so errors, aliases and
// anything unusual are always handled by the ordinary path.

// parallelMin is the size below which splitting is not worth it.
var parallelMin = 32 << 10

// chunk is a piece of the source: prefix lines (a synthetic parent key)
// then the lines of src starting at line first (1-based).
type chunk struct {
	prefix  []byte
	body    []byte
	first   int // line of body's first line in the file
	keyLine int // with a prefix: the line of the section's key
	parent  int // index of the top-level section it belongs to, or -1
}

func parseParallel(src []byte) (*yaml.Node, bool) {
	if len(src) < parallelMin {
		return nil, false
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	sections, ok := topLevelSections(lines)
	if !ok || len(sections) == 0 || !plainLines(lines[:sections[0][0]]) {
		return nil, false
	}
	// Large sections are cut again at their entries; the pieces carry
	// the section's key line as a synthetic prefix.
	var chunks []chunk
	for si, s := range sections {
		body := bytes.Join(lines[s[0]:s[1]], nil)
		if len(body) < parallelMin/4 || s[1]-s[0] < 3 {
			chunks = append(chunks, chunk{body: body, first: s[0] + 1, parent: -1})
			continue
		}
		entries, ok := entryStarts(lines, s[0]+1, s[1])
		if ok && !plainLines(lines[s[0]+1:entries[0]]) {
			ok = false // the comments the pieces skip must be plain text
		}
		if !ok {
			chunks = append(chunks, chunk{body: body, first: s[0] + 1, parent: -1})
			continue
		}
		key := lines[s[0]]
		// Groups of entries of about the same size: enough pieces to keep
		// every core busy without parsing a thousand tiny documents.
		const pieces = 8
		per := (len(entries) + pieces - 1) / pieces
		for i := 0; i < len(entries); i += per {
			end := s[1]
			if i+per < len(entries) {
				end = entries[i+per]
			}
			chunks = append(chunks, chunk{prefix: key, body: bytes.Join(lines[entries[i]:end], nil),
				first: entries[i] + 1, keyLine: s[0] + 1, parent: si})
		}
	}
	if len(chunks) < 2 {
		return nil, false
	}
	roots := make([]*yaml.Node, len(chunks))
	failed := make([]bool, len(chunks))
	var wg sync.WaitGroup
	next := make(chan int)
	workers := 2
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				roots[i], failed[i] = parseChunk(chunks[i])
			}
		}()
	}
	for i := range chunks {
		next <- i
	}
	close(next)
	wg.Wait()
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	var section *yaml.Node // the mapping being filled from pieces
	lastParent := -1
	for i, c := range chunks {
		if failed[i] {
			return nil, false
		}
		m := roots[i]
		if c.parent < 0 {
			root.Content = append(root.Content, m.Content...)
			lastParent = -1
			continue
		}
		if len(m.Content) != 2 || m.Content[1].Kind != yaml.MappingNode {
			return nil, false
		}
		if c.parent != lastParent {
			root.Content = append(root.Content, m.Content[0], m.Content[1])
			section, lastParent = m.Content[1], c.parent
			continue
		}
		section.Content = append(section.Content, m.Content[1].Content...)
	}
	if len(root.Content) > 0 {
		root.Line, root.Column = root.Content[0].Line, root.Content[0].Column
	}
	return root, true
}

// parseChunk parses one piece; it fails on any error and on any alias
// (an alias may name an anchor of another piece).
func parseChunk(c chunk) (*yaml.Node, bool) {
	src := append(append([]byte{}, c.prefix...), c.body...)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, true
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return nil, true
	}
	ok := true
	var walk func(n *yaml.Node, shift int)
	walk = func(n *yaml.Node, shift int) {
		if n.Kind == yaml.AliasNode || n.Anchor != "" || n.Tag == "!!merge" {
			ok = false
			return
		}
		n.Line += shift
		for _, ch := range n.Content {
			walk(ch, shift)
		}
	}
	if len(c.prefix) > 0 {
		// Line 1 is the synthetic key line; the body starts on line 2.
		if len(m.Content) != 2 {
			return nil, true
		}
		m.Content[0].Line = c.keyLine
		walk(m.Content[1], c.first-2)
	} else {
		for _, ch := range m.Content {
			walk(ch, c.first-1)
		}
	}
	return m, !ok
}

// topLevelSections returns [start, end) line ranges of the top-level keys,
// or false when the document is not a plain block mapping at column 0
// (directives, document markers, flow style, a top-level list...).
func topLevelSections(lines [][]byte) ([][2]int, bool) {
	var starts []int
	for i, l := range lines {
		if len(l) == 0 || l[0] == ' ' || l[0] == '\n' || l[0] == '\r' || l[0] == '#' {
			if len(starts) == 0 && !blankOrComment(l) {
				return nil, false // content before the first key
			}
			continue
		}
		switch l[0] {
		case '-', '.', '%', '{', '[', '?', '\t', '&', '*', '!', '|', '>':
			return nil, false // document markers, directives, anything unusual
		}
		if !plainKeyLine(l) {
			return nil, false
		}
		starts = append(starts, i)
	}
	if len(starts) == 0 {
		return nil, false
	}
	var out [][2]int
	for i, s := range starts {
		end := len(lines)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		out = append(out, [2]int{s, end})
	}
	// Lines before the first key (comments) belong to nobody: fine.
	return out, true
}

// entryStarts returns the lines in [from, to) starting an entry of the
// block mapping whose key line is from-1: the lines indented exactly as its
// first entry. It fails when the section is not a block mapping.
func entryStarts(lines [][]byte, from, to int) ([]int, bool) {
	indent := -1
	var starts []int
	for i := from; i < to; i++ {
		l := lines[i]
		n := 0
		for n < len(l) && l[n] == ' ' {
			n++
		}
		if n == len(l) || l[n] == '\n' || l[n] == '\r' || l[n] == '#' {
			continue // blank or comment
		}
		if l[n] == '\t' {
			return nil, false
		}
		if indent < 0 {
			indent = n
			if l[n] == '-' || l[n] == '{' || l[n] == '[' {
				return nil, false // a list or a flow collection
			}
		}
		if n < indent {
			return nil, false
		}
		if n == indent {
			if !plainKeyLine(l[n:]) {
				return nil, false
			}
			starts = append(starts, i)
		}
	}
	if indent <= 0 || len(starts) < 2 {
		return nil, false
	}
	return starts, true
}

func blankOrComment(l []byte) bool {
	t := bytes.TrimLeft(l, " ")
	return len(bytes.TrimSpace(t)) == 0 || t[0] == '#'
}

// plainLines reports whether lines hold only printable ASCII, tabs and line
// ends: the lines no piece parses (comments before a key or an entry) must
// not hide anything the parser would reject.
func plainLines(lines [][]byte) bool {
	for _, l := range lines {
		for _, c := range l {
			if c != '\t' && c != '\n' && c != '\r' && (c < 0x20 || c > 0x7e) {
				return false
			}
		}
	}
	return true
}

// plainKeyLine reports whether l (from its first character) is a simple
// block mapping entry: a plain key, then ":" and a space or the line's end.
func plainKeyLine(l []byte) bool {
	if len(l) == 0 {
		return false
	}
	switch l[0] {
	case '-', '?', ':', '{', '[', '}', ']', ',', '!', '&', '*', '|', '>', '\'', '"', '%', '@', '`', '#', ' ', '\t':
		return false
	}
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '#', '{', '[', '"', '\'':
			if i > 0 && l[i-1] == ' ' {
				return false // a comment or a flow value before the key ends
			}
		case ':':
			if i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\n' || l[i+1] == '\r' {
				return true
			}
		}
	}
	return false
}
