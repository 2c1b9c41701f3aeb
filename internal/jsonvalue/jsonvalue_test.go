package jsonvalue

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	for raw, escaped := range map[string]string{
		"":           "",
		"Resources":  "Resources",
		"a/b":        "a~1b",
		"m~n":        "m~0n",
		"~1":         "~01",
		"^[a-z/]+$~": "^[a-z~1]+$~0",
	} {
		if got := EscapeToken(raw); got != escaped {
			t.Errorf("EscapeToken(%q) = %q; want %q", raw, got, escaped)
		}
		if got := UnescapeToken(escaped); got != raw {
			t.Errorf("UnescapeToken(%q) = %q; want %q", escaped, got, raw)
		}
	}
	if got := Pointer(); got != "" {
		t.Errorf("Pointer() = %q; want the empty pointer", got)
	}
	if got := Pointer("definitions", "AWS::Serverless::Function", "a/b"); got != "/definitions/AWS::Serverless::Function/a~1b" {
		t.Errorf("Pointer = %q", got)
	}
}

func TestLookup(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"a": {"b": [10, {"c": "x"}], "": 1, "s": "str"}}`), &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		tokens []string
		want   any
	}{
		{nil, doc},
		{[]string{"a", "b", "0"}, 10.0},
		{[]string{"a", "b", "1", "c"}, "x"},
		{[]string{"a", ""}, 1.0},
		{[]string{"a", "b", "2"}, nil},
		{[]string{"a", "b", "-1"}, nil},
		{[]string{"a", "b", "x"}, nil},
		{[]string{"a", "s", "0"}, nil},
		{[]string{"missing", "b"}, nil},
	}
	for _, tc := range tests {
		got := Lookup(doc, tc.tokens)
		if tc.want == nil || tc.tokens == nil {
			if (got == nil) != (tc.want == nil) {
				t.Errorf("Lookup(%q) = %v; want %v", tc.tokens, got, tc.want)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("Lookup(%q) = %v; want %v", tc.tokens, got, tc.want)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		in   any
		want []string
	}{
		{"s3:GetObject", []string{"s3:GetObject"}},
		{[]any{"a", 1.0, "b", nil}, []string{"a", "b"}},
		{[]any{}, nil},
		{nil, nil},
		{map[string]any{"Ref": "X"}, nil},
	}
	for _, tc := range tests {
		if got := Strings(tc.in); !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("Strings(%#v) = %#v; want %#v", tc.in, got, tc.want)
		}
	}
}
