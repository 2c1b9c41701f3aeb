package dispatch

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

var pngDot = func() string {
	b, err := base64.StdEncoding.DecodeString(pngDotB64)
	if err != nil {
		panic(err)
	}
	return string(b)
}()

const pngDotB64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

var corsHeaders = []chalice.Header{
	{Name: "Access-Control-Allow-Origin", Value: "*"},
	{Name: "Access-Control-Allow-Headers", Value: "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"},
}

// corsWant is corsHeaders as an expected header map, plus extra.
func corsWant(extra map[string]string) map[string]string {
	m := map[string]string{}
	for _, h := range corsHeaders {
		m[h.Name] = h.Value
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// errorFor returns the error a /errors/{kind} route returns.
func errorFor(kind string) error {
	switch kind {
	case "BadRequestError":
		return &chalice.BadRequestError{Message: "bad"}
	case "UnauthorizedError":
		return &chalice.UnauthorizedError{Message: "who are you"}
	case "ForbiddenError":
		return &chalice.ForbiddenError{Message: "no"}
	case "NotFoundError":
		return &chalice.NotFoundError{Message: "gone"}
	case "MethodNotAllowedError":
		return &chalice.MethodNotAllowedError{Message: "not that"}
	case "RequestTimeoutError":
		return &chalice.RequestTimeoutError{Message: "slow"}
	case "ConflictError":
		return &chalice.ConflictError{Message: "exists"}
	case "UnprocessableEntityError":
		return &chalice.UnprocessableEntityError{Message: "invalid"}
	case "TooManyRequestsError":
		return &chalice.TooManyRequestsError{Message: "slow down"}
	case "ChaliceViewError":
		return &chalice.ChaliceViewError{Message: "view failed"}
	case "wrapped":
		return fmt.Errorf("loading user 42: %w", &chalice.NotFoundError{Message: "no user 42"})
	case "plain":
		return errors.New("database is down")
	case "unhandled":
		return &chalice.ChaliceUnhandledError{Message: "let middleware see this"}
	}
	return nil
}

// sharedResponse is returned by a route to every request: the runtime
// must not modify it.
var sharedResponse = &chalice.Response{Headers: map[string]string{"X-Shared": "1"}, Body: "shared"}

// restApp is the app most REST tests run against.
func restApp() *chalice.App {
	app := chalice.New("testapp", chalice.Config{
		BinaryTypes: append(chalice.DefaultBinaryTypes(), "application/x-custom"),
		Stages:      map[string]chalice.Stage{"dev": {}, "prod": {Debug: true}},
	})
	get := func(path string, h chalice.RouteFunc) {
		app.Route(chalice.Route{Path: path, Method: "GET", Handler: h})
	}
	get("/users/{id}", func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{
			"id":        req.URIParams["id"],
			"path":      req.Path,
			"rawPath":   req.RawPath,
			"method":    req.Method,
			"tag":       req.QueryParams.Get("tag"),
			"tags":      req.QueryParams.GetAll("tag"),
			"custom":    req.Headers.Get("x-custom"),
			"customAll": req.Headers.Values("X-CUSTOM"),
			"host":      req.Headers.Get("HOST"),
			"stage":     req.RequestContext.Stage,
		}, nil
	})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "PUT", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return "put", nil
	}})
	app.Route(chalice.Route{Path: "/users", Method: "POST", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		var v struct {
			Name string `json:"name"`
			Age  int    `json:"age"`
		}
		v.Name = "untouched"
		if err := req.JSONBody(&v); err != nil {
			return nil, err
		}
		return &chalice.Response{StatusCode: 201, Body: map[string]any{
			"name": v.Name, "age": v.Age, "table": req.StageVars["tableName"],
			"principal": req.RequestContext.Authorizer["principalId"],
		}}, nil
	}})
	get("/text", func(ctx context.Context, req *chalice.Request) (any, error) {
		return "héllo <b>&</b> \"quoted\"\n", nil
	})
	get("/unicode", func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"name": "Zoë 😀 <tag> & \u007f\u2028", "n": 1.5}, nil
	})
	get("/nil", func(ctx context.Context, req *chalice.Request) (any, error) { return nil, nil })
	get("/typed-nil", func(ctx context.Context, req *chalice.Request) (any, error) {
		var p *struct{ A int }
		return p, nil
	})
	get("/struct", func(ctx context.Context, req *chalice.Request) (any, error) {
		return struct {
			Zeta  string `json:"zeta"`
			Alpha []int  `json:"alpha"`
		}{"z", []int{1, 2}}, nil
	})
	get("/value-response", func(ctx context.Context, req *chalice.Request) (any, error) {
		return chalice.Response{StatusCode: 202, Headers: map[string]string{"Location": "/x"}, Body: ""}, nil
	})
	get("/multi", func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{
			Headers:           map[string]string{"X-One": "1"},
			MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}},
			Body:              "ok",
		}, nil
	})
	get("/shared", func(ctx context.Context, req *chalice.Request) (any, error) { return sharedResponse, nil })
	get("/errors/{kind}", func(ctx context.Context, req *chalice.Request) (any, error) {
		kind := req.URIParams["kind"]
		switch kind {
		case "panic":
			panic("kaboom")
		case "badheader":
			return &chalice.Response{Headers: map[string]string{"X-Bad": "a\nb"}, Body: "x"}, nil
		case "bytes":
			return &chalice.Response{Body: []byte("raw")}, nil
		case "unencodable":
			return map[string]any{"f": func() {}}, nil
		case "text-binary":
			return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: "not bytes"}, nil
		}
		return nil, errorFor(kind)
	})
	app.Route(chalice.Route{Path: "/images/{name}", Method: "PUT", ContentTypes: []string{"image/png", "image/jpeg"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: req.RawBody}, nil
		}})
	get("/images/{name}", func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: []byte(pngDot)}, nil
	})
	get("/custom-binary-json", func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{Headers: map[string]string{"Content-Type": "application/x-custom"}, Body: []byte("é")}, nil
	})
	app.Route(chalice.Route{Path: "/anything", Method: "POST", ContentTypes: []string{"*/*"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) { return string(req.RawBody), nil }})
	app.Route(chalice.Route{Path: "/cors", Method: "GET", CORS: corsHeaders,
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return &chalice.Response{Headers: map[string]string{"access-control-allow-origin": "https://view.example"}, Body: "cors"}, nil
		}})
	app.Route(chalice.Route{Path: "/cors", Method: "POST", CORS: corsHeaders,
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return nil, &chalice.ConflictError{Message: "taken"}
		}})
	app.Route(chalice.Route{Path: "/cors/{kind}", Method: "GET", CORS: corsHeaders,
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			switch req.URIParams["kind"] {
			case "panic":
				panic("cors panic")
			case "binary":
				return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: []byte(pngDot)}, nil
			case "shared":
				return sharedResponse, nil
			}
			return nil, errors.New("cors plain error")
		}})
	return app
}

func TestREST(t *testing.T) {
	app := restApp()
	tests := []struct {
		name  string
		stage string
		ev    func(t *testing.T) event
		want  proxy
		log   string // a substring of the log, when the case logs
	}{
		{
			name: "path params, multi-value query, case-insensitive headers",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json") },
			want: proxy{Body: `{"custom":"second","customAll":["first","second"],"host":"abcdef1234.execute-api.us-west-2.amazonaws.com","id":"42","method":"GET","path":"/users/{id}","rawPath":"/users/42","stage":"api","tag":"b","tags":["a","b"]}`},
		},
		{
			name: "single-valued maps only",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json")
				delete(ev, "multiValueHeaders")
				delete(ev, "multiValueQueryStringParameters")
				return ev
			},
			want: proxy{Body: `{"custom":"first","customAll":["first"],"host":"abcdef1234.execute-api.us-west-2.amazonaws.com","id":"42","method":"GET","path":"/users/{id}","rawPath":"/users/42","stage":"api","tag":"b","tags":["b"]}`},
		},
		{
			name: "JSON POST",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-post-json.json") },
			want: proxy{StatusCode: 201, Body: `{"age":31,"name":"Zo\u00eb","principal":"user-7","table":"users-dev"}`},
		},
		{
			name: "bad JSON",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-post-json.json").body(`{"name": `) },
			want: proxy{StatusCode: 400, Body: `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`},
		},
		{
			name: "JSON of the wrong shape",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-post-json.json").body(`{"age": "old"}`) },
			want: proxy{StatusCode: 400, Body: `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`},
		},
		{
			name: "empty body with a JSON content type",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-post-json.json")
				ev["body"] = nil
				return ev
			},
			want: proxy{StatusCode: 400, Body: `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`},
		},
		{
			name: "no content type: body not parsed, v untouched",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-post-json.json").header("Content-Type") },
			want: proxy{StatusCode: 201, Body: `{"age":0,"name":"untouched","principal":"user-7","table":"users-dev"}`},
		},
		{
			name: "415 unsupported media type",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-post-json.json").header("Content-Type", "text/plain")
			},
			want: proxy{StatusCode: 415, Body: `{"Code":"UnsupportedMediaType","Message":"Unsupported media type: text/plain"}`},
		},
		{
			name: "content type matching is case-insensitive and split on , and ;",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-put-image.json").header("Content-Type", "text/plain, IMAGE/JPEG; q=1")
			},
			want: proxy{Headers: map[string]string{"Content-Type": "image/png"}, Body: pngDotB64, IsBase64Encoded: true},
		},
		{
			name: "*/* in the request content type matches",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-post-json.json").header("Content-Type", "*/*") },
			want: proxy{StatusCode: 201, Body: `{"age":0,"name":"untouched","principal":"user-7","table":"users-dev"}`},
		},
		{
			name: "*/* in the route's content types matches",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-post-json.json").route("/anything", "POST").header("Content-Type", "text/csv").body("a,b")
			},
			want: proxy{Body: "a,b"},
		},
		{
			name: "405 with Allow",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/users/{id}", "DELETE") },
			want: proxy{StatusCode: 405, Headers: map[string]string{"Allow": "GET, PUT"}, Body: `{"Code":"MethodNotAllowedError","Message":"Unsupported method: DELETE"}`},
		},
		{
			name: "unknown resource path is a 405 with an empty Allow",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/nowhere", "GET") },
			want: proxy{StatusCode: 405, Headers: map[string]string{"Allow": ""}, Body: `{"Code":"MethodNotAllowedError","Message":"Unsupported method: GET"}`},
		},
		{
			name: "405 has no CORS headers",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/cors", "PATCH") },
			want: proxy{StatusCode: 405, Headers: map[string]string{"Allow": "GET, POST"}, Body: `{"Code":"MethodNotAllowedError","Message":"Unsupported method: PATCH"}`},
		},
		{
			name: "no resource path: Unknown request",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json")
				delete(ev, "resource")
				delete(ev.ctx(), "resourcePath")
				return ev
			},
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"Unknown request."}`},
		},
		{
			name: "not an API Gateway event at all",
			ev:   func(t *testing.T) event { return loadEvent(t, "sns.json") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"Unknown request."}`},
		},
		{
			name: "top-level resource when requestContext has no resourcePath",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json")
				delete(ev.ctx(), "resourcePath")
				ev["resource"] = "/text"
				return ev
			},
			want: proxy{Body: "héllo <b>&</b> \"quoted\"\n"},
		},
		{
			name: "string body verbatim",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/text", "GET") },
			want: proxy{Body: "héllo <b>&</b> \"quoted\"\n"},
		},
		{
			name: "JSON body: non-ASCII escaped, no HTML escaping",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/unicode", "GET") },
			want: proxy{Body: `{"n":1.5,"name":"Zo\u00eb \ud83d\ude00 <tag> & \u007f\u2028"}`},
		},
		{
			name: "nil result is an empty body",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/nil", "GET") },
			want: proxy{Body: ""},
		},
		{
			name: "typed nil pointer is JSON null",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/typed-nil", "GET") },
			want: proxy{Body: "null"},
		},
		{
			name: "struct fields in declaration order",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/struct", "GET") },
			want: proxy{Body: `{"zeta":"z","alpha":[1,2]}`},
		},
		{
			name: "Response value",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/value-response", "GET") },
			want: proxy{StatusCode: 202, Headers: map[string]string{"Location": "/x"}},
		},
		{
			name: "multi-value headers",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/multi", "GET") },
			want: proxy{Headers: map[string]string{"X-One": "1"}, MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}}, Body: "ok"},
		},
		{
			name: "wrapped error keeps its status and message",
			ev:   func(t *testing.T) event { return errorsEvent(t, "wrapped") },
			want: proxy{StatusCode: 404, Body: `{"Code":"NotFoundError","Message":"no user 42"}`},
		},
		{
			name: "plain error is a generic 500",
			ev:   func(t *testing.T) event { return errorsEvent(t, "plain") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "testapp - ERROR - Caught exception for path /errors/{kind}\ndatabase is down\n",
		},
		{
			name:  "plain error with debug",
			stage: "prod",
			ev:    func(t *testing.T) event { return errorsEvent(t, "plain") },
			want:  proxy{StatusCode: 500, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "database is down"},
		},
		{
			name: "panic is a generic 500",
			ev:   func(t *testing.T) event { return errorsEvent(t, "panic") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "testapp - ERROR - Caught exception for path /errors/{kind}\npanic: kaboom\n\ngoroutine ",
		},
		{
			name:  "panic with debug: the panic and its stack as text",
			stage: "prod",
			ev:    func(t *testing.T) event { return errorsEvent(t, "panic") },
			want:  proxy{StatusCode: 500, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "panic: kaboom\n\ngoroutine"},
		},
		{
			name: "unhandled error without middleware is a generic 500",
			ev:   func(t *testing.T) event { return errorsEvent(t, "unhandled") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "let middleware see this",
		},
		{
			name: "header value with a newline is a 500",
			ev:   func(t *testing.T) event { return errorsEvent(t, "badheader") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  `Bad value for header "X-Bad": "a\nb"`,
		},
		{
			name: "[]byte body without a binary content type is a 500",
			ev:   func(t *testing.T) event { return errorsEvent(t, "bytes") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  `response body is []byte but its Content-Type is not one of the app's binary types (Content-Type ""): set a binary Content-Type, or return a string`,
		},
		{
			name: "body that does not encode as JSON is a 500",
			ev:   func(t *testing.T) event { return errorsEvent(t, "unencodable") },
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "encoding the response body as JSON: json: unsupported type: func()",
		},
		{
			name: "binary upload and download",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-put-image.json") },
			want: proxy{Headers: map[string]string{"Content-Type": "image/png"}, Body: pngDotB64, IsBase64Encoded: true},
		},
		{
			name: "binary download with a matching Accept",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-get-user.json").route("/images/{name}", "GET").header("Accept", "text/html, image/png;q=0.9")
			},
			want: proxy{Headers: map[string]string{"Content-Type": "image/png"}, Body: pngDotB64, IsBase64Encoded: true},
		},
		{
			name: "binary download with Accept */*",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-get-user.json").route("/images/{name}", "GET").header("Accept", "*/*")
			},
			want: proxy{Headers: map[string]string{"Content-Type": "image/png"}, Body: pngDotB64, IsBase64Encoded: true},
		},
		{
			name: "binary download with a non-binary Accept",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/images/{name}", "GET") },
			want: proxy{StatusCode: 400, Body: `{"Code":"BadRequest","Message":"Request did not specify an Accept header with image/png, The response has a Content-Type of image/png. If a response has a binary Content-Type then the request must specify an Accept header that matches."}`},
		},
		{
			name: "binary download without Accept",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-get-user.json").route("/images/{name}", "GET").header("Accept")
			},
			want: proxy{StatusCode: 400, Body: `{"Code":"BadRequest","Message":"Request did not specify an Accept header with image/png, The response has a Content-Type of image/png. If a response has a binary Content-Type then the request must specify an Accept header that matches."}`},
		},
		{
			name: "app binary type",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-get-user.json").route("/custom-binary-json", "GET").header("Accept", "application/x-custom")
			},
			want: proxy{Headers: map[string]string{"Content-Type": "application/x-custom"}, Body: "w6k=", IsBase64Encoded: true},
		},
		{
			name: "CORS headers added, the view's own wins",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/cors", "GET") },
			want: proxy{Headers: map[string]string{
				"access-control-allow-origin":  "https://view.example",
				"Access-Control-Allow-Headers": corsHeaders[1].Value,
			}, Body: "cors"},
		},
		{
			name: "CORS on a view error",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-post-json.json").route("/cors", "POST") },
			want: proxy{StatusCode: 409, Headers: corsWant(nil), Body: `{"Code":"ConflictError","Message":"taken"}`},
		},
		{
			name: "CORS on a 415",
			ev: func(t *testing.T) event {
				return loadEvent(t, "apigw-post-json.json").route("/cors", "POST").header("Content-Type", "text/xml")
			},
			want: proxy{StatusCode: 415, Headers: corsWant(nil), Body: `{"Code":"UnsupportedMediaType","Message":"Unsupported media type: text/xml"}`},
		},
		{
			name: "CORS on an unhandled error",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json").route("/cors/{kind}", "GET")
				ev["pathParameters"] = map[string]any{"kind": "plain"}
				return ev
			},
			want: proxy{StatusCode: 500, Headers: corsWant(nil), Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "cors plain error",
		},
		{
			name:  "CORS on a panic, with debug",
			stage: "prod",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json").route("/cors/{kind}", "GET")
				ev["pathParameters"] = map[string]any{"kind": "panic"}
				return ev
			},
			want: proxy{StatusCode: 500, Headers: corsWant(map[string]string{"Content-Type": "text/plain"}), Body: "panic: cors panic\n\ngoroutine"},
		},
		{
			name: "CORS on the binary 400",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json").route("/cors/{kind}", "GET")
				ev["pathParameters"] = map[string]any{"kind": "binary"}
				return ev
			},
			want: proxy{StatusCode: 400, Headers: corsWant(nil), Body: `{"Code":"BadRequest","Message":"Request did not specify an Accept header with image/png, The response has a Content-Type of image/png. If a response has a binary Content-Type then the request must specify an Accept header that matches."}`},
		},
		{
			name: "CORS on a shared response copies it",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-get-user.json").route("/cors/{kind}", "GET")
				ev["pathParameters"] = map[string]any{"kind": "shared"}
				return ev
			},
			want: proxy{Headers: corsWant(map[string]string{"X-Shared": "1"}), Body: "shared"},
		},
		{
			name: "shared response unchanged",
			ev:   func(t *testing.T) event { return loadEvent(t, "apigw-get-user.json").route("/shared", "GET") },
			want: proxy{Headers: map[string]string{"X-Shared": "1"}, Body: "shared"},
		},
		{
			name: "invalid base64 body is a 500",
			ev: func(t *testing.T) event {
				ev := loadEvent(t, "apigw-put-image.json")
				ev["body"] = "%%%not base64"
				return ev
			},
			want: proxy{StatusCode: 500, Body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
			log:  "decoding the base64 request body: illegal base64 data",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs := captureLog(t)
			var opts []Option
			if tc.stage != "" {
				opts = append(opts, Stage(tc.stage))
			}
			h := mustHandler(t, app, APIHandler, opts...)
			got := invoke(t, h, tc.ev(t).payload(t))
			want := tc.want.String()
			if strings.HasSuffix(tc.want.Body, "goroutine") {
				// A stack follows: compare up to it.
				want = strings.TrimSuffix(want, `"}`)
				if len(got) > len(want) {
					got = got[:len(want)]
				}
			}
			assertEqual(t, "response", got, want)
			if tc.log != "" && !strings.Contains(logs.String(), tc.log) {
				t.Errorf("log does not contain %q:\n%s", tc.log, logs)
			}
			if tc.log == "" && tc.stage == "" && logs.Len() > 0 && tc.want.StatusCode != 400 {
				t.Errorf("unexpected log:\n%s", logs)
			}
		})
	}
	if sharedResponse.Headers["Access-Control-Allow-Origin"] != "" || len(sharedResponse.Headers) != 1 {
		t.Errorf("the runtime modified a route's shared response: %v", sharedResponse.Headers)
	}
}

func errorsEvent(t *testing.T, kind string) event {
	ev := loadEvent(t, "apigw-get-user.json").route("/errors/{kind}", "GET")
	ev["pathParameters"] = map[string]any{"kind": kind}
	return ev
}

// Every built-in error's status and body.
func TestRESTErrorTypes(t *testing.T) {
	h := mustHandler(t, restApp(), APIHandler)
	for _, tc := range []struct {
		code   string
		status int
		msg    string
	}{
		{"BadRequestError", 400, "bad"},
		{"UnauthorizedError", 401, "who are you"},
		{"ForbiddenError", 403, "no"},
		{"NotFoundError", 404, "gone"},
		{"MethodNotAllowedError", 405, "not that"},
		{"RequestTimeoutError", 408, "slow"},
		{"ConflictError", 409, "exists"},
		{"UnprocessableEntityError", 422, "invalid"},
		{"TooManyRequestsError", 429, "slow down"},
		{"ChaliceViewError", 500, "view failed"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			got := invoke(t, h, errorsEvent(t, tc.code).payload(t))
			want := proxy{StatusCode: tc.status, Body: fmt.Sprintf(`{"Code":%q,"Message":%q}`, tc.code, tc.msg)}
			assertEqual(t, "response", got, want.String())
		})
	}
}

// A text body with a non-JSON binary Content-Type fails the invocation,
// as Chalice's ValueError does.
func TestRESTTextBodyWithBinaryType(t *testing.T) {
	captureLog(t)
	h := mustHandler(t, restApp(), APIHandler)
	ev := errorsEvent(t, "text-binary").header("Accept", "image/png")
	_, err := h.Invoke(context.Background(), ev.payload(t))
	if err == nil || !strings.Contains(err.Error(), `response body must be []byte for a binary Content-Type (Content-Type "image/png"), got string`) {
		t.Fatalf("err = %v", err)
	}
}

// JSON bodies with application/json as a binary type are base64 of the
// ASCII-escaped JSON.
func TestRESTJSONAsBinary(t *testing.T) {
	app := chalice.New("testapp", chalice.Config{BinaryTypes: []string{"application/json"}})
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{Headers: map[string]string{"Content-Type": "application/json"}, Body: map[string]string{"k": "é😀"}}, nil
	}})
	h := mustHandler(t, app, APIHandler)
	ev := loadEvent(t, "apigw-get-user.json").route("/", "GET")
	got := invoke(t, h, ev.payload(t))
	// base64 of {"k":"\u00e9\ud83d\ude00"}
	want := proxy{Headers: map[string]string{"Content-Type": "application/json"}, Body: "eyJrIjoiXHUwMGU5XHVkODNkXHVkZTAwIn0=", IsBase64Encoded: true}
	assertEqual(t, "response", got, want.String())
}

func TestRESTMalformedEvent(t *testing.T) {
	h := mustHandler(t, restApp(), APIHandler)
	if _, err := h.Invoke(context.Background(), []byte(`{"headers": 7}`)); err == nil {
		t.Fatal("no error for a malformed event")
	}
}
