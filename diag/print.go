package diag

import (
	"bytes"
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
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}

// excerptWidth is the most characters of a source line a code frame
// shows, and of a value a message quotes: a minified or hostile file can
// hold a line of megabytes, which no terminal should receive whole.
const excerptWidth = 120

// Clip shortens a value quoted in a message to about excerptWidth
// characters, keeping its beginning and end around a "…".
func Clip(s string) string {
	if len(s) <= excerptWidth || utf8.RuneCountInString(s) <= excerptWidth {
		return s
	}
	const head, tail = excerptWidth - 30, 20
	i := 0
	for n := 0; n < head; n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	j := len(s)
	for n := 0; n < tail; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
	}
	return s[:i] + "…" + s[j:]
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
// frame is simply left out. A source line longer than excerptWidth is cut
// to a window around the subject, and long values the texts quote are
// clipped (Clip).
func Fprint(w io.Writer, src Sources, ds Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(w, clipValues(d.Error()))
		if line, ok := src.Line(d.Subject.Filename, d.Subject.Start.Line); ok && d.Subject.Start.Column > 0 {
			num := strconv.Itoa(d.Subject.Start.Line)
			pad := strings.Repeat(" ", len(num))
			text, marker := excerpt(line, d.Subject)
			fmt.Fprintf(w, "  %s | %s\n", num, text)
			fmt.Fprintf(w, "  %s | %s\n", pad, marker)
		}
		for _, h := range d.Hints {
			fmt.Fprintf(w, "  hint: %s\n", clipValues(h))
		}
		for _, n := range d.Notes {
			if s := n.Range.String(); s != "" {
				fmt.Fprintf(w, "  note: %s: %s\n", s, clipValues(n.Message))
			} else {
				fmt.Fprintf(w, "  note: %s\n", clipValues(n.Message))
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

// clipValues clips the values a message quotes ("...") longer than
// excerptWidth, and any run of text without a space several times longer:
// messages echo what the user wrote, which can be megabytes long. Call
// sites clip with Clip already; this keeps one that does not from
// flooding the terminal.
func clipValues(msg string) string {
	if len(msg) <= excerptWidth {
		return msg
	}
	var b strings.Builder
	// A quoted value is clipped past excerptWidth; a word only when far
	// longer: hints quote long examples (ARNs, URIs) that must stay whole.
	flush := func(seg string, limit int) {
		if len(seg) > limit && utf8.RuneCountInString(seg) > limit {
			seg = Clip(seg)
		}
		b.WriteString(seg)
	}
	const wordLimit = 4 * excerptWidth
	start := 0 // of the current segment: a word, or a quoted value
	for i := 0; i < len(msg); i++ {
		switch msg[i] {
		case '"':
			end := closingQuote(msg, i)
			if end < 0 {
				continue
			}
			flush(msg[start:i], wordLimit)
			b.WriteByte('"')
			flush(msg[i+1:end], excerptWidth)
			b.WriteByte('"')
			i, start = end, end+1
		case ' ':
			flush(msg[start:i], wordLimit)
			b.WriteByte(' ')
			start = i + 1
		}
	}
	flush(msg[start:], wordLimit)
	return b.String()
}

// closingQuote returns the index of the quote closing the Go-quoted string
// that opens at s[open], or -1.
func closingQuote(s string, open int) int {
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// excerpt returns the source line to show for r (tabs expanded) and the
// marker line under it. A line wider than excerptWidth is cut to a window
// around the subject's start, with "…" where text is left out; the
// carets stay under the subject.
func excerpt(line string, r Range) (text, marker string) {
	runes := []rune(expandTabs(line))
	start, width := caret(line, runes, r)
	from, to := 0, len(runes)
	if len(runes) > excerptWidth {
		// Some context before the subject, the rest after it; near the
		// end of the line, the window ends with the line.
		from = max(0, min(start-excerptWidth/3, len(runes)-excerptWidth))
		to = min(len(runes), from+excerptWidth)
	}
	var b strings.Builder
	offset := start - from
	if from > 0 {
		b.WriteString("…")
		offset++
	}
	b.WriteString(string(runes[from:to]))
	if to < len(runes) {
		b.WriteString("…")
	}
	if start+width > to && to > start {
		width = to - start
	}
	return b.String(), strings.Repeat(" ", offset) + strings.Repeat("^", width)
}

// caret returns where the marker under line starts for r and how many
// characters it covers, in runes of the tab-expanded line (runes): the
// start column, then one ^ per character of the subject.
func caret(line string, runes []rune, r Range) (start, width int) {
	// Column counts runes of the original line; re-count after tab expansion.
	startCol := 0
	orig := []rune(line)
	for i, c := range orig {
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
	if i := r.Start.Column - 1; i >= 0 && i < len(orig) && orig[i] == '\t' {
		return startCol, 4 // the tab itself
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
	return startCol, width
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
