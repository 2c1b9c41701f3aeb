package apigw

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/syncbuf"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// TestAuthorizerPanic: a builtin authorizer that panics is a failed
// authorizer invocation, as in Lambda: API Gateway's 500
// AuthorizerConfigurationException, logged with the panic, and the
// gateway goes on serving.
func TestAuthorizerPanic(t *testing.T) {
	var log syncbuf.Buffer
	chalice.ConfigureLogger("panics", slog.LevelError, &log)
	t.Cleanup(func() { chalice.ConfigureLogger("app", slog.LevelError, os.Stdout) })
	app := chalice.New("panics", chalice.Config{})
	app.Route(chalice.Route{Path: "/secret", Method: "GET", Authorizer: "auth",
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) { return "in", nil }})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer,
		Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
			if req.Token == "explode" {
				panic("authorizer exploded")
			}
			return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "p"}, nil
		}})
	g, err := New(app)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()
	get := func(token string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+"/secret", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET /secret with token %s: %v", token, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := get("explode")
	if resp.StatusCode != 500 || body != `{"message":null}` || resp.Header.Get("X-Amzn-Errortype") != "AuthorizerConfigurationException" {
		t.Errorf("panicking authorizer: %d %s %v", resp.StatusCode, body, resp.Header)
	}
	logged := log.String()
	for _, want := range []string{
		"panics - ERROR - Caught exception in function auth\npanic: authorizer exploded\n\ngoroutine ",
		"panics - ERROR - GET /secret: apigw: authorizer auth: panic: authorizer exploded\n",
	} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %q:\n%s", want, logged)
		}
	}

	if resp, body := get("fine"); resp.StatusCode != 200 || body != "in" {
		t.Errorf("after the panic: %d %s", resp.StatusCode, body)
	}
}
