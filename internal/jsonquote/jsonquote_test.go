package jsonquote

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// encodingJSON is what EncodingJSON must match byte for byte.
func encodingJSON(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestAppend(t *testing.T) {
	tests := []struct {
		in          string
		plain, asci string
	}{
		{"", `""`, `""`},
		{"plain ascii", `"plain ascii"`, `"plain ascii"`},
		{`q"b\s`, `"q\"b\\s"`, `"q\"b\\s"`},
		{"\n\r\t\b\f\x00\x1f", `"\n\r\t\b\f\u0000\u001f"`, `"\n\r\t\b\f\u0000\u001f"`},
		{"<&>", `"<&>"`, `"<&>"`},
		{"é", `"é"`, `"\\u00e9"`},
		{"😀", `"😀"`, `"\\ud83d\\ude00"`},
		{"a\u007fb", "\"a\u007fb\"", `"a\\u007fb"`},
		{"\u2028", "\"\u2028\"", `"\\u2028"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`, `"bad\ufffdutf8"`},
		{"mixé😀end", `"mixé😀end"`, `"mix\\u00e9\\ud83d\\ude00end"`},
	}
	for _, tc := range tests {
		if got := string(Append(nil, tc.in, Minimal)); got != tc.plain {
			t.Errorf("Append(%q, Minimal) = %s; want %s", tc.in, got, tc.plain)
		}
		if got := string(Append(nil, []byte(tc.in), ASCII)); got != tc.asci {
			t.Errorf("Append(%q, ASCII) = %s; want %s", tc.in, got, tc.asci)
		}
		if got, want := string(Append(nil, tc.in, EncodingJSON)), encodingJSON(t, tc.in); got != want {
			t.Errorf("Append(%q, EncodingJSON) = %s; want %s", tc.in, got, want)
		}
		// The plain form is a JSON string that decodes back to the input
		// (with invalid UTF-8 replaced).
		var back string
		if err := json.Unmarshal(Append(nil, tc.in, Minimal), &back); err != nil || back != strings.ToValidUTF8(tc.in, "\ufffd") {
			t.Errorf("round trip of %q: %q, %v", tc.in, back, err)
		}
	}
}

func TestAppendKeepsDst(t *testing.T) {
	for _, m := range []Mode{Minimal, EncodingJSON, ASCII} {
		if got := string(Append([]byte(`{"k":`), "v\u2028é", m)); !strings.HasPrefix(got, `{"k":"v`) {
			t.Errorf("mode %d: %s", m, got)
		}
	}
}

func TestAppendASCII(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{`{"a":"plain"}`, `{"a":"plain"}`},
		{`["é","😀","a` + "\u007f" + `b"]`, `["\u00e9","\ud83d\ude00","a\u007fb"]`},
		{`"` + "\u2028" + `"`, `"\u2028"`},
	}
	for _, tc := range tests {
		if got := string(AppendASCII(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("AppendASCII(%q) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\s\n\x00\x7f", "é😀\u2028\u2029", "bad\xff\xc3", `{"a":["é"]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// EncodingJSON is encoding/json's quoting, byte for byte.
		if got, want := string(Append(nil, s, EncodingJSON)), encodingJSON(t, s); got != want {
			t.Fatalf("EncodingJSON: got %s\nwant %s", got, want)
		}
		// Minimal differs from it only in leaving U+2028 and U+2029 alone,
		// and from string to []byte not at all.
		minimal := Append(nil, s, Minimal)
		if !strings.ContainsAny(s, "\u2028\u2029") && string(minimal) != encodingJSON(t, s) {
			t.Fatalf("Minimal: got %s\nwant %s", minimal, encodingJSON(t, s))
		}
		if b := Append(nil, []byte(s), Minimal); !bytes.Equal(b, minimal) {
			t.Fatalf("Minimal of []byte: %s, of string: %s", b, minimal)
		}
		var back string
		// (string([]rune(s)) has a U+FFFD for each byte of invalid UTF-8,
		// as encoding/json and Append write them.)
		if err := json.Unmarshal(minimal, &back); err != nil || back != string([]rune(s)) {
			t.Fatalf("Minimal round trip: %q, %v", back, err)
		}
		// ASCII of JSON text is ASCII, and decodes to JSON text meaning
		// what the input did.
		js, _ := json.Marshal(s)
		quoted := Append(nil, js, ASCII)
		if !isASCII(quoted) {
			t.Fatalf("ASCII is not: %s", quoted)
		}
		var inner, value string
		if err := json.Unmarshal(quoted, &inner); err != nil {
			t.Fatalf("ASCII: %v: %s", err, quoted)
		}
		if inner != string(AppendASCII(nil, js)) {
			t.Fatalf("ASCII quoted %q, AppendASCII %q", inner, AppendASCII(nil, js))
		}
		if err := json.Unmarshal([]byte(inner), &value); err != nil || value != string([]rune(s)) {
			t.Fatalf("ASCII round trip: %q, %v", value, err)
		}
	})
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// BenchmarkAppend quotes a header-sized string and a small JSON body, the
// runtime's per-response work.
func BenchmarkAppend(b *testing.B) {
	header := "application/json; charset=utf-8"
	body := []byte(`{"id":"42","name":"Zoë","tags":["a","b"],"note":"line\nbreak"}`)
	dst := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		dst = Append(dst[:0], header, Minimal)
		dst = Append(dst, body, ASCII)
		dst = Append(dst, header, EncodingJSON)
	}
}
