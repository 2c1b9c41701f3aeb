package apigw

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// An HTTP API (a stage whose chalice.Stage.APIKind is http) and a
// function URL send payload format 2.0 events and read 2.0 responses;
// this file emulates both (see the package doc, "HTTP APIs and function
// URLs").

// doHTTP handles one request as an HTTP API does.
func (g *Gateway) doHTTP(ctx context.Context, req Request) (Response, error) {
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
	if g.apiCORS != nil && isPreflight(method, req.Headers) {
		return corsPreflight(g.apiCORS, req.Headers, "Apigw-Requestid", reqID), nil
	}
	matchPath := escPath
	if len(matchPath) > 1 && strings.HasSuffix(matchPath, "/") {
		matchPath = matchPath[:len(matchPath)-1]
	}
	notFound := httpError("Apigw-Requestid", reqID, 404, `{"message":"Not Found"}`)
	res, params := g.match(matchPath)
	if res == nil {
		return notFound, nil
	}
	route := res.routes[method]
	if route == nil {
		return notFound, nil
	}
	rawPath := escPath
	if g.apiStage != "$default" {
		rawPath = "/" + g.apiStage + escPath
	}
	routeKey := method + " " + res.path
	ev := g.v2Event(req, method, rawPath, routeKey, query, reqID, now)
	ev.RequestContext.APIID = APIID
	ev.RequestContext.DomainName = APIID + ".execute-api." + Region + ".amazonaws.com"
	ev.RequestContext.DomainPrefix = APIID
	if len(params) > 0 {
		ev.PathParameters = params
	}

	switch {
	case route.Authorizer != "":
		token := headerValue(req.Headers, g.authHeader[route])
		if token == "" {
			return httpError("Apigw-Requestid", reqID, 401, `{"message":"Unauthorized"}`), nil
		}
		authCtx, denied, err := g.authorizeV2(ctx, route.Authorizer, ev, token, reqID)
		if denied != nil {
			return *denied, err
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: authCtx}
	case route.AuthorizerType != "":
		caller := req.Caller
		if caller == nil {
			caller = g.callers.For(route)
		}
		if denied := applyCallerV2(route, caller, ev, "Apigw-Requestid", reqID); denied != nil {
			return *denied, nil
		}
	}

	payload, err := json.Marshal(ev)
	if err != nil {
		return httpError("Apigw-Requestid", reqID, 500, `{"message":"Internal Server Error"}`), fmt.Errorf("apigw: encoding the event: %w", err)
	}
	out, err := g.api.Invoke(g.lambdaContext(ctx, dispatch.APIHandler, reqID), payload)
	if err != nil {
		return httpError("Apigw-Requestid", reqID, 500, `{"message":"Internal Server Error"}`), fmt.Errorf("apigw: %s failed: %w", dispatch.APIHandler, err)
	}
	resp, err := decodeV2Response(out)
	if err != nil {
		return httpError("Apigw-Requestid", reqID, 500, `{"message":"Internal Server Error"}`), fmt.Errorf("apigw: malformed response from %s: %w", dispatch.APIHandler, err)
	}
	if g.apiCORS != nil {
		addCORS(resp.Headers, g.apiCORS, req.Headers)
	}
	resp.Headers.Set("Apigw-Requestid", reqID)
	return resp, nil
}

// v2Event is the payload format 2.0 event of req, without the API's
// identity (apiId, domain) and path parameters, which the caller sets.
func (g *Gateway) v2Event(req Request, method, rawPath, routeKey string, query url.Values, reqID string, now time.Time) *events.APIGatewayV2HTTPRequest {
	return v2Event(req, method, rawPath, routeKey, g.apiStage, query, reqID, now)
}

func v2Event(req Request, method, rawPath, routeKey, stage string, query url.Values, reqID string, now time.Time) *events.APIGatewayV2HTTPRequest {
	sourceIP := req.SourceIP
	if sourceIP == "" {
		sourceIP = "127.0.0.1"
	}
	ev := &events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       routeKey,
		RawPath:        rawPath,
		RawQueryString: query.Encode(),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:  routeKey,
			AccountID: AccountID,
			Stage:     stage,
			RequestID: reqID,
			Time:      now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: method, Path: rawPath, Protocol: "HTTP/1.1",
				SourceIP: sourceIP, UserAgent: headerValue(req.Headers, "User-Agent"),
			},
		},
	}
	// Names lower-cased, a name's values joined with commas; the Cookie
	// header becomes the cookies list.
	for name, vs := range req.Headers {
		if len(vs) == 0 {
			continue
		}
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						ev.Cookies = append(ev.Cookies, c)
					}
				}
			}
			continue
		}
		if ev.Headers == nil {
			ev.Headers = map[string]string{}
		}
		if old, ok := ev.Headers[lower]; ok {
			ev.Headers[lower] = old + "," + strings.Join(vs, ",")
		} else {
			ev.Headers[lower] = strings.Join(vs, ",")
		}
	}
	if len(query) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k, vs := range query {
			ev.QueryStringParameters[k] = strings.Join(vs, ",")
		}
	}
	if len(req.Body) > 0 {
		if textMedia(headerValue(req.Headers, "Content-Type")) {
			ev.Body = string(req.Body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(req.Body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// textMedia reports whether an HTTP API or a function URL passes a body
// of Content-Type ct as text (other bodies are base64-encoded): text/*,
// JSON, JavaScript, XML, YAML and form data; no Content-Type is text.
func textMedia(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/javascript", "application/xml", "application/yaml", "application/x-www-form-urlencoded":
		return true
	}
	return false
}

// authorizeV2 runs a builtin authorizer as an HTTP API's Lambda
// authorizer: its payload format 2.0 REQUEST event, identity sources the
// token and the route key (chalc caches the answer per token and route);
// {"isAuthorized": false} is 403 {"message":"Forbidden"}, a failure 500
// {"message":"Internal Server Error"}. It returns the context of an
// admitted request.
func (g *Gateway) authorizeV2(ctx context.Context, function string, ev *events.APIGatewayV2HTTPRequest, token, reqID string) (map[string]any, *Response, error) {
	h := g.authorizers[function]
	path := strings.TrimPrefix(ev.RawPath, "/"+g.apiStage)
	arn := "arn:aws:execute-api:" + Region + ":" + AccountID + ":" + APIID + "/" + g.apiStage + "/" + ev.RequestContext.HTTP.Method + "/" + strings.TrimPrefix(path, "/")
	authEv := events.APIGatewayV2CustomAuthorizerV2Request{
		Version: "2.0", Type: "REQUEST", RouteArn: arn, IdentitySource: []string{token, ev.RouteKey},
		RouteKey: ev.RouteKey, RawPath: ev.RawPath, RawQueryString: ev.RawQueryString, Cookies: ev.Cookies,
		Headers: ev.Headers, QueryStringParameters: ev.QueryStringParameters, RequestContext: ev.RequestContext,
		PathParameters: ev.PathParameters, StageVariables: ev.StageVariables,
	}
	payload, err := json.Marshal(authEv)
	if err != nil {
		return nil, nil, err
	}
	failed := func(err error) (map[string]any, *Response, error) {
		r := httpError("Apigw-Requestid", reqID, 500, `{"message":"Internal Server Error"}`)
		return nil, &r, fmt.Errorf("apigw: authorizer %s: %w", function, err)
	}
	out, err := h.Invoke(g.lambdaContext(ctx, function, reqID), payload)
	if err != nil {
		return failed(err)
	}
	var ans struct {
		IsAuthorized *bool          `json:"isAuthorized"`
		Context      map[string]any `json:"context"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&ans); err != nil || ans.IsAuthorized == nil {
		return failed(fmt.Errorf("its answer %s is not a simple response {\"isAuthorized\": ...}", out))
	}
	if !*ans.IsAuthorized {
		r := httpError("Apigw-Requestid", reqID, 403, `{"message":"Forbidden"}`)
		return nil, &r, nil
	}
	return ans.Context, nil, nil
}

// applyCallerV2 fills ev's authorizer from what a JWT (cognito_user_pool
// or jwt) or iam authorizer would have said (the Caller). A JWT whose
// scope claim holds none of the route's scopes is API Gateway's 403.
func applyCallerV2(route *chalice.Route, caller *Caller, ev *events.APIGatewayV2HTTPRequest, idHeader, reqID string) *Response {
	if caller == nil {
		return nil
	}
	switch route.AuthorizerType {
	case chalice.AuthCognito, chalice.AuthJWT:
		if caller.Claims == nil {
			return nil
		}
		claims := make(map[string]string, len(caller.Claims))
		for k, v := range caller.Claims {
			s, err := claimString(v)
			if err != nil {
				s = fmt.Sprint(v)
			}
			claims[k] = s
		}
		scopes := strings.Fields(claims["scope"])
		if len(route.Scopes) > 0 && !slices.ContainsFunc(route.Scopes, func(s string) bool { return slices.Contains(scopes, s) }) {
			r := httpError(idHeader, reqID, 403, `{"message":"Forbidden"}`)
			return &r
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes}}
	case chalice.AuthIAM:
		if id := caller.Identity; id != nil {
			ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{IAM: iamV2(id)}
		}
	}
	return nil
}

// iamV2 is a signed caller as payload format 2.0 has it.
func iamV2(id *events.APIGatewayRequestIdentity) *events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription {
	return &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
		AccessKey: id.AccessKey, AccountID: id.AccountID, CallerID: id.Caller, UserARN: id.UserArn, UserID: id.User,
		CognitoIdentity: events.APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity{IdentityPoolID: id.CognitoIdentityPoolID, IdentityID: id.CognitoIdentityID},
	}
}

// decodeV2Response turns a payload format 2.0 response into the HTTP
// response. Without statusCode the output is the body of a 200 JSON
// response, as HTTP APIs and function URLs read it.
func decodeV2Response(out []byte) (Response, error) {
	var pr struct {
		StatusCode      *int              `json:"statusCode"`
		Headers         map[string]string `json:"headers"`
		Cookies         []string          `json:"cookies"`
		Body            *string           `json:"body"`
		IsBase64Encoded bool              `json:"isBase64Encoded"`
	}
	if !json.Valid(out) {
		return Response{}, errors.New("not JSON")
	}
	resp := Response{StatusCode: 200, Headers: http.Header{}, Body: []byte{}}
	if err := json.Unmarshal(out, &pr); err != nil || pr.StatusCode == nil {
		resp.Headers.Set("Content-Type", "application/json")
		resp.Body = out
		return resp, nil
	}
	resp.StatusCode = *pr.StatusCode
	for k, v := range pr.Headers {
		resp.Headers.Add(k, v)
	}
	for _, c := range pr.Cookies {
		resp.Headers.Add("Set-Cookie", c)
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
	if resp.Headers.Get("Content-Type") == "" && len(resp.Body) > 0 {
		resp.Headers.Set("Content-Type", "application/json")
	}
	return resp, nil
}

// httpError is one of an HTTP API's (or a function URL's) own answers.
func httpError(idHeader, reqID string, status int, body string) Response {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(idHeader, reqID)
	return Response{StatusCode: status, Headers: h, Body: []byte(body)}
}

// isPreflight reports a CORS preflight request.
func isPreflight(method string, h http.Header) bool {
	return method == http.MethodOptions && headerValue(h, "Origin") != "" && headerValue(h, "Access-Control-Request-Method") != ""
}

// allowedOrigin is the Access-Control-Allow-Origin answer to origin: "*"
// when any origin is allowed, origin when it is listed, "" otherwise.
func allowedOrigin(c *chalice.CORSConfig, origin string) string {
	if origin == "" {
		return ""
	}
	for _, o := range c.AllowOrigins {
		switch {
		case o == "*":
			return "*"
		case strings.EqualFold(o, origin):
			return origin
		}
	}
	return ""
}

// corsPreflight is API Gateway's (or Lambda's) answer to a preflight
// request: 204, with the configuration's headers when the origin is
// allowed.
func corsPreflight(c *chalice.CORSConfig, reqHeaders http.Header, idHeader, reqID string) Response {
	h := http.Header{}
	h.Set(idHeader, reqID)
	if o := allowedOrigin(c, headerValue(reqHeaders, "Origin")); o != "" {
		h.Set("Access-Control-Allow-Origin", o)
		h.Set("Access-Control-Allow-Methods", strings.Join(c.AllowMethods, ","))
		h.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ","))
		if c.MaxAge > 0 {
			h.Set("Access-Control-Max-Age", strconv.Itoa(c.MaxAge))
		}
		if c.AllowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
	}
	return Response{StatusCode: 204, Headers: h, Body: []byte{}}
}

// addCORS sets the CORS headers of a response to a request from an
// allowed origin, replacing the function's own (API Gateway and Lambda
// ignore those).
func addCORS(h http.Header, c *chalice.CORSConfig, reqHeaders http.Header) {
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			delete(h, k)
		}
	}
	o := allowedOrigin(c, headerValue(reqHeaders, "Origin"))
	if o == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", o)
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
	if c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// FunctionURL is an emulated Lambda function URL in front of one
// function of an app (a function of kind http, the manifest's url:): an
// http.Handler, safe for concurrent use. Every request, whatever its path
// and method, goes to the function as a payload format 2.0 event; see the
// package doc.
type FunctionURL struct {
	app      *chalice.App
	fn       *chalice.Function
	h        lambda.Handler
	cors     *chalice.CORSConfig
	stage    string
	callers  *Callers
	urlID    string
	function string
}

// NewFunctionURL returns the function URL of the app's function named
// name, built through runtime/dispatch for the stage (Stage; WrapHandler
// applies, WithCallers gives the IAM caller of unsigned requests).
func NewFunctionURL(app *chalice.App, name string, opts ...Option) (*FunctionURL, error) {
	o := options{stage: "dev"}
	for _, opt := range opts {
		opt(&o)
	}
	f, ok := app.Lookup(name)
	if !ok || f.URL == nil {
		var names []string
		for _, fn := range app.Functions() {
			if fn.URL != nil {
				names = append(names, fn.Name)
			}
		}
		return nil, fmt.Errorf("apigw: app %s has no function %q with a function URL (url:); those with one: %s", app.Name(), name, strings.Join(names, ", "))
	}
	h, err := dispatch.Handler(app, name, dispatch.Stage(o.stage))
	if err != nil {
		return nil, fmt.Errorf("apigw: %w", err)
	}
	if o.wrap != nil {
		h = o.wrap(name, h)
	}
	st := app.Config().Stages[o.stage]
	sum := 0
	for _, r := range name {
		sum = sum*31 + int(r)
	}
	return &FunctionURL{app: app, fn: f, h: h, cors: st.FunctionURLCORS(f), stage: o.stage, callers: o.callers,
		urlID: resourceID(name) + "example" + strconv.Itoa(sum%1000), function: name}, nil
}

// Domain is the emulated URL's host, in Lambda's shape
// (<url-id>.lambda-url.<region>.on.aws).
func (u *FunctionURL) Domain() string { return u.urlID + ".lambda-url." + Region + ".on.aws" }

// Do handles one request as the function URL does: a CORS preflight is
// Lambda's own answer; with auth AWS_IAM a request without a signed
// caller (Request.Caller.Identity, else the callers' for the iam type)
// is 403 {"Message":"Forbidden"}; a failed invocation is 502
// {"Message":"Internal Server Error"}.
func (u *FunctionURL) Do(ctx context.Context, req Request) (Response, error) {
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
	const idHeader = "X-Amzn-Requestid"
	if u.cors != nil && isPreflight(method, req.Headers) {
		return corsPreflight(u.cors, req.Headers, idHeader, reqID), nil
	}
	ev := v2Event(req, method, escPath, "$default", "$default", query, reqID, now)
	ev.RequestContext.APIID = u.urlID
	ev.RequestContext.DomainName = u.Domain()
	ev.RequestContext.DomainPrefix = u.urlID
	if u.fn.URL.Auth == chalice.URLAuthIAM {
		caller := req.Caller
		if caller == nil && u.callers != nil {
			caller = u.callers.ByName[u.function]
			if caller == nil {
				caller = u.callers.ByType[chalice.AuthIAM]
			}
		}
		if caller == nil || caller.Identity == nil {
			return httpError(idHeader, reqID, 403, `{"Message":"Forbidden"}`), nil
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{IAM: iamV2(caller.Identity)}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return httpError(idHeader, reqID, 502, `{"Message":"Internal Server Error"}`), err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if _, ok := lambdacontext.FromContext(ctx); !ok {
		ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: reqID,
			InvokedFunctionArn: "arn:aws:lambda:" + Region + ":" + AccountID + ":function:" + u.app.Name() + "-" + u.stage + "-" + u.function})
	}
	out, err := u.h.Invoke(ctx, payload)
	if err != nil {
		return httpError(idHeader, reqID, 502, `{"Message":"Internal Server Error"}`), fmt.Errorf("apigw: %s failed: %w", u.function, err)
	}
	resp, err := decodeV2Response(out)
	if err != nil {
		return httpError(idHeader, reqID, 502, `{"Message":"Internal Server Error"}`), fmt.Errorf("apigw: malformed response from %s: %w", u.function, err)
	}
	if u.cors != nil {
		addCORS(resp.Headers, u.cors, req.Headers)
	}
	resp.Headers.Set(idHeader, reqID)
	return resp, nil
}

// ServeHTTP serves r as the function URL would (see Do).
func (u *FunctionURL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	serve(w, r, u.Do)
}
