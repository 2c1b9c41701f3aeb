// Package userinput bounds what chalc reads from the files a user names —
// the manifest, blueprint fragments, policy files and merge templates —
// so that a hostile or mistaken file fails with a diagnostic instead of
// hanging chalc or exhausting its memory: it reads regular files only,
// opened without blocking on a named pipe, up to a size cap; it says
// whether a path stays inside the project once symlinks are resolved; and
// it holds the budget that keeps YAML aliases from expanding a small file
// into a huge tree.
package userinput

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxSourceFile caps the manifest, each blueprint fragment and each merge
// template: a manifest of a thousand routes is ~100 KB and CloudFormation
// takes templates up to 1 MB, so 10 MiB is far beyond any real file.
const MaxSourceFile = 10 << 20

// NotRegularError says a path names something other than a regular file
// (a directory, a named pipe, a device...), which chalc does not read: a
// FIFO would block it forever, /dev/zero would never end.
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string {
	return "it is " + describe(e.Mode) + ", not a regular file"
}

// TooLargeError says a file holds more than chalc reads of it.
type TooLargeError struct {
	Size  int64 // -1 when the file grew while it was read
	Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("it holds more than %s, the most chalc reads of it", Bytes(e.Limit))
	}
	return fmt.Sprintf("it holds %s; chalc reads at most %s of it", Bytes(e.Size), Bytes(e.Limit))
}

// ReadFile reads the regular file at path (symlinks followed), at most
// limit bytes of it. A path that is not a regular file is a
// *NotRegularError, a larger file a *TooLargeError; other errors are the
// operating system's (*fs.PathError, fs.ErrNotExist...).
func ReadFile(path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO for reading blocks until a
	// writer comes, and a device may never end.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(st, limit); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The path may name another file now than at the Stat: check the
	// one opened, and read no more than the limit whatever it says.
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(st, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Size: -1, Limit: limit}
	}
	return b, nil
}

func check(st fs.FileInfo, limit int64) error {
	if !st.Mode().IsRegular() {
		return &NotRegularError{Mode: st.Mode()}
	}
	if st.Size() > limit {
		return &TooLargeError{Size: st.Size(), Limit: limit}
	}
	return nil
}

// describe names a file's type as a user would.
func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// Bytes renders a size for messages: "812 bytes", "10 MiB", "12.5 MiB".
func Bytes(n int64) string {
	const mib = 1 << 20
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < mib && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n < mib:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n%mib == 0:
		return fmt.Sprintf("%d MiB", n/mib)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/mib)
}

// Within reports whether path is dir or below it once the symlinks of
// both are resolved. A path that does not exist (yet) is judged by where
// it would be: its longest existing parent, resolved, plus the rest; a
// dangling symlink by its target.
func Within(dir, path string) bool {
	rd, rp := resolve(abs(dir), 0), resolve(abs(path), 0)
	rel, err := filepath.Rel(rd, rp)
	if err != nil {
		return false // another volume
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// maxLinks bounds symlink chains as the kernel does (ELOOP).
const maxLinks = 40

// resolve is filepath.EvalSymlinks for paths that may not exist.
func resolve(p string, links int) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	if links < maxLinks {
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if t, err := os.Readlink(p); err == nil {
				if !filepath.IsAbs(t) {
					t = filepath.Join(filepath.Dir(p), t)
				}
				return resolve(t, links+1)
			}
		}
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolve(parent, links), filepath.Base(p))
}

// IsNotRegular reports whether err is a *NotRegularError.
func IsNotRegular(err error) bool {
	var e *NotRegularError
	return errors.As(err, &e)
}

// IsTooLarge reports whether err is a *TooLargeError.
func IsTooLarge(err error) bool {
	var e *TooLargeError
	return errors.As(err, &e)
}
