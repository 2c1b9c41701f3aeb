package apigw

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// v2App is an app whose prod stage is an HTTP API (stage v1, CORS for
// https://shop.example.com) and which has a function URL.
func v2App() *chalice.App {
	cors := &chalice.CORSConfig{AllowOrigins: []string{"https://shop.example.com"}, AllowMethods: []string{"GET", "POST", "OPTIONS"},
		AllowHeaders: []string{"Authorization", "Content-Type"}, ExposeHeaders: []string{"X-Total"}, MaxAge: 600}
	app := chalice.New("shop", chalice.Config{Stages: map[string]chalice.Stage{
		"dev":  {LogLevel: "ERROR"},
		"prod": {LogLevel: "ERROR", APIGatewayStage: "v1", APIKind: chalice.APIKindHTTP, APICORS: cors},
	}})
	echo := func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"path": req.Path, "rawPath": req.RawPath, "params": req.URIParams, "q": req.QueryParams.GetAll("q"),
			"cookies": req.Cookies(), "claims": req.Claims(), "auth": req.RequestContext.Authorizer, "user": req.RequestContext.Identity.UserArn,
			"body": string(req.RawBody), "ct": req.Headers.Get("content-type")}, nil
	}
	app.Route(chalice.Route{Path: "/orders/{id}", Method: "GET", Handler: echo,
		CORS: []chalice.Header{{Name: "Access-Control-Allow-Origin", Value: "*"}}})
	app.Route(chalice.Route{Path: "/orders", Method: "POST", Handler: echo, ContentTypes: []string{"*/*"},
		Authorizer: "check", AuthorizerType: chalice.AuthBuiltin, AuthorizerName: "check"})
	app.Route(chalice.Route{Path: "/me", Method: "GET", Handler: echo, AuthorizerType: chalice.AuthCognito, AuthorizerName: "pool",
		Scopes: []string{"orders/read"}})
	app.Route(chalice.Route{Path: "/admin", Method: "GET", Handler: echo, AuthorizerType: chalice.AuthIAM, AuthorizerName: "sigv4"})
	app.Function(chalice.Function{Name: "check", Kind: chalice.KindAuthorizer, Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
		if req.Token != "allow" {
			return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "no"}
		}
		return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/orders", Methods: []string{"POST"}}}, Context: map[string]any{"user": "ana"}}, nil
	}})
	app.Function(chalice.Function{Name: "hook", Kind: chalice.KindHTTP, HTTP: echo,
		URL: &chalice.FunctionURL{Auth: chalice.URLAuthIAM, InvokeMode: chalice.URLBuffered,
			CORS: &chalice.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"Content-Type"}}}})
	return app
}

func body(t *testing.T, resp Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(resp.Body, &m); err != nil {
		t.Fatalf("%d %s: %v", resp.StatusCode, resp.Body, err)
	}
	return m
}

func TestHTTPAPI(t *testing.T) {
	g, err := New(v2App(), Stage("prod"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	do := func(req Request) Response {
		t.Helper()
		resp, err := g.Do(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := do(Request{Path: "/orders/7?q=a&q=b", Headers: http.Header{"Cookie": {"a=1; b=2"}, "Origin": {"https://shop.example.com"}}})
	got := body(t, resp)
	if resp.StatusCode != 200 || got["path"] != "/orders/{id}" || got["rawPath"] != "/orders/7" ||
		!reflect.DeepEqual(got["q"], []any{"a", "b"}) || !reflect.DeepEqual(got["cookies"], []any{"a=1", "b=2"}) ||
		!reflect.DeepEqual(got["params"], map[string]any{"id": "7"}) {
		t.Errorf("GET /orders/7 = %d %v", resp.StatusCode, got)
	}
	// API Gateway's CORS, not the function's.
	if resp.Headers.Get("Access-Control-Allow-Origin") != "https://shop.example.com" || resp.Headers.Get("Access-Control-Expose-Headers") != "X-Total" ||
		resp.Headers.Get("Apigw-Requestid") == "" {
		t.Errorf("GET /orders/7 headers %v", resp.Headers)
	}
	pre := do(Request{Method: "OPTIONS", Path: "/orders", Headers: http.Header{"Origin": {"https://shop.example.com"}, "Access-Control-Request-Method": {"POST"}}})
	if pre.StatusCode != 204 || pre.Headers.Get("Access-Control-Allow-Methods") != "GET,POST,OPTIONS" || pre.Headers.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight %d %v", pre.StatusCode, pre.Headers)
	}
	if resp := do(Request{Path: "/nowhere"}); resp.StatusCode != 404 || string(resp.Body) != `{"message":"Not Found"}` {
		t.Errorf("GET /nowhere = %d %s", resp.StatusCode, resp.Body)
	}
	if resp := do(Request{Method: "DELETE", Path: "/orders/7"}); resp.StatusCode != 404 {
		t.Errorf("DELETE /orders/7 = %d %s", resp.StatusCode, resp.Body)
	}
	// The builtin authorizer, with simple responses.
	if resp := do(Request{Method: "POST", Path: "/orders"}); resp.StatusCode != 401 || string(resp.Body) != `{"message":"Unauthorized"}` {
		t.Errorf("POST /orders without a token = %d %s", resp.StatusCode, resp.Body)
	}
	if resp := do(Request{Method: "POST", Path: "/orders", Headers: http.Header{"Authorization": {"nope"}}}); resp.StatusCode != 403 || string(resp.Body) != `{"message":"Forbidden"}` {
		t.Errorf("POST /orders refused = %d %s", resp.StatusCode, resp.Body)
	}
	resp = do(Request{Method: "POST", Path: "/orders", Headers: http.Header{"Authorization": {"allow"}, "Content-Type": {"image/png"}}, Body: []byte("PNG!")})
	if got := body(t, resp); resp.StatusCode != 200 || !reflect.DeepEqual(got["auth"], map[string]any{"user": "ana"}) || got["body"] != "PNG!" {
		t.Errorf("POST /orders = %d %v", resp.StatusCode, got)
	}
	// A JWT authorizer's claims and scopes, as the test says.
	me := func(scope string) Response {
		return do(Request{Path: "/me", Caller: &Caller{Claims: map[string]any{"sub": "u-1", "scope": scope, "email_verified": true}}})
	}
	resp = me("orders/read profile")
	if got := body(t, resp); resp.StatusCode != 200 || !reflect.DeepEqual(got["claims"], map[string]any{"sub": "u-1", "scope": "orders/read profile", "email_verified": "true"}) ||
		!reflect.DeepEqual(got["auth"].(map[string]any)["scopes"], []any{"orders/read", "profile"}) {
		t.Errorf("GET /me = %d %v", resp.StatusCode, got)
	}
	if resp := me("profile"); resp.StatusCode != 403 {
		t.Errorf("GET /me without the route's scope = %d %s", resp.StatusCode, resp.Body)
	}
	resp = do(Request{Path: "/admin", Caller: &Caller{Identity: &events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::123456789012:user/ops"}}})
	if got := body(t, resp); got["user"] != "arn:aws:iam::123456789012:user/ops" {
		t.Errorf("GET /admin = %v", got)
	}
}

func TestFunctionURL(t *testing.T) {
	u, err := NewFunctionURL(v2App(), "hook")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if resp, _ := u.Do(ctx, Request{Path: "/x"}); resp.StatusCode != 403 || string(resp.Body) != `{"Message":"Forbidden"}` {
		t.Errorf("unsigned request = %d %s", resp.StatusCode, resp.Body)
	}
	resp, err := u.Do(ctx, Request{Method: "PUT", Path: "/any/path?q=1", Body: []byte(`{"a":1}`), Headers: http.Header{"Content-Type": {"application/json"}, "Origin": {"https://x.example"}},
		Caller: &Caller{Identity: &events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::123456789012:user/ci"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := body(t, resp)
	if resp.StatusCode != 200 || got["path"] != "/any/path" || got["rawPath"] != "/any/path" || got["body"] != `{"a":1}` ||
		got["user"] != "arn:aws:iam::123456789012:user/ci" || resp.Headers.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("PUT = %d %v %v", resp.StatusCode, got, resp.Headers)
	}
	if !strings.HasSuffix(u.Domain(), ".lambda-url.us-west-2.on.aws") {
		t.Errorf("domain %s", u.Domain())
	}
	if _, err := NewFunctionURL(v2App(), "check"); err == nil || !strings.Contains(err.Error(), "those with one: hook") {
		t.Errorf("a function without a URL: %v", err)
	}
}
