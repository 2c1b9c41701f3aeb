package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// APIHandler is the function name of the REST API handler.
const APIHandler = "api_handler"

// Option configures Handler.
type Option func(*options)

type options struct {
	stage string
}

// Stage selects the stage whose settings (Debug) the handler uses; the
// default is "dev". Handler fails for a stage the app does not have.
func Stage(name string) Option {
	return func(o *options) { o.stage = name }
}

// Handler returns the Lambda handler of the app's function named
// function: "api_handler" is the REST API router; any other name is a
// Function of the app, served by its kind's adapter. Everything that can
// be checked is checked here, once, so a broken app fails at start and
// never on a request: the function exists (the error lists the names the
// app has), its handler is set and of the right shape, the stage exists
// and its log level is valid, and every registered middleware's Fn is the
// func type its event_type calls for (the error names the middleware and
// the expected type). Routing tables and middleware chains are built
// here too.
//
// The handler's Invoke takes the raw event JSON and returns the response
// JSON, as lambda.Handler. It is safe for concurrent use, the bytes it
// returns are the caller's, and it neither panics nor returns more than
// MaxResponseSize bytes (see the package doc).
func Handler(app *chalice.App, function string, opts ...Option) (lambda.Handler, error) {
	o := options{stage: "dev"}
	for _, opt := range opts {
		opt(&o)
	}
	stage, err := stageOf(app, o.stage)
	if err != nil {
		return nil, err
	}
	var f *chalice.Function
	if function != APIHandler || len(app.Routes()) == 0 {
		var ok bool
		if f, ok = app.Lookup(function); !ok {
			return nil, fmt.Errorf("dispatch: app %s has no function %q; its functions are: %s",
				app.Name(), function, strings.Join(functionNames(app), ", "))
		}
	}
	if err := checkMiddleware(app); err != nil {
		return nil, err
	}
	var h lambda.Handler
	if f == nil {
		h, err = newRESTHandler(app, stage, o.stage)
	} else {
		h, err = functionHandler(app, f, stage, o.stage)
	}
	if err != nil {
		return nil, fmt.Errorf("dispatch: %w", err)
	}
	return &guarded{function: function, h: h}, nil
}

// stageOf returns the named stage, checking its log level.
func stageOf(app *chalice.App, name string) (chalice.Stage, error) {
	stages := app.Config().Stages
	st, ok := stages[name]
	if !ok {
		var names []string
		for n := range stages {
			names = append(names, n)
		}
		slices.Sort(names)
		return st, fmt.Errorf("dispatch: app %s has no stage %q; its stages are: %s", app.Name(), name, strings.Join(names, ", "))
	}
	if _, err := st.Level(); err != nil {
		return st, fmt.Errorf("dispatch: stage %s: %w", name, err)
	}
	return st, nil
}

// functionNames lists the app's function names: api_handler when it has
// routes, then its Functions in registration order.
func functionNames(app *chalice.App) []string {
	var names []string
	if len(app.Routes()) > 0 {
		names = append(names, APIHandler)
	}
	for _, f := range app.Functions() {
		names = append(names, f.Name)
	}
	if len(names) == 0 {
		names = append(names, "(none)")
	}
	return names
}

// Hooks replaced by tests.
var (
	startLambda = func(h lambda.Handler) { lambda.Start(h) }
	// startStreaming serves a function URL in RESPONSE_STREAM mode (see
	// stream.go).
	startStreaming           = func(h func(context.Context, json.RawMessage) (io.Reader, error)) { lambda.Start(h) }
	exit                     = os.Exit
	stderr         io.Writer = os.Stderr
)

// Start runs the app's function in Lambda; the generated main calls it.
// It never returns.
//
// The function name is read from the environment variable _HANDLER (the
// function's Handler property, which Lambda sets), else
// AWS_LAMBDA_FUNCTION_HANDLER, else the last command-line argument (as the
// Lambda Runtime Interface Emulator passes it). Start sets up
// chalice.Logger for the stage (chalice.SetUpLogger, on stdout), builds the
// handler once with Handler (an unknown function, a bad stage or a
// mistyped middleware prints the reason on stderr and exits with status
// 1, before any invocation), and hands it to lambda.Start, which accepts
// a lambda.Handler as it is.
func Start(app *chalice.App, stage string) {
	h, err := prepare(app, stage, os.Getenv, os.Args)
	if err != nil {
		fmt.Fprintf(stderr, "chalc runtime: %v\n", err)
		exit(1)
		return
	}
	if g, ok := h.(*guarded); ok {
		if fn := g.streamFunc(); fn != nil {
			startStreaming(fn)
			return
		}
	}
	startLambda(h)
}

// prepare is Start without the side effects on the process.
func prepare(app *chalice.App, stage string, getenv func(string) string, args []string) (lambda.Handler, error) {
	name := getenv("_HANDLER")
	if name == "" {
		name = getenv("AWS_LAMBDA_FUNCTION_HANDLER")
	}
	if name == "" && len(args) > 1 {
		name = args[len(args)-1]
	}
	if name == "" {
		return nil, errors.New("no function name: set _HANDLER (Lambda sets it from the function's Handler) to one of: " +
			strings.Join(functionNames(app), ", "))
	}
	st, err := stageOf(app, stage)
	if err != nil {
		return nil, err
	}
	if _, err := chalice.SetUpLogger(app.Name(), st, nil); err != nil {
		return nil, err
	}
	return Handler(app, name, Stage(stage))
}
