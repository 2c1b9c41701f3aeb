package cfnjson

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/chalc-dev/chalc/internal/jsonquote"
)

// EncodeJSON writes a template value as JSON: keys sorted, two-space
// indent (or none when compact), no HTML escaping, a final newline — the
// bytes encoding/json's Encoder writes with SetEscapeHTML(false), produced
// without reflection (see appendJSON). Same value, same bytes.
func EncodeJSON(v any, compact bool) ([]byte, error) {
	indent := "  "
	if compact {
		indent = ""
	}
	out, err := appendJSON(make([]byte, 0, 64<<10), v, indent, 0)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// appendJSON writes the plain JSON values templates are made of
// (map[string]any, []any, []string, string, json.Number, bool, nil, int)
// exactly as encoding/json's Encoder with SetEscapeHTML(false) writes
// them — keys sorted, the same escapes — without reflection: templates
// of a thousand routes are encoded twice per package (pretty and compact).
// Other values fall back to encoding/json.
func appendJSON(dst []byte, v any, indent string, depth int) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case string:
		return jsonquote.Append(dst, x, jsonquote.EncodingJSON), nil
	case json.Number:
		if x == "" {
			return append(dst, '0'), nil
		}
		return append(dst, x...), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case map[string]any:
		if len(x) == 0 {
			return append(dst, "{}"...), nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, indent, depth+1)
			dst = jsonquote.Append(dst, k, jsonquote.EncodingJSON)
			dst = append(dst, ':')
			if indent != "" {
				dst = append(dst, ' ')
			}
			var err error
			if dst, err = appendJSON(dst, x[k], indent, depth+1); err != nil {
				return nil, err
			}
		}
		dst = newline(dst, indent, depth)
		return append(dst, '}'), nil
	case []any:
		if len(x) == 0 {
			return append(dst, "[]"...), nil
		}
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, indent, depth+1)
			var err error
			if dst, err = appendJSON(dst, e, indent, depth+1); err != nil {
				return nil, err
			}
		}
		dst = newline(dst, indent, depth)
		return append(dst, ']'), nil
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		return appendJSON(dst, items, indent, depth)
	}
	// Anything else: encoding/json, re-indented to this depth.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %T: %w", v, err)
	}
	var plain any
	if plain, err = Decode(b); err != nil {
		return nil, err
	}
	return appendJSON(dst, plain, indent, depth)
}

func newline(dst []byte, indent string, depth int) []byte {
	if indent == "" {
		return dst
	}
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, indent...)
	}
	return dst
}
