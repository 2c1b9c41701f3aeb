package dispatch

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/internal/jsonquote"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Chalice's JSON body as one pass: the quoted body, decoded, is Python's
// json.dumps(ensure_ascii=True, separators=(',', ':')) output.
func TestChaliceJSON(t *testing.T) {
	s := getScratch()
	defer putScratch(s)
	js, err := s.encodeJSON(map[string]any{"b": "<é>", "a": []any{1, 2.5, "😀"}, "c": nil})
	if err != nil {
		t.Fatal(err)
	}
	var body string
	if err := json.Unmarshal(jsonquote.Append(nil, js, jsonquote.ASCII), &body); err != nil {
		t.Fatal(err)
	}
	const want = `{"a":[1,2.5,"\ud83d\ude00"],"b":"<\u00e9>","c":null}`
	assertEqual(t, "body", body, want)
	assertEqual(t, "AppendASCII", string(jsonquote.AppendASCII(nil, js)), want)
}

func TestMatchesContentType(t *testing.T) {
	valid := []string{"application/json", "image/png"}
	tests := []struct {
		header string
		want   bool
	}{
		{"application/json", true},
		{"Application/JSON", true},
		{"application/json; charset=utf-8", true},
		{"text/html,image/png;q=0.9", true},
		{" image/png ", true},
		{"*/*", true},
		{"text/html, */*;q=0.8", true},
		{"text/plain", false},
		{"", false},
		{"application/jsonx", false},
	}
	for _, tc := range tests {
		if got := matchesContentType(tc.header, valid, false); got != tc.want {
			t.Errorf("matchesContentType(%q) = %v; want %v", tc.header, got, tc.want)
		}
	}
	if !matchesContentType("text/plain", nil, true) {
		t.Error("*/* in the valid types must match anything")
	}
}

func TestAppendProxyResponse(t *testing.T) {
	bin := newBinaryTypes(nil)
	tests := []struct {
		name string
		resp chalice.Response
		want string
	}{
		{"empty", chalice.Response{}, `{"headers":{},"multiValueHeaders":{},"statusCode":200,"body":""}`},
		{"sorted headers", chalice.Response{StatusCode: 204, Headers: map[string]string{"b": "2", "a": "1", "C": "3"},
			MultiValueHeaders: map[string][]string{"z": {"1"}, "y": {"2", "3"}}},
			`{"headers":{"C":"3","a":"1","b":"2"},"multiValueHeaders":{"y":["2","3"],"z":["1"]},"statusCode":204,"body":""}`},
		{"nil body with a binary type", chalice.Response{StatusCode: 304, Headers: map[string]string{"Content-Type": "image/png"}},
			`{"headers":{"Content-Type":"image/png"},"multiValueHeaders":{},"statusCode":304,"body":"","isBase64Encoded":true}`},
		{"binary", chalice.Response{Headers: map[string]string{"content-type": "application/octet-stream"}, Body: []byte{0, 1, 2, 255}},
			`{"headers":{"content-type":"application/octet-stream"},"multiValueHeaders":{},"statusCode":200,"body":"AAEC/w==","isBase64Encoded":true}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := appendProxyResponse(nil, &tc.resp, &bin)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "response", string(got), tc.want)
			if !json.Valid(got) {
				t.Error("invalid JSON")
			}
		})
	}
	// Many headers (more than the stack buffer) and a long body.
	resp := chalice.Response{Headers: map[string]string{}, Body: strings.Repeat(`"é"`, 1000)}
	for i := range 40 {
		resp.Headers[string(rune('A'+i))] = "v"
	}
	got, err := appendProxyResponse(nil, &resp, &bin)
	if err != nil || !json.Valid(got) || !utf8.Valid(got) || !bytes.Contains(got, []byte(`"A":"v","B":"v"`)) {
		t.Errorf("large response: %v %s", err, got[:100])
	}
	if _, err := appendProxyResponse(nil, &chalice.Response{Body: func() {}}, &bin); err == nil {
		t.Error("a func body must fail to encode")
	}
}

// TestBinaryTypesNone: nil binary types are Chalice's 16 defaults; an
// empty list (api.binary_types_replace_defaults with no types) is none.
func TestBinaryTypesNone(t *testing.T) {
	if b := newBinaryTypes(nil); !b.matches("image/png") {
		t.Error("nil: image/png is not binary; want Chalice's defaults")
	}
	if b := newBinaryTypes([]string{}); b.matches("image/png") || b.matches("application/octet-stream") {
		t.Error("an empty list: a default type is binary; want none")
	}
	if b := newBinaryTypes([]string{"application/pdf"}); b.matches("image/png") || !b.matches("application/pdf") {
		t.Error("a replaced list: want application/pdf only")
	}
}
