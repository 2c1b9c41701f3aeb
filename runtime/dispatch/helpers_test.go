package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// fixture reads testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// event is a fixture decoded as a JSON object, to be changed by a test
// case and encoded with payload.
type event map[string]any

func loadEvent(t testing.TB, name string) event {
	t.Helper()
	var ev event
	if err := json.Unmarshal(fixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func (ev event) payload(t testing.TB) []byte {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (ev event) ctx() map[string]any { return ev["requestContext"].(map[string]any) }

// route points the proxy event at a resource template and method.
func (ev event) route(resource, method string) event {
	ev["resource"] = resource
	ev["httpMethod"] = method
	ev.ctx()["resourcePath"] = resource
	ev.ctx()["httpMethod"] = method
	return ev
}

// header sets a request header in headers and multiValueHeaders; no
// values deletes it.
func (ev event) header(name string, values ...string) event {
	single, _ := ev["headers"].(map[string]any)
	multi, _ := ev["multiValueHeaders"].(map[string]any)
	if single == nil {
		single = map[string]any{}
		ev["headers"] = single
	}
	if multi == nil {
		multi = map[string]any{}
		ev["multiValueHeaders"] = multi
	}
	for k := range single {
		if strings.EqualFold(k, name) {
			delete(single, k)
		}
	}
	for k := range multi {
		if strings.EqualFold(k, name) {
			delete(multi, k)
		}
	}
	if len(values) > 0 {
		single[name] = values[len(values)-1]
		vs := make([]any, len(values))
		for i, v := range values {
			vs[i] = v
		}
		multi[name] = vs
	}
	return ev
}

func (ev event) body(s string) event {
	ev["body"] = s
	return ev
}

// invoke runs h on payload and returns the response, failing on an
// invocation error.
func invoke(t testing.TB, h lambda.Handler, payload []byte) string {
	t.Helper()
	out, err := h.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	return string(out)
}

func mustHandler(t testing.TB, app *chalice.App, function string, opts ...Option) lambda.Handler {
	t.Helper()
	h, err := Handler(app, function, opts...)
	if err != nil {
		t.Fatalf("Handler(%s): %v", function, err)
	}
	return h
}

// proxy is an expected proxy response.
type proxy struct {
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	StatusCode        int                 `json:"statusCode"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded,omitempty"`
}

// String writes p as the runtime must: keys in Chalice's order, maps
// sorted, {} for no headers, no HTML escaping.
func (p proxy) String() string {
	if p.Headers == nil {
		p.Headers = map[string]string{}
	}
	if p.MultiValueHeaders == nil {
		p.MultiValueHeaders = map[string][]string{}
	}
	if p.StatusCode == 0 {
		p.StatusCode = 200
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// captureLog sends chalice.Logger's output to a buffer for the test.
func captureLog(t testing.TB) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	chalice.ConfigureLogger("testapp", slog.LevelDebug, &buf)
	t.Cleanup(func() { chalice.ConfigureLogger("app", slog.LevelError, os.Stdout) })
	return &buf
}

func assertEqual(t testing.TB, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got: %s\nwant: %s", what, got, want)
	}
}
