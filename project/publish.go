package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Publishing `chalc package`'s output as one unit.
//
// A template and a deployment package written one after the other can be
// torn: a run killed between the two renames left the new zip beside the
// old template, which `aws cloudformation package` would happily upload
// together. So the whole output directory is published at once: the new
// files (with the files of the user's that are there, hard-linked) are
// staged in a sibling directory and exchanged with the old one in one
// step (renameat2 RENAME_EXCHANGE on Linux, renamex_np RENAME_SWAP on
// macOS); readers see the old directory or the new one, never a mix.
// Where the system cannot exchange two directories, the old one is
// renamed away first: a kill between the two renames leaves no output
// directory at all (and the complete new one beside it), never a mix.
//
// Two runs into one directory (dev and prod into out/) would race on it:
// the parent directory is locked (flock) for the whole publication, and a
// second run stops, naming the process that holds it. Temporaries of a
// killed run are removed by the next run, which holds the lock, so their
// writers are gone.

// BusyError: another chalc is publishing into the same output directory.
type BusyError struct {
	Out string
	PID int // 0 when unknown
}

func (e *BusyError) Error() string {
	holder := "another chalc"
	if e.PID != 0 {
		holder = fmt.Sprintf("another chalc (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is writing %s; wait for it, or package into another directory", holder, e.Out)
}

// publishHook, when set (tests), is called after each step of publish:
// "staged", then "swapped".
var publishHook func(step string)

// tempPrefix is the name of out's temporaries in its parent, before
// "<pid>.tmp" (the staged output) or "<pid>.old" (the replaced one).
func tempPrefix(out string) string { return "." + filepath.Base(out) + ".chalc-" }

// publish makes outAbs hold files (name → content; the record last) and
// every other file already there, but the stale ones (stale, when the
// previous record lists them unchanged); it returns the stale files it
// kept (paths below shown, as the user named the directory).
func publish(outAbs, shown string, files map[string][]byte, stale []string) (kept []string, err error) {
	if real, err := filepath.EvalSymlinks(outAbs); err == nil {
		outAbs = real // publish the directory a symlink names, not the link
	}
	parent := filepath.Dir(outAbs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockDir(parent)
	if errors.Is(err, errLocked) {
		return nil, &BusyError{Out: shown, PID: holderPID(parent, outAbs)}
	}
	if err != nil {
		return nil, err
	}
	defer unlock()
	removeTemporaries(parent, outAbs)

	prev := readRecord(outAbs)
	staging := filepath.Join(parent, tempPrefix(outAbs)+strconv.Itoa(os.Getpid())+".tmp")
	if err := os.Mkdir(staging, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging) // gone after a swap; the old output after an exchange
	if kept, err = carryOver(outAbs, staging, shown, files, prev, stale); err != nil {
		return nil, err
	}
	for name, data := range files {
		if err := writeSynced(filepath.Join(staging, name), data); err != nil {
			return nil, err
		}
	}
	if err := writeRecord(staging, files); err != nil {
		return nil, err
	}
	if err := syncDir(staging); err != nil {
		return nil, err
	}
	hook("staged")
	if err := swap(staging, outAbs, parent); err != nil {
		return nil, err
	}
	hook("swapped")
	return kept, syncDir(parent)
}

func hook(step string) {
	if publishHook != nil {
		publishHook(step)
	}
}

// swap puts the staged directory in out's place.
func swap(staging, out, parent string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(staging, out)
	}
	if err := exchange(staging, out); err == nil {
		return nil // staging now holds the old output, removed by the caller
	}
	// No atomic exchange here: move the old one away first.
	old := filepath.Join(parent, tempPrefix(out)+strconv.Itoa(os.Getpid())+".old")
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(staging, out); err != nil {
		_ = os.Rename(old, out)
		return err
	}
	return os.RemoveAll(old)
}

// carryOver hard-links (or copies) into staging what out holds besides
// chalc's new files and record: the user's files, and the stale files of
// chalc's that changed since it wrote them (those it reports as kept).
func carryOver(out, staging, shown string, files map[string][]byte, prev record, stale []string) (kept []string, err error) {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	isStale := map[string]bool{}
	for _, s := range stale {
		isStale[s] = true
	}
	for _, e := range entries {
		name := e.Name()
		if _, ours := files[name]; ours || name == recordName {
			continue
		}
		src := filepath.Join(out, name)
		if isStale[name] {
			b, err := os.ReadFile(src)
			if err == nil && prev.Files[name] == sum(b) {
				continue // chalc wrote it and nobody changed it: it goes
			}
			kept = append(kept, filepath.Join(shown, name))
		}
		if err := linkTree(src, filepath.Join(staging, name)); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// linkTree recreates src at dst: files hard-linked (copied where a link
// is refused), directories walked, symbolic links recreated.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(to, target)
		case d.IsDir():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.Mkdir(target, info.Mode().Perm())
		}
		if os.Link(path, target) == nil {
			return nil
		}
		return copyFile(path, target)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
	if err != nil {
		return err
	}
	_, werr := io.Copy(out, in)
	return errors.Join(werr, out.Close())
}

// writeSynced writes a new file and flushes it to disk before the
// directory holding it is published.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	return errors.Join(werr, serr, f.Close())
}

// syncDir flushes a directory's entries to disk, where the file system
// can (some cannot sync a directory; the files themselves are synced).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	_ = d.Sync()
	return d.Close()
}

// removeTemporaries removes what killed runs left beside out.
func removeTemporaries(parent, out string) {
	matches, _ := filepath.Glob(filepath.Join(parent, tempPrefix(out)+"*"))
	for _, m := range matches {
		if strings.HasSuffix(m, ".tmp") || strings.HasSuffix(m, ".old") {
			_ = os.RemoveAll(m)
		}
	}
}

// holderPID names the process staging into out, from its temporary's
// name; 0 when there is none yet.
func holderPID(parent, out string) int {
	matches, _ := filepath.Glob(filepath.Join(parent, tempPrefix(out)+"*.tmp"))
	for _, m := range matches {
		s := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), tempPrefix(out)), ".tmp")
		if pid, err := strconv.Atoi(s); err == nil {
			return pid
		}
	}
	return 0
}
