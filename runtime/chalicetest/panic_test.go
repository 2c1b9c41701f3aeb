package chalicetest_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// TestPanic: a handler's panic is the function's failure, as in Lambda,
// and never stops the test.
func TestPanic(t *testing.T) {
	app := chalice.New("panics", chalice.Config{})
	app.Route(chalice.Route{Path: "/secret", Method: "GET", Authorizer: "auth",
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) { return "in", nil }})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer,
		Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
			panic("auth exploded")
		}})
	app.Function(chalice.Function{Name: "report", Kind: chalice.KindPureLambda,
		Pure: func(ctx context.Context) error { panic("report exploded") }})
	c := chalicetest.New(t, app, chalicetest.LogOutput(io.Discard))

	_, err := c.Lambda.Invoke("report", nil)
	var pe *dispatch.PanicError
	if !errors.As(err, &pe) || err.Error() != "panic: report exploded" {
		t.Errorf("Invoke(report): %v; want a *dispatch.PanicError", err)
	}
	resp := c.HTTP.Get("/secret", chalicetest.Header("Authorization", "t"))
	if resp.StatusCode != 500 || string(resp.Body) != `{"message":null}` || !errors.As(resp.Err, &pe) {
		t.Errorf("GET /secret = %d %s, %v", resp.StatusCode, resp.Body, resp.Err)
	}
}
