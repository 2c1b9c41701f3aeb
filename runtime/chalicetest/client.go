package chalicetest

import (
	"context"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
	"github.com/chalc-dev/chalc/runtime/stageenv"
)

// Client calls one app's routes and functions for a test.
type Client struct {
	// HTTP sends requests to the API: the REST API, or the HTTP API of
	// a stage with api_kind: http.
	HTTP *HTTPClient
	// Lambda invokes functions by name.
	Lambda *LambdaClient
	// Events builds event payloads for Lambda.Invoke.
	Events *Events
	// Websocket connects emulated clients to the websocket API.
	Websocket *WebsocketClient

	t     testing.TB
	app   *chalice.App
	stage string
	env   *stageenv.Env
	gw    *apigw.Gateway

	mu       sync.Mutex
	handlers map[string]lambda.Handler
	urls     map[string]*HTTPClient
}

// Option configures New.
type Option func(*options)

type options struct {
	stage string
	log   io.Writer
}

// Stage selects the stage whose settings and environment variables the
// app runs with; the default is "dev". A test using a stage that defines
// environment variables cannot be parallel (see the package doc).
func Stage(name string) Option {
	return func(o *options) { o.stage = name }
}

// LogOutput sends the app's log lines (chalice.Logger) to w instead of
// os.Stdout.
func LogOutput(w io.Writer) Option {
	return func(o *options) { o.log = w }
}

// New returns a client for app. It applies the stage's environment (with
// t.Setenv), sets up chalice.Logger for the stage as the Lambda bootstrap
// does (until the test ends), and builds the API Gateway emulation and
// its handlers; a stage the app does not have, or an app that
// runtime/dispatch refuses, stops the test with t.Fatal.
func New(t testing.TB, app *chalice.App, opts ...Option) *Client {
	t.Helper()
	o := options{stage: "dev"}
	for _, opt := range opts {
		opt(&o)
	}
	// Tests of code generated from an older chalice.yaml would test the
	// old routes: say so instead of answering 403 to a new route.
	if err := app.CheckSources(); err != nil {
		t.Fatalf("chalicetest: %v", err)
	}
	stages := app.Config().Stages
	st, ok := stages[o.stage]
	if !ok {
		var names []string
		for n := range stages {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Fatalf("chalicetest: app %s has no stage %q; its stages are: %s", app.Name(), o.stage, strings.Join(names, ", "))
	}
	restoreLog, err := chalice.SetUpLogger(app.Name(), st, o.log)
	if err != nil {
		t.Fatalf("chalicetest: stage %s: %v", o.stage, err)
	}
	t.Cleanup(restoreLog)
	c := &Client{t: t, app: app, stage: o.stage, handlers: map[string]lambda.Handler{}}
	c.env = stageenv.New(app, st)
	// The between-calls environment, restored when the test ends.
	for _, v := range c.env.Defaults() {
		t.Setenv(v.Name, v.Value)
	}
	gw, err := apigw.New(app, apigw.Stage(o.stage), apigw.WrapHandler(c.env.Wrap))
	if err != nil {
		t.Fatalf("chalicetest: %v", err)
	}
	c.gw = gw
	c.HTTP = &HTTPClient{c: c}
	c.Lambda = &LambdaClient{c: c}
	c.Events = &Events{c: c}
	c.Websocket = &WebsocketClient{c: c}
	return c
}

// handler returns the dispatch handler of a function, built once and
// wrapped to apply the function's environment. Dispatch handlers are
// safe for concurrent use and return bytes the caller owns.
func (c *Client) handler(name string) (lambda.Handler, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.handlers[name]; ok {
		return h, nil
	}
	h, err := dispatch.Handler(c.app, name, dispatch.Stage(c.stage))
	if err != nil {
		return nil, err
	}
	h = c.env.Wrap(name, h)
	c.handlers[name] = h
	return h, nil
}

// FunctionURL returns a client of the function URL of the app's function
// named name (a functions: entry with url:): every request, whatever its
// path, reaches that function as Lambda sends it (payload format 2.0),
// with the URL's CORS; with auth: aws_iam, a request says who signed it
// with IAMIdentity (without one it is Lambda's 403). A function without
// a URL stops the test.
func (c *Client) FunctionURL(name string) *HTTPClient {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if u, ok := c.urls[name]; ok {
		return u
	}
	u, err := apigw.NewFunctionURL(c.app, name, apigw.Stage(c.stage), apigw.WrapHandler(c.env.Wrap))
	if err != nil {
		c.t.Fatalf("chalicetest: %v", err)
	}
	client := &HTTPClient{c: c, do: u.Do}
	if c.urls == nil {
		c.urls = map[string]*HTTPClient{}
	}
	c.urls[name] = client
	return client
}

// context is the context calls run with. It is not the test's
// (t.Context), which is canceled before Cleanup functions run, so that
// calls made from a Cleanup work too.
func (c *Client) context() context.Context {
	return context.Background()
}
