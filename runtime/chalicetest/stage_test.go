package chalicetest_test

import (
	"context"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestStageCORS: a stage serves its own CORS headers (chalice.Stage.CORS,
// written by chalc when the manifest's CORS takes stage values) on
// responses and preflights alike, and its own authorizer header; the dev
// stage serves the routes' own.
func TestStageCORS(t *testing.T) {
	origin := func(o string) []chalice.Header {
		return []chalice.Header{{Name: "Access-Control-Allow-Origin", Value: o}, {Name: "Access-Control-Allow-Headers", Value: "Content-Type"}}
	}
	app := chalice.New("sc", chalice.Config{Stages: map[string]chalice.Stage{
		"dev": {},
		"prod": {CORS: map[string][]chalice.Header{"/items": origin("https://shop.example.com")},
			AuthorizerHeaders: map[string]string{"auth": "X-Prod-Token"}},
	}})
	ok := func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil }
	app.Route(chalice.Route{Path: "/items", Method: "GET", Handler: ok, CORS: origin("http://localhost:3000"), Authorizer: "auth", AuthorizerHeader: "X-Token"})
	app.Route(chalice.Route{Path: "/items", Method: "POST", Handler: ok})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer, Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
		if req.Token != "secret" {
			return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "Unauthorized"}
		}
		return chalice.AuthResponse{PrincipalID: "u", Routes: []chalice.AuthRoute{{Path: "*"}}}, nil
	}})
	for stage, want := range map[string]struct{ origin, header string }{
		"dev":  {"http://localhost:3000", "X-Token"},
		"prod": {"https://shop.example.com", "X-Prod-Token"},
	} {
		t.Run(stage, func(t *testing.T) {
			c := chalicetest.New(t, app, chalicetest.Stage(stage))
			resp := c.HTTP.Get("/items", chalicetest.Header(want.header, "secret"))
			if resp.StatusCode != 200 || resp.Headers.Get("Access-Control-Allow-Origin") != want.origin {
				t.Errorf("GET: %d %q, want 200 %q", resp.StatusCode, resp.Headers.Get("Access-Control-Allow-Origin"), want.origin)
			}
			pre := c.HTTP.Options("/items")
			if pre.Headers.Get("Access-Control-Allow-Origin") != want.origin || pre.Headers.Get("Access-Control-Allow-Methods") != "GET,OPTIONS" {
				t.Errorf("preflight: %v", pre.Headers)
			}
			if post := c.HTTP.Post("/items"); post.Headers.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("POST has no CORS, got %v", post.Headers)
			}
		})
	}
}
