package chalice

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestWebsocketAPI runs Send, Info and Close against a local server
// standing in for API Gateway's management API, checking the requests
// (method, path, SigV4 signature headers, body) and the 410 mapping.
func TestWebsocketAPI(t *testing.T) {
	type seen struct{ method, path, body, auth, token string }
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, seen{r.Method, r.URL.EscapedPath(), string(b), r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token")})
		switch {
		case strings.HasSuffix(r.URL.Path, "/gone"):
			w.WriteHeader(http.StatusGone)
		case r.Method == http.MethodGet:
			w.Write([]byte(`{"connectedAt":"2026-11-26T10:00:00Z","lastActiveAt":"2026-11-26T10:05:00Z","identity":{"sourceIp":"192.0.2.1","userAgent":"test"}}`))
		}
	}))
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	t.Setenv("AWS_REGION", "us-east-1")

	ev := WebsocketEvent{Stage: "api", DomainName: "abc123.execute-api.us-east-1.amazonaws.com",
		RequestContext: events.APIGatewayWebsocketProxyRequestContext{APIID: "abc123"}}
	api := ev.API()
	if api.Endpoint != "https://abc123.execute-api.us-east-1.amazonaws.com/api" || api.Region != "us-east-1" {
		t.Fatalf("endpoint %q region %q", api.Endpoint, api.Region)
	}
	api.Endpoint = srv.URL + "/api"
	ctx := context.Background()
	if err := api.Send(ctx, "conn=1", []byte(`{"hello":"world"}`)); err != nil {
		t.Fatal(err)
	}
	info, err := api.Info(ctx, "conn=1")
	if err != nil || info.Identity.SourceIP != "192.0.2.1" || info.ConnectedAt.Minute() != 0 {
		t.Fatalf("info %+v %v", info, err)
	}
	if err := api.Close(ctx, "conn=1"); err != nil {
		t.Fatal(err)
	}
	var gone *WebsocketDisconnectedError
	if err := api.Send(ctx, "gone", []byte("x")); !errors.As(err, &gone) || gone.ConnectionID != "gone" {
		t.Fatalf("send to a closed connection: %v", err)
	}
	want := []seen{
		{"POST", "/api/@connections/conn=1", `{"hello":"world"}`, "", "token"},
		{"GET", "/api/@connections/conn=1", "", "", "token"},
		{"DELETE", "/api/@connections/conn=1", "", "", "token"},
		{"POST", "/api/@connections/gone", "x", "", "token"},
	}
	if len(got) != len(want) {
		t.Fatalf("requests: %+v", got)
	}
	for i := range want {
		g := got[i]
		if g.method != want[i].method || g.path != want[i].path || g.body != want[i].body || g.token != want[i].token {
			t.Errorf("request %d = %+v, want %+v", i, g, want[i])
		}
		if !strings.HasPrefix(g.auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(g.auth, "/us-east-1/execute-api/aws4_request") {
			t.Errorf("request %d is not SigV4-signed for execute-api: %q", i, g.auth)
		}
	}
}

func TestWebsocketAPINoCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	api := &WebsocketAPI{Endpoint: "http://127.0.0.1:1/api", Region: "us-east-1"}
	if err := api.Send(context.Background(), "c", nil); err == nil || !strings.Contains(err.Error(), "no AWS credentials") {
		t.Errorf("got %v", err)
	}
}
