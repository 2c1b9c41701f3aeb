package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/userinput"
)

// Set is an app manifest and every blueprint fragment it reaches, as
// parsed YAML, plus the sources for rendering diagnostics.
type Set struct {
	Root *Document
	// Fragments holds blueprint documents in the order first reached.
	Fragments []*Document
	Sources   diag.Sources
	// Dir is the project directory, the manifest's, that the paths the
	// manifest writes must stay in; "" for in-memory sets (Parsed), which
	// have none.
	Dir string
	// AllowOutside lets those paths leave Dir (--allow-outside-project).
	AllowOutside bool
}

// LoadOptions tune Load.
type LoadOptions struct {
	// AllowOutsideProject lets the paths the manifest writes (blueprint
	// fragments, handlers, policy files) lead outside the project
	// directory.
	AllowOutsideProject bool
}

// AllowOutsideFlag is the command-line flag that sets
// AllowOutsideProject, for hints.
const AllowOutsideFlag = "--allow-outside-project"

// Load reads the manifest at path and, recursively, the blueprint fragments
// it names (relative to the file naming them). A missing fragment or a
// cycle is a diagnostic at the `manifest:` value that names it.
func Load(path string) (*Set, diag.Diagnostics) { return LoadWith(path, LoadOptions{}) }

// LoadWith is Load with options.
func LoadWith(path string, opts LoadOptions) (*Set, diag.Diagnostics) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	s := &Set{Sources: diag.Sources{}, Dir: filepath.Dir(abs), AllowOutside: opts.AllowOutsideProject}
	var ds diag.Diagnostics
	src, err := userinput.ReadFile(abs, userinput.MaxSourceFile)
	if err != nil {
		r := diag.Range{Filename: diag.DisplayPath(abs)}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			ds.Errorf(diag.NoManifest, r, "no manifest here").Hint("run `chalc new-project NAME` to start one, or pass --project DIR")
		case userinput.IsNotRegular(err):
			ds.Errorf(diag.FileUnreadable, r, "cannot read the manifest: %v", err).
				Hint("%s must be a regular file (or a symlink to one) holding the app's YAML", filepath.Base(abs))
		case userinput.IsTooLarge(err):
			ds.Errorf(diag.FileUnreadable, r, "cannot read the manifest: %v", err).
				Hint("a manifest of a thousand routes is about 100 KB: check that this is the app's manifest, or move parts of it into blueprint fragments")
		default:
			ds.Errorf(diag.FileUnreadable, r, "cannot read the manifest: %v", unwrapPathError(err))
		}
		return s, ds
	}
	s.Root, ds = s.add(abs, src)
	l := &loader{set: s, seen: map[string]*Document{abs: s.Root}, stack: []string{abs}}
	l.follow(s.Root)
	return s, append(ds, l.ds...)
}

// CheckInside reports a path the manifest writes (at, under key, as
// written) that leads outside the project directory once symlinks are
// resolved: chalc reads and writes only inside the project unless the
// user allows otherwise, so that a manifest cannot make it read
// /proc/self/environ or write beside ~/.ssh. It returns nil when abs
// stays inside, when the set allows outside paths, and for in-memory
// sets.
func (s *Set) CheckInside(abs string, at diag.Range, key, written string) *diag.Diagnostic {
	if s.PathAllowed(abs) {
		return nil
	}
	d := diag.Errorf(diag.PathOutsideProject, at, "%s %q leads outside the project directory", key, diag.Clip(written))
	if !filepath.IsAbs(written) && !strings.HasPrefix(filepath.Clean(filepath.FromSlash(written)), "..") {
		d.Hint("the path goes through a symlink that leads out of the project")
	}
	manifest := "the manifest"
	if s.Root != nil && s.Root.Path != "" {
		manifest = filepath.Base(s.Root.Path)
	}
	d.Hint("keep it inside the project (the directory of %s), or pass %s to allow paths outside it", manifest, AllowOutsideFlag)
	return d
}

// InProject reports whether abs, symlinks resolved, is inside the
// project directory; every path is, for in-memory sets.
func (s *Set) InProject(abs string) bool {
	return s == nil || s.Dir == "" || userinput.Within(s.Dir, abs)
}

// PathAllowed reports whether chalc may read or write abs, a path the
// manifest writes: inside the project, or anywhere with AllowOutside.
func (s *Set) PathAllowed(abs string) bool {
	return s == nil || s.AllowOutside || s.InProject(abs)
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
			l.ds.Errorf(diag.BlueprintCycle, doc.Range(v), "blueprint %q registers a manifest that registers it: %s", v.Value, strings.Join(chain, " → ")).
				Hint("a blueprint is a separate fragment file; the app's manifest cannot be one")
			continue
		}
		if _, ok := l.seen[abs]; ok {
			continue // registered twice (e.g. with two prefixes): load once
		}
		if d := l.set.CheckInside(abs, doc.Range(v), "blueprint manifest", v.Value); d != nil {
			l.ds.Append(d)
			continue
		}
		src, err := userinput.ReadFile(abs, userinput.MaxSourceFile)
		if err != nil {
			at := doc.Range(v)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				d := l.ds.Errorf(diag.FileNotFound, at, "blueprint manifest %q not found", diag.Clip(v.Value))
				d.Hint("looked for %s; paths are relative to the directory of %s", diag.DisplayPath(abs), doc.Filename)
				alt := filepath.Join(filepath.Dir(docPath(doc)), ".chalice", v.Value)
				if _, err := os.Stat(alt); err == nil {
					d.Hint("did you mean %q?", filepath.ToSlash(filepath.Join(".chalice", v.Value)))
				}
			case userinput.IsNotRegular(err), userinput.IsTooLarge(err):
				l.ds.Errorf(diag.FileUnreadable, at, "cannot read blueprint manifest %q: %v", diag.Clip(v.Value), err).
					Hint("a blueprint manifest is a regular YAML file of at most %s", userinput.Bytes(userinput.MaxSourceFile))
			default:
				l.ds.Errorf(diag.FileUnreadable, at, "cannot read blueprint manifest %q: %v", diag.Clip(v.Value), unwrapPathError(err))
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
