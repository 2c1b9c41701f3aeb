package sam

import (
	"bytes"
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// Value renders t through goformation (which decodes intrinsics) and
// returns it as plain JSON values, numbers kept exact, ready to merge and
// encode.
func Value(t *cloudformation.Template) (map[string]any, error) {
	raw, err := t.JSON()
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// EncodeJSON writes a template value as JSON: keys sorted, two-space
// indent (or none when compact), no HTML escaping, a final newline.
// Same value, same bytes.
func EncodeJSON(v any, compact bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if !compact {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
