package chalicetest

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// Client calls one app's routes and functions for a test.
type Client struct {
	// HTTP sends requests to the REST API.
	HTTP *HTTPClient
	// Lambda invokes functions by name.
	Lambda *LambdaClient
	// Events builds event payloads for Lambda.Invoke.
	Events *Events

	t     testing.TB
	app   *chalice.App
	stage string
	env   *environment
	gw    *apigw.Gateway

	mu       sync.Mutex
	handlers map[string]lambda.Handler
}

// Option configures New.
type Option func(*options)

type options struct {
	stage string
}

// Stage selects the stage whose settings and environment variables the
// app runs with; the default is "dev". A test using a stage that defines
// environment variables cannot be parallel (see the package doc).
func Stage(name string) Option {
	return func(o *options) { o.stage = name }
}

// New returns a client for app. It applies the stage's environment (with
// t.Setenv) and builds the API Gateway emulation and its handlers; a
// stage the app does not have, or an app that runtime/dispatch refuses,
// stops the test with t.Fatal.
func New(t testing.TB, app *chalice.App, opts ...Option) *Client {
	t.Helper()
	o := options{stage: "dev"}
	for _, opt := range opts {
		opt(&o)
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
	c := &Client{t: t, app: app, stage: o.stage, handlers: map[string]lambda.Handler{}}
	c.env = newEnvironment(app, st)
	c.env.setUp(t)
	gw, err := apigw.New(app, apigw.Stage(o.stage), apigw.WrapHandler(c.env.wrap))
	if err != nil {
		t.Fatalf("chalicetest: %v", err)
	}
	c.gw = gw
	c.HTTP = &HTTPClient{c: c}
	c.Lambda = &LambdaClient{c: c}
	c.Events = &Events{c: c}
	return c
}

// handler returns the dispatch handler of a function, built once and
// wrapped to apply the function's environment.
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
	if f, ok := c.app.Lookup(name); ok && f.Kind == chalice.KindPureLambda {
		h = serialHandler{mu: new(sync.Mutex), h: h}
	}
	h = c.env.wrap(name, h)
	c.handlers[name] = h
	return h, nil
}

// context is the context calls run with. It is not the test's
// (t.Context), which is canceled before Cleanup functions run, so that
// calls made from a Cleanup work too.
func (c *Client) context() context.Context {
	return context.Background()
}

// environment applies a stage's per-function environment variables.
type environment struct {
	keys []string           // every variable any function has, sorted
	orig map[string]*string // the values before the test; nil: unset
	def  map[string]string  // the values between calls
	fns  map[string]map[string]string

	mu sync.RWMutex // held for reading by calls that keep def, for writing by the others
}

func newEnvironment(app *chalice.App, st chalice.Stage) *environment {
	e := &environment{orig: map[string]*string{}, def: map[string]string{}, fns: st.Environment}
	// Between calls: api_handler's values first, then the functions' in
	// registration order, then any other name's in sorted order.
	order := []string{dispatch.APIHandler}
	for _, f := range app.Functions() {
		order = append(order, f.Name)
	}
	var rest []string
	for name := range st.Environment {
		if !slices.Contains(order, name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range append(order, rest...) {
		for k, v := range st.Environment[name] {
			if _, ok := e.def[k]; !ok {
				e.def[k] = v
				e.keys = append(e.keys, k)
			}
		}
	}
	sort.Strings(e.keys)
	for _, k := range e.keys {
		if v, ok := os.LookupEnv(k); ok {
			e.orig[k] = &v
		}
	}
	return e
}

// setUp sets the between-calls environment with t.Setenv, which restores
// the variables when the test ends.
func (e *environment) setUp(t testing.TB) {
	t.Helper()
	for _, k := range e.keys {
		t.Setenv(k, e.def[k])
	}
}

// value is what variable k is during a call of a function whose
// environment is vars.
func (e *environment) value(vars map[string]string, k string) (string, bool) {
	if v, ok := vars[k]; ok {
		return v, true
	}
	if o := e.orig[k]; o != nil {
		return *o, true
	}
	return "", false
}

// enter sets the environment of function for a call and returns the
// function that ends the call.
func (e *environment) enter(function string) (leave func()) {
	vars := e.fns[function]
	same := true
	for _, k := range e.keys {
		if v, ok := e.value(vars, k); !ok || v != e.def[k] {
			same = false
			break
		}
	}
	if same {
		e.mu.RLock()
		return e.mu.RUnlock
	}
	e.mu.Lock()
	for _, k := range e.keys {
		if v, ok := e.value(vars, k); ok {
			os.Setenv(k, v)
		} else {
			os.Unsetenv(k)
		}
	}
	return func() {
		for _, k := range e.keys {
			os.Setenv(k, e.def[k])
		}
		e.mu.Unlock()
	}
}

// wrap returns h with the environment of function applied around each
// invocation.
func (e *environment) wrap(function string, h lambda.Handler) lambda.Handler {
	return envHandler{e: e, function: function, h: h}
}

type envHandler struct {
	e        *environment
	function string
	h        lambda.Handler
}

func (h envHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	leave := h.e.enter(h.function)
	defer leave()
	out, err := h.h.Invoke(ctx, payload)
	return slices.Clone(out), err
}

// serialHandler runs one invocation at a time and copies its output:
// aws-lambda-go's lambda.NewHandler (behind pure functions) returns bytes
// of a pooled buffer it has already put back, which a concurrent
// invocation may overwrite.
type serialHandler struct {
	mu *sync.Mutex
	h  lambda.Handler
}

func (h serialHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out, err := h.h.Invoke(ctx, payload)
	return slices.Clone(out), err
}
