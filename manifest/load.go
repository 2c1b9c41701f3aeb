package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chalc-dev/chalc/diag"
)

// Set is an app manifest and every blueprint fragment it reaches, as
// parsed YAML, plus the sources for rendering diagnostics.
type Set struct {
	Root *Document
	// Fragments holds blueprint documents in the order first reached.
	Fragments []*Document
	Sources   diag.Sources
}

// Load reads the manifest at path and, recursively, the blueprint fragments
// it names (relative to the file naming them). A missing fragment or a
// cycle is a diagnostic at the `manifest:` value that names it.
func Load(path string) (*Set, diag.Diagnostics) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	s := &Set{Sources: diag.Sources{}}
	var ds diag.Diagnostics
	src, err := os.ReadFile(abs)
	if err != nil {
		r := diag.Range{Filename: diag.DisplayPath(abs)}
		if errors.Is(err, fs.ErrNotExist) {
			ds.Errorf(r, "no manifest here").Hint("run `chalc new-project NAME` to start one, or pass --project DIR")
		} else {
			ds.Errorf(r, "cannot read the manifest: %v", unwrapPathError(err))
		}
		return s, ds
	}
	s.Root, ds = s.add(abs, src)
	l := &loader{set: s, seen: map[string]*Document{abs: s.Root}, stack: []string{abs}}
	l.follow(s.Root)
	return s, append(ds, l.ds...)
}

// Parsed builds a Set from an in-memory manifest (tests, fuzzing); it does
// not follow blueprints.
func Parsed(filename string, src []byte) (*Set, diag.Diagnostics) {
	s := &Set{Sources: diag.Sources{}}
	doc, ds := Parse(filename, src)
	s.Sources[filename] = src
	s.Root = doc
	return s, ds
}

func (s *Set) add(abs string, src []byte) (*Document, diag.Diagnostics) {
	name := diag.DisplayPath(abs)
	s.Sources[name] = src
	doc, ds := Parse(name, src)
	doc.Path = abs
	return doc, ds
}

type loader struct {
	set   *Set
	seen  map[string]*Document
	stack []string // absolute paths being loaded, for cycle reports
	ds    diag.Diagnostics
}

// follow loads the fragments named by doc's `blueprints:` entries.
func (l *loader) follow(doc *Document) {
	node := lookup(doc.Root, "blueprints")
	if node == nil || node.Kind != SequenceNode {
		return
	}
	for _, it := range node.Content {
		v := lookup(it, "manifest")
		if v == nil || v.Kind != ScalarNode || v.ShortTag() != TagStr || v.Value == "" {
			continue
		}
		abs := resolvePath(doc, v.Value)
		if inStack(l.stack, abs) {
			var chain []string
			for _, p := range append(l.stack[indexOf(l.stack, abs):], abs) {
				chain = append(chain, diag.DisplayPath(p))
			}
			l.ds.Errorf(doc.Range(v), "blueprint %q registers a manifest that registers it: %s", v.Value, strings.Join(chain, " → ")).
				Hint("a blueprint is a separate fragment file; the app's manifest cannot be one")
			continue
		}
		if _, ok := l.seen[abs]; ok {
			continue // registered twice (e.g. with two prefixes): load once
		}
		src, err := os.ReadFile(abs)
		if err != nil {
			d := l.ds.Errorf(doc.Range(v), "blueprint manifest %q not found", v.Value)
			if errors.Is(err, fs.ErrNotExist) {
				d.Hint("looked for %s; paths are relative to the directory of %s", diag.DisplayPath(abs), doc.Filename)
				alt := filepath.Join(filepath.Dir(docPath(doc)), ".chalice", v.Value)
				if _, err := os.Stat(alt); err == nil {
					d.Hint("did you mean %q?", filepath.ToSlash(filepath.Join(".chalice", v.Value)))
				}
			} else {
				d.Message = "cannot read blueprint manifest " + v.Value + ": " + unwrapPathError(err).Error()
			}
			continue
		}
		fdoc, ds := l.set.add(abs, src)
		l.ds = append(l.ds, ds...)
		l.seen[abs] = fdoc
		l.set.Fragments = append(l.set.Fragments, fdoc)
		// Fragments do not nest (the schema reports a fragment's
		// blueprints: key), so their own entries are not followed; a
		// fragment naming the app's manifest is still caught above.
	}
}

// Decode builds the typed manifest, fragments included.
func (s *Set) Decode() *Manifest {
	frags := map[string]*Fragment{}
	for _, f := range s.Fragments {
		frags[f.Path] = DecodeFragment(f)
	}
	return Decode(s.Root, frags)
}

func lookup(n *Node, key string) *Node {
	if n == nil || n.Kind != MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Lookup returns the value of key in mapping n, or nil.
func Lookup(n *Node, key string) *Node { return lookup(n, key) }

func docPath(d *Document) string {
	if d.Path != "" {
		return d.Path
	}
	abs, _ := filepath.Abs(d.Filename)
	return abs
}

// resolvePath makes rel (a path written in doc) absolute: relative paths
// are relative to the directory of the document.
func resolvePath(doc *Document, rel string) string {
	if filepath.IsAbs(rel) {
		return filepath.Clean(rel)
	}
	return filepath.Join(filepath.Dir(docPath(doc)), filepath.FromSlash(rel))
}

// ResolvePath resolves a path written in doc, relative to doc's directory.
func ResolvePath(doc *Document, rel string) string { return resolvePath(doc, rel) }

func inStack(stack []string, p string) bool { return indexOf(stack, p) >= 0 }

func indexOf(stack []string, p string) int {
	for i, s := range stack {
		if s == p {
			return i
		}
	}
	return -1
}

// unwrapPathError drops the path from an *fs.PathError: the message already
// names the file.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
