package sam

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// value renders t as plain JSON values (numbers kept exact).
//
// goformation's helpers (cloudformation.Ref, GetAtt, Sub, ...) return the
// intrinsic's JSON base64-encoded in a string; Template.JSON() decodes
// them, but it also *evaluates* any raw intrinsic map it meets (FACTS.md)
// and costs three marshal/unmarshal passes. value does one marshal and
// one decode and only turns helper strings back into intrinsic objects,
// evaluating nothing.
func (t *typedTemplate) value() (map[string]any, error) {
	raw, err := json.Marshal(t.Template)
	if err != nil {
		return nil, err
	}
	v, err := decodeNumber(raw)
	if err != nil {
		return nil, err
	}
	out := decodeIntrinsics(v).(map[string]any)
	if len(t.bodies) > 0 {
		if err := placeBodies(out, t.bodies); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// placeBodies swaps each placeholder string for its document (already
// plain: see startSwagger).
func placeBodies(v any, bodies map[string]func() (any, error)) error {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				if body, ok := bodies[s]; ok {
					doc, err := body()
					if err != nil {
						return err
					}
					x[k] = doc
					continue
				}
			}
			if err := placeBodies(e, bodies); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := placeBodies(e, bodies); err != nil {
				return err
			}
		}
	}
	return nil
}

// plainJSON converts a document built in Go (maps, slices of strings,
// ints, helper-encoded intrinsics) to the plain JSON values Value returns.
// Maps and []any are converted in place: the document is the generator's
// own, and parts shared between operations are converted once.
func plainJSON(v any) any { return (&plainer{seen: map[unsafe.Pointer]bool{}}).plain(v) }

// plainer remembers the maps it has converted: operations share parts
// (the integration, the responses), which need converting once.
type plainer struct{ seen map[unsafe.Pointer]bool }

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
			out[i] = p.plain(e)
		}
		return out
	case string:
		if m, ok := intrinsic(x); ok {
			return m
		}
		return x
	case int:
		return json.Number(strconv.Itoa(x))
	case bool, nil, json.Number:
		return x
	}
	// Anything else (a user's policy document, an event pattern): the
	// JSON round trip is the definition of its plain form.
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	out, _ := decodeNumber(raw)
	return decodeIntrinsics(out)
}

func decodeNumber(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// intrinsicNames are the keys goformation's helpers produce.
var intrinsicNames = map[string]bool{
	"Ref": true, "Condition": true, "Fn::GetAtt": true, "Fn::Sub": true, "Fn::Join": true,
	"Fn::If": true, "Fn::Select": true, "Fn::Split": true, "Fn::FindInMap": true,
	"Fn::ImportValue": true, "Fn::Base64": true, "Fn::Cidr": true, "Fn::GetAZs": true,
	"Fn::Equals": true, "Fn::And": true, "Fn::Or": true, "Fn::Not": true, "Fn::Transform": true,
}

// decodeIntrinsics replaces, in place, every string that is a
// goformation-encoded intrinsic by the intrinsic's object.
func decodeIntrinsics(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = decodeIntrinsics(e)
		}
	case []any:
		for i, e := range x {
			x[i] = decodeIntrinsics(e)
		}
	case string:
		if m, ok := intrinsic(x); ok {
			return m
		}
	}
	return v
}

func intrinsic(s string) (map[string]any, bool) {
	// The helpers encode `{ "Fn::...` or `{"...`: base64 "eyAi" / "eyJ".
	if len(s) < 8 || len(s)%4 != 0 || !(strings.HasPrefix(s, "eyAi") || strings.HasPrefix(s, "eyJ")) {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	v, err := decodeNumber(b)
	if err != nil {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, false
	}
	for k, arg := range m {
		if !intrinsicNames[k] {
			return nil, false
		}
		m[k] = decodeIntrinsics(arg)
	}
	return m, true
}

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
