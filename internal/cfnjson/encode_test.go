package cfnjson

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encodingJSON is what EncodeJSON must match byte for byte.
func encodingJSON(t *testing.T, v any, compact bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if !compact {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEncodeJSONMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, true, "", "plain", json.Number("10485760"), json.Number("1.5e-7"), 3,
		"quote \" backslash \\ <html> & \u2028 \u2029 \x00 \x1f \t\n\r\b\f é 日本 \xff end",
		map[string]any{}, []any{}, []string{"a", "b"},
		map[string]any{"b": []any{map[string]any{"z": 1, "a": nil}, "x", []any{}}, "a": map[string]any{"k": json.Number("0")}, "Ä": "ü"},
		map[string]any{"Fn::Sub": []any{"x${y}", map[string]any{"y": map[string]any{"Ref": "Y"}}}},
		struct{ A int }{7},
	}
	for _, v := range values {
		for _, compact := range []bool{false, true} {
			want := encodingJSON(t, v, compact)
			got, err := EncodeJSON(v, compact)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("EncodeJSON(%#v, %v):\n got %q\nwant %q", v, compact, got, want)
			}
		}
	}
}

func FuzzEncodeJSON(f *testing.F) {
	f.Add(`{"a":[1,"x",{"b":null}],"c":"\u2028<>&"}`)
	f.Fuzz(func(t *testing.T, doc string) {
		v, err := Decode([]byte(doc))
		if err != nil {
			return
		}
		for _, compact := range []bool{false, true} {
			got, err := EncodeJSON(v, compact)
			if err != nil {
				t.Fatal(err)
			}
			if want := encodingJSON(t, v, compact); !bytes.Equal(got, want) {
				t.Fatalf("got %q\nwant %q", got, want)
			}
		}
	})
}
