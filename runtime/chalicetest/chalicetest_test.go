package chalicetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

var cors = []chalice.Header{
	{Name: "Access-Control-Allow-Origin", Value: "*"},
	{Name: "Access-Control-Allow-Headers", Value: "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"},
}

// env reads the variables the tests set.
func env() map[string]any {
	out := map[string]any{}
	for _, k := range []string{"CT_TABLE", "CT_SHARED", "CT_AUTH_KEY"} {
		if v, ok := os.LookupEnv(k); ok {
			out[k] = v
		} else {
			out[k] = nil
		}
	}
	return out
}

// describe answers what the route saw.
func describe(ctx context.Context, req *chalice.Request) (any, error) {
	return map[string]any{
		"method": req.Method, "resource": req.Path, "id": req.URIParams["id"],
		"query": req.QueryParams.GetAll("q"), "x": req.Headers.Values("X-Test"),
		"body": string(req.RawBody), "env": env(),
	}, nil
}

type item struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// testApp has a route per method, a builtin authorizer, a binary route,
// HTTP middleware and one function of every kind.
func testApp() *chalice.App {
	app := chalice.New("ct", chalice.Config{
		Stages: map[string]chalice.Stage{
			"dev": {Environment: map[string]map[string]string{"api_handler": {"CT_TABLE": "dev"}}},
			"prod": {Environment: map[string]map[string]string{
				"api_handler": {"CT_TABLE": "prod-api", "CT_SHARED": "s"},
				"report":      {"CT_TABLE": "prod-report"},
				"auth":        {"CT_TABLE": "prod-api", "CT_SHARED": "s", "CT_AUTH_KEY": "k"},
			}},
		},
	})
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: describe})
	app.Route(chalice.Route{Path: "/items", Method: "POST", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		var it item
		if err := req.JSONBody(&it); err != nil {
			return nil, err
		}
		return &chalice.Response{StatusCode: 201, Body: it}, nil
	}})
	for _, m := range []string{"GET", "PUT", "PATCH", "DELETE", "HEAD"} {
		r := chalice.Route{Path: "/items/{id}", Method: m, Handler: describe, ContentTypes: []string{"application/json", "text/plain"}}
		if m == "PUT" || m == "DELETE" {
			r.CORS = cors
		}
		app.Route(r)
	}
	app.Route(chalice.Route{Path: "/opts", Method: "OPTIONS", Handler: describe})
	app.Route(chalice.Route{Path: "/secret", Method: "GET", Authorizer: "auth", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"principal": req.RequestContext.Authorizer["principalId"], "env": env()}, nil
	}})
	app.Route(chalice.Route{Path: "/photo", Method: "PUT", ContentTypes: []string{"image/png"}, Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: bytes.ToUpper(req.RawBody)}, nil
	}})
	app.Route(chalice.Route{Path: "/fail", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: "not bytes"}, nil
	}})
	chalice.Use(app, chalice.KindHTTP, "Stamp", func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
		resp, err := next(ctx, req)
		if resp != nil {
			r := *resp
			r.Headers = map[string]string{"X-Middleware": "stamp"}
			for k, v := range resp.Headers {
				r.Headers[k] = v
			}
			resp = &r
		}
		return resp, err
	})

	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer,
		Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
			if req.Token != os.Getenv("CT_AUTH_KEY") || req.Token == "" {
				return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "no"}
			}
			return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/secret"}}, PrincipalID: "tester"}, nil
		}})
	app.Function(chalice.Function{Name: "report", Kind: chalice.KindPureLambda,
		Pure: func(ctx context.Context, in map[string]any) (map[string]any, error) {
			if in["fail"] == true {
				return nil, errors.New("report failed")
			}
			return map[string]any{"in": in, "env": env()}, nil
		}})
	app.Function(chalice.Function{Name: "on_upload", Kind: chalice.KindS3,
		S3: func(ctx context.Context, e chalice.S3Event) (any, error) {
			return []string{e.Bucket, e.Key}, nil
		}})
	app.Function(chalice.Function{Name: "on_note", Kind: chalice.KindSNS,
		SNS: func(ctx context.Context, e chalice.SNSEvent) (any, error) {
			return []string{e.Message, e.Subject, os.Getenv("CT_TABLE")}, nil
		}})
	app.Function(chalice.Function{Name: "on_job", Kind: chalice.KindSQS,
		SQS: func(ctx context.Context, e chalice.SQSEvent) (any, error) {
			var out []string
			for _, r := range e.Records {
				out = append(out, r.MessageID+"="+r.Body)
			}
			return out, nil
		}})
	app.Function(chalice.Function{Name: "on_click", Kind: chalice.KindKinesis,
		Kinesis: func(ctx context.Context, e chalice.KinesisEvent) (any, error) {
			var out []string
			for _, r := range e.Records {
				out = append(out, r.SequenceNumber[len(r.SequenceNumber)-3:]+"="+string(r.Data))
			}
			return out, nil
		}})
	app.Function(chalice.Function{Name: "on_change", Kind: chalice.KindDynamoDB,
		DynamoDB: func(ctx context.Context, e chalice.DynamoDBEvent) (any, error) {
			var out []string
			for _, r := range e.Records {
				s := r.EventName + " " + r.TableName() + " " + r.Keys["id"].String()
				if img := r.NewImage; img != nil {
					s += fmt.Sprintf(" new:%s/%s/%v/%d", img["name"].String(), img["n"].Number(), img["ok"].Boolean(), len(img["tags"].List()))
				}
				if img := r.OldImage; img != nil {
					s += " old:" + img["name"].String()
				}
				out = append(out, s)
			}
			return out, nil
		}})
	cw := func(ctx context.Context, e chalice.CloudWatchEvent) (any, error) {
		return map[string]any{"type": e.DetailType, "source": e.Source, "detail": e.Detail, "resources": e.Resources}, nil
	}
	app.Function(chalice.Function{Name: "on_commit", Kind: chalice.KindCloudWatch, CloudWatch: cw})
	app.Function(chalice.Function{Name: "every_hour", Kind: chalice.KindScheduled, CloudWatch: cw})
	ws := func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		if e.RouteKey == "$connect" {
			return nil, nil
		}
		return map[string]any{"route": e.RouteKey, "conn": e.ConnectionID, "body": e.Body, "type": e.RequestContext.EventType}, nil
	}
	for _, name := range []string{"websocket_connect", "websocket_message", "websocket_disconnect"} {
		app.Function(chalice.Function{Name: name, Kind: chalice.KindWebsocket, Websocket: ws})
	}
	return app
}

// seen is what describe answered.
type seen struct {
	Method   string         `json:"method"`
	Resource string         `json:"resource"`
	ID       string         `json:"id"`
	Query    []string       `json:"query"`
	X        []string       `json:"x"`
	Body     string         `json:"body"`
	Env      map[string]any `json:"env"`
}

func decode(t *testing.T, resp *chalicetest.Response) seen {
	t.Helper()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp)
	}
	var s seen
	if err := resp.JSON(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHTTPMethods(t *testing.T) {
	c := chalicetest.New(t, testApp())
	calls := map[string]func(string, ...chalicetest.RequestOption) *chalicetest.Response{
		"GET": c.HTTP.Get, "PUT": c.HTTP.Put, "PATCH": c.HTTP.Patch, "DELETE": c.HTTP.Delete, "HEAD": c.HTTP.Head,
		"get": func(p string, o ...chalicetest.RequestOption) *chalicetest.Response {
			return c.HTTP.Request("get", p, o...)
		},
	}
	for m, call := range calls {
		resp := call("/items/7")
		s := decode(t, resp)
		if s.Method != strings.ToUpper(m) || s.Resource != "/items/{id}" || s.ID != "7" {
			t.Errorf("%s: %+v", m, s)
		}
		if resp.Headers.Get("X-Middleware") != "stamp" {
			t.Errorf("%s: middleware did not run: %v", m, resp.Headers)
		}
		if cors := resp.Headers.Get("Access-Control-Allow-Origin"); (cors == "*") != (m == "PUT" || m == "DELETE") {
			t.Errorf("%s: Access-Control-Allow-Origin %q", m, cors)
		}
	}

	// POST with a JSON body.
	resp := c.HTTP.Post("/items", chalicetest.JSON(item{ID: "9", Name: "Zoë"}))
	var it item
	if resp.StatusCode != 201 || resp.JSON(&it) != nil || it != (item{"9", "Zoë"}) {
		t.Errorf("POST /items = %d %s", resp.StatusCode, resp)
	}
	if resp.String() != `{"id":"9","name":"Zo\u00eb"}` {
		t.Errorf("POST body %s", resp)
	}
	resp = c.HTTP.Post("/items", chalicetest.Body([]byte("{")), chalicetest.Header("Content-Type", "application/json"))
	if resp.StatusCode != 400 || resp.String() != `{"Code":"BadRequestError","Message":"Error Parsing JSON"}` {
		t.Errorf("POST bad JSON = %d %s", resp.StatusCode, resp)
	}

	// OPTIONS: the gateway's preflight on a CORS path, the route elsewhere.
	resp = c.HTTP.Options("/items/7")
	if resp.StatusCode != 200 || resp.Headers.Get("Access-Control-Allow-Methods") != "PUT,DELETE,OPTIONS" || len(resp.Body) != 0 {
		t.Errorf("preflight = %d %v %s", resp.StatusCode, resp.Headers, resp)
	}
	if s := decode(t, c.HTTP.Options("/opts")); s.Method != "OPTIONS" {
		t.Errorf("OPTIONS /opts: %+v", s)
	}

	// What API Gateway refuses and what the app refuses.
	resp = c.HTTP.Get("/nowhere")
	if resp.StatusCode != 403 || resp.String() != `{"message":"Missing Authentication Token"}` || resp.Err != nil {
		t.Errorf("GET /nowhere = %d %s", resp.StatusCode, resp)
	}
	resp = c.HTTP.Patch("/items/7", chalicetest.Body([]byte("x")), chalicetest.Header("Content-Type", "image/gif"))
	if resp.StatusCode != 415 {
		t.Errorf("PATCH image/gif = %d %s", resp.StatusCode, resp)
	}
	resp = c.HTTP.Get("/fail", chalicetest.Header("Accept", "image/png"))
	if resp.StatusCode != 502 || resp.Err == nil {
		t.Errorf("GET /fail = %d %s %v", resp.StatusCode, resp, resp.Err)
	}
}

func TestRequestOptions(t *testing.T) {
	c := chalicetest.New(t, testApp())
	s := decode(t, c.HTTP.Put("/items/a%20b?q=1",
		chalicetest.Query("q", "2"), chalicetest.Query("q", "x y"),
		chalicetest.Header("X-Test", "one"), chalicetest.Header("X-Test", "two"),
		chalicetest.Header("Content-Type", "text/plain"), chalicetest.Body([]byte("hello"))))
	want := seen{Method: "PUT", Resource: "/items/{id}", ID: "a b", Query: []string{"1", "2", "x y"}, X: []string{"one", "two"}, Body: "hello"}
	s.Env = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}

	// Binary in and out.
	png := []byte("\x89png\x00\xff")
	resp := c.HTTP.Put("/photo", chalicetest.Body(png), chalicetest.Header("Content-Type", "image/png"), chalicetest.Header("Accept", "image/png"))
	if resp.StatusCode != 200 || !bytes.Equal(resp.Body, bytes.ToUpper(png)) || resp.Headers.Get("Content-Type") != "image/png" {
		t.Errorf("PUT /photo = %d %v %q", resp.StatusCode, resp.Headers, resp.Body)
	}
}

func TestAuthorizer(t *testing.T) {
	c := chalicetest.New(t, testApp(), chalicetest.Stage("prod"))
	resp := c.HTTP.Get("/secret", chalicetest.Header("Authorization", "k"))
	var got struct {
		Principal string         `json:"principal"`
		Env       map[string]any `json:"env"`
	}
	if resp.StatusCode != 200 || resp.JSON(&got) != nil || got.Principal != "tester" {
		t.Fatalf("GET /secret = %d %s", resp.StatusCode, resp)
	}
	// The authorizer saw its own environment (CT_AUTH_KEY); the route, api_handler's.
	if got.Env["CT_AUTH_KEY"] != nil {
		t.Errorf("api_handler saw the authorizer's CT_AUTH_KEY: %v", got.Env)
	}
	if resp := c.HTTP.Get("/secret", chalicetest.Header("Authorization", "wrong")); resp.StatusCode != 401 {
		t.Errorf("wrong token = %d %s", resp.StatusCode, resp)
	}
	if resp := c.HTTP.Get("/secret"); resp.StatusCode != 401 {
		t.Errorf("no token = %d %s", resp.StatusCode, resp)
	}
}

func TestLambdaInvoke(t *testing.T) {
	c := chalicetest.New(t, testApp())
	for _, payload := range []any{
		[]byte(`{"a":1}`), `{"a":1}`, json.RawMessage(`{"a":1}`), map[string]int{"a": 1},
	} {
		res, err := c.Lambda.Invoke("report", payload)
		if err != nil {
			t.Fatalf("%T: %v", payload, err)
		}
		var out struct {
			In map[string]any `json:"in"`
		}
		if err := res.JSON(&out); err != nil || !reflect.DeepEqual(out.In, map[string]any{"a": float64(1)}) {
			t.Errorf("%T: %s (%v)", payload, res, err)
		}
	}
	if res, err := c.Lambda.Invoke("report", nil); err != nil || !strings.HasPrefix(res.String(), `{"env":`) || !strings.Contains(res.String(), `"in":{}`) {
		t.Errorf("nil payload: %s %v", res, err)
	}
	if _, err := c.Lambda.Invoke("report", map[string]any{"fail": true}); err == nil || err.Error() != "report failed" {
		t.Errorf("failing function: %v", err)
	}
	if _, err := c.Lambda.Invoke("nope", nil); err == nil || !strings.Contains(err.Error(), `no function "nope"`) {
		t.Errorf("unknown function: %v", err)
	}
	if _, err := c.Lambda.Invoke("report", func() {}); err == nil {
		t.Error("a payload that does not encode must fail")
	}
	// The authorizer and api_handler are functions too.
	res, err := c.Lambda.Invoke("auth", map[string]string{"type": "TOKEN", "authorizationToken": "x", "methodArn": "arn:aws:execute-api:r:a:api/s/GET/x"})
	if err == nil || err.Error() != "Unauthorized" {
		t.Errorf("auth: %s %v", res, err)
	}
	res, err = c.Lambda.Invoke("api_handler", `{"resource":"/","path":"/","httpMethod":"GET","requestContext":{"resourcePath":"/","httpMethod":"GET"}}`)
	if err != nil || !strings.Contains(res.String(), `"statusCode":200`) {
		t.Errorf("api_handler: %s %v", res, err)
	}

	// Concurrent invocations do not mix their answers.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			res, err := c.Lambda.Invoke("report", map[string]int{"i": i})
			if err != nil || !strings.Contains(res.String(), fmt.Sprintf(`"in":{"i":%d}`, i)) {
				t.Errorf("concurrent %d: %s %v", i, res, err)
			}
		})
	}
	wg.Wait()
}

// invoke calls function with payload and returns its answer as text.
func invoke(t *testing.T, c *chalicetest.Client, function string, payload json.RawMessage) string {
	t.Helper()
	res, err := c.Lambda.Invoke(function, payload)
	if err != nil {
		t.Fatalf("%s: %v\npayload: %s", function, err, payload)
	}
	return res.String()
}

func TestEvents(t *testing.T) {
	t.Setenv("CT_TABLE", "outer")
	c := chalicetest.New(t, testApp())
	ev := c.Events
	tests := []struct {
		function string
		payload  json.RawMessage
		want     string
	}{
		{"on_upload", ev.S3("uploads", "images/summer photo+1 été.png"), `["uploads","images/summer photo+1 été.png"]`},
		{"on_note", ev.SNS("hello", "greeting"), `["hello","greeting","outer"]`}, // on_note has no variables: as before the test
		{"on_job", ev.SQS(`{"job":1}`, "two"), `["059f36b4-87a3-44ab-83d2-000000000001={\"job\":1}","059f36b4-87a3-44ab-83d2-000000000002=two"]`},
		{"on_job", ev.SQS(), `null`},
		{"on_click", ev.Kinesis([]byte("a"), []byte{0xff, 'b'}), `["898=a","899=\ufffdb"]`},
		{"on_change", ev.DynamoDB("pets",
			chalicetest.DynamoDBChange{Keys: map[string]any{"id": "1"}, NewImage: map[string]any{"name": "Rex", "n": 2.5, "ok": true, "tags": []any{"a", 1, nil}}},
			chalicetest.DynamoDBChange{Keys: map[string]any{"id": "1"}, NewImage: map[string]any{"name": "Max", "n": 3, "ok": false, "tags": []string{}}, OldImage: map[string]any{"name": "Rex"}},
			chalicetest.DynamoDBChange{Keys: map[string]any{"id": "1"}, OldImage: map[string]any{"name": "Max"}},
			chalicetest.DynamoDBChange{EventName: "MODIFY", Keys: map[string]any{"id": events.NewStringAttribute("2")}},
		), `["INSERT pets 1 new:Rex/2.5/true/3","MODIFY pets 1 new:Max/3/false/0 old:Rex","REMOVE pets 1 old:Max","MODIFY pets 2"]`},
		{"on_commit", ev.CloudWatch("Thing Happened", "my.app", map[string]int{"n": 1}), `{"detail":{"n":1},"resources":[],"source":"my.app","type":"Thing Happened"}`},
		{"on_commit", ev.CloudWatch("Raw", "my.app", []byte(`{"a": [1]}`)), `{"detail":{"a":[1]},"resources":[],"source":"my.app","type":"Raw"}`},
		{"on_commit", ev.CloudWatch("Empty", "my.app", nil), `{"detail":{},"resources":[],"source":"my.app","type":"Empty"}`},
		{"every_hour", ev.Schedule(), `{"detail":{},"resources":["arn:aws:events:us-west-2:123456789012:rule/ct-dev-schedule"],"source":"aws.events","type":"Scheduled Event"}`},
		{"websocket_connect", ev.Websocket("$connect", "conn-1", ""), `{"statusCode":200}`},
		{"websocket_message", ev.Websocket("$default", "conn-1", `{"say":"hi"}`), `{"body":"{\"say\":\"hi\"}","conn":"conn-1","route":"$default","statusCode":200,"type":"MESSAGE"}`},
		{"websocket_disconnect", ev.Websocket("$disconnect", "conn-1", ""), `{"body":"","conn":"conn-1","route":"$disconnect","statusCode":200,"type":"DISCONNECT"}`},
	}
	for _, tt := range tests {
		if got := invoke(t, c, tt.function, tt.payload); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s\npayload %s", tt.function, got, tt.want, tt.payload)
		}
	}
	// The S3 key is URL-encoded in the event, as S3 writes it.
	if s3 := string(ev.S3("b", "a b/c+d.png")); !strings.Contains(s3, `"key":"a+b/c%2Bd.png"`) {
		t.Errorf("S3 key encoding: %s", s3)
	}
}

func TestStageEnvironment(t *testing.T) {
	t.Setenv("CT_TABLE", "outer")
	os.Unsetenv("CT_SHARED")
	os.Unsetenv("CT_AUTH_KEY")
	t.Run("prod", func(t *testing.T) {
		c := chalicetest.New(t, testApp(), chalicetest.Stage("prod"))
		// Between calls: every variable of the stage, api_handler's first.
		if got, want := env(), map[string]any{"CT_TABLE": "prod-api", "CT_SHARED": "s", "CT_AUTH_KEY": "k"}; !reflect.DeepEqual(got, want) {
			t.Errorf("between calls: %v; want %v", got, want)
		}
		// api_handler's own during an HTTP request.
		if s := decode(t, c.HTTP.Get("/")); !reflect.DeepEqual(s.Env, map[string]any{"CT_TABLE": "prod-api", "CT_SHARED": "s", "CT_AUTH_KEY": nil}) {
			t.Errorf("api_handler saw %v", s.Env)
		}
		// report's own: CT_SHARED is not report's, so it is as before the test.
		res, err := c.Lambda.Invoke("report", nil)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Env map[string]any `json:"env"`
		}
		if err := res.JSON(&out); err != nil || !reflect.DeepEqual(out.Env, map[string]any{"CT_TABLE": "prod-report", "CT_SHARED": nil, "CT_AUTH_KEY": nil}) {
			t.Errorf("report saw %v (%v)", out.Env, err)
		}
		// A function without variables sees the environment from before the test.
		if got := invoke(t, c, "on_note", c.Events.SNS("m", "s")); got != `["m","s","outer"]` {
			t.Errorf("on_note: %s", got)
		}
		if got := env()["CT_TABLE"]; got != "prod-api" {
			t.Errorf("after the calls CT_TABLE = %v", got)
		}
	})
	if got, want := env(), map[string]any{"CT_TABLE": "outer", "CT_SHARED": nil, "CT_AUTH_KEY": nil}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the test: %v; want %v", got, want)
	}
	t.Run("dev", func(t *testing.T) {
		c := chalicetest.New(t, testApp())
		if s := decode(t, c.HTTP.Get("/")); s.Env["CT_TABLE"] != "dev" {
			t.Errorf("dev: %v", s.Env)
		}
	})
	if got := os.Getenv("CT_TABLE"); got != "outer" {
		t.Errorf("after dev: CT_TABLE = %q", got)
	}
}

// fatalTB records a Fatal and stops the caller with a panic.
type fatalTB struct {
	testing.TB
	msg string
}

type fatal struct{}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(fatal{})
}

func TestNewFailures(t *testing.T) {
	try := func(app *chalice.App, opts ...chalicetest.Option) (msg string) {
		tb := &fatalTB{TB: t}
		defer func() {
			if p := recover(); p != nil {
				if _, ok := p.(fatal); !ok {
					panic(p)
				}
				msg = tb.msg
			}
		}()
		chalicetest.New(tb, app, opts...)
		return ""
	}
	if msg := try(testApp(), chalicetest.Stage("qa")); msg != `chalicetest: app ct has no stage "qa"; its stages are: dev, prod` {
		t.Errorf("unknown stage: %q", msg)
	}
	bad := chalice.New("bad", chalice.Config{})
	bad.Route(chalice.Route{Path: "/", Method: "GET", Handler: describe, Authorizer: "missing"})
	if msg := try(bad); !strings.Contains(msg, `"missing" is not a builtin authorizer`) {
		t.Errorf("missing authorizer: %q", msg)
	}
	// An app without routes is fine: its HTTP API is empty.
	c := chalicetest.New(t, chalice.New("empty", chalice.Config{}))
	if resp := c.HTTP.Get("/"); resp.StatusCode != 403 {
		t.Errorf("empty app: %d", resp.StatusCode)
	}
}
