package diag

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sources maps a diagnostic's Filename to the file's bytes, so the renderer
// can show the offending line. Loaders register every file they read.
type Sources map[string][]byte

// Line returns line n (1-based) of file without its newline.
func (s Sources) Line(file string, n int) (string, bool) {
	src, ok := s[file]
	if !ok || n < 1 {
		return "", false
	}
	for i := 1; i < n; i++ {
		j := strings.IndexByte(string(src), '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(string(src), '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}

// Fprint writes every diagnostic in the order given, each as
//
//	file:line:col: error: message
//	  NN | source line
//	     |     ^^^^
//	  hint: ...
//	  note: file:line:col: ...
//
// followed by a blank line. It never fails on a missing source: the code
// frame is simply left out.
func Fprint(w io.Writer, src Sources, ds Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(w, d.Error())
		if line, ok := src.Line(d.Subject.Filename, d.Subject.Start.Line); ok && d.Subject.Start.Column > 0 {
			num := strconv.Itoa(d.Subject.Start.Line)
			pad := strings.Repeat(" ", len(num))
			fmt.Fprintf(w, "  %s | %s\n", num, expandTabs(line))
			fmt.Fprintf(w, "  %s | %s\n", pad, caret(line, d.Subject))
		}
		for _, h := range d.Hints {
			fmt.Fprintf(w, "  hint: %s\n", h)
		}
		for _, n := range d.Notes {
			if s := n.Range.String(); s != "" {
				fmt.Fprintf(w, "  note: %s: %s\n", s, n.Message)
			} else {
				fmt.Fprintf(w, "  note: %s\n", n.Message)
			}
		}
		fmt.Fprintln(w)
	}
}

// Summary returns "N errors" / "1 error, 2 warnings" for the last line of
// the output, or "" when there is nothing to say.
func Summary(ds Diagnostics) string {
	e, w := 0, 0
	for _, d := range ds {
		if d.Severity == Error {
			e++
		} else {
			w++
		}
	}
	var parts []string
	if e > 0 {
		parts = append(parts, plural(e, "error"))
	}
	if w > 0 {
		parts = append(parts, plural(w, "warning"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// expandTabs keeps carets aligned: a tab is shown as four spaces.
func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// caret returns the marker line under line for r: spaces up to the start
// column, then one ^ per character of the subject.
func caret(line string, r Range) string {
	runes := []rune(expandTabs(line))
	// Column counts runes of the original line; re-count after tab expansion.
	startCol := 0
	for i, c := range []rune(line) {
		if i >= r.Start.Column-1 {
			break
		}
		if c == '\t' {
			startCol += 4
		} else {
			startCol++
		}
	}
	if startCol > len(runes) {
		startCol = len(runes)
	}
	width := 0
	orig := []rune(line)
	if i := r.Start.Column - 1; i >= 0 && i < len(orig) && orig[i] == '\t' {
		return strings.Repeat(" ", startCol) + "^^^^" // the tab itself
	}
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		width = r.End.Column - r.Start.Column
	} else {
		width = tokenWidth(string(runes[startCol:]))
	}
	if width < 1 {
		width = 1
	}
	if startCol+width > len(runes) && len(runes) > startCol {
		width = len(runes) - startCol
	}
	return strings.Repeat(" ", startCol) + strings.Repeat("^", width)
}

// tokenWidth guesses how many characters of s (which starts at a YAML
// token) belong to the token: a quoted string up to its closing quote, a
// flow collection up to its closing bracket, otherwise a plain scalar up to
// the next ": ", " #", "," or a closing bracket.
func tokenWidth(s string) int {
	if s == "" {
		return 1
	}
	switch s[0] {
	case '"', '\'':
		q := s[0]
		for i := 1; i < len(s); i++ {
			if s[i] == '\\' && q == '"' {
				i++
				continue
			}
			if s[i] == q {
				if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return utf8.RuneCountInString(s[:i+1])
			}
		}
		return utf8.RuneCountInString(s)
	case '{', '[':
		depth := 0
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return utf8.RuneCountInString(s[:i+1])
				}
			}
		}
		return utf8.RuneCountInString(strings.TrimRight(s, " "))
	case '|', '>':
		return 1
	case '-':
		if len(s) == 1 || s[1] == ' ' {
			return 1 // a list item marker
		}
	}
	end := len(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' && (i+1 == len(s) || s[i+1] == ' ') {
			end = i
			break
		}
		if c == '#' && i > 0 && s[i-1] == ' ' {
			end = i
			break
		}
		if c == ',' || c == '}' || c == ']' {
			end = i
			break
		}
	}
	return utf8.RuneCountInString(strings.TrimRight(s[:end], " "))
}
