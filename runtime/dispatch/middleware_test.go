package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// trace records the order middleware and handlers run in.
type trace []string

func (tr *trace) add(s string) { *tr = append(*tr, s) }

func (tr trace) String() string { return strings.Join(tr, " ") }

// httpMW returns an http middleware that records "name>" and "<name"
// around next, tagging the response with an X-<name> header.
func httpMW(tr *trace, name string) chalice.MiddlewareFunc[*chalice.Request, *chalice.Response] {
	return func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
		tr.add(name + ">")
		resp, err := next(ctx, req)
		if err != nil {
			tr.add("<" + name + "(err: " + err.Error() + ")")
			return nil, err
		}
		tr.add("<" + name)
		r := *resp
		r.Headers = map[string]string{"X-" + name: "1"}
		for k, v := range resp.Headers {
			r.Headers[k] = v
		}
		return &r, nil
	}
}

func allMW(tr *trace, name string) chalice.MiddlewareFunc[any, any] {
	return func(ctx context.Context, e any, next chalice.Next[any, any]) (any, error) {
		tr.add(name + ">")
		out, err := next(ctx, e)
		tr.add("<" + name)
		return out, err
	}
}

func mwApp(tr *trace, route chalice.RouteFunc) *chalice.App {
	app := chalice.New("testapp", chalice.Config{Stages: map[string]chalice.Stage{"dev": {}}})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "GET", CORS: corsHeaders, Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		tr.add("route")
		return route(ctx, req)
	}})
	return app
}

func TestHTTPMiddlewareOrder(t *testing.T) {
	var tr trace
	app := mwApp(&tr, func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil })
	chalice.Use(app, chalice.KindHTTP, "A", httpMW(&tr, "A"))
	chalice.Use(app, chalice.KindAll, "B", allMW(&tr, "B"))
	chalice.Use(app, chalice.KindS3, "S3", func(ctx context.Context, e chalice.S3Event, next chalice.Next[chalice.S3Event, any]) (any, error) {
		tr.add("s3!")
		return next(ctx, e)
	})
	chalice.Use(app, chalice.KindHTTP, "C", httpMW(&tr, "C"))
	h := mustHandler(t, app, APIHandler)
	got := invoke(t, h, loadEvent(t, "apigw-get-user.json").payload(t))
	assertEqual(t, "order", tr.String(), "A> B> C> route <C <B <A")
	want := proxy{Headers: corsWant(map[string]string{"X-A": "1", "X-C": "1"}), Body: "ok"}
	assertEqual(t, "response", got, want.String())
}

func TestHTTPMiddleware(t *testing.T) {
	tests := []struct {
		name  string
		route chalice.RouteFunc
		mw    chalice.MiddlewareFunc[*chalice.Request, *chalice.Response]
		trace string
		want  proxy
		log   string
	}{
		{
			name:  "short-circuit",
			route: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil },
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				if req.Headers.Get("Authorization") == "" {
					return &chalice.Response{StatusCode: 401, Body: map[string]string{"error": "no token"}}, nil
				}
				return next(ctx, req)
			},
			trace: "",
			want:  proxy{StatusCode: 401, Body: `{"error":"no token"}`},
		},
		{
			name: "sees route errors as responses",
			route: func(ctx context.Context, req *chalice.Request) (any, error) {
				return nil, &chalice.NotFoundError{Message: "nope"}
			},
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				resp, err := next(ctx, req)
				if err != nil {
					return nil, errors.New("middleware saw an error")
				}
				return &chalice.Response{StatusCode: resp.StatusCode, Body: map[string]any{"seen": resp.Body}}, nil
			},
			trace: "route",
			want:  proxy{StatusCode: 404, Body: `{"seen":{"Code":"NotFoundError","Message":"nope"}}`},
		},
		{
			name: "handles ChaliceUnhandledError",
			route: func(ctx context.Context, req *chalice.Request) (any, error) {
				return nil, &chalice.ChaliceUnhandledError{Message: "db down"}
			},
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				_, err := next(ctx, req)
				var ue *chalice.ChaliceUnhandledError
				if errors.As(err, &ue) {
					return &chalice.Response{StatusCode: 503, Body: "handled: " + ue.Message}, nil
				}
				return nil, errors.New("expected ChaliceUnhandledError")
			},
			trace: "route",
			want:  proxy{StatusCode: 503, Body: "handled: db down"},
		},
		{
			name: "passes ChaliceUnhandledError on: generic 500 without CORS",
			route: func(ctx context.Context, req *chalice.Request) (any, error) {
				return nil, &chalice.ChaliceUnhandledError{Message: "db down"}
			},
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				return next(ctx, req)
			},
			trace: "route",
			want:  proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:   "testapp - ERROR - Caught exception for path /users/{id}\ndb down",
		},
		{
			name:  "panics: generic 500",
			route: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil },
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				panic("middleware panic")
			},
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "panic: middleware panic",
		},
		{
			name:  "returns a plain error: generic 500",
			route: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil },
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				return nil, errors.New("middleware failed")
			},
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "middleware failed",
		},
		{
			name:  "returns a StatusError: its response",
			route: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil },
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				return nil, &chalice.ForbiddenError{Message: "members only"}
			},
			want: proxy{StatusCode: 403, Body: `{"Code":"ForbiddenError","Message":"members only"}`},
		},
		{
			name:  "returns a []byte body without a binary type: 500",
			route: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil },
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				return &chalice.Response{Body: []byte("raw")}, nil
			},
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "response body is []byte but its Content-Type is not one of the app's binary types",
		},
		{
			name:  "changes the request",
			route: func(ctx context.Context, req *chalice.Request) (any, error) { return ctx.Value(ctxKey{}), nil },
			mw: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
				return next(context.WithValue(ctx, ctxKey{}, "from middleware"), req)
			},
			trace: "route",
			want:  proxy{Headers: corsWant(nil), Body: "from middleware"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs := captureLog(t)
			var tr trace
			app := mwApp(&tr, tc.route)
			chalice.Use(app, chalice.KindHTTP, "mw", tc.mw)
			h := mustHandler(t, app, APIHandler)
			got := invoke(t, h, loadEvent(t, "apigw-get-user.json").payload(t))
			assertEqual(t, "trace", tr.String(), tc.trace)
			assertEqual(t, "response", got, tc.want.String())
			if tc.log != "" && !strings.Contains(logs.String(), tc.log) {
				t.Errorf("log does not contain %q:\n%s", tc.log, logs)
			}
		})
	}
}

type ctxKey struct{}

// Middleware of kind all sees *Request and *Response as any; a result
// that is not a Response is a route result.
func TestAllMiddlewareOnHTTP(t *testing.T) {
	var tr trace
	app := mwApp(&tr, func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil })
	chalice.Use(app, chalice.KindAll, "types", func(ctx context.Context, e any, next chalice.Next[any, any]) (any, error) {
		if _, ok := e.(*chalice.Request); !ok {
			return nil, errors.New("not a request")
		}
		out, err := next(ctx, e)
		if err != nil {
			return nil, err
		}
		resp, ok := out.(*chalice.Response)
		if !ok {
			return nil, errors.New("not a response")
		}
		return map[string]any{"wrapped": resp.Body, "status": resp.Status()}, nil
	})
	h := mustHandler(t, app, APIHandler)
	got := invoke(t, h, loadEvent(t, "apigw-get-user.json").payload(t))
	assertEqual(t, "response", got, proxy{Body: `{"status":200,"wrapped":"ok"}`}.String())
}

func TestAllMiddlewarePassingWrongType(t *testing.T) {
	logs := captureLog(t)
	var tr trace
	app := mwApp(&tr, func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil })
	chalice.Use(app, chalice.KindAll, "Swap", func(ctx context.Context, e any, next chalice.Next[any, any]) (any, error) {
		return next(ctx, "not a request")
	})
	h := mustHandler(t, app, APIHandler)
	got := invoke(t, h, loadEvent(t, "apigw-get-user.json").payload(t))
	assertEqual(t, "response", got, proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`}.String())
	if want := "middleware Swap passed a string to next; want a *chalice.Request"; !strings.Contains(logs.String(), want) {
		t.Errorf("log does not contain %q:\n%s", want, logs)
	}
}

// A middleware whose Fn does not match its Kind fails Handler, for every
// function, naming the middleware and the expected type.
func TestMiddlewareTypeMismatch(t *testing.T) {
	tests := []struct {
		name string
		mw   chalice.Middleware
		want string
	}{
		{
			name: "http with an all func",
			mw:   chalice.Middleware{Kind: chalice.KindHTTP, Name: "Timing", Fn: allMW(new(trace), "x")},
			want: "dispatch: middleware Timing (event_type http) is a chalice.MiddlewareFunc[any, any]; want chalice.MiddlewareFunc[*chalice.Request, *chalice.Response], i.e. func(context.Context, *chalice.Request, chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error)",
		},
		{
			name: "s3 with an sns func",
			mw: chalice.Middleware{Kind: chalice.KindS3, Name: "OnS3", Fn: func(ctx context.Context, e chalice.SNSEvent, next chalice.Next[chalice.SNSEvent, any]) (any, error) {
				return next(ctx, e)
			}},
			want: "dispatch: middleware OnS3 (event_type s3) is a func(context.Context, chalice.SNSEvent, chalice.Next[chalice.SNSEvent, any]) (any, error); want chalice.MiddlewareFunc[chalice.S3Event, any], i.e. func(context.Context, chalice.S3Event, chalice.Next[chalice.S3Event, any]) (any, error)",
		},
		{
			name: "nil",
			mw:   chalice.Middleware{Kind: chalice.KindPureLambda, Name: "Nothing"},
			want: "middleware Nothing (event_type pure_lambda) is a nil; want chalice.MiddlewareFunc[json.RawMessage, any]",
		},
		{
			name: "unknown kind",
			mw:   chalice.Middleware{Kind: "authorizer", Name: "Auth", Fn: allMW(new(trace), "x")},
			want: `middleware Auth: unknown event_type "authorizer"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tr trace
			app := mwApp(&tr, func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil })
			app.Function(chalice.Function{Name: "report", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context, v any) (any, error) { return v, nil }})
			mw := tc.mw
			// Register as generated code would, bypassing Use's typing.
			registerRaw(app, &mw)
			for _, fn := range []string{APIHandler, "report"} {
				_, err := Handler(app, fn)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Handler(%s) error:\n got: %v\nwant: ...%s...", fn, err, tc.want)
				}
			}
		})
	}
}

// registerRaw registers mw with its Fn as it is: through Use with E, R =
// any when Fn is nil or of another type.
func registerRaw(app *chalice.App, mw *chalice.Middleware) {
	chalice.Use[any, any](app, mw.Kind, mw.Name, nil)
	l := app.MiddlewareList()
	*l[len(l)-1] = *mw
}

// A plain func literal of the right signature is accepted as well as a
// MiddlewareFunc.
func TestMiddlewarePlainFunc(t *testing.T) {
	var tr trace
	app := mwApp(&tr, func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil })
	registerRaw(app, &chalice.Middleware{Kind: chalice.KindHTTP, Name: "plain",
		Fn: func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
			tr.add("plain")
			return next(ctx, req)
		}})
	h := mustHandler(t, app, APIHandler)
	invoke(t, h, loadEvent(t, "apigw-get-user.json").payload(t))
	assertEqual(t, "trace", tr.String(), "plain route")
}

// Event middleware: typed and all, in registration order, may replace
// the result, sees handler errors, may short-circuit.
func TestEventMiddleware(t *testing.T) {
	var tr trace
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "on_job", Kind: chalice.KindSQS, SQS: func(ctx context.Context, e chalice.SQSEvent) (any, error) {
		tr.add("handler")
		if len(e.Records) == 0 {
			return nil, errors.New("empty batch")
		}
		return map[string]int{"n": len(e.Records)}, nil
	}})
	chalice.Use(app, chalice.KindAll, "B", allMW(&tr, "B"))
	chalice.Use(app, chalice.KindSQS, "Q", func(ctx context.Context, e chalice.SQSEvent, next chalice.Next[chalice.SQSEvent, any]) (any, error) {
		tr.add("Q>")
		if len(e.Records) > 0 && e.Records[0].Body == "skip" {
			return "skipped", nil
		}
		out, err := next(ctx, e)
		tr.add("<Q")
		if err != nil {
			return map[string]string{"recovered": err.Error()}, nil
		}
		return map[string]any{"inner": out}, nil
	})
	chalice.Use(app, chalice.KindHTTP, "H", httpMW(&tr, "H"))
	h := mustHandler(t, app, "on_job")

	got := invoke(t, h, fixture(t, "sqs.json"))
	assertEqual(t, "result", got, `{"inner":{"n":2}}`)
	assertEqual(t, "trace", tr.String(), "B> Q> handler <Q <B")

	tr = nil
	ev := loadEvent(t, "sqs.json")
	ev["Records"].([]any)[0].(map[string]any)["body"] = "skip"
	got = invoke(t, h, ev.payload(t))
	assertEqual(t, "short-circuit result", got, `"skipped"`)
	assertEqual(t, "short-circuit trace", tr.String(), "B> Q> <B")

	tr = nil
	got = invoke(t, h, []byte(`{"Records": []}`))
	assertEqual(t, "handler error seen by middleware", got, `{"recovered":"empty batch"}`)
	assertEqual(t, "error trace", tr.String(), "B> Q> handler <Q <B")
}

func TestPureLambdaMiddleware(t *testing.T) {
	var tr trace
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "report", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context, in map[string]any) (map[string]any, error) {
		tr.add("handler")
		return map[string]any{"echo": in["x"], "html": "<&>"}, nil
	}})
	chalice.Use(app, chalice.KindPureLambda, "P", func(ctx context.Context, raw json.RawMessage, next chalice.Next[json.RawMessage, any]) (any, error) {
		tr.add("P:" + string(raw))
		out, err := next(ctx, json.RawMessage(`{"x":"changed"}`))
		if err != nil {
			return nil, err
		}
		tr.add("P<" + string(out.(json.RawMessage)))
		return out, nil
	})
	h := mustHandler(t, app, "report")
	got := invoke(t, h, []byte(`{"x":"original"}`))
	assertEqual(t, "result", got, `{"echo":"changed","html":"<&>"}`)
	assertEqual(t, "trace", tr.String(), `P:{"x":"original"} handler P<{"echo":"changed","html":"<&>"}`)
}
