package devserver

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// startServe runs Serve on a free port until the test ends and returns
// its base URL.
func startServe(t *testing.T, app *chalice.App, opts Options) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	opts.Ready = func() { close(ready) }
	go func() { done <- Serve(ctx, ln, app, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	}
	return "http://" + ln.Addr().String()
}

// TestInvokeAPI: the local server answers Lambda's Invoke API for the
// app's functions, as Lambda does.
func TestInvokeAPI(t *testing.T) {
	app := testApp()
	app.Function(chalice.Function{Name: "on_job", Kind: chalice.KindSQS, SQS: func(ctx context.Context, e chalice.SQSEvent) (any, error) {
		var out chalice.BatchResponse
		for _, r := range e.Records {
			if r.Body == "bad" {
				out.BatchItemFailures = append(out.BatchItemFailures, chalice.BatchItemFailure{ItemIdentifier: r.MessageID})
			}
			if r.Body == "boom" {
				return nil, errors.New("boom")
			}
		}
		return out, nil
	}})
	app.Function(chalice.Function{Name: "tick", Kind: chalice.KindScheduled, CloudWatch: func(ctx context.Context, e chalice.CloudWatchEvent) (any, error) {
		return e.Resources, nil
	}})
	base := startServe(t, app, Options{})
	post := func(path, body string) (int, http.Header, string) {
		t.Helper()
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	code, _, body := post("/2015-03-31/functions/on_job/invocations", `{"Records":[{"messageId":"m1","body":"ok"},{"messageId":"m2","body":"bad"}]}`)
	if code != 200 || body != `{"batchItemFailures":[{"itemIdentifier":"m2"}]}` {
		t.Errorf("on_job = %d %s", code, body)
	}
	code, h, body := post("/2015-03-31/functions/on_job/invocations", `{"Records":[{"messageId":"m1","body":"boom"}]}`)
	if code != 200 || h.Get("X-Amz-Function-Error") != "Unhandled" || body != `{"errorMessage":"boom","errorType":"errorString"}` {
		t.Errorf("failing on_job = %d %v %s", code, h, body)
	}
	// A schedule fires with an empty body.
	if code, _, body := post("/2015-03-31/functions/tick/invocations", ""); code != 200 || body != `["arn:aws:events:us-west-2:123456789012:rule/ds-dev-tick"]` {
		t.Errorf("tick = %d %s", code, body)
	}
	if code, h, _ := post("/2015-03-31/functions/nope/invocations", "{}"); code != 404 || h.Get("X-Amzn-Errortype") != "ResourceNotFoundException" {
		t.Errorf("unknown function = %d %v", code, h)
	}
	if code, h, _ := post("/2015-03-31/functions/on_job/invocations", "{"); code != 400 || h.Get("X-Amzn-Errortype") != "InvalidRequestContentException" {
		t.Errorf("not JSON = %d %v", code, h)
	}
	// The REST API is still there.
	if resp, err := http.Get(base + "/table/1"); err != nil || resp.StatusCode != 200 {
		t.Errorf("GET /table/1: %v %v", resp, err)
	}
}
