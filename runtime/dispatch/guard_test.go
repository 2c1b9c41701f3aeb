package dispatch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// panicOnce returns a handler body that panics on its first call and
// returns "ok" afterwards.
func panicOnce(name string) func() (any, error) {
	calls := 0
	return func() (any, error) {
		calls++
		if calls == 1 {
			panic("boom in " + name)
		}
		return "ok", nil
	}
}

// panickyApp has one function of every kind; each panics on its first
// invocation. "middleware" is an SNS function whose middleware panics.
func panickyApp() *chalice.App {
	app := chalice.New("testapp", chalice.Config{})
	add := func(f chalice.Function) { app.Function(f) }
	{
		b := panicOnce("s3")
		add(chalice.Function{Name: "s3", Kind: chalice.KindS3, S3: func(context.Context, chalice.S3Event) (any, error) { return b() }})
	}
	{
		b := panicOnce("sns")
		add(chalice.Function{Name: "sns", Kind: chalice.KindSNS, SNS: func(context.Context, chalice.SNSEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("sqs")
		add(chalice.Function{Name: "sqs", Kind: chalice.KindSQS, SQS: func(context.Context, chalice.SQSEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("scheduled")
		add(chalice.Function{Name: "scheduled", Kind: chalice.KindScheduled, CloudWatch: func(context.Context, chalice.CloudWatchEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("cloudwatch")
		add(chalice.Function{Name: "cloudwatch", Kind: chalice.KindCloudWatch, CloudWatch: func(context.Context, chalice.CloudWatchEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("kinesis")
		add(chalice.Function{Name: "kinesis", Kind: chalice.KindKinesis, Kinesis: func(context.Context, chalice.KinesisEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("dynamodb")
		add(chalice.Function{Name: "dynamodb", Kind: chalice.KindDynamoDB, DynamoDB: func(context.Context, chalice.DynamoDBEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("websocket_message")
		add(chalice.Function{Name: "websocket_message", Kind: chalice.KindWebsocket, Websocket: func(context.Context, chalice.WebsocketEvent) (any, error) { return b() }})
	}
	{
		b := panicOnce("auth")
		add(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer, Authorizer: func(context.Context, chalice.AuthRequest) (chalice.AuthResponse, error) {
			_, err := b()
			return chalice.AuthResponse{PrincipalID: "p"}, err
		}})
	}
	{
		b := panicOnce("pure")
		add(chalice.Function{Name: "pure", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context, in map[string]any) (any, error) { return b() }})
	}
	return app
}

// TestPanicIsInvocationError: a panic in any kind of function is
// recovered: logged with its stack, returned as a *PanicError, and the
// handler serves the next invocation.
func TestPanicIsInvocationError(t *testing.T) {
	for _, tc := range []struct{ function, fixture, next string }{
		{"s3", "s3-put.json", `"ok"`},
		{"sns", "sns.json", `"ok"`},
		{"sqs", "sqs.json", `"ok"`},
		{"scheduled", "scheduled.json", `"ok"`},
		{"cloudwatch", "cloudwatch-event.json", `"ok"`},
		{"kinesis", "kinesis.json", `"ok"`},
		{"dynamodb", "dynamodb.json", `"ok"`},
		{"websocket_message", "websocket-message.json", `{"statusCode":200}`},
		{"auth", "authorizer-token.json", `{"context":{},"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":[]}]}}`},
		{"pure", "", `"ok"`},
	} {
		t.Run(tc.function, func(t *testing.T) {
			log := captureLog(t)
			h := mustHandler(t, panickyApp(), tc.function)
			payload := []byte(`{"a":1}`)
			if tc.fixture != "" {
				payload = fixture(t, tc.fixture)
			}
			out, err := h.Invoke(context.Background(), payload)
			var pe *PanicError
			if !errors.As(err, &pe) || out != nil {
				t.Fatalf("Invoke = %s, %v; want a *PanicError", out, err)
			}
			want := "panic: boom in " + tc.function
			if err.Error() != want || pe.Function != tc.function {
				t.Errorf("error %q of function %q; want %q of %q", err, pe.Function, want, tc.function)
			}
			logged := log.String()
			if prefix := "testapp - ERROR - Caught exception in function " + tc.function + "\n" + want + "\n\ngoroutine "; !strings.HasPrefix(logged, prefix) {
				t.Errorf("log:\n%s\nwant it to start with:\n%s", logged, prefix)
			}
			if !strings.Contains(logged, "guard_test.go") {
				t.Errorf("the log has no stack through the handler:\n%s", logged)
			}
			assertEqual(t, "next invocation", invoke(t, h, payload), tc.next)
		})
	}
}

// TestPanicInMiddleware: a panic in an event function's middleware is
// recovered too.
func TestPanicInMiddleware(t *testing.T) {
	log := captureLog(t)
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "sns", Kind: chalice.KindSNS, SNS: func(context.Context, chalice.SNSEvent) (any, error) { return "ok", nil }})
	chalice.Use(app, chalice.KindAll, "Explode", func(ctx context.Context, e any, next chalice.Next[any, any]) (any, error) {
		var m map[string]int
		m["x"] = 1 // a runtime error
		return next(ctx, e)
	})
	_, err := mustHandler(t, app, "sns").Invoke(context.Background(), fixture(t, "sns.json"))
	var pe *PanicError
	if !errors.As(err, &pe) || err.Error() != "panic: assignment to entry in nil map" {
		t.Errorf("Invoke: %v; want a *PanicError", err)
	}
	if !strings.Contains(log.String(), "Caught exception in function sns\npanic: assignment to entry in nil map") {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestPanicInBodyEncoding: a route body whose MarshalJSON panics, outside
// the router's own recovery, fails the invocation instead of the process.
func TestPanicInBodyEncoding(t *testing.T) {
	log := captureLog(t)
	app := chalice.New("testapp", chalice.Config{})
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"v": panickyJSON{}}, nil
	}})
	ev := loadEvent(t, "apigw-get-user.json").route("/", "GET")
	_, err := mustHandler(t, app, APIHandler).Invoke(context.Background(), ev.payload(t))
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Function != APIHandler {
		t.Errorf("Invoke: %v; want a *PanicError of api_handler", err)
	}
	if !strings.Contains(log.String(), "Caught exception in function api_handler\npanic: MarshalJSON exploded") {
		t.Errorf("log:\n%s", log.String())
	}
}

type panickyJSON struct{}

func (panickyJSON) MarshalJSON() ([]byte, error) { panic("MarshalJSON exploded") }

// sizedApp returns results whose encoding is exactly size bytes: a JSON
// string for the pure and SNS functions, a body for the websocket
// function, a context value for the authorizer.
func sizedApp(size int) *chalice.App {
	text := strings.Repeat("x", size-2) // the quotes make size
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "pure", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context) (string, error) { return text, nil }})
	app.Function(chalice.Function{Name: "sns", Kind: chalice.KindSNS, SNS: func(context.Context, chalice.SNSEvent) (any, error) { return text, nil }})
	app.Function(chalice.Function{Name: "websocket_message", Kind: chalice.KindWebsocket, Websocket: func(context.Context, chalice.WebsocketEvent) (any, error) {
		return &chalice.Response{Body: text[:size-len(`{"headers":{},"multiValueHeaders":{},"statusCode":200,"body":""}`)]}, nil
	}})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer, Authorizer: func(context.Context, chalice.AuthRequest) (chalice.AuthResponse, error) {
		const envelope = `{"context":{"v":""},"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":[]}]}}`
		return chalice.AuthResponse{PrincipalID: "p", Context: map[string]any{"v": text[:size-len(envelope)]}}, nil
	}})
	return app
}

// TestResponseTooLarge: a function's result of MaxResponseSize bytes is
// returned; one byte more is logged and fails the invocation with a
// *ResponseTooLargeError.
func TestResponseTooLarge(t *testing.T) {
	for _, tc := range []struct{ function, fixture string }{
		{"pure", ""},
		{"sns", "sns.json"},
		{"websocket_message", "websocket-message.json"},
		{"auth", "authorizer-token.json"},
	} {
		t.Run(tc.function, func(t *testing.T) {
			log := captureLog(t)
			payload := []byte(`{}`)
			if tc.fixture != "" {
				payload = fixture(t, tc.fixture)
			}
			out, err := mustHandler(t, sizedApp(MaxResponseSize), tc.function).Invoke(context.Background(), payload)
			if err != nil || len(out) != MaxResponseSize {
				t.Fatalf("at the limit: %d bytes, %v; want %d bytes", len(out), err, MaxResponseSize)
			}
			out, err = mustHandler(t, sizedApp(MaxResponseSize+1), tc.function).Invoke(context.Background(), payload)
			var tl *ResponseTooLargeError
			if !errors.As(err, &tl) || out != nil {
				t.Fatalf("over the limit: %d bytes, %v; want a *ResponseTooLargeError", len(out), err)
			}
			want := fmt.Sprintf("the response is %d bytes, over Lambda's limit of 6291456 bytes", MaxResponseSize+1)
			if err.Error() != want || tl.Function != tc.function || tl.Size != MaxResponseSize+1 {
				t.Errorf("error %q (%+v); want %q", err, tl, want)
			}
			assertEqual(t, "log", log.String(), "testapp - ERROR - Invalid response from function "+tc.function+": "+want+"\n")
		})
	}
}

// TestRESTResponseTooLarge: a route whose proxy response would be over
// Lambda's limit answers 502 with Chalice's error body and the route's
// CORS headers, and logs the size; one at the limit is sent.
func TestRESTResponseTooLarge(t *testing.T) {
	log := captureLog(t)
	const envelope = `{"headers":{"Access-Control-Allow-Origin":"*"},"multiValueHeaders":{},"statusCode":200,"body":""}`
	size := MaxResponseSize
	app := chalice.New("testapp", chalice.Config{})
	app.Route(chalice.Route{Path: "/big", Method: "GET", CORS: []chalice.Header{{Name: "Access-Control-Allow-Origin", Value: "*"}},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return strings.Repeat("x", size-len(envelope)), nil
		}})
	h := mustHandler(t, app, APIHandler)
	ev := loadEvent(t, "apigw-get-user.json").route("/big", "GET").payload(t)
	if out := invoke(t, h, ev); len(out) != MaxResponseSize {
		t.Fatalf("at the limit: %d bytes; want %d", len(out), MaxResponseSize)
	}
	size = MaxResponseSize + 1
	got := invoke(t, h, ev)
	want := proxy{StatusCode: 502, Headers: map[string]string{"Access-Control-Allow-Origin": "*"},
		Body: `{"Code":"ResponseTooLarge","Message":"The response is 6291457 bytes, over Lambda's limit of 6291456 bytes."}`}
	if len(got) > 300 {
		got = fmt.Sprintf("%s... (%d bytes)", got[:200], len(got))
	}
	assertEqual(t, "response", got, want.String())
	assertEqual(t, "log", log.String(), "testapp - ERROR - Invalid response for path /big: 6291457 bytes, over Lambda's limit of 6291456 bytes\n")
}
