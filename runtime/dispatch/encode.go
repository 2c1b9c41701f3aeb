package dispatch

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/internal/jsonquote"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// jsonScratch is a pooled buffer with an encoder writing to it, for
// encoding bodies; its bytes never leave an invocation.
type jsonScratch struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var scratchPool = sync.Pool{New: func() any {
	s := &jsonScratch{}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}}

func getScratch() *jsonScratch {
	s := scratchPool.Get().(*jsonScratch)
	s.buf.Reset()
	return s
}

func putScratch(s *jsonScratch) {
	if s.buf.Cap() > 64<<10 {
		return // do not keep huge buffers alive
	}
	scratchPool.Put(s)
}

// encodeJSON writes v as compact JSON without HTML escaping into s and
// returns the bytes (valid until s is reused). Non-ASCII characters are
// left as UTF-8: jsonquote's ASCII mode escapes them when the text is
// written.
func (s *jsonScratch) encodeJSON(v any) ([]byte, error) {
	s.buf.Reset()
	if err := s.enc.Encode(v); err != nil {
		return nil, err
	}
	b := s.buf.Bytes()
	return b[:len(b)-1], nil // Encode adds a newline
}

// marshalResult encodes an event function's result as aws-lambda-go
// does: JSON without HTML escaping; nil is null. A json.RawMessage is
// written as it is.
func marshalResult(v any) ([]byte, error) {
	switch r := v.(type) {
	case nil:
		return []byte("null"), nil
	case json.RawMessage:
		if r == nil {
			return []byte("null"), nil
		}
		return r, nil
	}
	s := getScratch()
	defer putScratch(s)
	b, err := s.encodeJSON(v)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil
}

// binaryTypes is the app's list of binary media types, lower-cased.
type binaryTypes struct {
	types []string
	any   bool // */* is one of them
}

func newBinaryTypes(ts []string) binaryTypes {
	if ts == nil { // not empty: binary_types_replace_defaults with no types
		ts = chalice.DefaultBinaryTypes()
	}
	b := binaryTypes{types: make([]string, len(ts))}
	for i, t := range ts {
		b.types[i] = strings.ToLower(t)
		if b.types[i] == "*/*" {
			b.any = true
		}
	}
	return b
}

// matches is Chalice's _matches_content_type(ct, types).
func (b binaryTypes) matches(ct string) bool {
	return matchesContentType(ct, b.types, b.any)
}

// matchesContentType is Chalice's _matches_content_type: valid is
// lower-cased and validAny says it holds */*. A header containing */*
// matches anything; otherwise the header is split on "," and ";", each
// part trimmed, and any part equal to a valid type matches.
func matchesContentType(header string, valid []string, validAny bool) bool {
	if validAny {
		return true
	}
	h := strings.ToLower(header)
	if strings.Contains(h, "*/*") {
		return true
	}
	for len(h) > 0 {
		i := strings.IndexAny(h, ",;")
		part := h
		if i >= 0 {
			part, h = h[:i], h[i+1:]
		} else {
			h = ""
		}
		if slices.Contains(valid, strings.TrimSpace(part)) {
			return true
		}
	}
	return false
}

var jsonTypes = []string{"application/json"}

// The ways appendProxyResponse fails.
var (
	// errBytesNotBinary: a []byte body whose Content-Type is not binary.
	errBytesNotBinary = errors.New("response body is []byte but its Content-Type is not one of the app's binary types")
	// errBodyJSON: a body that encoding/json cannot encode.
	errBodyJSON = errors.New("encoding the response body as JSON")
	// errTextBinary: a text body with a non-JSON binary Content-Type
	// (Chalice's ValueError, a Lambda error).
	errTextBinary = errors.New("response body must be []byte for a binary Content-Type")
)

// appendProxyResponse appends the API Gateway proxy response for resp
// (Chalice's Response.to_dict): {"headers", "multiValueHeaders",
// "statusCode", "body"} and "isBase64Encoded": true for a binary body.
// With bin nil (websocket responses) there is no binary handling and a
// []byte body is written as text.
//
// It fails (with the errors above, wrapped) on a []byte body without a
// binary Content-Type, a text body with a non-JSON binary Content-Type,
// and a body that does not encode as JSON. A nil body is empty whatever
// the Content-Type.
func appendProxyResponse(dst []byte, resp *chalice.Response, bin *binaryTypes) ([]byte, error) {
	var (
		text    string
		raw     []byte
		isRaw   bool
		isJSON  bool
		isNil   bool
		scratch *jsonScratch
	)
	switch b := resp.Body.(type) {
	case nil:
		isNil = true
	case string:
		text = b
	case []byte:
		raw, isRaw = b, true
	default:
		scratch = getScratch()
		defer putScratch(scratch)
		js, err := scratch.encodeJSON(b)
		if err != nil {
			return dst, fmt.Errorf("%w: %w", errBodyJSON, err)
		}
		raw, isJSON = js, true
	}

	binary := false
	var ct string
	if bin != nil {
		ct, _ = resp.LookupHeader("Content-Type")
		binary = bin.matches(ct)
		if isRaw && !binary {
			return dst, fmt.Errorf("%w (Content-Type %q)", errBytesNotBinary, ct)
		}
		if binary && !isRaw && !isNil && ct != "" && !matchesContentType(ct, jsonTypes, false) {
			kind := "string"
			if isJSON {
				kind = fmt.Sprintf("%T (written as JSON text)", resp.Body)
			}
			return dst, fmt.Errorf("%w (Content-Type %q), got %s", errTextBinary, ct, kind)
		}
	}

	if cap(dst)-len(dst) < 96+len(text)+len(raw)*5/4 {
		dst = slices.Grow(dst, 96+len(text)+len(raw)*3/2+headersSize(resp))
	}
	dst = append(dst, `{"headers":{`...)
	dst = appendSingleHeaders(dst, resp.Headers)
	dst = append(dst, `},"multiValueHeaders":{`...)
	dst = appendMultiHeaders(dst, resp.MultiValueHeaders)
	dst = append(dst, `},"statusCode":`...)
	dst = strconv.AppendInt(dst, int64(resp.Status()), 10)
	dst = append(dst, `,"body":`...)
	switch {
	case binary:
		var data []byte
		switch {
		case isJSON:
			data = jsonquote.AppendASCII(nil, raw)
		case isRaw:
			data = raw
		default:
			data = []byte(text)
		}
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, data)
		dst = append(dst, `","isBase64Encoded":true}`...)
		return dst, nil
	case isJSON:
		dst = jsonquote.Append(dst, raw, jsonquote.ASCII)
	case isRaw:
		dst = jsonquote.Append(dst, raw, jsonquote.Minimal)
	default:
		dst = jsonquote.Append(dst, text, jsonquote.Minimal)
	}
	return append(dst, '}'), nil
}

func headersSize(resp *chalice.Response) int {
	n := 0
	for k, v := range resp.Headers {
		n += len(k) + len(v) + 6
	}
	for k, vs := range resp.MultiValueHeaders {
		n += len(k) + 6
		for _, v := range vs {
			n += len(v) + 3
		}
	}
	return n
}

// sortedKeys returns h's keys sorted, in buf while they fit: responses
// have a few headers, and their keys need not outlive the encoding.
func sortedKeys[V any](buf []string, h map[string]V) []string {
	keys := buf[:0]
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func appendSingleHeaders(dst []byte, h map[string]string) []byte {
	var buf [16]string
	for i, k := range sortedKeys(buf[:], h) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonquote.Append(dst, k, jsonquote.Minimal)
		dst = append(dst, ':')
		dst = jsonquote.Append(dst, h[k], jsonquote.Minimal)
	}
	return dst
}

func appendMultiHeaders(dst []byte, h map[string][]string) []byte {
	var buf [16]string
	for i, k := range sortedKeys(buf[:], h) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonquote.Append(dst, k, jsonquote.Minimal)
		dst = append(dst, ':', '[')
		for j, v := range h[k] {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = jsonquote.Append(dst, v, jsonquote.Minimal)
		}
		dst = append(dst, ']')
	}
	return dst
}
