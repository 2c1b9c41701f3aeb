// Package stageenv applies a stage's environment variables (the
// manifest's environment_variables, resolved per function) to the
// process, as Lambda sets them for each function, around the Lambda
// handlers of an app that runs outside Lambda: the test client
// (runtime/chalicetest) and `chalc local` (runtime/devserver).
//
// During an invocation a function sees its own variables; a variable
// another function defines and it does not has the value it had before
// (New's time), or is unset. Between invocations the process holds every
// variable the stage defines for any function (Defaults): api_handler's
// value first when functions disagree, then the functions' in
// registration order, then any other name's in sorted order.
package stageenv

import (
	"context"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// Env is one stage's per-function environment. It is safe for
// concurrent use: invocations whose function environment equals the
// between-calls one run concurrently; the others are serialized.
type Env struct {
	keys []string           // every variable any function has, sorted
	orig map[string]*string // the values when New ran; nil: unset
	def  map[string]string  // the values between calls
	fns  map[string]map[string]string

	mu sync.RWMutex // held for reading by calls that keep def, for writing by the others
}

// New returns the environment of stage st of app (app.Config().Stages[name]).
// It reads the process environment to remember the values that functions
// which do not define a variable see; it changes nothing.
func New(app *chalice.App, st chalice.Stage) *Env {
	e := &Env{orig: map[string]*string{}, def: map[string]string{}, fns: st.Environment}
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

// Var is an environment variable.
type Var struct{ Name, Value string }

// Defaults returns the between-calls environment, sorted by name: the
// caller sets it once (os.Setenv, or t.Setenv in a test) before the
// first invocation.
func (e *Env) Defaults() []Var {
	out := make([]Var, len(e.keys))
	for i, k := range e.keys {
		out[i] = Var{k, e.def[k]}
	}
	return out
}

// value is what variable k is during a call of a function whose
// environment is vars.
func (e *Env) value(vars map[string]string, k string) (string, bool) {
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
func (e *Env) enter(function string) (leave func()) {
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

// Wrap returns h, a runtime/dispatch handler, with the environment of
// function applied around each invocation (its signature fits
// apigw.WrapHandler).
func (e *Env) Wrap(function string, h lambda.Handler) lambda.Handler {
	return envHandler{e: e, function: function, h: h}
}

type envHandler struct {
	e        *Env
	function string
	h        lambda.Handler
}

func (h envHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	leave := h.e.enter(h.function)
	defer leave()
	return h.h.Invoke(ctx, payload)
}
