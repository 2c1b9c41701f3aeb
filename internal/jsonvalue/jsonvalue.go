// Package jsonvalue reads JSON documents as encoding/json decodes them
// into any (map[string]any, []any, string, ...): the templates merge
// checks, the JSON schemas schema and samschema walk, the IAM policies
// the compiler reads. It holds what those packages each had a copy of:
// JSON pointers (RFC 6901) and how to follow them, and the "a string or
// a list of strings" fields that CloudFormation, IAM and JSON Schema all
// allow.
package jsonvalue

import (
	"strconv"
	"strings"
)

// EscapeToken escapes a reference token for a JSON pointer: ~ as ~0,
// then / as ~1.
func EscapeToken(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t // most tokens: no copy
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

// UnescapeToken undoes EscapeToken: ~1 as /, then ~0 as ~ (in that order,
// so that ~01 is ~1, not /).
func UnescapeToken(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// Pointer is the JSON pointer of the tokens: "/Resources/A~1B"; "" (the
// whole document) for none.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(EscapeToken(t))
	}
	return b.String()
}

// Member returns member tok of v: an object's value for key tok, or an
// array's element at index tok. It is nil when there is none (a missing
// key, an index that is not a number or out of range, a v that is
// neither).
func Member(v any, tok string) any {
	switch v := v.(type) {
	case map[string]any:
		return v[tok]
	case []any:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(v) {
			return v[i]
		}
	}
	return nil
}

// Lookup follows the (unescaped) tokens from v, as Member does each: the
// value they point at, or nil.
func Lookup(v any, tokens []string) any {
	for _, tok := range tokens {
		if v = Member(v, tok); v == nil {
			return nil
		}
	}
	return v
}

// Strings reads a field that holds a string or a list of them: a string
// is a list of one, a list gives its strings (anything else in it is
// skipped), and any other value gives nil.
func Strings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
