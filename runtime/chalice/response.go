package chalice

// Response is a route's full answer, Chalice's Response. A route may
// return a *Response or a Response; any other result r is answered as
// Response{Body: r}.
//
// StatusCode 0 means 200. Headers are single-valued headers and
// MultiValueHeaders list-valued ones; they become the proxy response's
// headers and multiValueHeaders as they are (Chalice's rule: a list value
// goes to multiValueHeaders). A header value containing "\n" makes the
// response a 500, as in Chalice.
//
// Body is written as follows:
//
//   - a string is the body verbatim;
//   - a []byte is allowed only with a Content-Type header matching one of
//     the app's binary types; it is base64-encoded and the proxy response
//     marked isBase64Encoded. A []byte with any other Content-Type is a
//     programming error, logged and answered with a 500;
//   - nil is an empty body;
//   - anything else is JSON as Chalice writes it: compact, no HTML
//     escaping, non-ASCII characters (and DEL) escaped as \uXXXX with
//     surrogate pairs above U+FFFF, map keys sorted (Go maps have no
//     insertion order), struct fields in declaration order. No
//     Content-Type header is added (API Gateway's default is
//     application/json).
//
// With a binary Content-Type the request's Accept header must match a
// binary type too, else the answer is Chalice's 400 "BadRequest" (see
// runtime/dispatch). A string or JSON body with a binary Content-Type other than
// application/json fails the invocation, as Chalice's ValueError does; a
// nil body is empty whatever the Content-Type.
type Response struct {
	StatusCode        int                 // 0 means 200
	Headers           map[string]string   // single-valued headers
	MultiValueHeaders map[string][]string // list-valued headers
	Body              any                 // string, []byte, nil or a JSON value
}

// Status returns r.StatusCode, or 200 when it is 0.
func (r *Response) Status() int {
	if r.StatusCode == 0 {
		return 200
	}
	return r.StatusCode
}

// Header returns the value of the response header name, ignoring case:
// from Headers, else the first value in MultiValueHeaders; "" when unset.
func (r *Response) Header(name string) string {
	v, _ := r.LookupHeader(name)
	return v
}

// LookupHeader is Header that also reports whether the header is set.
func (r *Response) LookupHeader(name string) (string, bool) {
	if v, ok := r.Headers[name]; ok {
		return v, true
	}
	for k, v := range r.Headers {
		if asciiEqualFold(k, name) {
			return v, true
		}
	}
	for k, vs := range r.MultiValueHeaders {
		if asciiEqualFold(k, name) {
			if len(vs) == 0 {
				return "", true
			}
			return vs[0], true
		}
	}
	return "", false
}

// DefaultBinaryTypes returns Chalice's 16 default binary media types, the
// start of Config.BinaryTypes (api.binary_types are added to them, unless
// they replace them). The runtime uses them when Config.BinaryTypes is
// nil.
func DefaultBinaryTypes() []string {
	return []string{
		"application/octet-stream", "application/x-tar", "application/zip",
		"audio/basic", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav",
		"audio/webm", "image/png", "image/jpg", "image/jpeg", "image/gif",
		"video/ogg", "video/mpeg", "video/webm",
	}
}
