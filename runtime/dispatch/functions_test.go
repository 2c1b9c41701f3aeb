package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// eventsApp has one function of every event kind; each returns what it
// saw, so the tests check the typed events through the full Invoke path.
func eventsApp() *chalice.App {
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "on_upload", Kind: chalice.KindS3, S3: func(ctx context.Context, e chalice.S3Event) (any, error) {
		return map[string]any{"bucket": e.Bucket, "key": e.Key, "raw": e.Raw.Records[0].S3.Object.Key, "event": e.Raw.Records[0].EventName}, nil
	}})
	app.Function(chalice.Function{Name: "on_note", Kind: chalice.KindSNS, SNS: func(ctx context.Context, e chalice.SNSEvent) (any, error) {
		return map[string]any{"message": e.Message, "subject": e.Subject, "attrs": e.MessageAttributes, "topic": e.Raw.Records[0].SNS.TopicArn}, nil
	}})
	app.Function(chalice.Function{Name: "on_job", Kind: chalice.KindSQS, SQS: func(ctx context.Context, e chalice.SQSEvent) (any, error) {
		var resp chalice.BatchResponse
		for _, r := range e.Records {
			var job struct{ Fail bool }
			if err := json.Unmarshal([]byte(r.Body), &job); err != nil {
				return nil, err
			}
			if job.Fail {
				resp.BatchItemFailures = append(resp.BatchItemFailures, chalice.BatchItemFailure{ItemIdentifier: r.MessageID})
			}
		}
		return resp, nil
	}})
	app.Function(chalice.Function{Name: "on_job_echo", Kind: chalice.KindSQS, SQS: func(ctx context.Context, e chalice.SQSEvent) (any, error) {
		var out []string
		for _, r := range e.Records {
			out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s", r.MessageID, r.Body, r.ReceiptHandle, r.Attributes["ApproximateReceiveCount"], r.EventSourceARN))
		}
		if p := e.Records[0].MessageAttributes["priority"].StringValue; p != nil {
			out = append(out, *p)
		}
		return out, nil
	}})
	app.Function(chalice.Function{Name: "on_click", Kind: chalice.KindKinesis, Kinesis: func(ctx context.Context, e chalice.KinesisEvent) (any, error) {
		var resp chalice.BatchResponse
		var seen []string
		for _, r := range e.Records {
			seen = append(seen, fmt.Sprintf("%s %s %s %s", r.PartitionKey, r.Data, r.Timestamp.Format(time.RFC3339Nano), r.SchemaVersion))
			if !json.Valid(r.Data) {
				resp.BatchItemFailures = append(resp.BatchItemFailures, chalice.BatchItemFailure{ItemIdentifier: r.SequenceNumber})
			}
		}
		return map[string]any{"seen": seen, "batch": resp}, nil
	}})
	app.Function(chalice.Function{Name: "on_change", Kind: chalice.KindDynamoDB, DynamoDB: func(ctx context.Context, e chalice.DynamoDBEvent) (any, error) {
		var seen []string
		for _, r := range e.Records {
			old := "-"
			if v, ok := r.OldImage["Message"]; ok {
				old = v.String()
			}
			seen = append(seen, fmt.Sprintf("%s %s id=%s new=%s old=%s %s %d %s", r.EventName, r.TableName(), r.Keys["Id"].Number(),
				r.NewImage["Message"].String(), old, r.SequenceNumber, r.SizeBytes, r.Timestamp.Format(time.RFC3339)))
		}
		return seen, nil
	}})
	cw := func(ctx context.Context, e chalice.CloudWatchEvent) (any, error) {
		var detail map[string]any
		if err := e.DetailAs(&detail); err != nil {
			return nil, err
		}
		return map[string]any{
			"source": e.Source, "detailType": e.DetailType, "account": e.Account, "region": e.Region,
			"time": e.Time.Format(time.RFC3339), "resources": e.Resources, "id": e.ID, "version": e.Version,
			"detail": detail, "rawSource": e.Raw["source"],
		}, nil
	}
	app.Function(chalice.Function{Name: "every_hour", Kind: chalice.KindScheduled, CloudWatch: cw})
	app.Function(chalice.Function{Name: "on_commit", Kind: chalice.KindCloudWatch, CloudWatch: cw})
	app.Function(chalice.Function{Name: "fails", Kind: chalice.KindSNS, SNS: func(ctx context.Context, e chalice.SNSEvent) (any, error) {
		return nil, errors.New("retry me")
	}})
	app.Function(chalice.Function{Name: "report", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context, in map[string]any) (map[string]any, error) {
		return map[string]any{"got": in, "html": "<b>"}, nil
	}})
	return app
}

func TestEventFunctions(t *testing.T) {
	app := eventsApp()
	tests := []struct {
		function, fixture, want string
	}{
		{"on_upload", "s3-put.json", `{"bucket":"uploads","event":"ObjectCreated:Put","key":"images/summer photo été.png","raw":"images/summer+photo+%C3%A9t%C3%A9.png"}`},
		{"on_note", "sns.json", `{"attrs":{"Test":{"Type":"String","Value":"TestString"},"TestBinary":{"Type":"Binary","Value":"TestBinary"}},"message":"Hello from SNS!","subject":"TestInvoke","topic":"arn:aws:sns:us-west-2:123456789012:my-topic"}`},
		{"on_job", "sqs.json", `{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"}]}`},
		{"on_job_echo", "sqs.json", `["059f36b4-87a3-44ab-83d2-661975830a7d|{\"job\": 1}|AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...|1|arn:aws:sqs:us-west-2:123456789012:jobs","2e1424d4-f796-459a-8184-9c92662be6da|{\"job\": 2, \"fail\": true}|AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq...|1|arn:aws:sqs:us-west-2:123456789012:jobs","high"]`},
		{"on_click", "kinesis.json", `{"batch":{"batchItemFailures":[{"itemIdentifier":"49590338271490256608559692540925702759324208523137515618"}]},"seen":["user-1 {\"click\": \"buy\"} 2018-12-17T22:10:50.987Z 1.0","user-2 not json 2018-12-17T22:11:51.166Z 1.0"]}`},
		{"on_change", "dynamodb.json", `["INSERT ExampleTableWithStream id=101 new=New item! old=- 4421584500000000017450439091 26 2015-04-09T00:00:00Z","MODIFY ExampleTableWithStream id=101 new=This item has changed old=New item! 4421584500000000017450439092 59 2015-04-09T00:00:00Z"]`},
		{"every_hour", "scheduled.json", `{"account":"123456789012","detail":{},"detailType":"Scheduled Event","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","rawSource":"aws.events","region":"us-west-2","resources":["arn:aws:events:us-west-2:123456789012:rule/petstore-dev-EveryHour"],"source":"aws.events","time":"2024-03-15T01:00:00Z","version":"0"}`},
		{"on_commit", "cloudwatch-event.json", `{"account":"123456789012","detail":{"commitId":"3e5983EXAMPLE","event":"referenceUpdated","referenceName":"main","referenceType":"branch","repositoryName":"my-repo"},"detailType":"CodeCommit Repository State Change","id":"01234567-0123-0123-0123-012345678901","rawSource":"aws.codecommit","region":"us-west-2","resources":["arn:aws:codecommit:us-west-2:123456789012:my-repo"],"source":"aws.codecommit","time":"2024-03-15T01:46:06Z","version":"0"}`},
		{"report", "", `{"got":{"a":[1,2]},"html":"<b>"}`},
	}
	for _, tc := range tests {
		t.Run(tc.function, func(t *testing.T) {
			payload := []byte(`{"a":[1,2]}`)
			if tc.fixture != "" {
				payload = fixture(t, tc.fixture)
			}
			got := invoke(t, mustHandler(t, app, tc.function), payload)
			assertEqual(t, "result", got, tc.want)
		})
	}
}

func TestEventFunctionErrors(t *testing.T) {
	app := eventsApp()
	tests := []struct {
		function string
		payload  string
		want     string
	}{
		{"fails", string(fixture(t, "sns.json")), "retry me"},
		{"on_note", `{"Records": []}`, "chalice: SNS event has no records"},
		{"on_upload", `{"Records": []}`, "chalice: S3 event has no records"},
		{"on_job", `{"Records": 3}`, "json: cannot unmarshal number"},
		{"every_hour", `{"time": "yesterday"}`, `parsing time "yesterday"`},
	}
	for _, tc := range tests {
		t.Run(tc.function, func(t *testing.T) {
			_, err := mustHandler(t, app, tc.function).Invoke(context.Background(), []byte(tc.payload))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want %q", err, tc.want)
			}
		})
	}
}

func TestHandlerErrors(t *testing.T) {
	app := eventsApp()
	app.Function(chalice.Function{Name: "no_handler", Kind: chalice.KindS3})
	app.Function(chalice.Function{Name: "bad_pure", Kind: chalice.KindPureLambda, Pure: func(a, b string) {}})
	app.Function(chalice.Function{Name: "bad_pure_out", Kind: chalice.KindPureLambda, Pure: func() (int, int) { return 0, 0 }})
	app.Function(chalice.Function{Name: "not_func", Kind: chalice.KindPureLambda, Pure: 42})
	app.Function(chalice.Function{Name: "weird", Kind: "carrier-pigeon"})
	tests := []struct {
		function string
		opts     []Option
		want     string
	}{
		{"nope", nil, `dispatch: app testapp has no function "nope"; its functions are: on_upload, on_note, on_job, on_job_echo, on_click, on_change, every_hour, on_commit, fails, report, no_handler, bad_pure, bad_pure_out, not_func, weird`},
		{APIHandler, nil, `dispatch: app testapp has no function "api_handler"`},
		{"on_note", []Option{Stage("prod")}, `dispatch: app testapp has no stage "prod"; its stages are: dev`},
		{"no_handler", nil, "dispatch: function no_handler (kind s3) has no S3 handler"},
		{"bad_pure", nil, "dispatch: function bad_pure: Pure handler func(string, string) takes two arguments, but the first is not context.Context"},
		{"bad_pure_out", nil, "dispatch: function bad_pure_out: Pure handler func() (int, int) returns two values, but the second is not an error"},
		{"not_func", nil, "dispatch: function not_func: Pure handler is a int, not a func"},
		{"weird", nil, `dispatch: function weird has unknown kind "carrier-pigeon"`},
	}
	for _, tc := range tests {
		t.Run(tc.function, func(t *testing.T) {
			_, err := Handler(app, tc.function, tc.opts...)
			if err == nil || err.Error() != tc.want && !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err:\n got: %v\nwant: %s", err, tc.want)
			}
		})
	}

	bad := chalice.New("testapp", chalice.Config{Stages: map[string]chalice.Stage{"dev": {LogLevel: "LOUD"}}})
	bad.Function(chalice.Function{Name: "f", Kind: chalice.KindSNS, SNS: func(context.Context, chalice.SNSEvent) (any, error) { return nil, nil }})
	if _, err := Handler(bad, "f"); err == nil || !strings.Contains(err.Error(), `stage dev: chalice: unknown log level "LOUD"`) {
		t.Errorf("bad log level: %v", err)
	}
}

// Chalice's authorizer policy (SEMANTICS (vii) rule 10).
func TestAuthorizer(t *testing.T) {
	const arn = "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/GET/users/42"
	tests := []struct {
		name string
		resp chalice.AuthResponse
		err  error
		want string
	}{
		{
			name: "plain routes allow every method",
			resp: chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/foo/bar"}, {Path: "/"}}, PrincipalID: "user"},
			want: `{"context":{},"principalId":"user","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/*/foo/bar","arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/*/"]}]}}`,
		},
		{
			name: "one ARN per method",
			resp: chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/users/42", Methods: []string{"GET", "PUT"}}}, PrincipalID: "u1", Context: map[string]any{"plan": "gold", "n": 3}},
			want: `{"context":{"n":3,"plan":"gold"},"principalId":"u1","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/GET/users/42","arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/PUT/users/42"]}]}}`,
		},
		{
			name: "star allows everything",
			resp: chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "admin"},
			want: `{"context":{},"principalId":"admin","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/*/*"]}]}}`,
		},
		{
			name: "no routes denies",
			resp: chalice.AuthResponse{PrincipalID: "nobody"},
			want: `{"context":{},"principalId":"nobody","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":[]}]}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got chalice.AuthRequest
			app := chalice.New("testapp", chalice.Config{})
			app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer, Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
				got = req
				return tc.resp, nil
			}})
			out := invoke(t, mustHandler(t, app, "auth"), fixture(t, "authorizer-token.json"))
			assertEqual(t, "policy", out, tc.want)
			if want := (chalice.AuthRequest{AuthType: "TOKEN", Token: "allow", MethodARN: arn}); got != want {
				t.Errorf("AuthRequest = %+v; want %+v", got, want)
			}
		})
	}
}

func TestAuthorizerErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		want  string
		is401 bool
	}{
		{"UnauthorizedError", &chalice.UnauthorizedError{Message: "bad token"}, "Unauthorized", true},
		{"wrapped", fmt.Errorf("checking: %w", &chalice.UnauthorizedError{Message: "expired"}), "Unauthorized", true},
		{"other status", &chalice.ForbiddenError{Message: "no"}, "no", false},
		{"plain", errors.New("jwks unreachable"), "jwks unreachable", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			captureLog(t)
			app := chalice.New("testapp", chalice.Config{})
			app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer, Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
				return chalice.AuthResponse{}, tc.err
			}})
			_, err := mustHandler(t, app, "auth").Invoke(context.Background(), fixture(t, "authorizer-token.json"))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
			if errors.Is(err, ErrUnauthorized) != tc.is401 {
				t.Errorf("errors.Is(err, ErrUnauthorized) = %v", !tc.is401)
			}
		})
	}
}

func TestWebsocket(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		result  func(e chalice.WebsocketEvent) (any, error)
		want    string
	}{
		{
			name:    "default result",
			fixture: "websocket-connect.json",
			result:  func(e chalice.WebsocketEvent) (any, error) { return nil, nil },
			want:    `{"statusCode":200}`,
		},
		{
			name:    "event fields",
			fixture: "websocket-connect.json",
			result: func(e chalice.WebsocketEvent) (any, error) {
				return map[string]any{"id": e.ConnectionID, "route": e.RouteKey, "domain": e.DomainName, "stage": e.Stage, "api": e.RequestContext.APIID, "body": e.Body}, nil
			},
			want: `{"api":"ws1234abcd","body":"","domain":"ws1234abcd.execute-api.us-west-2.amazonaws.com","id":"UtsQecXfvHcCE_g=","route":"$connect","stage":"api","statusCode":200}`,
		},
		{
			name:    "JSON body",
			fixture: "websocket-message.json",
			result: func(e chalice.WebsocketEvent) (any, error) {
				var m struct{ Action, Text string }
				if err := e.JSONBody(&m); err != nil {
					return nil, err
				}
				return map[string]any{"statusCode": 202, "said": m.Text}, nil
			},
			want: `{"said":"hi","statusCode":202}`,
		},
		{
			name:    "Response",
			fixture: "websocket-message.json",
			result: func(e chalice.WebsocketEvent) (any, error) {
				return &chalice.Response{StatusCode: 403, Headers: map[string]string{"X": "y"}, Body: map[string]string{"error": "é"}}, nil
			},
			want: `{"headers":{"X":"y"},"multiValueHeaders":{},"statusCode":403,"body":"{\"error\":\"\\u00e9\"}"}`,
		},
		{
			name:    "struct",
			fixture: "websocket-message.json",
			result: func(e chalice.WebsocketEvent) (any, error) {
				return struct {
					Body string `json:"body"`
				}{"pong"}, nil
			},
			want: `{"body":"pong","statusCode":200}`,
		},
		{
			name:    "not an object",
			fixture: "websocket-message.json",
			result:  func(e chalice.WebsocketEvent) (any, error) { return "ignored", nil },
			want:    `{"statusCode":200}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := chalice.New("testapp", chalice.Config{})
			app.Function(chalice.Function{Name: "websocket_message", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
				return tc.result(e)
			}})
			got := invoke(t, mustHandler(t, app, "websocket_message"), fixture(t, tc.fixture))
			assertEqual(t, "result", got, tc.want)
		})
	}

	t.Run("bad JSON body fails the invocation", func(t *testing.T) {
		app := chalice.New("testapp", chalice.Config{})
		app.Function(chalice.Function{Name: "websocket_message", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
			var v any
			return nil, e.JSONBody(&v)
		}})
		ev := loadEvent(t, "websocket-message.json")
		ev["body"] = "not json"
		_, err := mustHandler(t, app, "websocket_message").Invoke(context.Background(), ev.payload(t))
		var bre *chalice.BadRequestError
		if !errors.As(err, &bre) || bre.Message != "Error Parsing JSON" {
			t.Errorf("err = %v", err)
		}
	})
}

func TestWebsocketMiddleware(t *testing.T) {
	var tr trace
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "websocket_connect", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		tr.add("handler")
		return nil, nil
	}})
	chalice.Use(app, chalice.KindWebsocket, "W", func(ctx context.Context, e chalice.WebsocketEvent, next chalice.Next[chalice.WebsocketEvent, any]) (any, error) {
		tr.add("W:" + e.RouteKey)
		return next(ctx, e)
	})
	got := invoke(t, mustHandler(t, app, "websocket_connect"), fixture(t, "websocket-connect.json"))
	assertEqual(t, "result", got, `{"statusCode":200}`)
	assertEqual(t, "trace", tr.String(), "W:$connect handler")
}

func TestStartPrepare(t *testing.T) {
	app := eventsApp()
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil }})
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // the type of handler (inside guarded), or the error
	}{
		{"_HANDLER", map[string]string{"_HANDLER": "api_handler", "AWS_LAMBDA_FUNCTION_HANDLER": "on_note"}, []string{"bootstrap", "on_job"}, "*dispatch.restHandler"},
		{"AWS_LAMBDA_FUNCTION_HANDLER", map[string]string{"AWS_LAMBDA_FUNCTION_HANDLER": "on_note"}, []string{"bootstrap", "on_job"}, "*dispatch.eventHandler[github.com/chalc-dev/chalc/runtime/chalice.SNSEvent]"},
		{"last argument", nil, []string{"bootstrap", "--flag", "on_job"}, "*dispatch.eventHandler[github.com/chalc-dev/chalc/runtime/chalice.SQSEvent]"},
		{"nothing", nil, []string{"bootstrap"}, "no function name: set _HANDLER (Lambda sets it from the function's Handler) to one of: api_handler, on_upload"},
		{"unknown", map[string]string{"_HANDLER": "app.handler"}, nil, `dispatch: app testapp has no function "app.handler"; its functions are: api_handler, on_upload`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := prepare(app, "dev", env(tc.env), tc.args)
			got := fmt.Sprintf("%T", h)
			if g, ok := h.(*guarded); ok {
				got = fmt.Sprintf("%T", g.h)
			}
			if err != nil {
				got = err.Error()
			}
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %s; want %s", got, tc.want)
			}
		})
	}
}

func TestStart(t *testing.T) {
	oldStart, oldExit, oldStderr := startLambda, exit, stderr
	t.Cleanup(func() {
		startLambda, exit, stderr = oldStart, oldExit, oldStderr
		chalice.ConfigureLogger("app", slog.LevelError, os.Stdout)
	})
	var started, exited bool
	var msg strings.Builder
	startLambda = func(h lambda.Handler) { started = true }
	exit = func(code int) { exited = code == 1 }
	stderr = &msg

	app := eventsApp()
	t.Setenv("_HANDLER", "on_note")
	Start(app, "dev")
	if !started || exited {
		t.Errorf("Start: started=%v exited=%v", started, exited)
	}

	started = false
	t.Setenv("_HANDLER", "missing")
	Start(app, "dev")
	if started || !exited {
		t.Errorf("Start with an unknown function: started=%v exited=%v", started, exited)
	}
	if want := "chalc runtime: dispatch: app testapp has no function \"missing\""; !strings.HasPrefix(msg.String(), want) {
		t.Errorf("stderr = %q; want %q...", msg.String(), want)
	}
}

// TestPureConcurrentResults: concurrent invocations of a pure function
// each get their own result, and keep it after later invocations (the
// bytes are the caller's, not aws-lambda-go's pooled buffer).
func TestPureConcurrentResults(t *testing.T) {
	app := chalice.New("testapp", chalice.Config{})
	app.Function(chalice.Function{Name: "echo", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context, in map[string]int) (map[string]int, error) {
		return in, nil
	}})
	h := mustHandler(t, app, "echo")
	const n = 64
	outs := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := h.Invoke(context.Background(), fmt.Appendf(nil, `{"i":%d}`, i))
			if err != nil {
				t.Error(err)
			}
			outs[i] = out
		})
	}
	wg.Wait()
	for i, out := range outs {
		if want := fmt.Sprintf(`{"i":%d}`, i); string(out) != want {
			t.Errorf("invocation %d kept %s; want %s", i, out, want)
		}
	}
}
