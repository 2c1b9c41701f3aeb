package cfnjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"unsafe"
)

// Decode reads one JSON value with numbers as json.Number.
func Decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// Ref is the intrinsic {"Ref": name}.
func Ref(name string) map[string]any { return map[string]any{"Ref": name} }

// GetAtt is the intrinsic {"Fn::GetAtt": [resource, attribute]}.
func GetAtt(resource, attribute string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{resource, attribute}}
}

// Sub is the intrinsic {"Fn::Sub": text}.
func Sub(text string) map[string]any { return map[string]any{"Fn::Sub": text} }

// Join is the intrinsic {"Fn::Join": [sep, parts]}; parts are plain
// values (strings or intrinsics).
func Join(sep string, parts ...any) map[string]any {
	return map[string]any{"Fn::Join": []any{sep, parts}}
}

// Plain converts a value built in Go — maps, slices of any or of
// strings, strings, ints, bools, json.Number, and structs or other types
// encoding/json knows — to plain JSON values. Maps and []any are
// converted in place; a map met twice (a part shared between places) is
// converted once. Strings are kept as they are: no string stands for an
// intrinsic function.
func Plain(v any) any { return (&plainer{seen: map[unsafe.Pointer]bool{}}).plain(v) }

type plainer struct {
	seen map[unsafe.Pointer]bool // maps converted, by identity
}

func (p *plainer) plain(v any) any {
	switch x := v.(type) {
	case map[string]any:
		id := reflect.ValueOf(x).UnsafePointer()
		if p.seen[id] {
			return x
		}
		p.seen[id] = true
		for k, e := range x {
			x[k] = p.plain(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = p.plain(e)
		}
		return x
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case int:
		return json.Number(strconv.Itoa(x))
	case string, bool, nil, json.Number:
		return x
	}
	// Anything else (a user's policy document, an event pattern, a
	// struct): the JSON round trip is the definition of its plain form.
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	out, _ := Decode(raw)
	return out
}
