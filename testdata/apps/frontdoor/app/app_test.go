package app_test

import (
	"net/http"
	"slices"
	"testing"

	"example.com/frontdoor/app"
	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// call is one request of the table both front doors answer.
type call struct {
	name, method, path string
	opts               []chalicetest.RequestOption
}

func calls() []call {
	return []call{
		{"index", "GET", "/", nil},
		{"list with claims", "GET", "/orders", []chalicetest.RequestOption{
			chalicetest.Claims(map[string]any{"sub": "u-1", "email": "ana@example.com", "scope": "orders/read"})}},
		{"create", "POST", "/orders", []chalicetest.RequestOption{
			chalicetest.Header("Authorization", "allow-ana"), chalicetest.JSON(map[string]string{"item": "pen"})}},
		{"create invalid", "POST", "/orders", []chalicetest.RequestOption{
			chalicetest.Header("Authorization", "allow-ana"), chalicetest.JSON(map[string]string{})}},
		{"create bad JSON", "POST", "/orders", []chalicetest.RequestOption{
			chalicetest.Header("Authorization", "allow-ana"), chalicetest.Header("Content-Type", "application/json"), chalicetest.Body([]byte("{"))}},
		{"create without a token", "POST", "/orders", nil},
		{"get", "GET", "/orders/1?owner=bo", nil},
		{"get unknown", "GET", "/orders/9", nil},
		{"delete signed", "DELETE", "/orders/1", []chalicetest.RequestOption{
			chalicetest.IAMIdentity(events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::123456789012:user/ops"})}},
		{"receipt", "GET", "/receipts/1", []chalicetest.RequestOption{chalicetest.Header("Accept", "image/png")}},
		{"session", "GET", "/session", []chalicetest.RequestOption{chalicetest.Header("Cookie", "session=abc; theme=dark")}},
	}
}

// TestSameResponses: dev's REST API and prod's HTTP API answer every
// request with the same status, body and headers the handlers set.
func TestSameResponses(t *testing.T) {
	rest := chalicetest.New(t, app.App())
	httpAPI := chalicetest.New(t, app.App(), chalicetest.Stage("prod"))
	for _, c := range calls() {
		a := rest.HTTP.Request(c.method, c.path, c.opts...)
		b := httpAPI.HTTP.Request(c.method, c.path, c.opts...)
		if a.StatusCode != b.StatusCode || a.String() != b.String() {
			t.Errorf("%s: REST %d %s, HTTP API %d %s", c.name, a.StatusCode, a, b.StatusCode, b)
		}
		for _, h := range []string{"Content-Type", "X-Order-Count"} {
			if a.Headers.Get(h) != b.Headers.Get(h) {
				t.Errorf("%s: %s: REST %q, HTTP API %q", c.name, h, a.Headers.Get(h), b.Headers.Get(h))
			}
		}
		if x, y := a.Headers.Values("Set-Cookie"), b.Headers.Values("Set-Cookie"); !slices.Equal(x, y) {
			t.Errorf("%s: Set-Cookie: REST %q, HTTP API %q", c.name, x, y)
		}
		if a.StatusCode >= 500 {
			t.Errorf("%s: %d %s", c.name, a.StatusCode, a)
		}
	}
}

// TestWhatDiffers pins what the two kinds of API answer differently, as
// API Gateway does: what an authorizer refusing, an unknown route, and
// CORS look like.
func TestWhatDiffers(t *testing.T) {
	rest := chalicetest.New(t, app.App())
	httpAPI := chalicetest.New(t, app.App(), chalicetest.Stage("prod"))

	// The builtin authorizer refuses a bad token: the REST API answers
	// its 401; an HTTP API's Lambda authorizer can only say
	// isAuthorized: false, which is 403.
	if resp := rest.HTTP.Post("/orders", chalicetest.Header("Authorization", "nope")); resp.StatusCode != 401 {
		t.Errorf("REST, bad token: %d %s", resp.StatusCode, resp)
	}
	if resp := httpAPI.HTTP.Post("/orders", chalicetest.Header("Authorization", "nope")); resp.StatusCode != 403 {
		t.Errorf("HTTP API, bad token: %d %s", resp.StatusCode, resp)
	}
	// A token allowed other routes only: 403 in both.
	for _, c := range []*chalicetest.Client{rest, httpAPI} {
		if resp := c.HTTP.Post("/orders", chalicetest.Header("Authorization", "allow-reader")); resp.StatusCode != 403 {
			t.Errorf("reader token: %d %s", resp.StatusCode, resp)
		}
	}
	if resp := rest.HTTP.Get("/nowhere"); resp.StatusCode != 403 {
		t.Errorf("REST, unknown path: %d %s", resp.StatusCode, resp)
	}
	if resp := httpAPI.HTTP.Get("/nowhere"); resp.StatusCode != 404 || resp.String() != `{"message":"Not Found"}` {
		t.Errorf("HTTP API, unknown path: %d %s", resp.StatusCode, resp)
	}
	// The JWT authorizer's scopes: a token without orders/read is
	// refused by the HTTP API (a REST API checks Cognito scopes too, in
	// AWS; chalicetest does not emulate that).
	if resp := httpAPI.HTTP.Get("/orders", chalicetest.Claims(map[string]any{"sub": "u-1", "scope": "profile"})); resp.StatusCode != 403 {
		t.Errorf("HTTP API, missing scope: %d %s", resp.StatusCode, resp)
	}

	// CORS: the REST API's function adds its headers to every answer
	// and a mock answers preflights; the HTTP API answers preflights and
	// CORS requests itself, for the stage's origin.
	if resp := rest.HTTP.Get("/orders/1"); resp.Headers.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("REST CORS: %v", resp.Headers)
	}
	origin := chalicetest.Header("Origin", "https://shop.example.com")
	resp := httpAPI.HTTP.Get("/orders/1", origin)
	if resp.Headers.Get("Access-Control-Allow-Origin") != "https://shop.example.com" || resp.Headers.Get("Access-Control-Expose-Headers") != "X-Order-Count" {
		t.Errorf("HTTP API CORS: %v", resp.Headers)
	}
	if resp := httpAPI.HTTP.Get("/orders/1"); resp.Headers.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("HTTP API CORS without an Origin: %v", resp.Headers)
	}
	pre := httpAPI.HTTP.Options("/orders", origin, chalicetest.Header("Access-Control-Request-Method", "POST"))
	if pre.StatusCode != http.StatusNoContent || pre.Headers.Get("Access-Control-Allow-Methods") != "GET,POST,DELETE,OPTIONS" || pre.Headers.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("HTTP API preflight: %d %v", pre.StatusCode, pre.Headers)
	}
}

// TestRequestLooksTheSame: the handler sees the resource template and
// the path without the stage, whatever the API.
func TestRequestLooksTheSame(t *testing.T) {
	for _, stage := range []string{"dev", "prod"} {
		c := chalicetest.New(t, app.App(), chalicetest.Stage(stage))
		if resp := c.HTTP.Get("/"); resp.String() != `{"hello":"frontdoor","path":"/","rawPath":"/"}` {
			t.Errorf("%s: GET / = %s", stage, resp)
		}
	}
}
