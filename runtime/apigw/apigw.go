package apigw

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// The emulated API's identity, used in method ARNs and the request
// context.
const (
	Region    = "us-west-2"    // the API's region
	AccountID = "123456789012" // the API's account
	APIID     = "ymy8tbxw7b"   // the REST API's id
)

// MaxBodySize is the largest request body ServeHTTP accepts, API
// Gateway's 10 MB payload limit; a larger body is a 413.
const MaxBodySize = 10 << 20

// Option configures New.
type Option func(*options)

type options struct {
	stage    string
	apiStage string
	wrap     func(function string, h lambda.Handler) lambda.Handler
	callers  *Callers
}

// Stage selects the app stage whose settings the Lambda handlers use
// (dispatch.Stage); the default is "dev".
func Stage(name string) Option {
	return func(o *options) { o.stage = name }
}

// APIStage sets the API Gateway stage name (the manifest's
// api_gateway_stage) written in requestContext.stage, requestContext.path
// and method ARNs; the default is "api".
func APIStage(name string) Option {
	return func(o *options) { o.apiStage = name }
}

// WrapHandler lets the caller wrap each Lambda handler the gateway calls
// (the api_handler and the builtin authorizers), once, when New builds
// them: wrap receives the function's name and its dispatch handler and
// returns the handler to use. The test client uses it to apply each
// function's environment variables around its invocations.
func WrapHandler(wrap func(function string, h lambda.Handler) lambda.Handler) Option {
	return func(o *options) { o.wrap = wrap }
}

// Gateway is an emulated API Gateway REST API in front of an app's
// api_handler. It is an http.Handler, and safe for concurrent use.
type Gateway struct {
	app         *chalice.App
	stage       string
	apiStage    string
	binary      []string // lower-cased
	root        *node
	api         lambda.Handler            // nil when the app has no routes
	authorizers map[string]lambda.Handler // by function name
	// authHeader is the header holding each route's token in the stage.
	authHeader map[*chalice.Route]string
	wrap       func(function string, h lambda.Handler) lambda.Handler
	callers    *Callers

	mu    sync.Mutex
	extra map[string]lambda.Handler // functions a Caller runs as custom authorizers, by name

	// http: the stage serves its routes as an HTTP API (payload format
	// 2.0, API Gateway's own CORS: apiCORS).
	http    bool
	apiCORS *chalice.CORSConfig
}

// New returns the gateway of app. It builds, through runtime/dispatch,
// the api_handler and every builtin authorizer a route names, so an app
// dispatch would refuse (an unknown stage, a missing authorizer
// function, a mistyped middleware) fails here. An app without routes is
// allowed: every request is then a 403, as an API with no resources.
func New(app *chalice.App, opts ...Option) (*Gateway, error) {
	o := options{stage: "dev"}
	for _, opt := range opts {
		opt(&o)
	}
	if o.apiStage == "" {
		// The stage's API Gateway stage name, as the generated code
		// records it; "api" (Chalice's default) for hand-built apps.
		o.apiStage = app.Config().Stages[o.stage].APIGatewayStage
		if o.apiStage == "" {
			o.apiStage = "api"
		}
	}
	wrap := func(function string, h lambda.Handler) lambda.Handler {
		if o.wrap != nil {
			return o.wrap(function, h)
		}
		return h
	}
	g := &Gateway{
		app:         app,
		stage:       o.stage,
		apiStage:    o.apiStage,
		root:        &node{},
		authorizers: map[string]lambda.Handler{},
		wrap:        wrap,
		callers:     o.callers,
		extra:       map[string]lambda.Handler{},
	}
	if st := app.Config().Stages[o.stage]; st.HTTPAPI() {
		g.http, g.apiCORS = true, st.APICORS
	}
	types := app.Config().BinaryTypes
	if types == nil { // not empty: binary_types_replace_defaults with no types
		types = chalice.DefaultBinaryTypes()
	}
	for _, t := range types {
		g.binary = append(g.binary, strings.ToLower(strings.TrimSpace(t)))
	}
	if len(app.Routes()) == 0 {
		return g, nil
	}
	h, err := dispatch.Handler(app, dispatch.APIHandler, dispatch.Stage(o.stage))
	if err != nil {
		return nil, fmt.Errorf("apigw: %w", err)
	}
	g.api = wrap(dispatch.APIHandler, h)
	st := app.Config().Stages[o.stage]
	g.authHeader = map[*chalice.Route]string{}
	for _, r := range app.Routes() {
		g.authHeader[r] = st.AuthorizerHeader(r)
		if err := g.root.insert(r, st.RouteCORS(r)); err != nil {
			return nil, fmt.Errorf("apigw: %w", err)
		}
		if r.Authorizer == "" || g.authorizers[r.Authorizer] != nil {
			continue
		}
		f, ok := app.Lookup(r.Authorizer)
		if !ok || f.Kind != chalice.KindAuthorizer {
			return nil, fmt.Errorf("apigw: route %s %s: %q is not a builtin authorizer function of app %s", r.Method, r.Path, r.Authorizer, app.Name())
		}
		h, err := dispatch.Handler(app, r.Authorizer, dispatch.Stage(o.stage))
		if err != nil {
			return nil, fmt.Errorf("apigw: %w", err)
		}
		g.authorizers[r.Authorizer] = wrap(r.Authorizer, h)
	}
	return g, nil
}

// authorizerHandler returns the handler of the app's function name, run
// as a custom authorizer (Caller.Function), built once.
func (g *Gateway) authorizerHandler(name string) (lambda.Handler, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if h := g.extra[name]; h != nil {
		return h, nil
	}
	h, err := dispatch.Handler(g.app, name, dispatch.Stage(g.stage))
	if err != nil {
		return nil, fmt.Errorf("apigw: the custom authorizer's function: %w", err)
	}
	h = g.wrap(name, h)
	g.extra[name] = h
	return h, nil
}

// Request is an HTTP request as a client sends it to API Gateway.
type Request struct {
	// Method is the HTTP method, upper case; "" is GET.
	Method string
	// Path is the request path as sent, percent-encoded, optionally
	// followed by "?" and a query string: /pets/1, /search?q=a%20b. A
	// path that is not valid percent-encoding is encoded first.
	Path string
	// Query holds query parameters added to those of Path.
	Query url.Values
	// Headers are the request headers, names as sent.
	Headers http.Header
	// Body is the request body; nil or empty for none.
	Body []byte
	// SourceIP is the caller's address (requestContext.identity.sourceIp);
	// "127.0.0.1" when empty.
	SourceIP string
	// Caller is what the iam, cognito_user_pool or custom authorizer
	// guarding the route would have said (see Caller); nil uses the
	// gateway's Callers, and without those the route runs as if the
	// caller were authorized, with no authorizer context.
	Caller *Caller
}

// Response is what API Gateway sends back to the client.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Headers merge the proxy response's headers and multiValueHeaders
	// (names canonicalized as http.Header does), plus those API Gateway
	// adds (x-amzn-RequestId; Content-Type when the function set none).
	Headers http.Header
	// Body is the response body, base64-decoded when the function marked
	// it isBase64Encoded.
	Body []byte
}

// Do handles one request as API Gateway does (see the package doc) and
// returns the response the client would get. The error is non-nil only
// when a Lambda invocation failed or answered something API Gateway
// cannot use: the response is then API Gateway's own answer to that
// failure (a 502, or a 500 for an authorizer) and the error says why.
func (g *Gateway) Do(ctx context.Context, req Request) (Response, error) {
	if g.http {
		if g.api == nil {
			return httpError("Apigw-Requestid", newUUID(), 404, `{"message":"Not Found"}`), nil
		}
		return g.doHTTP(ctx, req)
	}
	now := time.Now().UTC()
	reqID := newUUID()
	escPath, query := splitTarget(req.Path)
	for k, vs := range req.Query {
		query[k] = append(query[k], vs...)
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}

	matchPath := escPath
	if len(matchPath) > 1 && strings.HasSuffix(matchPath, "/") {
		matchPath = matchPath[:len(matchPath)-1]
	}
	res, params := g.match(matchPath)
	if res == nil {
		return gatewayError(reqID, 403, "MissingAuthenticationTokenException", `{"message":"Missing Authentication Token"}`), nil
	}
	route := res.routes[method]
	if route == nil {
		if method == http.MethodOptions && res.cors != nil {
			return g.preflight(reqID, res), nil
		}
		return gatewayError(reqID, 403, "MissingAuthenticationTokenException", `{"message":"Missing Authentication Token"}`), nil
	}

	ev := &proxyEvent{
		Resource:   res.path,
		Path:       escPath,
		HTTPMethod: method,
	}
	ev.Headers, ev.MultiValueHeaders = splitMulti(req.Headers)
	ev.QueryStringParameters, ev.MultiValueQueryStringParameters = splitMulti(query)
	if len(params) > 0 {
		ev.PathParameters = params
	}
	sourceIP := req.SourceIP
	if sourceIP == "" {
		sourceIP = "127.0.0.1"
	}
	ev.RequestContext = g.requestContext(res.path, method, escPath, reqID, now, sourceIP, headerValue(req.Headers, "User-Agent"))
	if len(req.Body) > 0 {
		var body string
		if g.isBinary(headerValue(req.Headers, "Content-Type")) {
			body = base64.StdEncoding.EncodeToString(req.Body)
			ev.IsBase64Encoded = true
		} else {
			body = string(req.Body)
		}
		ev.Body = &body
	}

	if route.Authorizer != "" {
		arn := g.methodARN(method, matchPath)
		header := g.authHeader[route]
		authCtx, denied, err := g.authorize(ctx, route.Authorizer, g.authorizers[route.Authorizer], headerValue(req.Headers, header), arn, reqID)
		if denied != nil {
			return *denied, err
		}
		ev.RequestContext.Authorizer = authCtx
	} else if route.AuthorizerType != "" {
		caller := req.Caller
		if caller == nil {
			caller = g.callers.For(route)
		}
		denied, err := g.applyCaller(ctx, route, caller, ev, req, g.methodARN(method, matchPath), reqID)
		if denied != nil {
			return *denied, err
		}
		if err != nil {
			return internalError(reqID), err
		}
	}

	payload, err := json.Marshal(ev)
	if err != nil {
		return internalError(reqID), fmt.Errorf("apigw: encoding the proxy event: %w", err)
	}
	out, err := g.api.Invoke(g.lambdaContext(ctx, dispatch.APIHandler, reqID), payload)
	if err != nil {
		return internalError(reqID), fmt.Errorf("apigw: %s failed: %w", dispatch.APIHandler, err)
	}
	resp, err := decodeProxyResponse(out)
	if err != nil {
		return internalError(reqID), fmt.Errorf("apigw: malformed Lambda proxy response from %s: %w", dispatch.APIHandler, err)
	}
	if resp.Headers.Get("Content-Type") == "" {
		resp.Headers.Set("Content-Type", "application/json")
	}
	resp.Headers.Set("X-Amzn-Requestid", reqID)
	return resp, nil
}

// ServeHTTP serves r as API Gateway would: Do on the request, the
// response written back. A failed Lambda invocation is logged to
// chalice.Logger. A body over MaxBodySize is a 413.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	serve(w, r, g.Do)
}

// serve reads r into a Request, answers it with do and writes the
// response; a failed Lambda invocation is logged to chalice.Logger. A
// body over MaxBodySize is a 413.
func serve(w http.ResponseWriter, r *http.Request, do func(context.Context, Request) (Response, error)) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeResponse(w, gatewayError(newUUID(), 413, "", `{"message":"Request Too Long"}`))
			return
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	headers := r.Header.Clone()
	if headers == nil {
		headers = http.Header{}
	}
	if r.Host != "" {
		headers.Set("Host", r.Host)
	}
	target := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	resp, err := do(r.Context(), Request{Method: r.Method, Path: target, Headers: headers, Body: body, SourceIP: ip})
	if err != nil {
		chalice.Logger().Error(fmt.Sprintf("%s %s: %v", r.Method, target, err))
	}
	writeResponse(w, resp)
}

func writeResponse(w http.ResponseWriter, resp Response) {
	h := w.Header()
	for k, vs := range resp.Headers {
		h[k] = slices.Clone(vs)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(resp.Body)
}

// proxyEvent is API Gateway's proxy event; unlike
// events.APIGatewayProxyRequest its body is null when empty.
type proxyEvent struct {
	Resource                        string                               `json:"resource"`
	Path                            string                               `json:"path"`
	HTTPMethod                      string                               `json:"httpMethod"`
	Headers                         map[string]string                    `json:"headers"`
	MultiValueHeaders               map[string][]string                  `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string                    `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string                  `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string                    `json:"pathParameters"`
	StageVariables                  map[string]string                    `json:"stageVariables"`
	RequestContext                  events.APIGatewayProxyRequestContext `json:"requestContext"`
	Body                            *string                              `json:"body"`
	IsBase64Encoded                 bool                                 `json:"isBase64Encoded"`
}

// preflight is the OPTIONS mock integration's answer.
func (g *Gateway) preflight(reqID string, res *resource) Response {
	h := http.Header{}
	h["Access-Control-Allow-Methods"] = []string{strings.Join(append(slices.Clone(res.corsMethods), http.MethodOptions), ",")}
	for _, c := range res.cors {
		h.Set(c.Name, c.Value)
	}
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Requestid", reqID)
	return Response{StatusCode: 200, Headers: h, Body: []byte{}}
}

// gatewayError is one of API Gateway's own responses.
func gatewayError(reqID string, status int, errType, body string) Response {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Requestid", reqID)
	if errType != "" {
		h.Set("X-Amzn-Errortype", errType)
	}
	return Response{StatusCode: status, Headers: h, Body: []byte(body)}
}

// internalError is API Gateway's answer to a failed Lambda invocation.
func internalError(reqID string) Response {
	return gatewayError(reqID, 502, "InternalServerErrorException", `{"message": "Internal server error"}`)
}

// isBinary reports whether a request Content-Type is one of the binary
// media types, as API Gateway matches them: the media type without
// parameters, ignoring case; "type/*" and "*/*" wildcards.
func (g *Gateway) isBinary(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" {
		return false
	}
	for _, t := range g.binary {
		if t == mt || t == "*/*" || (strings.HasSuffix(t, "/*") && strings.HasPrefix(mt, t[:len(t)-1])) {
			return true
		}
	}
	return false
}

// methodARN is the ARN API Gateway gives an authorizer for a request:
// arn:aws:execute-api:REGION:ACCOUNT:API_ID/API_STAGE/METHOD/PATH, PATH
// without its leading "/".
func (g *Gateway) methodARN(method, path string) string {
	return "arn:aws:execute-api:" + Region + ":" + AccountID + ":" + APIID + "/" + g.apiStage + "/" + method + "/" + strings.TrimPrefix(path, "/")
}

// lambdaContext adds a Lambda context (request ID, function ARN) to ctx
// unless it has one.
func (g *Gateway) lambdaContext(ctx context.Context, function, reqID string) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if _, ok := lambdacontext.FromContext(ctx); ok {
		return ctx
	}
	return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       reqID,
		InvokedFunctionArn: "arn:aws:lambda:" + Region + ":" + AccountID + ":function:" + g.app.Name() + "-" + g.stage + "-" + function,
	})
}

// splitTarget splits a request target into its percent-encoded path and
// its decoded query.
func splitTarget(target string) (string, url.Values) {
	path, rawQuery, _ := strings.Cut(target, "?")
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	if u, err := url.Parse(path); err != nil || u.Path == "" || u.RawQuery != "" || u.Fragment != "" || u.Host != "" {
		path = (&url.URL{Path: path}).EscapedPath()
	} else {
		path = u.EscapedPath()
	}
	query, _ := url.ParseQuery(rawQuery) // keeps what parses, as API Gateway
	return path, query
}

// splitMulti returns the single-value map (the last value of each name)
// and the multi-value map of m; both nil when m is empty.
func splitMulti(m map[string][]string) (map[string]string, map[string][]string) {
	if len(m) == 0 {
		return nil, nil
	}
	single := make(map[string]string, len(m))
	multi := make(map[string][]string, len(m))
	for k, vs := range m {
		if len(vs) == 0 {
			continue
		}
		single[k] = vs[len(vs)-1]
		multi[k] = slices.Clone(vs)
	}
	if len(multi) == 0 {
		return nil, nil
	}
	return single, multi
}

// headerValue returns the last value of header name in h, ignoring case
// (h may hold names that are not canonical).
func headerValue(h http.Header, name string) string {
	if vs := h[http.CanonicalHeaderKey(name)]; len(vs) > 0 {
		return vs[len(vs)-1]
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[len(vs)-1]
		}
	}
	return ""
}

// decodeProxyResponse turns the Lambda's proxy response into the HTTP
// response.
func decodeProxyResponse(out []byte) (Response, error) {
	var pr struct {
		StatusCode        *int                `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              *string             `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(out, &pr); err != nil {
		return Response{}, err
	}
	if pr.StatusCode == nil {
		return Response{}, errors.New("no statusCode")
	}
	resp := Response{StatusCode: *pr.StatusCode, Headers: http.Header{}, Body: []byte{}}
	// API Gateway merges the two maps; a name+value in both is sent once.
	for k, vs := range pr.MultiValueHeaders {
		for _, v := range vs {
			resp.Headers.Add(k, v)
		}
	}
	for k, v := range pr.Headers {
		if !slices.Contains(resp.Headers.Values(k), v) {
			resp.Headers.Add(k, v)
		}
	}
	if pr.Body != nil {
		if pr.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(*pr.Body)
			if err != nil {
				return Response{}, fmt.Errorf("body marked isBase64Encoded: %w", err)
			}
			resp.Body = b
		} else {
			resp.Body = []byte(*pr.Body)
		}
	}
	return resp, nil
}

// newUUID returns a random (version 4) UUID, as API Gateway's request IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// resourceID is a stable 6-character id for a resource path, in the
// shape of API Gateway's.
func resourceID(path string) string {
	h := fnv.New32a()
	h.Write([]byte(path))
	s := strconv.FormatUint(uint64(h.Sum32()), 36)
	for len(s) < 6 {
		s = "0" + s
	}
	return s[:6]
}

// requestContext is the proxy event's requestContext, without the
// authorizer.
func (g *Gateway) requestContext(resource, method, path, reqID string, now time.Time, sourceIP, userAgent string) events.APIGatewayProxyRequestContext {
	return events.APIGatewayProxyRequestContext{
		AccountID:        AccountID,
		ResourceID:       resourceID(resource),
		Stage:            g.apiStage,
		DomainName:       APIID + ".execute-api." + Region + ".amazonaws.com",
		DomainPrefix:     APIID,
		RequestID:        reqID,
		Protocol:         "HTTP/1.1",
		Identity:         events.APIGatewayRequestIdentity{SourceIP: sourceIP, UserAgent: userAgent},
		ResourcePath:     resource,
		Path:             "/" + g.apiStage + path,
		HTTPMethod:       method,
		RequestTime:      now.Format("02/Jan/2006:15:04:05 -0700"),
		RequestTimeEpoch: now.UnixMilli(),
		APIID:            APIID,
	}
}
