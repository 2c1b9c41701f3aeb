package chalicetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/chalc-dev/chalc/runtime/apigw"
)

// HTTPClient sends requests to the app's API through an emulated API
// Gateway (runtime/apigw) in front of api_handler: a REST API, or an
// HTTP API in a stage with api_kind: http. The client of a function URL
// (Client.FunctionURL) sends them to that function.
type HTTPClient struct {
	c  *Client
	do func(context.Context, apigw.Request) (apigw.Response, error)
}

// RequestOption sets part of a request.
type RequestOption func(*request)

type request struct {
	apigw.Request
	err error
}

// Header adds a request header value (call it again to add more values of
// the same name).
func Header(name, value string) RequestOption {
	return func(r *request) {
		if r.Headers == nil {
			r.Headers = http.Header{}
		}
		r.Headers[name] = append(r.Headers[name], value)
	}
}

// Body sets the request body. It is sent base64-encoded when the request
// Content-Type is one of the app's binary types, as API Gateway does.
func Body(b []byte) RequestOption {
	return func(r *request) { r.Body = b }
}

// JSON sets the request body to v encoded as JSON and the Content-Type to
// application/json. A v that does not encode fails the test.
func JSON(v any) RequestOption {
	return func(r *request) {
		b, err := json.Marshal(v)
		if err != nil {
			r.err = fmt.Errorf("chalicetest.JSON: %w", err)
			return
		}
		r.Body = b
		setHeader(r, "Content-Type", "application/json")
	}
}

// Query adds a query string parameter value (call it again to add more
// values of the same name). The path may hold a query string too.
func Query(name, value string) RequestOption {
	return func(r *request) {
		if r.Query == nil {
			r.Query = url.Values{}
		}
		r.Query[name] = append(r.Query[name], value)
	}
}

// setHeader replaces every spelling of header name with value.
func setHeader(r *request, name, value string) {
	if r.Headers == nil {
		r.Headers = http.Header{}
	}
	for k := range r.Headers {
		if strings.EqualFold(k, name) {
			delete(r.Headers, k)
		}
	}
	r.Headers[name] = []string{value}
}

// Response is the answer to an HTTP request, as the client receives it.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Headers are the response headers: the function's headers and
	// multiValueHeaders merged, plus API Gateway's (x-amzn-RequestId,
	// Content-Type application/json by default), with canonical names:
	// use Get and Values.
	Headers http.Header
	// Body is the response body, base64-decoded for binary responses.
	Body []byte
	// Err is why the gateway answered with its own error: a Lambda
	// invocation (or authorizer) that failed, behind a 502 (or 500). It is
	// nil for every answer the app itself made.
	Err error
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decoding the %d response body %q as JSON: %w", r.StatusCode, r.Body, err)
	}
	return nil
}

// String returns the body as text.
func (r *Response) String() string { return string(r.Body) }

// Get sends a GET request. path is the request path, percent-encoded as
// on the wire, and may end with a query string: /pets/1?verbose=true.
func (h *HTTPClient) Get(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodGet, path, opts...)
}

// Post sends a POST request; see Get.
func (h *HTTPClient) Post(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodPost, path, opts...)
}

// Put sends a PUT request; see Get.
func (h *HTTPClient) Put(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodPut, path, opts...)
}

// Patch sends a PATCH request; see Get.
func (h *HTTPClient) Patch(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodPatch, path, opts...)
}

// Delete sends a DELETE request; see Get.
func (h *HTTPClient) Delete(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodDelete, path, opts...)
}

// Head sends a HEAD request; see Get. The body is what the route
// returned (API Gateway's HTTP layer would drop it).
func (h *HTTPClient) Head(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodHead, path, opts...)
}

// Options sends an OPTIONS request; see Get. On a CORS path it is the
// preflight API Gateway answers itself.
func (h *HTTPClient) Options(path string, opts ...RequestOption) *Response {
	h.c.t.Helper()
	return h.Request(http.MethodOptions, path, opts...)
}

// Request sends a request with any method (upper-cased) to path; see
// Get. It never fails the test, except for an option that cannot be
// applied (a JSON value that does not encode); a failed Lambda call is a
// 502 with Response.Err set, which is also logged.
func (h *HTTPClient) Request(method, path string, opts ...RequestOption) *Response {
	t := h.c.t
	t.Helper()
	r := &request{}
	r.Method = strings.ToUpper(method)
	r.Path = path
	for _, opt := range opts {
		opt(r)
	}
	if r.err != nil {
		t.Fatalf("%s %s: %v", r.Method, path, r.err)
	}
	do := h.do
	if do == nil {
		do = h.c.gw.Do
	}
	resp, err := do(h.c.context(), r.Request)
	if err != nil {
		t.Logf("chalicetest: %s %s: %v", r.Method, path, err)
	}
	return &Response{StatusCode: resp.StatusCode, Headers: resp.Headers, Body: resp.Body, Err: err}
}
