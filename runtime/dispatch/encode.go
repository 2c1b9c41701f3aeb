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

// proxyBody is a response body classified for a proxy response: how it
// is written, and whether it is sent base64-encoded.
type proxyBody struct {
	text    string
	raw     []byte
	isRaw   bool
	isJSON  bool
	binary  bool
	scratch *jsonScratch // holds raw for a JSON body; release returns it
}

func (b *proxyBody) release() {
	if b.scratch != nil {
		putScratch(b.scratch)
		b.scratch = nil
	}
}

// classifyBody checks resp's body against its Content-Type (see
// appendProxyResponse) and encodes a value body as JSON. The caller
// releases the result.
func classifyBody(resp *chalice.Response, bin *binaryTypes) (proxyBody, error) {
	var b proxyBody
	isNil := false
	switch body := resp.Body.(type) {
	case nil:
		isNil = true
	case string:
		b.text = body
	case []byte:
		b.raw, b.isRaw = body, true
	default:
		b.scratch = getScratch()
		js, err := b.scratch.encodeJSON(body)
		if err != nil {
			b.release()
			return b, fmt.Errorf("%w: %w", errBodyJSON, err)
		}
		b.raw, b.isJSON = js, true
	}
	if bin != nil {
		ct, _ := resp.LookupHeader("Content-Type")
		b.binary = bin.matches(ct)
		if b.isRaw && !b.binary {
			b.release()
			return b, fmt.Errorf("%w (Content-Type %q)", errBytesNotBinary, ct)
		}
		if b.binary && !b.isRaw && !isNil && ct != "" && !matchesContentType(ct, jsonTypes, false) {
			kind := "string"
			if b.isJSON {
				kind = fmt.Sprintf("%T (written as JSON text)", resp.Body)
			}
			b.release()
			return b, fmt.Errorf("%w (Content-Type %q), got %s", errTextBinary, ct, kind)
		}
	}
	return b, nil
}

// grow makes room in dst for a response with body b.
func (b *proxyBody) grow(dst []byte, resp *chalice.Response) []byte {
	if cap(dst)-len(dst) < 96+len(b.text)+len(b.raw)*5/4 {
		dst = slices.Grow(dst, 96+len(b.text)+len(b.raw)*3/2+headersSize(resp))
	}
	return dst
}

// appendBody appends `"body":...` and, for a binary body,
// `,"isBase64Encoded":true`.
func (b *proxyBody) appendBody(dst []byte) []byte {
	dst = append(dst, `"body":`...)
	switch {
	case b.binary:
		var data []byte
		switch {
		case b.isJSON:
			data = jsonquote.AppendASCII(nil, b.raw)
		case b.isRaw:
			data = b.raw
		default:
			data = []byte(b.text)
		}
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, data)
		return append(dst, `","isBase64Encoded":true`...)
	case b.isJSON:
		return jsonquote.Append(dst, b.raw, jsonquote.ASCII)
	case b.isRaw:
		return jsonquote.Append(dst, b.raw, jsonquote.Minimal)
	}
	return jsonquote.Append(dst, b.text, jsonquote.Minimal)
}

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
	b, err := classifyBody(resp, bin)
	if err != nil {
		return dst, err
	}
	defer b.release()
	dst = b.grow(dst, resp)
	dst = append(dst, `{"headers":{`...)
	dst = appendSingleHeaders(dst, resp.Headers)
	dst = append(dst, `},"multiValueHeaders":{`...)
	dst = appendMultiHeaders(dst, resp.MultiValueHeaders)
	dst = append(dst, `},"statusCode":`...)
	dst = strconv.AppendInt(dst, int64(resp.Status()), 10)
	dst = append(dst, ',')
	dst = b.appendBody(dst)
	return append(dst, '}'), nil
}

// appendV2Response appends the payload format 2.0 response for resp, as
// an HTTP API and a function URL read it: {"statusCode", "headers",
// "cookies", "body"} and "isBase64Encoded": true for a binary body. The
// format has no multi-value headers: a name's values are joined with
// ", " (Headers' value first), as HTTP allows, except Set-Cookie (any
// case), whose values go to cookies, one each. The body is checked and
// written as by appendProxyResponse.
func appendV2Response(dst []byte, resp *chalice.Response, bin *binaryTypes) ([]byte, error) {
	b, err := classifyBody(resp, bin)
	if err != nil {
		return dst, err
	}
	defer b.release()
	dst = b.grow(dst, resp)
	dst = append(dst, `{"statusCode":`...)
	dst = strconv.AppendInt(dst, int64(resp.Status()), 10)
	dst = append(dst, `,"headers":{`...)
	var cookies []string
	if len(resp.MultiValueHeaders) == 0 {
		// The common case: one value per name, written as it is.
		var buf [16]string
		i := 0
		for _, k := range sortedKeys(buf[:], resp.Headers) {
			if asciiEqualFold(k, "Set-Cookie") {
				cookies = append(cookies, resp.Headers[k])
				continue
			}
			if i > 0 {
				dst = append(dst, ',')
			}
			i++
			dst = jsonquote.Append(dst, k, jsonquote.Minimal)
			dst = append(dst, ':')
			dst = jsonquote.Append(dst, resp.Headers[k], jsonquote.Minimal)
		}
	} else {
		merged := make(map[string][]string, len(resp.Headers)+len(resp.MultiValueHeaders))
		for k, v := range resp.Headers {
			merged[k] = append(merged[k], v)
		}
		for k, vs := range resp.MultiValueHeaders {
			merged[k] = append(merged[k], vs...)
		}
		var buf [16]string
		i := 0
		for _, k := range sortedKeys(buf[:], merged) {
			if asciiEqualFold(k, "Set-Cookie") {
				cookies = append(cookies, merged[k]...)
				continue
			}
			if i > 0 {
				dst = append(dst, ',')
			}
			i++
			dst = jsonquote.Append(dst, k, jsonquote.Minimal)
			dst = append(dst, ':')
			dst = jsonquote.Append(dst, strings.Join(merged[k], ", "), jsonquote.Minimal)
		}
	}
	dst = append(dst, '}')
	if len(cookies) > 0 {
		dst = append(dst, `,"cookies":[`...)
		for i, c := range cookies {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonquote.Append(dst, c, jsonquote.Minimal)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, ',')
	dst = b.appendBody(dst)
	return append(dst, '}'), nil
}

// asciiEqualFold reports whether a and b are equal ignoring ASCII case.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
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
