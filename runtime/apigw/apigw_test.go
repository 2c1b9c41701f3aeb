package apigw

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

var cors = []chalice.Header{
	{Name: "Access-Control-Allow-Origin", Value: "*"},
	{Name: "Access-Control-Allow-Headers", Value: "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"},
}

// echo answers with what the route saw: its template, the parameters,
// the query and the authorizer context.
func echo(ctx context.Context, req *chalice.Request) (any, error) {
	query := map[string][]string{}
	for k, vs := range req.QueryParams.All() {
		query[k] = vs
	}
	return map[string]any{
		"resource":   req.Path,
		"path":       req.RawPath,
		"params":     req.URIParams,
		"query":      query,
		"authorizer": req.RequestContext.Authorizer,
	}, nil
}

// testApp is a small app exercising what the gateway does.
func testApp() *chalice.App {
	app := chalice.New("gwtest", chalice.Config{})
	for _, p := range []string{"/", "/pets", "/pets/{id}", "/pets/mine", "/pets/{id}/toys/{toy}",
		"/a/{x}/c", "/a/b/d", "/files/{name}", "/secret", "/secret/{id}"} {
		r := chalice.Route{Path: p, Method: "GET", Handler: echo}
		if strings.HasPrefix(p, "/secret") {
			r.Authorizer = "auth"
		}
		app.Route(r)
	}
	app.Route(chalice.Route{Path: "/pets/{id}", Method: "PUT", Handler: echo, CORS: cors})
	app.Route(chalice.Route{Path: "/pets/{id}", Method: "DELETE", Handler: echo, CORS: cors})
	app.Route(chalice.Route{Path: "/event", Method: "POST", ContentTypes: []string{"*/*"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) { return req.Raw, nil }})
	app.Route(chalice.Route{Path: "/images/{name}", Method: "PUT", ContentTypes: []string{"image/png"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: append([]byte("got:"), req.RawBody...)}, nil
		}})
	app.Route(chalice.Route{Path: "/multi", Method: "GET",
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return &chalice.Response{
				Headers:           map[string]string{"X-One": "1", "Set-Cookie": "a=1"},
				MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}},
				Body:              "ok",
			}, nil
		}})
	app.Route(chalice.Route{Path: "/lower", Method: "GET",
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return &chalice.Response{Headers: map[string]string{"content-type": "text/plain"}, Body: "hi"}, nil
		}})
	app.Route(chalice.Route{Path: "/broken", Method: "GET",
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			// A text body with a binary Content-Type fails the invocation.
			return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: "text"}, nil
		}})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer,
		Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
			switch req.Token {
			case "allow":
				return chalice.AuthResponse{
					Routes:      []chalice.AuthRoute{{Path: "/secret", Methods: []string{"GET"}}},
					PrincipalID: "user-1",
					Context:     map[string]any{"plan": "gold", "n": 3, "admin": true},
				}, nil
			case "all":
				return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "user-2"}, nil
			case "prefix":
				return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/secret/*", Methods: []string{"GET"}}}, PrincipalID: "user-3"}, nil
			case "elsewhere":
				return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/other"}}, PrincipalID: "user-4"}, nil
			case "none":
				return chalice.AuthResponse{PrincipalID: "user-5"}, nil
			case "nested":
				return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "user-6", Context: map[string]any{"obj": map[string]any{"a": 1}}}, nil
			case "crash":
				return chalice.AuthResponse{}, errors.New("database down")
			}
			return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "bad token"}
		}})
	return app
}

func newGateway(t *testing.T, opts ...Option) *Gateway {
	t.Helper()
	g, err := New(testApp(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func do(t *testing.T, g *Gateway, req Request) Response {
	t.Helper()
	resp, err := g.Do(context.Background(), req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.Path, err)
	}
	return resp
}

// seen decodes what echo answered.
type seen struct {
	Resource   string              `json:"resource"`
	Path       string              `json:"path"`
	Params     map[string]string   `json:"params"`
	Query      map[string][]string `json:"query"`
	Authorizer map[string]any      `json:"authorizer"`
}

func decode(t *testing.T, resp Response) seen {
	t.Helper()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, body %s", resp.StatusCode, resp.Body)
	}
	var s seen
	if err := json.Unmarshal(resp.Body, &s); err != nil {
		t.Fatalf("%v: %s", err, resp.Body)
	}
	return s
}

func TestMatch(t *testing.T) {
	g := newGateway(t)
	tests := []struct {
		path     string
		resource string // "" means no match
		params   map[string]string
	}{
		{"/", "/", nil},
		{"/pets", "/pets", nil},
		{"/pets/", "/pets", nil},
		{"/pets/1", "/pets/{id}", map[string]string{"id": "1"}},
		{"/pets/1/", "/pets/{id}", map[string]string{"id": "1"}},
		{"/pets/mine", "/pets/mine", nil},                           // static wins over {id}
		{"/pets/min", "/pets/{id}", map[string]string{"id": "min"}}, // a near miss is a param
		{"/pets/mine/toys/ball", "/pets/{id}/toys/{toy}", map[string]string{"id": "mine", "toy": "ball"}},
		{"/a/b/d", "/a/b/d", nil},
		{"/a/b/c", "/a/{x}/c", map[string]string{"x": "b"}}, // backtracks from the static b
		{"/a/q/c", "/a/{x}/c", map[string]string{"x": "q"}},
		{"/files/a%20b", "/files/{name}", map[string]string{"name": "a b"}},
		{"/files/a%2Fb", "/files/{name}", map[string]string{"name": "a/b"}}, // %2F stays in its segment
		{"/files/caf%C3%A9", "/files/{name}", map[string]string{"name": "café"}},
		{"/p%65ts", "/pets", nil},
		{"/files/a/b", "", nil},
		{"/pets//", "", nil},
		{"/pets//toys/x", "", nil}, // a {param} is never empty
		{"/nope", "", nil},
		{"/a/b", "", nil}, // an intermediate resource without methods
		{"/pets/1/toys", "", nil},
	}
	for _, tt := range tests {
		p := tt.path
		if len(p) > 1 && strings.HasSuffix(p, "/") {
			p = p[:len(p)-1]
		}
		res, params := g.match(p)
		got := ""
		if res != nil {
			got = res.path
		}
		if got != tt.resource || !reflect.DeepEqual(params, tt.params) {
			t.Errorf("match(%q) = %q %v; want %q %v", tt.path, got, params, tt.resource, tt.params)
		}
	}
}

func TestDoRouting(t *testing.T) {
	g := newGateway(t)
	s := decode(t, do(t, g, Request{Method: "GET", Path: "/pets/mine/toys/ball%20x"}))
	if s.Resource != "/pets/{id}/toys/{toy}" || s.Path != "/pets/mine/toys/ball%20x" ||
		!reflect.DeepEqual(s.Params, map[string]string{"id": "mine", "toy": "ball x"}) {
		t.Errorf("got %+v", s)
	}
	s = decode(t, do(t, g, Request{Method: "GET", Path: "/pets/"}))
	if s.Resource != "/pets" || s.Path != "/pets/" {
		t.Errorf("trailing slash: got %+v", s)
	}
}

func TestMissingAuthenticationToken(t *testing.T) {
	g := newGateway(t)
	for _, req := range []Request{
		{Method: "GET", Path: "/unknown"},
		{Method: "GET", Path: "/files/a/b"},
		{Method: "POST", Path: "/pets"},    // a method the resource does not have
		{Method: "OPTIONS", Path: "/pets"}, // no CORS on /pets: no preflight
		{Method: "HEAD", Path: "/pets"},
	} {
		resp := do(t, g, req)
		if resp.StatusCode != 403 || string(resp.Body) != `{"message":"Missing Authentication Token"}` ||
			resp.Headers.Get("X-Amzn-Errortype") != "MissingAuthenticationTokenException" ||
			resp.Headers.Get("Content-Type") != "application/json" || resp.Headers.Get("X-Amzn-Requestid") == "" {
			t.Errorf("%s %s = %d %v %s", req.Method, req.Path, resp.StatusCode, resp.Headers, resp.Body)
		}
	}
}

func TestRouteErrorsPassThrough(t *testing.T) {
	// A 404 is the app's own answer, unlike the gateway's 403.
	app := chalice.New("nf", chalice.Config{})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return nil, &chalice.NotFoundError{Message: "no user " + req.URIParams["id"]}
	}})
	g, err := New(app)
	if err != nil {
		t.Fatal(err)
	}
	resp := do(t, g, Request{Method: "GET", Path: "/users/7"})
	if resp.StatusCode != 404 || string(resp.Body) != `{"Code":"NotFoundError","Message":"no user 7"}` {
		t.Errorf("got %d %s", resp.StatusCode, resp.Body)
	}
}

func TestPreflight(t *testing.T) {
	g := newGateway(t)
	resp := do(t, g, Request{Method: "OPTIONS", Path: "/pets/1"})
	want := map[string]string{
		"Access-Control-Allow-Methods": "PUT,DELETE,OPTIONS",
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key",
		"Content-Type":                 "application/json",
	}
	if resp.StatusCode != 200 || len(resp.Body) != 0 {
		t.Errorf("preflight = %d %q", resp.StatusCode, resp.Body)
	}
	for k, v := range want {
		if got := resp.Headers.Get(k); got != v {
			t.Errorf("preflight %s = %q; want %q", k, got, v)
		}
	}
	// The Lambda adds the CORS headers of the CORS routes' own answers,
	// and only theirs.
	resp = do(t, g, Request{Method: "PUT", Path: "/pets/1"})
	if resp.Headers.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("PUT headers %v", resp.Headers)
	}
	resp = do(t, g, Request{Method: "GET", Path: "/pets/1"})
	if resp.Headers.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET (no CORS) headers %v", resp.Headers)
	}
}

func TestAuthorizer(t *testing.T) {
	g := newGateway(t)
	tests := []struct {
		path, token string
		status      int
		body        string // for refusals
		principal   string // for admissions
		errType     string
		failed      bool // Do returns an error
	}{
		{path: "/secret", token: "allow", status: 200, principal: "user-1"},
		{path: "/secret", token: "all", status: 200, principal: "user-2"},
		{path: "/secret/9", token: "all", status: 200, principal: "user-2"},
		{path: "/secret/9", token: "prefix", status: 200, principal: "user-3"},
		{path: "/secret/", token: "allow", status: 200, principal: "user-1"},
		{path: "/secret/9", token: "allow", status: 403, body: `{"Message":"User is not authorized to access this resource"}`, errType: "AccessDeniedException"},
		{path: "/secret", token: "prefix", status: 403, body: `{"Message":"User is not authorized to access this resource"}`, errType: "AccessDeniedException"},
		{path: "/secret", token: "elsewhere", status: 403, body: `{"Message":"User is not authorized to access this resource"}`, errType: "AccessDeniedException"},
		{path: "/secret", token: "none", status: 403, body: `{"Message":"User is not authorized to access this resource"}`, errType: "AccessDeniedException"},
		{path: "/secret", token: "bad", status: 401, body: `{"message":"Unauthorized"}`, errType: "UnauthorizedException"},
		{path: "/secret", token: "", status: 401, body: `{"message":"Unauthorized"}`, errType: "UnauthorizedException"},
		{path: "/secret", token: "crash", status: 500, body: `{"message":null}`, errType: "AuthorizerConfigurationException", failed: true},
		{path: "/secret", token: "nested", status: 500, body: `{"message":null}`, errType: "AuthorizerConfigurationException", failed: true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.token != "" {
			h.Set("Authorization", tt.token)
		}
		resp, err := g.Do(context.Background(), Request{Method: "GET", Path: tt.path, Headers: h})
		if (err != nil) != tt.failed {
			t.Errorf("%s %q: error %v; want failure %v", tt.path, tt.token, err, tt.failed)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("%s %q: status %d; want %d (%s)", tt.path, tt.token, resp.StatusCode, tt.status, resp.Body)
			continue
		}
		if tt.status != 200 {
			if string(resp.Body) != tt.body || resp.Headers.Get("X-Amzn-Errortype") != tt.errType {
				t.Errorf("%s %q: %s %v; want %s %s", tt.path, tt.token, resp.Body, resp.Headers, tt.body, tt.errType)
			}
			continue
		}
		s := decode(t, resp)
		if s.Authorizer["principalId"] != tt.principal {
			t.Errorf("%s %q: authorizer %v; want principal %s", tt.path, tt.token, s.Authorizer, tt.principal)
		}
	}

	// The context reaches the route with its values stringified.
	h := http.Header{"authorization": {"allow"}} // any spelling of the name
	s := decode(t, do(t, g, Request{Method: "GET", Path: "/secret", Headers: h}))
	want := map[string]any{"plan": "gold", "n": "3", "admin": "true", "principalId": "user-1", "integrationLatency": float64(0)}
	if !reflect.DeepEqual(s.Authorizer, want) {
		t.Errorf("authorizer context %v; want %v", s.Authorizer, want)
	}
	// Routes without an authorizer have none.
	if s := decode(t, do(t, g, Request{Method: "GET", Path: "/pets"})); s.Authorizer != nil {
		t.Errorf("unauthorized route got authorizer %v", s.Authorizer)
	}
}

func TestMethodARN(t *testing.T) {
	var got string
	app := chalice.New("arn", chalice.Config{})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "GET", Authorizer: "auth", Handler: echo})
	app.Route(chalice.Route{Path: "/", Method: "GET", Authorizer: "auth", Handler: echo})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer,
		Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
			got = req.AuthType + " " + req.Token + " " + req.MethodARN
			return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/"}, {Path: "/users/42"}}, PrincipalID: "p"}, nil
		}})
	g, err := New(app, APIStage("v1"))
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Authorization": {"tok"}}
	resp := do(t, g, Request{Method: "GET", Path: "/users/42/", Headers: h})
	if want := "TOKEN tok arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/v1/GET/users/42"; got != want || resp.StatusCode != 200 {
		t.Errorf("authorizer saw %q (%d); want %q", got, resp.StatusCode, want)
	}
	resp = do(t, g, Request{Method: "GET", Path: "/", Headers: h})
	if want := "TOKEN tok arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/v1/GET/"; got != want || resp.StatusCode != 200 {
		t.Errorf("authorizer saw %q (%d); want %q", got, resp.StatusCode, want)
	}
	if resp := do(t, g, Request{Method: "GET", Path: "/users/7", Headers: h}); resp.StatusCode != 403 {
		t.Errorf("/users/7 = %d; want 403", resp.StatusCode)
	}
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything/at/all", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"arn:x/api/*/*", "arn:x/api/GET/users/1", true},
		{"arn:x/api/GET/users/*", "arn:x/api/GET/users", false},
		{"arn:x/api/GET/users", "arn:x/api/GET/users/1", false},
		{"*a*b", "xxaxxbxb", true},
	}
	for _, tt := range tests {
		if got := dispatch.WildcardMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("WildcardMatch(%q, %q) = %v", tt.pattern, tt.s, got)
		}
	}
	deny := []statement{
		{Effect: "Allow", Action: stringOrList{"execute-api:*"}, Resource: stringOrList{"*"}},
		{Effect: "Deny", Action: stringOrList{"execute-api:Invoke"}, Resource: stringOrList{"arn:x/api/DELETE/*"}},
	}
	if !allowed(deny, "arn:x/api/GET/a") || allowed(deny, "arn:x/api/DELETE/a") {
		t.Error("an explicit Deny must win over an Allow, and only where it matches")
	}
	if allowed([]statement{{Effect: "Allow", Action: stringOrList{"s3:GetObject"}, Resource: stringOrList{"*"}}}, "arn:x") {
		t.Error("an Allow of another action must not admit")
	}
}

func TestEvent(t *testing.T) {
	g := newGateway(t, APIStage("v1"))
	h := http.Header{"Content-Type": {"text/plain"}, "X-Multi": {"a", "b"}, "User-Agent": {"tester"}}
	resp := do(t, g, Request{
		Method: "POST", Path: "/event?tag=a&tag=b&q=x%20y", Query: url.Values{"tag": {"c"}},
		Headers: h, Body: []byte("héllo"), SourceIP: "203.0.113.9",
	})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d %s", resp.StatusCode, resp.Body)
	}
	var ev map[string]any
	if err := json.Unmarshal(resp.Body, &ev); err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if !bytes.Equal(gb, wb) {
			t.Errorf("%s = %s; want %s", what, gb, wb)
		}
	}
	rc := ev["requestContext"].(map[string]any)
	check("resource", ev["resource"], "/event")
	check("path", ev["path"], "/event")
	check("httpMethod", ev["httpMethod"], "POST")
	check("queryStringParameters", ev["queryStringParameters"], map[string]string{"tag": "c", "q": "x y"})
	check("multiValueQueryStringParameters", ev["multiValueQueryStringParameters"], map[string][]string{"tag": {"a", "b", "c"}, "q": {"x y"}})
	check("headers[X-Multi]", ev["headers"].(map[string]any)["X-Multi"], "b")
	check("multiValueHeaders[X-Multi]", ev["multiValueHeaders"].(map[string]any)["X-Multi"], []string{"a", "b"})
	check("body", ev["body"], "héllo")
	check("isBase64Encoded", ev["isBase64Encoded"], nil) // false is omitted by the runtime's encoder
	check("pathParameters", ev["pathParameters"], nil)
	check("stageVariables", ev["stageVariables"], nil)
	check("requestContext.resourcePath", rc["resourcePath"], "/event")
	check("requestContext.httpMethod", rc["httpMethod"], "POST")
	check("requestContext.path", rc["path"], "/v1/event")
	check("requestContext.stage", rc["stage"], "v1")
	check("requestContext.identity.sourceIp", rc["identity"].(map[string]any)["sourceIp"], "203.0.113.9")
	check("requestContext.identity.userAgent", rc["identity"].(map[string]any)["userAgent"], "tester")
	check("requestContext.apiId", rc["apiId"], APIID)
	if id, _ := rc["requestId"].(string); len(id) != 36 || resp.Headers.Get("X-Amzn-Requestid") != id {
		t.Errorf("requestId %q, x-amzn-RequestId %q", id, resp.Headers.Get("X-Amzn-Requestid"))
	}
}

func TestBinary(t *testing.T) {
	g := newGateway(t)
	png := []byte{0x89, 'P', 'N', 'G', 0, 0xff}
	h := http.Header{"Content-Type": {"image/png"}, "Accept": {"image/png"}}
	resp := do(t, g, Request{Method: "PUT", Path: "/images/dot.png", Headers: h, Body: png})
	if resp.StatusCode != 200 || !bytes.Equal(resp.Body, append([]byte("got:"), png...)) ||
		resp.Headers.Get("Content-Type") != "image/png" {
		t.Errorf("binary round trip = %d %v %q", resp.StatusCode, resp.Headers, resp.Body)
	}
	// Without a binary Accept, Chalice's 400.
	h.Del("Accept")
	resp = do(t, g, Request{Method: "PUT", Path: "/images/dot.png", Headers: h, Body: png})
	if resp.StatusCode != 400 || !strings.Contains(string(resp.Body), "Request did not specify an Accept header with image/png") {
		t.Errorf("no Accept = %d %s", resp.StatusCode, resp.Body)
	}
	// The request body is base64-encoded for binary types only
	// (parameters and case ignored, wildcards honoured).
	app := chalice.New("bin", chalice.Config{BinaryTypes: []string{"image/*", "application/x-custom"}})
	app.Route(chalice.Route{Path: "/e", Method: "POST", ContentTypes: []string{"*/*"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return map[string]any{"b64": req.Raw.IsBase64Encoded, "body": string(req.RawBody)}, nil
		}})
	g2, err := New(app)
	if err != nil {
		t.Fatal(err)
	}
	for ct, want := range map[string]string{
		"image/gif":                          `{"b64":true,"body":"xyz"}`,
		"Application/X-Custom; charset=utf8": `{"b64":true,"body":"xyz"}`,
		"application/json":                   `{"b64":false,"body":"xyz"}`,
		"":                                   `{"b64":false,"body":"xyz"}`,
	} {
		h := http.Header{}
		if ct != "" {
			h.Set("Content-Type", ct)
		}
		resp := do(t, g2, Request{Method: "POST", Path: "/e", Headers: h, Body: []byte("xyz")})
		if string(resp.Body) != want {
			t.Errorf("Content-Type %q: %s; want %s", ct, resp.Body, want)
		}
	}
}

// TestBinaryTypesReplaced: the gateway uses the app's list as it is: a
// replaced list (api.binary_types_replace_defaults) leaves out Chalice's
// defaults, and an empty one is no binary type at all; nil is the
// defaults.
func TestBinaryTypesReplaced(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []string
		want  map[string]bool // Content-Type → base64 in the event
	}{
		{"nil: the defaults", nil, map[string]bool{"image/png": true, "application/pdf": false}},
		{"replaced", []string{"application/pdf"}, map[string]bool{"image/png": false, "application/pdf": true}},
		{"none", []string{}, map[string]bool{"image/png": false, "application/pdf": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := chalice.New("bin", chalice.Config{BinaryTypes: tc.types})
			app.Route(chalice.Route{Path: "/e", Method: "POST", ContentTypes: []string{"*/*"},
				Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
					return req.Raw.IsBase64Encoded, nil
				}})
			g, err := New(app)
			if err != nil {
				t.Fatal(err)
			}
			for ct, b64 := range tc.want {
				resp := do(t, g, Request{Method: "POST", Path: "/e", Headers: http.Header{"Content-Type": {ct}}, Body: []byte("xyz")})
				if got := string(resp.Body); got != fmt.Sprint(b64) {
					t.Errorf("%s: base64 %s, want %v", ct, got, b64)
				}
			}
		})
	}
}

func TestResponseHeaders(t *testing.T) {
	g := newGateway(t)
	resp := do(t, g, Request{Method: "GET", Path: "/multi"})
	if got := resp.Headers.Values("Set-Cookie"); !reflect.DeepEqual(got, []string{"a=1", "b=2"}) {
		t.Errorf("Set-Cookie = %q", got)
	}
	if resp.Headers.Get("X-One") != "1" || resp.Headers.Get("Content-Type") != "application/json" || string(resp.Body) != "ok" {
		t.Errorf("headers %v body %q", resp.Headers, resp.Body)
	}
	// Names are canonicalized; a Content-Type in any case is the function's.
	resp = do(t, g, Request{Method: "GET", Path: "/lower"})
	if got := resp.Headers.Values("Content-Type"); !reflect.DeepEqual(got, []string{"text/plain"}) {
		t.Errorf("Content-Type = %q", got)
	}
}

func TestLambdaFailure(t *testing.T) {
	g := newGateway(t)
	resp, err := g.Do(context.Background(), Request{Method: "GET", Path: "/broken", Headers: http.Header{"Accept": {"image/png"}}})
	if err == nil || resp.StatusCode != 502 || string(resp.Body) != `{"message": "Internal server error"}` {
		t.Errorf("got %d %s, %v", resp.StatusCode, resp.Body, err)
	}
}

func TestNew(t *testing.T) {
	// An app without routes: every request is a 403.
	g, err := New(chalice.New("empty", chalice.Config{}))
	if err != nil {
		t.Fatal(err)
	}
	if resp := do(t, g, Request{Method: "GET", Path: "/"}); resp.StatusCode != 403 {
		t.Errorf("empty app: %d", resp.StatusCode)
	}
	if _, err := New(testApp(), Stage("nope")); err == nil || !strings.Contains(err.Error(), `no stage "nope"`) {
		t.Errorf("unknown stage: %v", err)
	}
	app := chalice.New("x", chalice.Config{})
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: echo, Authorizer: "missing"})
	if _, err := New(app); err == nil || !strings.Contains(err.Error(), `"missing" is not a builtin authorizer`) {
		t.Errorf("missing authorizer: %v", err)
	}
	// WrapHandler sees every handler the gateway calls.
	var wrapped []string
	g, err = New(testApp(), WrapHandler(func(name string, h lambda.Handler) lambda.Handler {
		wrapped = append(wrapped, name)
		return h
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(wrapped, []string{"api_handler", "auth"}) {
		t.Errorf("wrapped %v", wrapped)
	}
}

func TestServeHTTP(t *testing.T) {
	srv := httptest.NewServer(newGateway(t))
	defer srv.Close()
	get := func(path string, h http.Header) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, vs := range h {
			req.Header[k] = vs
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/pets/1?tag=a&tag=b", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"params":{"id":"1"}`) || !strings.Contains(body, `"query":{"tag":["a","b"]}`) {
		t.Errorf("GET /pets/1 = %d %s", resp.StatusCode, body)
	}
	resp, body = get("/nowhere", nil)
	if resp.StatusCode != 403 || body != `{"message":"Missing Authentication Token"}` {
		t.Errorf("GET /nowhere = %d %s", resp.StatusCode, body)
	}
	resp, body = get("/secret", http.Header{"Authorization": {"allow"}})
	if resp.StatusCode != 200 || !strings.Contains(body, `"principalId":"user-1"`) {
		t.Errorf("GET /secret = %d %s", resp.StatusCode, body)
	}
	big := httptest.NewRecorder()
	newGateway(t).ServeHTTP(big, httptest.NewRequest("POST", "/event", bytes.NewReader(make([]byte, MaxBodySize+1))))
	if big.Code != 413 {
		t.Errorf("oversized body: %d", big.Code)
	}
}
