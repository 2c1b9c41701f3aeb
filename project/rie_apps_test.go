package project

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chalc-dev/chalc/internal/rie"
)

// Authorizers and websocket handlers of the authz and chat example apps,
// run as they run in Lambda: the packaged bootstrap under the Runtime
// Interface Emulator.

// rieAppBootstrap packages testdata/apps/<app> once per test binary and
// returns its extracted bootstrap.
func rieAppBootstrap(t *testing.T, app string) string {
	t.Helper()
	rie.Require(t)
	p, err := riePackage(app)
	if err != nil {
		t.Fatal(err)
	}
	rieCanRun(t, p.goarch)
	return rie.ExtractBootstrap(t, p.zip)
}

func rieInvokeJSON(t *testing.T, e *rie.Emulator, event string) string {
	t.Helper()
	status, body, err := e.Invoke([]byte(event))
	if err != nil || status != 200 {
		t.Fatalf("invoke: status %d, %v: %s", status, err, body)
	}
	return string(body)
}

// TestRIEAuthorizer: the builtin authorizer turns its AuthResponse into the
// IAM policy API Gateway expects (method ARNs built from the request's),
// and an UnauthorizedError into API Gateway's "Unauthorized".
func TestRIEAuthorizer(t *testing.T) {
	bootstrap := rieAppBootstrap(t, "authz")
	e := rie.Start(t, bootstrap, "jwt")
	token := func(tok string) string {
		return fmt.Sprintf(`{"type":"TOKEN","authorizationToken":%q,"methodArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/GET/me"}`, tok)
	}
	for _, c := range []struct{ name, token, want string }{
		{"a user gets GET /me and every method of /partners/*", "allow-ada",
			`{"principalId":"ada","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/GET/me","arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/*/partners/*"]}]},"context":{"user":"ada"}}`},
		{"admin gets everything", "allow-admin",
			`{"principalId":"admin","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/*/*"]}]},"context":{"user":"admin"}}`},
		{"a bad token is API Gateway's Unauthorized", "nope",
			`{"errorMessage":"Unauthorized","errorType":"unauthorizedError"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := rieInvokeJSON(t, e, token(c.token))
			if !jsonEqualText(got, c.want) {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func jsonEqualText(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// TestRIEWebsocket: connect, message and disconnect handlers; the message
// handler replies through the management API (a local server stands in
// for it, reached through AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI).
func TestRIEWebsocket(t *testing.T) {
	bootstrap := rieAppBootstrap(t, "chat")
	var mu sync.Mutex
	var posts []string
	mgmt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, r.Method+" "+r.URL.EscapedPath()+" "+string(b)+" signed="+fmt.Sprint(strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256")))
		mu.Unlock()
		if strings.Contains(r.URL.Path, "gone") {
			w.WriteHeader(http.StatusGone)
		}
	}))
	defer mgmt.Close()
	env := []string{"AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI=" + mgmt.URL, "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_SESSION_TOKEN=token"}
	event := func(route, conn, body string) string {
		return fmt.Sprintf(`{"requestContext":{"routeKey":%q,"eventType":%q,"connectionId":%q,"domainName":"abc123.execute-api.us-east-1.amazonaws.com","stage":"api","apiId":"abc123"},"body":%q,"isBase64Encoded":false}`,
			route, strings.ToUpper(strings.TrimPrefix(route, "$")), conn, body)
	}
	for _, c := range []struct {
		function, event, want string
		posts                 []string
	}{
		{"websocket_connect", event("$connect", "c1=", ""), `{"statusCode":200}`, nil},
		{"websocket_message", event("$default", "c1=", `{"action":"say","text":"hi"}`), `{"statusCode":200}`,
			[]string{`POST /api/@connections/c1= {"echo":"hi"} signed=true`}},
		{"websocket_message", event("$default", "c1=", `not json`), `{"statusCode":400}`, nil},
		{"websocket_message", event("$default", "gone", `{"text":"late"}`), `{"statusCode":200}`,
			[]string{`POST /api/@connections/gone {"echo":"late"} signed=true`}},
		{"websocket_disconnect", event("$disconnect", "c1=", ""), `{"statusCode":200}`, nil},
	} {
		t.Run(c.function+" "+c.want, func(t *testing.T) {
			e := rie.Start(t, bootstrap, c.function, env...)
			mu.Lock()
			posts = nil
			mu.Unlock()
			if got := rieInvokeJSON(t, e, c.event); !jsonEqualText(got, c.want) {
				t.Errorf("result %s, want %s", got, c.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(posts, "\n") != strings.Join(c.posts, "\n") {
				t.Errorf("management API saw:\n%s\nwant:\n%s", strings.Join(posts, "\n"), strings.Join(c.posts, "\n"))
			}
		})
	}
}
