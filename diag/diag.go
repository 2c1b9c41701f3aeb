// Package diag owns chalc's diagnostics: a problem the user can fix, where it
// is (file:line:col), what is wrong and how to fix it.
//
// Every step of the compiler returns diag.Diagnostics rather than a Go error
// so that the CLI can report all problems at once, sorted and rendered with
// the offending source line and a caret under the column:
//
//	chalice.yaml:12:5: error: unknown key "lambda_timout"
//	  12 |   lambda_timout: 30
//	     |   ^^^^^^^^^^^^^
//	  hint: did you mean "lambda_timeout"?
//
// The model follows hcl.Diagnostic (a tight subject range plus prose), with
// the text shape of Go's own compilers so editors can jump to the position.
// Each diagnostic also carries a stable Code (codes.go, listed with its fix
// in docs/diagnostics.md): what it means is decided by the code, never by
// the text. Libraries return diag.Diagnostics (or a type that holds them)
// for every problem a user can cause, and typed errors for command-line
// mistakes.
package diag

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Severity says whether a diagnostic stops the build.
type Severity int

const (
	// Error stops the command; exit status 1.
	Error Severity = iota
	// Warning is printed but does not stop the command.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts characters (runes), as YAML parsers do. A zero Line means unknown.
type Pos struct {
	Line   int
	Column int
}

// Range is a span of a file. End is exclusive and optional: when it is zero
// the renderer underlines the token that starts at Start.
type Range struct {
	Filename string
	Start    Pos
	End      Pos
}

// IsZero reports whether the range points nowhere (a diagnostic about the
// command line rather than a file).
func (r Range) IsZero() bool { return r.Filename == "" && r.Start.Line == 0 }

// String renders the range as file:line:col (or just file, or nothing).
func (r Range) String() string {
	switch {
	case r.Filename == "":
		return ""
	case r.Start.Line == 0:
		return r.Filename
	case r.Start.Column == 0:
		return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// Note points at a second place that explains the first, such as the
// earlier definition a duplicate clashes with.
type Note struct {
	Range   Range
	Message string
}

// Diagnostic is one problem.
type Diagnostic struct {
	Severity Severity
	// Code says what kind of problem it is (codes.go); code that reacts
	// to a diagnostic switches on it, never on Message.
	Code Code
	// Subject is exactly the construct that is wrong.
	Subject Range
	// Message says what is wrong, in one sentence without a final period.
	Message string
	// Hints say how to fix it ("did you mean ...", "quote it: ...").
	Hints []string
	// Notes point at related places.
	Notes []Note
}

// Errorf returns an error diagnostic of kind code at r.
func Errorf(code Code, r Range, format string, args ...any) *Diagnostic {
	return &Diagnostic{Severity: Error, Code: code, Subject: r, Message: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning diagnostic of kind code at r.
func Warnf(code Code, r Range, format string, args ...any) *Diagnostic {
	return &Diagnostic{Severity: Warning, Code: code, Subject: r, Message: fmt.Sprintf(format, args...)}
}

// Hint appends a hint and returns d, for chaining.
func (d *Diagnostic) Hint(format string, args ...any) *Diagnostic {
	d.Hints = append(d.Hints, fmt.Sprintf(format, args...))
	return d
}

// Note appends a related position and returns d, for chaining.
func (d *Diagnostic) Note(r Range, format string, args ...any) *Diagnostic {
	d.Notes = append(d.Notes, Note{Range: r, Message: fmt.Sprintf(format, args...)})
	return d
}

// Error renders the diagnostic on one line, without source.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	if s := d.Subject.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is a list of problems. It implements error; any non-nil error
// returned by chalc's library entry points can be asserted to Diagnostics.
type Diagnostics []*Diagnostic

// Error summarises the list on one line.
func (ds Diagnostics) Error() string {
	switch len(ds) {
	case 0:
		return "no diagnostics"
	case 1:
		return ds[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", ds[0].Error(), len(ds)-1)
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns the number of error diagnostics.
func (ds Diagnostics) Errors() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Append adds diagnostics to the list.
func (ds *Diagnostics) Append(d ...*Diagnostic) { *ds = append(*ds, d...) }

// Errorf appends an error at r and returns it so hints can be chained.
func (ds *Diagnostics) Errorf(code Code, r Range, format string, args ...any) *Diagnostic {
	d := Errorf(code, r, format, args...)
	*ds = append(*ds, d)
	return d
}

// Warnf appends a warning at r and returns it so hints can be chained.
func (ds *Diagnostics) Warnf(code Code, r Range, format string, args ...any) *Diagnostic {
	d := Warnf(code, r, format, args...)
	*ds = append(*ds, d)
	return d
}

// Err returns ds as an error when it holds an error diagnostic, else nil.
func (ds Diagnostics) Err() error {
	if ds.HasErrors() {
		return ds
	}
	return nil
}

// Sorted returns the diagnostics ordered by file, line, column and message,
// with exact duplicates removed, so output never depends on map order or on
// which check ran first.
func (ds Diagnostics) Sorted() Diagnostics {
	out := append(Diagnostics(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	var uniq Diagnostics
	for i, d := range out {
		if i > 0 && same(out[i-1], d) {
			continue
		}
		uniq = append(uniq, d)
	}
	return uniq
}

func less(a, b *Diagnostic) bool {
	if a.Subject.Filename != b.Subject.Filename {
		// Diagnostics without a file (command-line problems) come first.
		return a.Subject.Filename < b.Subject.Filename
	}
	if a.Subject.Start.Line != b.Subject.Start.Line {
		return a.Subject.Start.Line < b.Subject.Start.Line
	}
	if a.Subject.Start.Column != b.Subject.Start.Column {
		return a.Subject.Start.Column < b.Subject.Start.Column
	}
	if a.Severity != b.Severity {
		return a.Severity < b.Severity
	}
	return a.Message < b.Message
}

func same(a, b *Diagnostic) bool {
	return a.Subject == b.Subject && a.Severity == b.Severity && a.Message == b.Message
}

// DisplayPath names a file as diagnostics do: relative to the working
// directory when it is below it, else absolute; with forward slashes.
func DisplayPath(abs string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}
