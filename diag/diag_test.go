package diag

import (
	"strings"
	"testing"
)

func TestFprint(t *testing.T) {
	src := Sources{"chalice.yaml": []byte("version: 1\napp_name: x\nlambda_timout: 30\nroutes:\n  /a: {GET: \"Index\"}\n")}
	ds := Diagnostics{
		Errorf(HandlerMissing, Range{Filename: "chalice.yaml", Start: Pos{5, 13}}, "handler %q not found", "Index").Hint("declare it"),
		Errorf(UnknownKey, Range{Filename: "chalice.yaml", Start: Pos{3, 1}}, "unknown key %q", "lambda_timout").Hint(`did you mean "lambda_timeout"?`),
		Errorf(UnknownStage, Range{}, "no stage"),
	}
	var b strings.Builder
	Fprint(&b, src, ds.Sorted())
	want := `error: no stage

chalice.yaml:3:1: error: unknown key "lambda_timout"
  3 | lambda_timout: 30
    | ^^^^^^^^^^^^^
  hint: did you mean "lambda_timeout"?

chalice.yaml:5:13: error: handler "Index" not found
  5 |   /a: {GET: "Index"}
    |             ^^^^^^^
  hint: declare it

`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	if got := Summary(ds); got != "3 errors" {
		t.Errorf("Summary = %q", got)
	}
}

func TestTokenWidth(t *testing.T) {
	for in, want := range map[string]int{
		"abc: 1":        3,
		"abc":           3,
		"'a''b' x":      6,
		`"a\"b" x`:      6,
		"{a: [1]} # x":  8,
		"abc, d}":       3,
		"rate(1 hour) ": 12,
		"value # c":     5,
		"-1 # c":        2,
		"- x":           1,
	} {
		if got := tokenWidth(in); got != want {
			t.Errorf("tokenWidth(%q) = %d, want %d", in, got, want)
		}
	}
}
