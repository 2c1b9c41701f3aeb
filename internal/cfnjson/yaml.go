package cfnjson

import (
	"encoding/json"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// EncodeYAML writes a template value as YAML: keys sorted, block style,
// intrinsics in long form (as Chalice's YAML output has them).
func EncodeYAML(v any) ([]byte, error) {
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNumbers(v)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// yamlNumbers turns json.Number into int64 or float64 so YAML writes numbers.
func yamlNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = yamlNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = yamlNumbers(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	}
	return v
}
