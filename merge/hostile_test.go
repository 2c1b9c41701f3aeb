package merge

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/diag"
)

// laughs is a "billion laughs" YAML template: nine levels of nine
// aliases, 546 bytes standing for 9^9 strings.
func laughs() string {
	var b strings.Builder
	b.WriteString("Resources:\n  X:\n    Type: AWS::SNS::Topic\n    Metadata:\n")
	b.WriteString("      a: &a [x, x, x, x, x, x, x, x, x]\n")
	for c := 'b'; c <= 'i'; c++ {
		b.WriteString(fmt.Sprintf("      %c: &%c [", c, c))
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(fmt.Sprintf("*%c", c-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// amplified repeats a string of n bytes 10^levels times through aliases.
func amplified(n, levels int) string {
	var b strings.Builder
	b.WriteString("Resources:\n  X:\n    Type: AWS::SNS::Topic\n    Metadata:\n")
	b.WriteString("      s0: &s0 " + strings.Repeat("A", n) + "\n")
	for l := 1; l <= levels; l++ {
		b.WriteString(fmt.Sprintf("      s%d: &s%d [%s]\n", l, l, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*s%d, ", l-1), 10), ", ")))
	}
	return b.String()
}

// TestLoadAliasBudget: aliases that would expand a small file into a huge
// template stop at the alias that crosses the budget, with the limit and
// the fix; ordinary aliases are fine.
func TestLoadAliasBudget(t *testing.T) {
	merges := "Resources:\n  Base: &base {Type: AWS::SNS::Topic, Properties: {DisplayName: " + strings.Repeat("B", 1000) + "}}\n"
	for i := 0; i < 5000; i++ {
		merges += fmt.Sprintf("  T%d: {<<: *base}\n", i)
	}
	for _, tc := range []struct {
		name, src, at, message string
	}{
		// *e is 66430 nodes: the third in f's list crosses the budget.
		{"billion laughs", laughs(), "m.yaml:10:22",
			"alias *e takes what aliases add to the merge template past 262144 nodes"},
		// 1,000 bytes repeated 10^4 times: 10 MB of template; the fourth
		// *s3 (1 MB each) crosses the budget.
		{"a long string repeated", amplified(1000, 4), "m.yaml:9:31",
			"alias *s3 takes what aliases add to the merge template past 4 MiB of text"},
		// Merge keys repeat their source too: 1029 bytes each, the
		// 4077th crosses the budget.
		{"merge keys", merges, "m.yaml:4079:15",
			"alias *base takes what aliases add to the merge template past 4 MiB of text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ds := load(t, "m.yaml", tc.src)
			if f == nil || f.Value != nil || len(ds) != 1 {
				t.Fatalf("want one error and no value, got %v", ds)
			}
			d := ds[0]
			if d.Subject.String() != tc.at || d.Message != tc.message {
				t.Errorf("got %s: %s\nwant %s: %s", d.Subject, d.Message, tc.at, tc.message)
			}
			if len(d.Hints) != 1 || !strings.Contains(d.Hints[0], "aliases may add at most 262144 nodes and 4 MiB of text") {
				t.Errorf("hints %q", d.Hints)
			}
		})
	}
	// Within the budget, aliases expand as before.
	f := mustLoad(t, "m.yaml", amplified(1000, 3))
	if got := len(encode(t, f.Value)); got < 1000*1000 {
		t.Errorf("the template encodes to %d bytes, want the 1000 repeats", got)
	}
}

// TestLoadTooLarge: a merge template over the size cap is refused before
// it is read.
func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(10<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	file, ds := Load(path, "big.json")
	if file != nil || len(ds) != 1 || ds[0].Error() != "big.json: error: cannot read the merge template: it holds 10.0 MiB; chalc reads at most 10 MiB of it" {
		t.Errorf("got %v, %v", file, ds)
	}
}

// TestCursor: positions count lines and characters (not bytes), whether
// offsets come in order (the JSON index) or not (an error).
func TestCursor(t *testing.T) {
	src := []byte("{\"é\": \"ü\",\n \"日本\": [1,\r\n 2]}")
	naive := func(off int) diag.Pos {
		line, col := 1, 1
		for _, r := range string(src[:off]) {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return diag.Pos{Line: line, Column: col}
	}
	var c cursor
	var offs []int
	for off := range src {
		if utf8.RuneStart(src[off]) {
			offs = append(offs, off)
		}
	}
	offs = append(offs, len(src))
	for _, off := range append(offs, 4, 0, 12, 7) {
		if got, want := c.pos(src, int64(off)), naive(off); got != want {
			t.Errorf("offset %d: %v, want %v", off, got, want)
		}
	}
	// The JSON index uses it: the value of x, after a two-byte
	// character, is at column 13.
	f := mustLoad(t, "m.json", "{\"é\": {\"x\": [1]}}")
	if got := f.Pos([]string{"é", "x"}).Start; got != (diag.Pos{Line: 1, Column: 13}) {
		t.Errorf("position of /é/x: %v", got)
	}
}

// bigJSON is a merge template of about n bytes on one line (minified) or
// indented.
func bigJSON(n int, indent bool) []byte {
	var b strings.Builder
	nl := ""
	if indent {
		nl = "\n    "
	}
	b.WriteString(`{"Resources": {`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `%s"Topic%d": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "topic %d", "Tags": [{"Key": "k", "Value": "v"}]}}`, nl, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

// BenchmarkLoadJSON measures indexing a merge template's positions, which
// was quadratic (1 MB took 141 s): it must grow linearly with the size.
func BenchmarkLoadJSON(b *testing.B) {
	for _, size := range []int{100 << 10, 1 << 20} {
		for _, indent := range []bool{false, true} {
			path := filepath.Join(b.TempDir(), "m.json")
			if err := os.WriteFile(path, bigJSON(size, indent), 0o644); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%dKB/indent=%v", size>>10, indent), func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					if f, ds := Load(path, "m.json"); f == nil || len(ds) > 0 {
						b.Fatal(ds)
					}
				}
			})
		}
	}
}
