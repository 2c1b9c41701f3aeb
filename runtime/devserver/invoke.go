package devserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
	"github.com/chalc-dev/chalc/runtime/samples"
	"github.com/chalc-dev/chalc/runtime/stageenv"
)

// InvokeArg is the first argument of the program chalc builds when it
// runs one function (`chalc invoke`): PROGRAM invoke FUNCTION, the
// event on standard input.
const InvokeArg = "invoke"

// Exit statuses of an invocation.
const (
	ExitFunctionError = 1 // the function failed; its error is on stdout
	ExitCannotInvoke  = 2 // no such function, an event that is not JSON...
)

// functions invokes an app's functions as Lambda does: each built once
// by runtime/dispatch, with its stage's environment applied around each
// call (runtime/stageenv).
type functions struct {
	app   *chalice.App
	stage string
	env   *stageenv.Env

	mu       sync.Mutex
	handlers map[string]lambda.Handler
}

func newFunctions(app *chalice.App, stage string, env *stageenv.Env) *functions {
	return &functions{app: app, stage: stage, env: env, handlers: map[string]lambda.Handler{}}
}

// handler returns the handler of function name.
func (f *functions) handler(name string) (lambda.Handler, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h, ok := f.handlers[name]; ok {
		return h, nil
	}
	h, err := dispatch.Handler(f.app, name, dispatch.Stage(f.stage))
	if err != nil {
		return nil, err
	}
	h = f.env.Wrap(name, h)
	f.handlers[name] = h
	return h, nil
}

// invoke runs function name on payload in a Lambda context (request ID,
// function ARN). An empty payload is a schedule's sample event for a
// scheduled function, else {}.
func (f *functions) invoke(ctx context.Context, name string, payload []byte, reqID string) ([]byte, error) {
	h, err := f.handler(name)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(payload)) == 0 {
		payload = []byte("{}")
		if fn, ok := f.app.Lookup(name); ok && fn.Kind == chalice.KindScheduled {
			payload = samples.Schedule(samples.ScheduleRuleARN(f.app.Name(), f.stage, name))
		}
	}
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       reqID,
		InvokedFunctionArn: samples.ARN("lambda", "function:"+f.app.Name()+"-"+f.stage+"-"+name),
	})
	return h.Invoke(ctx, payload)
}

// errorPayload is what Lambda returns for a failed invocation:
// {"errorMessage": ..., "errorType": ...}, the type named as
// aws-lambda-go names it (without package or pointer).
func errorPayload(err error) []byte {
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	b, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{err.Error(), t.Name()})
	return b
}

// runInvoke runs one function for `chalc invoke`: the event is read
// from standard input; the result (or Lambda's error payload) is written
// on standard output as one line of JSON; everything else the process
// writes, the app's log and the handler's own output included, goes to
// standard error, as it would to the function's log in Lambda. The exit
// status says how it went (0, ExitFunctionError, ExitCannotInvoke).
func runInvoke(app *chalice.App, stage, name string) int {
	result := os.Stdout
	os.Stdout = os.Stderr // a handler's fmt.Println is log output, not the result
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "chalc invoke: "+format+"\n", args...)
		return ExitCannotInvoke
	}
	st, ok := app.Config().Stages[stage]
	if !ok {
		return fail("app %s has no stage %q", app.Name(), stage)
	}
	if _, err := chalice.SetUpLogger(app.Name(), st, os.Stderr); err != nil {
		return fail("stage %s: %v", stage, err)
	}
	env := stageenv.New(app, st)
	for _, v := range env.Defaults() {
		os.Setenv(v.Name, v.Value)
	}
	event, err := io.ReadAll(os.Stdin)
	if err != nil {
		return fail("reading the event: %v", err)
	}
	if len(bytes.TrimSpace(event)) > 0 && !json.Valid(event) {
		return fail("the event is not JSON")
	}
	fns := newFunctions(app, stage, env)
	if _, err := fns.handler(name); err != nil {
		return fail("%v", err)
	}
	out, err := fns.invoke(context.Background(), name, event, newRequestID())
	if err != nil {
		fmt.Fprintf(os.Stderr, "chalc invoke: %s failed: %v\n", name, err)
		fmt.Fprintf(result, "%s\n", errorPayload(err))
		return ExitFunctionError
	}
	fmt.Fprintf(result, "%s\n", bytes.TrimSpace(out))
	return 0
}

// InvokePath is the path of the local server's Lambda Invoke API, as
// AWS's (POST /2015-03-31/functions/NAME/invocations), so that
// `aws lambda invoke --endpoint-url http://127.0.0.1:8000` and the SDKs
// reach the app's functions; the body is the event.
const InvokePath = "/2015-03-31/functions/"

// serveInvoke answers the Lambda Invoke API for the app's functions: 200
// with the result; a failed invocation is 200 too, with
// X-Amz-Function-Error: Unhandled and Lambda's error payload; an unknown
// function is 404 ResourceNotFoundException, as Lambda answers.
func (f *functions) serveInvoke(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, InvokePath), "/invocations")
	if !ok || name == "" || strings.Contains(name, "/") || r.Method != http.MethodPost {
		lambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "The Lambda Invoke API is POST "+InvokePath+"NAME/invocations")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 6<<20))
	if err != nil {
		lambdaError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
		return
	}
	if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
		lambdaError(w, http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json")
		return
	}
	if _, err := f.handler(name); err != nil {
		lambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+name+": "+err.Error())
		return
	}
	reqID := newRequestID()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	w.Header().Set("X-Amzn-Requestid", reqID)
	out, err := f.invoke(r.Context(), name, body, reqID)
	if err != nil {
		chalice.Logger().Error(fmt.Sprintf("function %s failed: %v", name, err))
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		out = errorPayload(err)
	}
	_, _ = w.Write(out)
}

func lambdaError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"Type": "User", "message": msg})
	_, _ = w.Write(b)
}

// newRequestID returns a random (version 4) UUID, as Lambda's request
// IDs.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
