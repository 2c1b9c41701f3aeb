package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFprintLongLine: a line of megabytes is shown as a window of about
// excerptWidth characters around the subject, the carets still under it,
// and the message's quoted value is clipped too.
func TestFprintLongLine(t *testing.T) {
	long := strings.Repeat("a", 5000) + "TARGET" + strings.Repeat("b", 10<<20)
	src := Sources{"chalice.yaml": []byte("version: 1\nkey: " + long + "\n")}
	subject := Range{Filename: "chalice.yaml", Start: Pos{2, 5006}, End: Pos{2, 5012}}
	var b strings.Builder
	Fprint(&b, src, Diagnostics{Errorf(SchemaInvalid, subject, "value %q is wrong", long).Hint("shorten %q", long)})
	out := b.String()
	if len(out) > 2000 {
		t.Fatalf("the diagnostic is %d bytes long", len(out))
	}
	lines := strings.Split(out, "\n")
	want := []string{
		`chalice.yaml:2:5006: error: value "` + strings.Repeat("a", 90) + "…" + strings.Repeat("b", 20) + `" is wrong`,
		"  2 | …" + strings.Repeat("a", 40) + "TARGET" + strings.Repeat("b", 74) + "…",
		"    | " + strings.Repeat(" ", 41) + "^^^^^^",
		`  hint: shorten "` + strings.Repeat("a", 90) + "…" + strings.Repeat("b", 20) + `"`,
		"",
		"",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	// The caret stands under the subject's first character.
	text, marker := []rune(lines[1]), []rune(lines[2])
	at := strings.IndexByte(string(marker), '^')
	if string(text[at:at+6]) != "TARGET" {
		t.Errorf("the carets stand under %q", string(text[at:at+6]))
	}
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		line         string
		col, end     int
		text, marker string
	}{
		// Short lines are shown whole.
		{line: "key: value", col: 6, text: "key: value", marker: "     ^^^^^"},
		// The subject near the start: the window starts with the line.
		{line: "k: " + strings.Repeat("x", 300), col: 4,
			text: "k: " + strings.Repeat("x", 117) + "…", marker: "   " + strings.Repeat("^", 117)},
		// Near the end: the window ends with the line.
		{line: strings.Repeat("x", 300) + " end", col: 302, end: 305,
			text: "…" + strings.Repeat("x", 116) + " end", marker: strings.Repeat(" ", 118) + "^^^"},
		// Tabs are expanded before the window is cut.
		{line: "\t" + strings.Repeat("y", 200) + ": v", col: 202,
			text: "…" + strings.Repeat("y", 117) + ": v", marker: strings.Repeat(" ", 118) + "^"},
	} {
		r := Range{Start: Pos{1, tc.col}}
		if tc.end > 0 {
			r.End = Pos{1, tc.end}
		}
		text, marker := excerpt(tc.line, r)
		if text != tc.text || marker != tc.marker {
			t.Errorf("excerpt(%.20q, col %d):\n got %q\n     %q\nwant %q\n     %q", tc.line, tc.col, text, marker, tc.text, tc.marker)
		}
		if n := utf8.RuneCountInString(text); n > excerptWidth+2 {
			t.Errorf("excerpt(%.20q) shows %d characters", tc.line, n)
		}
	}
}

func TestClip(t *testing.T) {
	short := strings.Repeat("é", excerptWidth)
	if Clip(short) != short {
		t.Error("Clip changed a value of excerptWidth characters")
	}
	long := strings.Repeat("é", 90) + strings.Repeat("x", 1000) + strings.Repeat("ü", 20)
	if got, want := Clip(long), strings.Repeat("é", 90)+"…"+strings.Repeat("ü", 20); got != want {
		t.Errorf("Clip = %q, want %q", got, want)
	}
	// clipValues leaves a long message of short words alone.
	list := strings.Repeat("function f, ", 50)
	if clipValues(list) != list {
		t.Error("clipValues clipped a list of names")
	}
	word, arn := strings.Repeat("z", 500), "arn:"+strings.Repeat("a", 200)
	if got := clipValues("tag " + word + " and \"a \\\" " + word + "\", like " + arn); got != "tag "+Clip(word)+" and \""+Clip("a \\\" "+word)+"\", like "+arn {
		t.Errorf("clipValues = %q", got)
	}
}
