package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// step is one link of a middleware chain, and the chain's end: the
// handler.
type step[E, R any] func(ctx context.Context, event E) (R, error)

// mwType describes the middleware func a Kind calls for.
type mwType struct {
	event, result string // Go type names, for messages
	ok            func(fn any) bool
}

// middlewareTypes maps each middleware event_type to its func type.
var middlewareTypes = map[chalice.Kind]mwType{
	chalice.KindAll:        {"any", "any", isMW[any, any]},
	chalice.KindHTTP:       {"*chalice.Request", "*chalice.Response", isMW[*chalice.Request, *chalice.Response]},
	chalice.KindS3:         {"chalice.S3Event", "any", isMW[chalice.S3Event, any]},
	chalice.KindSNS:        {"chalice.SNSEvent", "any", isMW[chalice.SNSEvent, any]},
	chalice.KindSQS:        {"chalice.SQSEvent", "any", isMW[chalice.SQSEvent, any]},
	chalice.KindCloudWatch: {"chalice.CloudWatchEvent", "any", isMW[chalice.CloudWatchEvent, any]},
	chalice.KindScheduled:  {"chalice.CloudWatchEvent", "any", isMW[chalice.CloudWatchEvent, any]},
	chalice.KindKinesis:    {"chalice.KinesisEvent", "any", isMW[chalice.KinesisEvent, any]},
	chalice.KindDynamoDB:   {"chalice.DynamoDBEvent", "any", isMW[chalice.DynamoDBEvent, any]},
	chalice.KindWebsocket:  {"chalice.WebsocketEvent", "any", isMW[chalice.WebsocketEvent, any]},
	chalice.KindPureLambda: {"json.RawMessage", "any", isMW[json.RawMessage, any]},
}

// asMW returns fn as a MiddlewareFunc[E, R]: fn may be one, or a plain
// func of the same signature.
func asMW[E, R any](fn any) (chalice.MiddlewareFunc[E, R], bool) {
	switch f := fn.(type) {
	case chalice.MiddlewareFunc[E, R]:
		return f, f != nil
	case func(context.Context, E, chalice.Next[E, R]) (R, error):
		return f, f != nil
	}
	return nil, false
}

func isMW[E, R any](fn any) bool {
	_, ok := asMW[E, R](fn)
	return ok
}

// checkMiddleware reports every registered middleware whose event type is
// unknown or whose Fn is not the func type its Kind calls for.
func checkMiddleware(app *chalice.App) error {
	var errs []error
	for i, mw := range app.MiddlewareList() {
		name := mw.Name
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		t, ok := middlewareTypes[mw.Kind]
		if !ok {
			errs = append(errs, fmt.Errorf("dispatch: middleware %s: unknown event_type %q (want all, http, s3, sns, sqs, cloudwatch, scheduled, kinesis, dynamodb, websocket or pure_lambda)", name, mw.Kind))
			continue
		}
		if !t.ok(mw.Fn) {
			what := typeName(mw.Fn)
			errs = append(errs, fmt.Errorf("dispatch: middleware %s (event_type %s) is a %s; want chalice.MiddlewareFunc[%s, %s], i.e. func(context.Context, %s, chalice.Next[%s, %s]) (%s, error)",
				name, mw.Kind, what, t.event, t.result, t.event, t.event, t.result, t.result))
		}
	}
	return errors.Join(errs...)
}

// typeName is v's type as %T writes it, shortened for messages: the
// chalice package path and "interface {}" as a programmer writes them.
func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	s := fmt.Sprintf("%T", v)
	s = strings.ReplaceAll(s, "github.com/chalc-dev/chalc/runtime/chalice.", "chalice.")
	s = strings.ReplaceAll(s, "encoding/json.", "json.")
	s = strings.ReplaceAll(s, "interface {}", "any")
	return strings.ReplaceAll(strings.ReplaceAll(s, ", ", ","), ",", ", ")
}

// middlewareFor returns the middleware that applies to functions of
// kind k, in registration order (the first is outermost): those of kind k
// and those of kind all. Authorizers have none, as in Chalice.
func middlewareFor(app *chalice.App, k chalice.Kind) []*chalice.Middleware {
	if k == chalice.KindAuthorizer {
		return nil
	}
	var out []*chalice.Middleware
	for _, mw := range app.MiddlewareList() {
		if mw.Kind == k || mw.Kind == chalice.KindAll {
			out = append(out, mw)
		}
	}
	return out
}

// buildChain wraps final in mws, the first outermost. Middleware of kind
// all sees the event as any and returns any, which fromAny converts to R.
// mws have been checked by checkMiddleware.
func buildChain[E, R any](mws []*chalice.Middleware, final step[E, R], fromAny func(any) R) step[E, R] {
	next := final
	for i := len(mws) - 1; i >= 0; i-- {
		mw := mws[i]
		if mw.Kind == chalice.KindAll {
			fn, _ := asMW[any, any](mw.Fn)
			next = allStep(mw.Name, fn, next, fromAny)
		} else {
			fn, _ := asMW[E, R](mw.Fn)
			next = typedStep(fn, next)
		}
	}
	return next
}

func typedStep[E, R any](fn chalice.MiddlewareFunc[E, R], next step[E, R]) step[E, R] {
	n := chalice.Next[E, R](next)
	return func(ctx context.Context, e E) (R, error) { return fn(ctx, e, n) }
}

func allStep[E, R any](name string, fn chalice.MiddlewareFunc[any, any], next step[E, R], fromAny func(any) R) step[E, R] {
	n := chalice.Next[any, any](func(ctx context.Context, x any) (any, error) {
		e, ok := x.(E)
		if !ok {
			var want E
			return nil, fmt.Errorf("middleware %s passed a %T to next; want a %T", name, x, want)
		}
		r, err := next(ctx, e)
		if err != nil {
			return nil, err
		}
		return r, nil
	})
	return func(ctx context.Context, e E) (R, error) {
		out, err := fn(ctx, e, n)
		if err != nil {
			var zero R
			return zero, err
		}
		return fromAny(out), nil
	}
}

func identity(v any) any { return v }
