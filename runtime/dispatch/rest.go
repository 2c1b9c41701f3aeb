package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// restHandler is api_handler: the router behind API Gateway's proxy
// integration, of a REST API (payload format 1.0 events) or, when v2 is
// set, of an HTTP API (payload format 2.0). It also serves a function
// reached through its function URL (single set: every request goes to
// that one handler, payload format 2.0).
type restHandler struct {
	debug  bool
	binary binaryTypes
	paths  map[string]*pathEntry
	chain  step[*chalice.Request, *chalice.Response]
	// v2: the events are payload format 2.0 (an HTTP API's, a function
	// URL's); stage names the app stage, for errors.
	v2    bool
	stage string
	// single is the function URL's only route (nil for api_handler);
	// streaming: its invoke mode is RESPONSE_STREAM (an io.Reader body
	// may then be sent).
	single    *routeEntry
	streaming bool
}

// pathEntry holds the routes of one resource path.
type pathEntry struct {
	routes []*routeEntry // registration order
	allow  string        // the methods joined with ", " (405's Allow)
}

func (p *pathEntry) lookup(method string) *routeEntry {
	for _, r := range p.routes {
		if r.route.Method == method {
			return r
		}
	}
	return nil
}

// routeEntry is a route with what the router needs precomputed.
type routeEntry struct {
	route        *chalice.Route
	contentTypes []string // lower-cased
	anyContent   bool     // */* is one of them
	cors         []chalice.Header
}

func newRESTHandler(app *chalice.App, stage chalice.Stage, stageName string) (*restHandler, error) {
	h := &restHandler{
		debug:  stage.Debug,
		binary: newBinaryTypes(app.Config().BinaryTypes),
		paths:  map[string]*pathEntry{},
		v2:     stage.HTTPAPI(),
		stage:  stageName,
	}
	for _, r := range app.Routes() {
		if r.Handler == nil {
			return nil, fmt.Errorf("route %s %s has no handler", r.Method, r.Path)
		}
		re := &routeEntry{route: r, cors: stage.RouteCORS(r)}
		for _, ct := range r.ContentTypes {
			ct = strings.ToLower(ct)
			re.contentTypes = append(re.contentTypes, ct)
			if ct == "*/*" {
				re.anyContent = true
			}
		}
		pe := h.paths[r.Path]
		if pe == nil {
			pe = &pathEntry{}
			h.paths[r.Path] = pe
		}
		if pe.allow != "" {
			pe.allow += ", "
		}
		pe.allow += r.Method
		pe.routes = append(pe.routes, re)
	}
	h.chain = buildChain(middlewareFor(app, chalice.KindHTTP), h.route, toResponse)
	return h, nil
}

// newURLHandler is the handler of function f, reached through its
// function URL: every request (payload format 2.0) runs f.HTTP through
// the http middleware, as a route; no routing, no content_types.
func newURLHandler(app *chalice.App, f *chalice.Function, stage chalice.Stage, stageName string) lambda.Handler {
	h := &restHandler{
		debug:  stage.Debug,
		binary: newBinaryTypes(app.Config().BinaryTypes),
		v2:     true,
		stage:  stageName,
		single: &routeEntry{route: &chalice.Route{Path: "/", Method: "*", Handler: f.HTTP, HandlerName: f.HandlerName}},
	}
	h.chain = buildChain(middlewareFor(app, chalice.KindHTTP), h.route, toResponse)
	if f.URL.InvokeMode == chalice.URLResponseStream {
		h.streaming = true
		return streamingURLHandler{h}
	}
	return h
}

// Invoke handles one API Gateway proxy event.
func (h *restHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if h.v2 {
		req, err := h.decodeV2(ctx, payload)
		if err != nil {
			return nil, err
		}
		return h.respond(req, h.serve(ctx, req), appendV2Response)
	}
	ev := new(events.APIGatewayProxyRequest)
	if err := json.Unmarshal(payload, ev); err != nil {
		return nil, fmt.Errorf("decoding the API Gateway proxy event: %w", err)
	}
	req := chalice.NewRequest(ctx, ev)
	return h.respond(req, h.serve(ctx, req), appendProxyResponse)
}

// decodeV2 decodes a payload format 2.0 event into a Request. An event
// of another shape (a REST API's, sent to a stage served by an HTTP API)
// is an error saying so, rather than a request without a method.
func (h *restHandler) decodeV2(ctx context.Context, payload []byte) (*chalice.Request, error) {
	what := "the HTTP API's payload format 2.0 event"
	if h.single != nil {
		what = "the function URL's event"
	}
	ev := new(events.APIGatewayV2HTTPRequest)
	if err := json.Unmarshal(payload, ev); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", what, err)
	}
	if ev.Version != "2.0" {
		if h.single != nil {
			return nil, fmt.Errorf("decoding %s: it has no \"version\": \"2.0\"; a function URL sends payload format 2.0 events", what)
		}
		return nil, fmt.Errorf("decoding %s: it has no \"version\": \"2.0\"; stage %s serves its routes as an HTTP API (api_kind: http), whose events are payload format 2.0 (a REST API's proxy event?)", what, h.stage)
	}
	return chalice.NewRequestV2(ctx, ev), nil
}

// encoder writes a response in the event's payload format.
type encoder func(dst []byte, resp *chalice.Response, bin *binaryTypes) ([]byte, error)

// respond encodes resp, answering what cannot be sent with a 500 (or a
// 502 when too large), as the router does.
func (h *restHandler) respond(req *chalice.Request, resp *chalice.Response, encode encoder) ([]byte, error) {
	out, err := encode(nil, resp, &h.binary)
	if err != nil {
		if errors.Is(err, errTextBinary) {
			// A text body with a binary Content-Type: a Lambda error,
			// as Chalice's ValueError.
			chalice.Logger().Error(fmt.Sprintf("Invalid response for path %s: %v", req.Path, err))
			return nil, err
		}
		// Only middleware can get here with a []byte body (the router
		// checks the routes' own responses); a body that does not encode
		// as JSON can come from either.
		resp = h.internalError(req, err.Error())
		out, err = encode(nil, resp, &h.binary)
	}
	if len(out) > MaxResponseSize {
		chalice.Logger().Error(fmt.Sprintf("Invalid response for path %s: %d bytes, over Lambda's limit of %d bytes",
			req.Path, len(out), MaxResponseSize))
		out, err = encode(nil, h.tooLarge(req, len(out)), &h.binary)
	}
	return out, err
}

// tooLarge is the answer to a request whose response would be over
// Lambda's size limit: 502, as API Gateway answers a failed invocation,
// with Chalice's error body and the route's CORS headers.
func (h *restHandler) tooLarge(req *chalice.Request, size int) *chalice.Response {
	resp := errorResponse(502, "ResponseTooLarge",
		fmt.Sprintf("The response is %d bytes, over Lambda's limit of %d bytes.", size, MaxResponseSize), nil)
	if re := h.entry(req); re != nil {
		resp = withCORS(resp, re.cors)
	}
	return resp
}

// entry is the route req is for, nil for none.
func (h *restHandler) entry(req *chalice.Request) *routeEntry {
	if h.single != nil {
		return h.single
	}
	if pe := h.paths[req.Path]; pe != nil {
		return pe.lookup(req.Method)
	}
	return nil
}

// serve runs the HTTP middleware chain under the built-in error handler,
// the outermost middleware: a panic, a ChaliceUnhandledError or any other
// error that reaches it becomes the generic 500. A StatusError returned by
// middleware becomes its own response.
func (h *restHandler) serve(ctx context.Context, req *chalice.Request) (resp *chalice.Response) {
	defer func() {
		if p := recover(); p != nil {
			resp = h.internalError(req, panicDetail(p))
		}
	}()
	resp, err := h.chain(ctx, req)
	if err != nil {
		var ue *chalice.ChaliceUnhandledError
		var se chalice.StatusError
		if !errors.As(err, &ue) && errors.As(err, &se) {
			return statusResponse(se)
		}
		return h.internalError(req, err.Error())
	}
	if resp == nil {
		return &chalice.Response{}
	}
	return resp
}

// route is the end of the HTTP chain: Chalice's _main_rest_api_handler.
func (h *restHandler) route(ctx context.Context, req *chalice.Request) (*chalice.Response, error) {
	if req.Path == "" {
		return errorResponse(500, "InternalServerError", "Unknown request.", nil), nil
	}
	re := h.single
	var pe *pathEntry
	if re == nil {
		if pe = h.paths[req.Path]; pe != nil {
			re = pe.lookup(req.Method)
		}
	}
	if re == nil {
		allow := ""
		if pe != nil {
			allow = pe.allow
		}
		return errorResponse(405, "MethodNotAllowedError", "Unsupported method: "+req.Method,
			map[string]string{"Allow": allow}), nil
	}
	if err := req.BodyError(); err != nil {
		return withCORS(h.internalError(req, "decoding the base64 request body: "+err.Error()), re.cors), nil
	}
	if len(re.contentTypes) > 0 {
		ct, ok := req.Headers.Lookup("Content-Type")
		if !ok {
			ct = "application/json"
		}
		if !matchesContentType(ct, re.contentTypes, re.anyContent) {
			return withCORS(errorResponse(415, "UnsupportedMediaType", "Unsupported media type: "+ct, nil), re.cors), nil
		}
	}
	resp, err := h.view(ctx, re, req)
	if err != nil {
		return nil, err
	}
	resp = withCORS(resp, re.cors)
	if h.v2 {
		// An HTTP API and a function URL send a binary body as the
		// function marks it, whatever Accept says: the check below is a
		// REST API's (its conversion depends on Accept).
		return resp, nil
	}
	// A binary response needs a binary Accept header.
	ct, ok := resp.LookupHeader("Content-Type")
	if !ok {
		ct = "application/json"
	}
	if h.binary.matches(ct) {
		accept, ok := req.Headers.Lookup("Accept")
		if !ok || !h.binary.matches(accept) {
			ct := resp.Header("Content-Type")
			return withCORS(errorResponse(400, "BadRequest",
				"Request did not specify an Accept header with "+ct+", The response has a Content-Type of "+ct+
					". If a response has a binary Content-Type then the request must specify an Accept header that matches.",
				nil), re.cors), nil
		}
	}
	return resp, nil
}

// view calls the route's handler and turns its result into a Response:
// Chalice's _get_view_function_response. Only a ChaliceUnhandledError is
// returned as an error.
func (h *restHandler) view(ctx context.Context, re *routeEntry, req *chalice.Request) (resp *chalice.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			resp, err = h.internalError(req, panicDetail(p)), nil
		}
	}()
	out, err := re.route.Handler(ctx, req)
	if err != nil {
		var ue *chalice.ChaliceUnhandledError
		if errors.As(err, &ue) {
			return nil, err
		}
		var se chalice.StatusError
		if errors.As(err, &se) {
			return statusResponse(se), nil
		}
		return h.internalError(req, err.Error()), nil
	}
	resp = toResponse(out)
	if msg := h.checkResponse(resp); msg != "" {
		return h.internalError(req, msg), nil
	}
	return resp, nil
}

// checkResponse returns why resp cannot be sent, or "": a header value
// with a newline (as Chalice), or a []byte body without a binary
// Content-Type.
func (h *restHandler) checkResponse(resp *chalice.Response) string {
	if !h.streaming && readerBody(resp) {
		return errReaderBody.Error()
	}
	for k, v := range resp.Headers {
		if strings.Contains(v, "\n") {
			return fmt.Sprintf("Bad value for header %q: %q", k, v)
		}
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			if strings.Contains(v, "\n") {
				return fmt.Sprintf("Bad value for header %q: %q", k, v)
			}
		}
	}
	if _, ok := resp.Body.([]byte); ok {
		ct := resp.Header("Content-Type")
		if !h.binary.matches(ct) {
			return fmt.Sprintf("%v (Content-Type %q): set a binary Content-Type, or return a string", errBytesNotBinary, ct)
		}
	}
	return ""
}

// internalError logs detail and returns the 500 response: Chalice's
// _unhandled_exception_to_response. With debug, the body is detail as
// text/plain.
func (h *restHandler) internalError(req *chalice.Request, detail string) *chalice.Response {
	chalice.Logger().Error("Caught exception for path " + req.Path + "\n" + detail)
	if h.debug {
		return &chalice.Response{
			StatusCode: 500,
			Headers:    map[string]string{"Content-Type": "text/plain"},
			Body:       detail,
		}
	}
	return errorResponse(500, "InternalServerError", "An internal server error occurred.", nil)
}

// errorResponse is Chalice's error_response: {"Code", "Message"}.
func errorResponse(status int, code, msg string, headers map[string]string) *chalice.Response {
	return &chalice.Response{
		StatusCode: status,
		Headers:    headers,
		Body:       map[string]any{"Code": code, "Message": msg},
	}
}

func statusResponse(se chalice.StatusError) *chalice.Response {
	return errorResponse(se.StatusCode(), se.Code(), se.Error(), nil)
}

// toResponse turns a route's (or an all-middleware's) result into a
// Response: a *Response or Response as is, nil as an empty 200, anything
// else as the Body of a 200.
func toResponse(v any) *chalice.Response {
	switch r := v.(type) {
	case *chalice.Response:
		if r == nil {
			return &chalice.Response{}
		}
		return r
	case chalice.Response:
		return &r
	case nil:
		return &chalice.Response{}
	}
	return &chalice.Response{Body: v}
}

// withCORS returns resp with the CORS headers it does not set itself
// (names compared ignoring case: the view wins). resp is copied, never
// modified: a handler may return a shared *Response.
func withCORS(resp *chalice.Response, cors []chalice.Header) *chalice.Response {
	missing := 0
	for _, hd := range cors {
		if _, ok := resp.LookupHeader(hd.Name); !ok {
			missing++
		}
	}
	if missing == 0 {
		return resp
	}
	r := *resp
	r.Headers = make(map[string]string, len(resp.Headers)+missing)
	for k, v := range resp.Headers {
		r.Headers[k] = v
	}
	for _, hd := range cors {
		if _, ok := resp.LookupHeader(hd.Name); !ok {
			r.Headers[hd.Name] = hd.Value
		}
	}
	return &r
}
