package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// The tests in this file run payload format 2.0 events, from AWS's
// documented samples (testdata/http-api-v2.json, function-url.json,
// authorizer-v2.json), through an HTTP API stage's api_handler, a
// function URL's handler and a builtin authorizer in an HTTP API stage.

// seenRequest is what the echo handlers report of the Request they got.
type seenRequest struct {
	Method, Path, RawPath string
	Query                 map[string][]string
	Header1, Header2      string
	Cookie                string
	Cookies               []string
	URIParams             map[string]string
	Claims                map[string]string
	Authorizer            map[string]any
	UserArn, SourceIP     string
	Stage, RequestID      string
	Body                  string
	Raw                   bool // RawV2 set, Raw nil
}

func seeRequest(req *chalice.Request) seenRequest {
	q := map[string][]string{}
	for k, vs := range req.QueryParams.All() {
		q[k] = vs
	}
	return seenRequest{
		Method: req.Method, Path: req.Path, RawPath: req.RawPath, Query: q,
		Header1: req.Headers.Get("Header1"), Header2: req.Headers.Get("header2"), Cookie: req.Headers.Get("Cookie"),
		Cookies: req.Cookies(), URIParams: req.URIParams, Claims: req.Claims(), Authorizer: req.RequestContext.Authorizer,
		UserArn: req.RequestContext.Identity.UserArn, SourceIP: req.RequestContext.Identity.SourceIP,
		Stage: req.RequestContext.Stage, RequestID: req.RequestContext.RequestID, Body: string(req.RawBody),
		Raw: req.RawV2 != nil && req.Raw == nil,
	}
}

func httpAPIApp() *chalice.App {
	app := chalice.New("v2app", chalice.Config{Stages: map[string]chalice.Stage{
		"dev":  {LogLevel: "ERROR"},
		"prod": {LogLevel: "ERROR", APIKind: chalice.APIKindHTTP, APIGatewayStage: "v1"},
	}})
	app.Route(chalice.Route{Path: "/my/{parameter1}", Method: "POST", ContentTypes: []string{"*/*"},
		CORS: corsHeaders, Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return seeRequest(req), nil
		}})
	app.Route(chalice.Route{Path: "/cookies", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{StatusCode: 201,
			Headers:           map[string]string{"X-One": "1", "Set-Cookie": "a=1; Path=/"},
			MultiValueHeaders: map[string][]string{"X-Many": {"a", "b"}, "set-cookie": {"b=2", "c=3"}},
			Body:              "ok"}, nil
	}})
	app.Route(chalice.Route{Path: "/image", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: []byte(pngDot)}, nil
	}})
	app.Route(chalice.Route{Path: "/fail", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return nil, &chalice.NotFoundError{Message: "nothing here"}
	}})
	return app
}

// httpAPIEvent is AWS's HTTP API sample event for route (METHOD /path)
// in stage v1, with rawPath (the stage's prefix added, as the HTTP API
// sends it) and pathParameters.
func httpAPIEvent(t testing.TB, routeKey, rawPath string, params map[string]any) event {
	ev := loadEvent(t, "http-api-v2.json")
	ev["routeKey"] = routeKey
	ev["rawPath"] = "/v1" + rawPath
	ev["pathParameters"] = params
	rc := ev.ctx()
	rc["routeKey"] = routeKey
	rc["stage"] = "v1"
	method, _, _ := strings.Cut(routeKey, " ")
	h := rc["http"].(map[string]any)
	h["method"] = method
	h["path"] = "/v1" + rawPath
	return ev
}

// decodeV2Response decodes a payload format 2.0 response strictly.
func decodeV2Response(t *testing.T, out []byte) (resp struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Cookies         []string          `json:"cookies"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&resp); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	return resp
}

func TestHTTPAPIRequest(t *testing.T) {
	h, err := Handler(httpAPIApp(), APIHandler, Stage("prod"))
	if err != nil {
		t.Fatal(err)
	}
	ev := httpAPIEvent(t, "POST /my/{parameter1}", "/my/value1", map[string]any{"parameter1": "value1"})
	out, err := h.Invoke(context.Background(), ev.payload(t))
	if err != nil {
		t.Fatal(err)
	}
	resp := decodeV2Response(t, out)
	if resp.StatusCode != 200 || resp.IsBase64Encoded || resp.Cookies != nil {
		t.Fatalf("response %+v", resp)
	}
	// An HTTP API adds CORS itself: the function does not.
	if len(resp.Headers) != 0 {
		t.Errorf("headers %v, want none", resp.Headers)
	}
	var got seenRequest
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := seenRequest{
		Method: "POST", Path: "/my/{parameter1}", RawPath: "/my/value1",
		Query:   map[string][]string{"parameter1": {"value1", "value2"}, "parameter2": {"value"}},
		Header1: "value1", Header2: "value1,value2", Cookie: "cookie1; cookie2", Cookies: []string{"cookie1", "cookie2"},
		URIParams: map[string]string{"parameter1": "value1"},
		Claims:    map[string]string{"claim1": "value1", "claim2": "value2"},
		Authorizer: map[string]any{"claims": map[string]any{"claim1": "value1", "claim2": "value2"},
			"scopes": []any{"scope1", "scope2"}},
		SourceIP: "192.0.2.1", Stage: "v1", RequestID: "id", Body: "Hello from Lambda", Raw: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("request\n got %+v\nwant %+v", got, want)
	}
}

func TestHTTPAPIResponse(t *testing.T) {
	h, err := Handler(httpAPIApp(), APIHandler, Stage("prod"))
	if err != nil {
		t.Fatal(err)
	}
	invoke := func(routeKey, path string, accept string) []byte {
		ev := httpAPIEvent(t, routeKey, path, nil)
		ev["headers"] = map[string]any{"accept": accept}
		delete(ev, "cookies")
		out, err := h.Invoke(context.Background(), ev.payload(t))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// Headers joined (Headers' value first), Set-Cookie as cookies.
	resp := decodeV2Response(t, invoke("GET /cookies", "/cookies", "*/*"))
	if resp.StatusCode != 201 || resp.Body != "ok" ||
		!reflect.DeepEqual(resp.Headers, map[string]string{"X-One": "1", "X-Many": "a, b"}) ||
		!reflect.DeepEqual(resp.Cookies, []string{"a=1; Path=/", "b=2", "c=3"}) {
		t.Errorf("cookies response %+v", resp)
	}
	resp = decodeV2Response(t, invoke("GET /image", "/image", "image/png"))
	if !resp.IsBase64Encoded || resp.Body != pngDotB64 || resp.Headers["Content-Type"] != "image/png" {
		t.Errorf("binary response %+v", resp)
	}
	resp = decodeV2Response(t, invoke("GET /fail", "/fail", "*/*"))
	if resp.StatusCode != 404 || resp.Body != `{"Code":"NotFoundError","Message":"nothing here"}` {
		t.Errorf("error response %+v", resp)
	}
}

// An HTTP API stage's handler refuses a REST event (and the REST stage's
// a 2.0 one is the router's 500 "Unknown request", as before): the kind
// is the stage's, never guessed from the event.
func TestHTTPAPIEventKind(t *testing.T) {
	h, err := Handler(httpAPIApp(), APIHandler, Stage("prod"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Invoke(context.Background(), fixture(t, "apigw-get-user.json"))
	if err == nil || !strings.Contains(err.Error(), `stage prod serves its routes as an HTTP API (api_kind: http)`) {
		t.Errorf("REST event to an HTTP API stage: %v", err)
	}
}

func urlApp(mode string) *chalice.App {
	app := chalice.New("urlapp", chalice.Config{})
	app.Function(chalice.Function{Name: "hook", Kind: chalice.KindHTTP, URL: &chalice.FunctionURL{Auth: chalice.URLAuthIAM, InvokeMode: mode},
		HTTP: func(ctx context.Context, req *chalice.Request) (any, error) {
			switch req.RawPath {
			case "/stream":
				return &chalice.Response{Headers: map[string]string{"Content-Type": "text/plain"},
					Body: io.MultiReader(strings.NewReader("part 1, "), strings.NewReader("part 2"))}, nil
			case "/cookie":
				return &chalice.Response{Headers: map[string]string{"Set-Cookie": "s=1"}, Body: map[string]int{"n": 1}}, nil
			}
			return seeRequest(req), nil
		}})
	chalice.Use(app, chalice.KindHTTP, "Tag", func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
		resp, err := next(ctx, req)
		if resp != nil {
			r := *resp
			r.Headers = map[string]string{"X-Middleware": "http"}
			for k, v := range resp.Headers {
				r.Headers[k] = v
			}
			resp = &r
		}
		return resp, err
	})
	return app
}

func TestFunctionURL(t *testing.T) {
	h, err := Handler(urlApp(chalice.URLBuffered), "hook")
	if err != nil {
		t.Fatal(err)
	}
	out, err := h.Invoke(context.Background(), fixture(t, "function-url.json"))
	if err != nil {
		t.Fatal(err)
	}
	resp := decodeV2Response(t, out)
	if resp.StatusCode != 200 || resp.Headers["X-Middleware"] != "http" {
		t.Fatalf("response %+v", resp)
	}
	var got seenRequest
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := seenRequest{
		Method: "POST", Path: "/my/path", RawPath: "/my/path",
		Query:   map[string][]string{"parameter1": {"value1", "value2"}, "parameter2": {"value"}},
		Header1: "value1", Header2: "value1,value2", Cookie: "cookie1; cookie2", Cookies: []string{"cookie1", "cookie2"},
		UserArn: "arn:aws:iam::111122223333:user/example-user", SourceIP: "123.123.123.123", Stage: "$default",
		RequestID: "id", Body: "Hello from client!", Raw: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("request\n got %+v\nwant %+v", got, want)
	}
	// A buffered URL cannot send an io.Reader body: a logged 500.
	ev := loadEvent(t, "function-url.json")
	ev["rawPath"] = "/stream"
	out, err = h.Invoke(context.Background(), ev.payload(t))
	if err != nil {
		t.Fatal(err)
	}
	if resp := decodeV2Response(t, out); resp.StatusCode != 500 {
		t.Errorf("io.Reader body in a buffered URL: %+v", resp)
	}
}

func TestFunctionURLStreaming(t *testing.T) {
	h, err := Handler(urlApp(chalice.URLResponseStream), "hook")
	if err != nil {
		t.Fatal(err)
	}
	fn := h.(*guarded).streamFunc()
	if fn == nil {
		t.Fatal("a RESPONSE_STREAM URL's handler does not stream")
	}
	for _, c := range []struct{ path, want string }{
		{"/stream", `{"statusCode":200,"headers":{"Content-Type":"text/plain","X-Middleware":"http"}}` + strings.Repeat("\x00", 8) + "part 1, part 2"},
		{"/cookie", `{"statusCode":200,"headers":{"X-Middleware":"http"},"cookies":["s=1"]}` + strings.Repeat("\x00", 8) + `{"n":1}`},
	} {
		ev := loadEvent(t, "function-url.json")
		ev["rawPath"] = c.path
		r, err := fn(context.Background(), ev.payload(t))
		if err != nil {
			t.Fatal(err)
		}
		if ct, ok := r.(interface{ ContentType() string }); !ok || ct.ContentType() != "application/vnd.awslambda.http-integration-response" {
			t.Errorf("%s: not an HTTP integration response stream", c.path)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%s: stream\n got %q\nwant %q", c.path, got, c.want)
		}
	}
	// Invoke (tests, chalc local) answers the same request buffered.
	ev := loadEvent(t, "function-url.json")
	ev["rawPath"] = "/cookie"
	out, err := h.Invoke(context.Background(), ev.payload(t))
	if err != nil {
		t.Fatal(err)
	}
	if resp := decodeV2Response(t, out); resp.Body != `{"n":1}` || !reflect.DeepEqual(resp.Cookies, []string{"s=1"}) {
		t.Errorf("buffered %+v", resp)
	}
}

func TestAuthorizerV2(t *testing.T) {
	app := chalice.New("authz", chalice.Config{Stages: map[string]chalice.Stage{
		"dev": {LogLevel: "ERROR", APIKind: chalice.APIKindHTTP}}})
	var seen chalice.AuthRequest
	app.Function(chalice.Function{Name: "check", Kind: chalice.KindAuthorizer, Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
		seen = req
		switch req.Token {
		case "nobody":
			return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "no"}
		case "reader":
			return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/request", Methods: []string{"GET"}}}, PrincipalID: "r"}, nil
		case "writer":
			return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/request", Methods: []string{"POST"}}}}, nil
		}
		return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, Context: map[string]any{"user": req.Token, "n": 1}}, nil
	}})
	h, err := Handler(app, "check")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ token, want string }{
		{"user1", `{"isAuthorized":true,"context":{"n":1,"user":"user1"}}`},
		{"reader", `{"isAuthorized":true,"context":{}}`},
		{"writer", `{"isAuthorized":false,"context":{}}`},
		{"nobody", `{"isAuthorized":false,"context":{}}`},
	} {
		ev := loadEvent(t, "authorizer-v2.json")
		ev["identitySource"] = []any{c.token, "GET /request"}
		out, err := h.Invoke(context.Background(), ev.payload(t))
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != c.want {
			t.Errorf("%s: got %s, want %s", c.token, out, c.want)
		}
	}
	if seen.AuthType != "REQUEST" || seen.MethodARN != "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request" {
		t.Errorf("AuthRequest %+v", seen)
	}
}
