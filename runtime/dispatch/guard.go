package dispatch

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// MaxResponseSize is Lambda's limit on the response of a synchronous
// invocation: 6 MB (6,291,456 bytes) of the JSON payload the runtime
// sends back. The Runtime API refuses a larger one, and aws-lambda-go
// then ends the process.
const MaxResponseSize = 6 << 20

// PanicError is the invocation error of a function whose handler (or
// middleware) panicked. The panic and its stack are logged; Lambda
// reports {"errorMessage": "panic: <value>", "errorType": "PanicError"}.
type PanicError struct {
	Function string // the function's name
	Value    any    // the value passed to panic
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// ResponseTooLargeError is the invocation error of a function whose
// result encodes to more than MaxResponseSize bytes.
type ResponseTooLargeError struct {
	Function string // the function's name
	Size     int    // the encoded result's size in bytes
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("the response is %d bytes, over Lambda's limit of %d bytes", e.Size, MaxResponseSize)
}

// guarded wraps every handler Handler returns, so that neither a panic
// nor a result over Lambda's size limit ends the process (aws-lambda-go
// exits after reporting a panic, and when the Runtime API refuses a
// response), which would make the next event pay a cold start. A panic
// is logged with its stack and becomes a *PanicError; a result over
// MaxResponseSize is logged and becomes a *ResponseTooLargeError. The
// REST handler answers both itself (a 500, a 502); what reaches guarded
// from it is a panic outside the router, such as in a body's MarshalJSON.
type guarded struct {
	function string
	h        lambda.Handler
}

func (g *guarded) Invoke(ctx context.Context, payload []byte) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			chalice.Logger().Error("Caught exception in function " + g.function + "\n" + panicDetail(p))
			out, err = nil, &PanicError{Function: g.function, Value: p}
		}
	}()
	out, err = g.h.Invoke(ctx, payload)
	if len(out) > MaxResponseSize {
		e := &ResponseTooLargeError{Function: g.function, Size: len(out)}
		chalice.Logger().Error("Invalid response from function " + g.function + ": " + e.Error())
		return nil, e
	}
	return out, err
}

func panicDetail(p any) string {
	return fmt.Sprintf("panic: %v\n\n%s", p, debug.Stack())
}
