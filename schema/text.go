package schema

import (
	"encoding/json"
	"fmt"
	"github.com/chalc-dev/chalc/internal/suggest"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/manifest"
)

// describe says what a schema accepts, as the end of "X must be ...".
func (r *raw) describe(s obj) string {
	if e := r.str(s, "x-chalc-expect"); e != "" {
		return e
	}
	var parts []string
	for _, t := range r.types(s) {
		switch t {
		case "integer":
			p := "a whole number"
			if u := r.str(s, "x-chalc-unit"); u != "" {
				p += " of " + u
			}
			parts = append(parts, p)
		case "number":
			parts = append(parts, "a number")
		case "boolean":
			parts = append(parts, "true or false")
		case "string":
			parts = append(parts, "a string")
		case "array":
			items := r.object(s, "items")
			if items != nil && len(r.types(items)) == 1 && r.types(items)[0] == "string" {
				parts = append(parts, "a list of strings")
			} else {
				parts = append(parts, "a list")
			}
		case "object":
			parts = append(parts, "a mapping")
		}
	}
	if len(parts) == 0 {
		return "something else"
	}
	return or(parts)
}

func (r *reporter) describe(s obj) string { return r.raw.describe(s) }

// gotPhrase names what the user wrote: "a string", "a list"...
func gotPhrase(n *manifest.Node) string {
	switch k := manifest.KindName(n); k {
	case "nothing":
		return "nothing"
	case "null":
		return "null"
	default:
		return "a " + k
	}
}

// shown is a scalar as the user wrote it (strings quoted), or what the
// value is.
func shown(n *manifest.Node) string {
	if n == nil || n.Kind != manifest.ScalarNode {
		return gotPhrase(n)
	}
	if n.ShortTag() == manifest.TagStr {
		return strconv.Quote(n.Value)
	}
	return n.Value
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// and joins "a, b and c"; or joins "a, b or c".
func and(items []string) string { return join(items, "and") }
func or(items []string) string  { return join(items, "or") }

func join(items []string, word string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + items[len(items)-1]
}

// suggestKey returns the candidate a mistyped key most likely meant: the
// same key in another case, else the closest by edit distance when it is
// below 3 (hcl's threshold), else "". Two candidates equally close
// (TLS_1_3 vs TLS_1_0 and TLS_1_2) are no suggestion.
func suggestKey(k string, cands []string) string {
	for _, c := range cands {
		if strings.EqualFold(c, k) {
			return c
		}
	}
	best, bestD, ties := "", 3, 0
	for _, c := range cands {
		switch d := suggest.Distance(k, c); {
		case d < bestD:
			best, bestD, ties = c, d, 0
		case d == bestD && best != "":
			ties++
		}
	}
	if ties > 0 {
		return ""
	}
	if best == "" {
		best = suggest.PartOf(k, cands) // ttl → ttl_seconds
	}
	return best
}

// suggestValue is suggestKey for enum values, which also accepts a
// case-insensitive prefix that fits one option only (WARN -> WARNING).
func suggestValue(v string, opts []string) string {
	// Names a Go or Linux user reaches for first; edit distance would
	// turn amd64 into arm64.
	if syn, ok := valueSynonyms[strings.ToLower(v)]; ok && contains(opts, syn) {
		return syn
	}
	if s := suggestKey(v, opts); s != "" {
		return s
	}
	if utf8.RuneCountInString(v) < 2 {
		return ""
	}
	match := ""
	for _, o := range opts {
		if strings.HasPrefix(strings.ToLower(o), strings.ToLower(v)) {
			if match != "" {
				return ""
			}
			match = o
		}
	}
	return match
}

var valueSynonyms = map[string]string{
	"amd64": "x86_64", "x86-64": "x86_64", "x64": "x86_64", "x86": "x86_64",
	"aarch64": "arm64", "arm": "arm64",
}

// nearest returns the allowed values just below and above v.
func nearest(v string, want []any) (lo, hi string, ok bool) {
	x, okx := new(big.Rat).SetString(v)
	if !okx {
		return "", "", false
	}
	for _, w := range want {
		wn, _ := w.(json.Number)
		y, oky := new(big.Rat).SetString(string(wn))
		if !oky {
			continue
		}
		if y.Cmp(x) < 0 {
			lo = string(wn)
		} else if hi == "" {
			hi = string(wn)
		}
	}
	return lo, hi, lo != "" && hi != ""
}

// flow renders an example value as YAML flow text for a hint.
func flow(v any) string {
	switch v := v.(type) {
	case string:
		return flowString(v)
	case []any:
		parts := make([]string, len(v))
		for i, it := range v {
			parts[i] = flow(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = flowString(k) + ": " + flow(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// flowString writes s plain when YAML reads it back as the same string in
// a flow collection, else double-quoted.
func flowString(s string) string {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") ||
		strings.ContainsAny(s, ",[]{}") || strings.Contains(s, ": ") || strings.Contains(s, " #") ||
		strings.HasSuffix(s, ":") {
		return strconv.Quote(s)
	}
	switch strings.ToLower(s) {
	case "true", "false", "null", "~", "yes", "no", "on", "off":
		return strconv.Quote(s)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.Quote(s)
	}
	if _, ok := intNumber(s); ok {
		return strconv.Quote(s)
	}
	return s
}

// flowScalar is a scalar node written back for a hint, keeping its type.
func flowScalar(n *manifest.Node) string {
	if n.ShortTag() == manifest.TagStr {
		return flowString(n.Value)
	}
	return n.Value
}
