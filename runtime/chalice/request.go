package chalice

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"iter"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Request is the HTTP request a route handles, built from API Gateway's
// proxy event as Chalice's app.current_request is: a REST API's (payload
// format 1.0, NewRequest), or an HTTP API's or a function URL's (payload
// format 2.0, NewRequestV2), which fill the same fields.
type Request struct {
	// Method is the HTTP method, upper case (requestContext.httpMethod).
	Method string
	// Path is the route's resource template, e.g. /users/{id}
	// (requestContext.resourcePath, else the event's resource), as
	// Chalice's request.path.
	Path string
	// RawPath is the concrete path of the request, e.g. /users/42 (the
	// event's path). Chalice has no equivalent.
	RawPath string
	// QueryParams are the query string parameters.
	QueryParams QueryParams
	// Headers are the request headers; lookups ignore case.
	Headers Headers
	// URIParams are the values of the path's {params} by name
	// (pathParameters). The generated code passes them to the handler as
	// arguments too.
	URIParams map[string]string
	// RequestContext is API Gateway's request context; the context a
	// Lambda authorizer returned is in RequestContext.Authorizer.
	RequestContext events.APIGatewayProxyRequestContext
	// StageVars are API Gateway's stage variables.
	StageVars map[string]string
	// RawBody is the request body, base64-decoded when API Gateway sent
	// it base64-encoded (binary media types). It is nil when there is no
	// body.
	RawBody []byte
	// Raw is the event as a REST API sent it (Chalice's
	// to_original_event()), nil for a payload format 2.0 event. Treat it
	// as read-only.
	Raw *events.APIGatewayProxyRequest
	// RawV2 is the event as an HTTP API or a function URL sent it
	// (payload format 2.0: cookies, rawPath, rawQueryString, the JWT or
	// Lambda authorizer's answer), nil for a REST API's. Treat it as
	// read-only.
	RawV2 *events.APIGatewayV2HTTPRequest

	ctx     context.Context
	bodyErr error
}

// NewRequest builds the Request for an API Gateway proxy event; ctx is
// what Request.Context returns. The event is referenced, not copied: Raw
// points to it and the maps are shared.
//
// A body marked isBase64Encoded that is not valid base64 leaves RawBody
// nil and is reported by BodyError; the runtime answers such a request
// with a 500, as Chalice does when a view reads the body.
func NewRequest(ctx context.Context, ev *events.APIGatewayProxyRequest) *Request {
	r := &Request{}
	r.init(ctx, ev)
	return r
}

// init fills r from ev; see NewRequest.
func (r *Request) init(ctx context.Context, ev *events.APIGatewayProxyRequest) {
	r.Method = ev.RequestContext.HTTPMethod
	if r.Method == "" {
		r.Method = ev.HTTPMethod
	}
	r.Path = ev.RequestContext.ResourcePath
	if r.Path == "" {
		r.Path = ev.Resource
	}
	r.RawPath = ev.Path
	r.QueryParams = NewQueryParams(ev.MultiValueQueryStringParameters, ev.QueryStringParameters)
	r.Headers = NewHeaders(ev.MultiValueHeaders, ev.Headers)
	r.URIParams = ev.PathParameters
	r.RequestContext = ev.RequestContext
	r.StageVars = ev.StageVariables
	r.Raw = ev
	r.ctx = ctx
	if ev.Body != "" {
		if ev.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(ev.Body)
			if err != nil {
				r.bodyErr = err
			} else {
				r.RawBody = b
			}
		} else {
			r.RawBody = []byte(ev.Body)
		}
	}
}

// Context returns the invocation's context (deadline, and the Lambda
// context via lambdacontext.FromContext); context.Background() for a
// Request built by hand.
func (r *Request) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// WithContext returns a shallow copy of r whose Context is ctx, for
// middleware that adds values to the context.
func (r *Request) WithContext(ctx context.Context) *Request {
	r2 := *r
	r2.ctx = ctx
	return &r2
}

// Claims returns the claims of the caller's token on a route guarded by
// a cognito_user_pool authorizer, or a jwt one in an HTTP API
// (requestContext.authorizer.claims, or .jwt.claims in payload format
// 2.0; each value a string as API Gateway passes them: "true",
// "1500009400"); nil
// when the request has none, as on a route without such an authorizer,
// so reading a claim never fails: req.Claims()["sub"].
func (r *Request) Claims() map[string]string {
	raw, ok := r.RequestContext.Authorizer["claims"].(map[string]any)
	if !ok {
		return nil
	}
	claims := make(map[string]string, len(raw))
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			claims[k] = v
		case nil:
			claims[k] = ""
		default:
			b, _ := json.Marshal(v)
			claims[k] = string(b)
		}
	}
	return claims
}

// BodyError reports a request body that could not be decoded (invalid
// base64); nil normally.
func (r *Request) BodyError() error { return r.bodyErr }

// JSONBody decodes the JSON request body into v, as Chalice's
// request.json_body:
//
//   - When the Content-Type header does not start with
//     "application/json" (case-sensitive, as Chalice; a missing header
//     counts as not JSON), the body is not parsed: v is left untouched
//     and JSONBody returns nil (json_body is None).
//   - Otherwise a body that does not decode into v, including an empty
//     body, returns &BadRequestError{Message: "Error Parsing JSON"}, which
//     a route returns as is to answer 400. A JSON null leaves v as
//     encoding/json does.
//
// A v that is not a non-nil pointer is a programming error, returned as
// encoding/json's error (a 500 if returned by a route).
func (r *Request) JSONBody(v any) error {
	if !strings.HasPrefix(r.Headers.Get("Content-Type"), "application/json") {
		return nil
	}
	return decodeJSONBody(r.RawBody, v)
}

func decodeJSONBody(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		if _, ok := err.(*json.InvalidUnmarshalError); ok {
			return err
		}
		Logger().Debug("Error Parsing JSON: " + err.Error())
		return &BadRequestError{Message: "Error Parsing JSON"}
	}
	return nil
}

// Headers are HTTP request headers with case-insensitive names. The zero
// value is empty.
//
// API Gateway sends each header twice: in headers (the last value of each
// name) and in multiValueHeaders (all of them). Headers uses
// multiValueHeaders when the event has it and headers otherwise. If an
// event holds one name under several spellings ("Accept" and "accept"),
// their values are joined in the sorted order of the spellings.
type Headers struct {
	multi  map[string][]string
	single map[string]string
}

// NewHeaders returns the Headers of an event's multiValueHeaders and
// headers (either may be nil). The maps are referenced, not copied.
func NewHeaders(multi map[string][]string, single map[string]string) Headers {
	if len(multi) > 0 {
		return Headers{multi: multi}
	}
	return Headers{single: single}
}

// Get returns the last value of the header name, or "" when there is none.
// It is the value API Gateway puts in the event's headers and Chalice's
// request.headers[name] returns.
func (h Headers) Get(name string) string {
	if h.multi == nil {
		v, _ := h.lookupSingle(name)
		return v
	}
	vs := h.Values(name)
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// Lookup is Get that also reports whether the header is present.
func (h Headers) Lookup(name string) (string, bool) {
	if h.multi == nil {
		return h.lookupSingle(name)
	}
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// Values returns every value of the header name, in order; nil when there
// is none. The slice may be shared with the event: do not modify it.
func (h Headers) Values(name string) []string {
	if h.multi == nil {
		if v, ok := h.lookupSingle(name); ok {
			return []string{v}
		}
		return nil
	}
	var first string
	var found []string
	n := 0
	for k, vs := range h.multi {
		if asciiEqualFold(k, name) {
			n++
			if n == 1 {
				first, found = k, vs
			}
		}
	}
	if n <= 1 {
		return found
	}
	// Several spellings of one name: join them deterministically.
	keys := make([]string, 0, n)
	keys = append(keys, first)
	for k := range h.multi {
		if k != first && asciiEqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var all []string
	for _, k := range keys {
		all = append(all, h.multi[k]...)
	}
	return all
}

func (h Headers) lookupSingle(name string) (string, bool) {
	if v, ok := h.single[name]; ok {
		return v, true
	}
	var keys []string
	for k := range h.single {
		if asciiEqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "", false
	}
	slices.Sort(keys)
	return h.single[keys[len(keys)-1]], true
}

// Has reports whether the header name is present.
func (h Headers) Has(name string) bool {
	_, ok := h.Lookup(name)
	return ok
}

// Len returns the number of distinct header names.
func (h Headers) Len() int {
	n := 0
	for range h.All() {
		n++
	}
	return n
}

// All yields each header name, lower-cased, with all its values, sorted
// by name.
func (h Headers) All() iter.Seq2[string, []string] {
	return func(yield func(string, []string) bool) {
		var names []string
		seen := map[string]bool{}
		add := func(k string) {
			lk := strings.ToLower(k)
			if !seen[lk] {
				seen[lk] = true
				names = append(names, lk)
			}
		}
		for k := range h.multi {
			add(k)
		}
		for k := range h.single {
			add(k)
		}
		slices.Sort(names)
		for _, k := range names {
			if !yield(k, h.Values(k)) {
				return
			}
		}
	}
}

// asciiEqualFold reports whether a and b are equal ignoring ASCII case
// (header names are ASCII tokens).
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
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

// QueryParams are the query string parameters of a request, a multi-map
// like Chalice's MultiDict: Get returns the last value of a name, GetAll
// all of them. Names are case-sensitive. The zero value is empty (Chalice's
// query_params is None when there are none; here Len is 0).
//
// They come from the event's multiValueQueryStringParameters, or from
// queryStringParameters when the event has no multi-value map.
type QueryParams struct {
	multi  map[string][]string
	single map[string]string
}

// NewQueryParams returns the QueryParams of an event's
// multiValueQueryStringParameters and queryStringParameters (either may be
// nil). The maps are referenced, not copied.
func NewQueryParams(multi map[string][]string, single map[string]string) QueryParams {
	if len(multi) > 0 {
		return QueryParams{multi: multi}
	}
	return QueryParams{single: single}
}

// Get returns the last value of the parameter name, or "" when absent.
func (q QueryParams) Get(name string) string {
	v, _ := q.Lookup(name)
	return v
}

// Lookup is Get that also reports whether the parameter is present.
func (q QueryParams) Lookup(name string) (string, bool) {
	if q.multi != nil {
		vs := q.multi[name]
		if len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	}
	v, ok := q.single[name]
	return v, ok
}

// GetAll returns every value of the parameter name, in order; nil when
// absent. The slice may be shared with the event: do not modify it.
func (q QueryParams) GetAll(name string) []string {
	if q.multi != nil {
		return q.multi[name]
	}
	if v, ok := q.single[name]; ok {
		return []string{v}
	}
	return nil
}

// Has reports whether the parameter name is present.
func (q QueryParams) Has(name string) bool {
	_, ok := q.Lookup(name)
	return ok
}

// Len returns the number of distinct parameter names.
func (q QueryParams) Len() int {
	if q.multi != nil {
		return len(q.multi)
	}
	return len(q.single)
}

// All yields each parameter name with all its values, sorted by name.
func (q QueryParams) All() iter.Seq2[string, []string] {
	return func(yield func(string, []string) bool) {
		var names []string
		for k := range q.multi {
			names = append(names, k)
		}
		for k := range q.single {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			if !yield(k, q.GetAll(k)) {
				return
			}
		}
	}
}
