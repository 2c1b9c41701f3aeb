package local

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/gocheck"

	"github.com/chalc-dev/chalc/project"
)

// watcher notices changes to the sources of a project by polling: the
// manifest and its blueprint fragments, the module's go.mod and go.sum,
// the Go files (not tests) of every handlers package, and those of the
// rest of the module, which handlers may import (skipping, as the go
// command does, directories named testdata or starting with "." or "_",
// and nested modules). A file counts
// as changed when its content hash changes, or when it appears or
// disappears; a file whose size and modification time are unchanged is
// not read again, unless it was modified in the last two seconds (a
// coarse file-system clock could hide a second write).
type watcher struct {
	files []string // watched files, absolute
	dirs  []string // directories whose Go files are watched, absolute
	root  string   // the module root, whose Go files are watched; "" for none
	skip  string   // chalc_gen.go, which chalc itself writes
	state map[string]fileState
}

type fileState struct {
	size  int64
	mtime time.Time
	hash  [sha256.Size]byte
}

// racyWindow: a file modified this recently is hashed again even when
// its size and time look unchanged.
const racyWindow = 2 * time.Second

func newWatcher() *watcher {
	return &watcher{state: map[string]fileState{}}
}

// watch sets what is watched from a checked project (c.App may be nil
// when it has errors: the handler directories watched so far are kept)
// and records the current content of what is new as the baseline.
func (w *watcher) watch(opts project.Options, c *project.Checked) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	manifest, _ := filepath.Abs(filepath.Join(dir, project.ManifestName))
	files := []string{manifest}
	if c != nil && c.Set != nil {
		if c.Set.Root != nil && c.Set.Root.Path != "" {
			files = append(files, c.Set.Root.Path)
		}
		for _, f := range c.Set.Fragments {
			if f.Path != "" {
				files = append(files, f.Path)
			}
		}
	}
	dirs := w.dirs
	if c != nil && c.App != nil {
		dirs = nil
		for _, p := range c.App.Packages {
			dirs = append(dirs, p.Dir)
		}
		w.skip = filepath.Join(c.App.Handlers.Dir, gomodel.GeneratedFile)
		w.root = gocheck.ModuleRoot(c.App.Handlers.Dir)
		if w.root != "" {
			files = append(files, filepath.Join(w.root, "go.mod"), filepath.Join(w.root, "go.sum"))
		}
	} else {
		// Keep the module files watched so far.
		for _, f := range w.files {
			if b := filepath.Base(f); b == "go.mod" || b == "go.sum" {
				files = append(files, f)
			}
		}
	}
	slices.Sort(files)
	w.files = slices.Compact(files)
	slices.Sort(dirs)
	w.dirs = slices.Compact(dirs)
	// New paths get their baseline now; gone ones are forgotten.
	now := map[string]bool{}
	for _, p := range w.paths() {
		now[p] = true
		if _, ok := w.state[p]; !ok {
			w.scan(p, time.Now())
		}
	}
	for p := range w.state {
		if !now[p] {
			delete(w.state, p)
		}
	}
}

// paths lists the files watched now: the directories' Go files as they
// are on disk (some may be listed twice).
func (w *watcher) paths() []string {
	out := slices.Clone(w.files)
	add := func(dir string, entries []os.DirEntry) {
		for _, e := range entries {
			if name := e.Name(); !e.IsDir() && goSource(name) {
				if p := filepath.Join(dir, name); p != w.skip {
					out = append(out, p)
				}
			}
		}
	}
	for _, d := range w.dirs {
		if entries, err := os.ReadDir(d); err == nil {
			add(d, entries)
		}
	}
	if w.root != "" {
		_ = filepath.WalkDir(w.root, func(path string, d os.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case !d.IsDir():
				if goSource(d.Name()) && path != w.skip {
					out = append(out, path)
				}
				return nil
			case path == w.root:
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		})
	}
	return out
}

// goSource: a Go file the build reads (not a test).
func goSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_")
}

// changed returns the watched files that changed, appeared or
// disappeared since the last call (or since watch recorded them), sorted,
// and records the new state.
func (w *watcher) changed() []string {
	now := time.Now()
	seen := map[string]bool{}
	var changed []string
	for _, p := range w.paths() {
		if seen[p] {
			continue
		}
		seen[p] = true
		old, had := w.state[p]
		st, ok := w.scan(p, now)
		switch {
		case !had && !ok: // still missing
		case had != ok || old.hash != st.hash:
			changed = append(changed, p)
		}
	}
	for p := range w.state {
		if !seen[p] {
			delete(w.state, p)
			changed = append(changed, p)
		}
	}
	slices.Sort(changed)
	return changed
}

// scan records the state of one file; ok is false when it is missing
// (and it is then not recorded).
func (w *watcher) scan(path string, now time.Time) (fileState, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		delete(w.state, path)
		return fileState{}, false
	}
	old, had := w.state[path]
	if had && old.size == fi.Size() && old.mtime.Equal(fi.ModTime()) && now.Sub(fi.ModTime()) > racyWindow {
		return old, true
	}
	b, err := os.ReadFile(path)
	if err != nil {
		delete(w.state, path)
		return fileState{}, false
	}
	st := fileState{size: fi.Size(), mtime: fi.ModTime(), hash: sha256.Sum256(b)}
	w.state[path] = st
	return st, true
}
