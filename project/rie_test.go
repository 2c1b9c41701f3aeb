package project

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/rie"
)

// The tests in this file run the petstore example's real deployment
// package (project.Check + project.Package, as `chalc package` does)
// under the Lambda Runtime Interface Emulator, sending API Gateway REST
// proxy events as API Gateway sends them. They are skipped when the
// emulator is not installed (`make tools`), unless CHALC_REQUIRE_RIE=1.

// riePackaged is an example app's packaged output for the dev stage.
type riePackaged struct {
	zip    []byte
	goarch string
	// functions maps each Lambda function's Handler property (what
	// Lambda puts in _HANDLER) to its environment, as the template
	// declares them.
	functions map[string][]string
}

var (
	riePackagesMu sync.Mutex
	riePackages   = map[string]*riePackaged{}
)

// riePackage packages testdata/apps/<app> once per test binary: a cold
// build takes ~20 s, later ones come from the go build cache. app may
// name a stage, "<app>@<stage>" (default dev).
func riePackage(app string) (*riePackaged, error) {
	riePackagesMu.Lock()
	defer riePackagesMu.Unlock()
	if p, ok := riePackages[app]; ok {
		return p, nil
	}
	key := app
	app, stage, _ := strings.Cut(app, "@")
	tmp, err := os.MkdirTemp("", "chalc-rie-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	opts := Options{Dir: filepath.Join("..", "testdata", "apps", app), Stage: stage, CacheDir: filepath.Join(tmp, "cache")}
	c, err := Check(opts)
	if err != nil {
		return nil, err
	}
	if c.Diagnostics.HasErrors() {
		var b strings.Builder
		diag.Fprint(&b, c.Sources(), c.Diagnostics)
		return nil, fmt.Errorf("%s has errors:\n%s", app, b.String())
	}
	p, err := Package(context.Background(), c, PackageOptions{Out: filepath.Join(tmp, "out")}, opts)
	if err != nil {
		return nil, fmt.Errorf("packaging %s: %w", app, err)
	}
	out := &riePackaged{zip: p.Zip, goarch: "amd64", functions: map[string][]string{}}
	if c.App.Stage.Architecture.V == "arm64" {
		out.goarch = "arm64"
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Handler     string
				Environment struct{ Variables map[string]string }
			}
		}
	}
	if err := json.Unmarshal(p.Template, &tmpl); err != nil {
		return nil, fmt.Errorf("reading the template: %w", err)
	}
	for _, r := range tmpl.Resources {
		if r.Type != "AWS::Serverless::Function" {
			continue
		}
		env := []string{}
		for k, v := range r.Properties.Environment.Variables {
			env = append(env, k+"="+v)
		}
		slices.Sort(env)
		out.functions[r.Properties.Handler] = env
	}
	riePackages[key] = out
	return out, nil
}

func riePetstore() (*riePackaged, error) { return riePackage("petstore") }

// rieBareBinary builds testdata/bare (aws-lambda-go alone) once, for
// petstore's architecture, with the flags chalc's build uses.
var rieBareBinary = sync.OnceValues(func() ([]byte, error) {
	ps, err := riePetstore()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "chalc-bare-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "bootstrap")
	cmd := exec.Command("go", "build", "-o", out,
		"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags", "-s -w -buildid=", ".")
	cmd.Dir = "../testdata/bare"
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+ps.goarch, "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building testdata/bare: %v\n%s", err, b)
	}
	return os.ReadFile(out)
})

func rieMustPetstore(t testing.TB) *riePackaged {
	t.Helper()
	ps, err := riePetstore()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// riePetstoreBootstrap returns petstore's bootstrap, extracted from its
// deployment.zip, and the environment the template gives the function
// whose Handler is handler. It skips when the emulator is missing or
// cannot run the bootstrap's architecture.
func riePetstoreBootstrap(t testing.TB, handler string) (bootstrap string, env []string) {
	t.Helper()
	rie.Require(t) // before the build: skip fast
	ps := rieMustPetstore(t)
	rieCanRun(t, ps.goarch)
	env, ok := ps.functions[handler]
	if !ok {
		t.Fatalf("the template has no function with Handler %q (it has %v)", handler, slices.Sorted(maps.Keys(ps.functions)))
	}
	return rie.ExtractBootstrap(t, ps.zip), env
}

func rieCanRun(t testing.TB, goarch string) {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != goarch {
		t.Skipf("the bootstrap is linux/%s; this machine is %s/%s", goarch, runtime.GOOS, runtime.GOARCH)
	}
}

// rieRequest is one request as API Gateway's REST API hands it to a
// Lambda proxy integration; event renders it.
type rieRequest struct {
	Method string
	// Resource is the matched resource template (/pets/{pet_id}); ""
	// leaves resource and requestContext.resourcePath out.
	Resource   string
	Path       string            // the concrete path (/pets/1)
	PathParams map[string]string // nil: pathParameters is null
	Query      [][2]string       // in order; repeated names allowed
	Headers    [][2]string       // in order; repeated names allowed
	Body       []byte            // nil: body is null
	Base64     bool              // isBase64Encoded (Body is sent encoded)
	// RawBody, when set, is sent as the body as it is (e.g. invalid
	// base64 with Base64).
	RawBody string
}

// event renders r in the REST API (v1) proxy shape: headers holds the
// last value of each header and multiValueHeaders all of them (the
// same for the query string), null where API Gateway sends null, and a
// requestContext with the matched resourcePath and the stage.
func (r rieRequest) event() []byte {
	single := func(kvs [][2]string) (any, any) {
		if len(kvs) == 0 {
			return nil, nil
		}
		s, m := map[string]string{}, map[string][]string{}
		for _, kv := range kvs {
			s[kv[0]] = kv[1]
			m[kv[0]] = append(m[kv[0]], kv[1])
		}
		return s, m
	}
	headers := append([][2]string{
		{"Host", "abcdef1234.execute-api.us-east-1.amazonaws.com"},
		{"User-Agent", "chalc-rie-test/1.0"},
		{"X-Amzn-Trace-Id", "Root=1-67a0b1c2-0123456789abcdef01234567"},
		{"X-Forwarded-For", "203.0.113.7"},
		{"X-Forwarded-Port", "443"},
		{"X-Forwarded-Proto", "https"},
	}, r.Headers...)
	h, mh := single(headers)
	q, mq := single(r.Query)
	var pathParams any
	if r.PathParams != nil {
		pathParams = r.PathParams
	}
	var body any
	if r.RawBody != "" {
		body = r.RawBody
	} else if r.Body != nil {
		if r.Base64 {
			body = base64.StdEncoding.EncodeToString(r.Body)
		} else {
			body = string(r.Body)
		}
	}
	rc := map[string]any{
		"resourceId":        "t8lw2m",
		"httpMethod":        r.Method,
		"extendedRequestId": "UtsQeFVFvHcEZbA=",
		"requestTime":       "15/Mar/2026:01:41:06 +0000",
		"path":              "/api" + r.Path,
		"accountId":         "123456789012",
		"protocol":          "HTTP/1.1",
		"stage":             "api",
		"domainPrefix":      "abcdef1234",
		"requestTimeEpoch":  1773538866123,
		"requestId":         "7d4c4b0a-5f6e-4f3c-9c1e-2a1b3c4d5e6f",
		"identity": map[string]any{
			"cognitoIdentityPoolId": nil, "accountId": nil, "cognitoIdentityId": nil, "caller": nil,
			"sourceIp": "203.0.113.7", "principalOrgId": nil, "accessKey": nil,
			"cognitoAuthenticationType": nil, "cognitoAuthenticationProvider": nil,
			"userArn": nil, "userAgent": "chalc-rie-test/1.0", "user": nil,
		},
		"domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
		"apiId":      "abcdef1234",
	}
	ev := map[string]any{
		"path":                            r.Path,
		"httpMethod":                      r.Method,
		"headers":                         h,
		"multiValueHeaders":               mh,
		"queryStringParameters":           q,
		"multiValueQueryStringParameters": mq,
		"pathParameters":                  pathParams,
		"stageVariables":                  nil,
		"requestContext":                  rc,
		"body":                            body,
		"isBase64Encoded":                 r.Base64,
	}
	if r.Resource != "" {
		ev["resource"] = r.Resource
		rc["resourcePath"] = r.Resource
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return b
}

// rieProxyResponse is a Lambda proxy response; Body is decoded from base64
// when isBase64Encoded is true.
type rieProxyResponse struct {
	StatusCode        int
	Headers           map[string]string
	MultiValueHeaders map[string][]string
	Body              string
	IsBase64Encoded   bool
}

// rieDecodeProxy decodes a proxy response strictly, in Chalice's shape:
// exactly headers, multiValueHeaders (both objects), statusCode and body,
// plus isBase64Encoded (true) for a binary body.
func rieDecodeProxy(b []byte) (rieProxyResponse, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return rieProxyResponse{}, fmt.Errorf("not a JSON object: %v", err)
	}
	keys := slices.Sorted(maps.Keys(raw))
	want := []string{"body", "headers", "multiValueHeaders", "statusCode"}
	if _, ok := raw["isBase64Encoded"]; ok {
		want = []string{"body", "headers", "isBase64Encoded", "multiValueHeaders", "statusCode"}
	}
	if !slices.Equal(keys, want) {
		return rieProxyResponse{}, fmt.Errorf("keys %v, want %v", keys, want)
	}
	for _, k := range []string{"headers", "multiValueHeaders"} {
		if !bytes.HasPrefix(raw[k], []byte("{")) {
			return rieProxyResponse{}, fmt.Errorf("%s is %s, want an object", k, raw[k])
		}
	}
	var r rieProxyResponse
	errs := []error{
		json.Unmarshal(raw["statusCode"], &r.StatusCode),
		json.Unmarshal(raw["headers"], &r.Headers),
		json.Unmarshal(raw["multiValueHeaders"], &r.MultiValueHeaders),
		json.Unmarshal(raw["body"], &r.Body),
	}
	if v, ok := raw["isBase64Encoded"]; ok {
		errs = append(errs, json.Unmarshal(v, &r.IsBase64Encoded))
		if !r.IsBase64Encoded {
			errs = append(errs, errors.New(`"isBase64Encoded": false (Chalice writes it only when true)`))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return rieProxyResponse{}, err
	}
	if r.IsBase64Encoded {
		d, err := base64.StdEncoding.DecodeString(r.Body)
		if err != nil {
			return rieProxyResponse{}, fmt.Errorf("isBase64Encoded body: %v", err)
		}
		r.Body = string(d)
	}
	return r, nil
}

// The CORS headers of `cors: true` (Chalice's default CORSConfig).
var rieCORSHeaders = map[string]string{
	"Access-Control-Allow-Origin":  "*",
	"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key",
}

func rieErrBody(code, msg string) string {
	b, _ := json.Marshal(map[string]string{"Code": code, "Message": msg})
	return string(b)
}

const rieInternalError = `{"Code":"InternalServerError","Message":"An internal server error occurred."}`

// riePNG is a small binary body: a PNG signature and bytes that are not
// UTF-8.
var riePNG = []byte("\x89PNG\r\n\x1a\n\x00\xff\x10\x80")

type rieAPICase struct {
	name string
	req  rieRequest
	want rieProxyResponse // nil maps mean {}
	// log, when set, must appear in the emulator's output (the app log
	// on stdout).
	log string
}

func riePetReq(method, petID string, hs ...[2]string) rieRequest {
	return rieRequest{Method: method, Resource: "/pets/{pet_id}", Path: "/pets/" + petID,
		PathParams: map[string]string{"pet_id": petID}, Headers: hs}
}

func rieWithBody(r rieRequest, contentType, body string) rieRequest {
	if contentType != "" {
		r.Headers = append(r.Headers, [2]string{"Content-Type", contentType})
	}
	r.Body = []byte(body)
	return r
}

func riePhotoReq(method string, hs ...[2]string) rieRequest {
	return rieRequest{Method: method, Resource: "/pets/{pet_id}/photo", Path: "/pets/1/photo",
		PathParams: map[string]string{"pet_id": "1"}, Headers: hs}
}

func riePetsReq(method string, query ...[2]string) rieRequest {
	return rieRequest{Method: method, Resource: "/pets", Path: "/pets", Query: query}
}

// rieAPICases run in order against one api_handler process: the POSTs,
// PUTs and DELETEs change the store the later GETs see.
func rieAPICases() []rieAPICase {
	binary400 := "Request did not specify an Accept header with image/png, The response has a Content-Type of image/png. " +
		"If a response has a binary Content-Type then the request must specify an Accept header that matches."
	cases := []rieAPICase{
		{name: "index sees the template's environment",
			req:  rieRequest{Method: "GET", Resource: "/", Path: "/"},
			want: rieProxyResponse{StatusCode: 200, Body: `{"store":"Friendly Pets","table":"pets-dev"}`}},
		{name: "path parameter",
			req:  riePetReq("GET", "1", [2]string{"Accept", "application/json"}),
			want: rieProxyResponse{StatusCode: 200, Body: `{"id":"1","name":"Rex","kind":"dog"}`}},
		{name: "NotFoundError 404",
			req:  riePetReq("GET", "99"),
			want: rieProxyResponse{StatusCode: 404, Body: rieErrBody("NotFoundError", "no pet 99")}},
		{name: "list without a query string",
			req:  riePetsReq("GET"),
			want: rieProxyResponse{StatusCode: 200, Body: `[{"id":"1","name":"Rex","kind":"dog"}]`}},
		{name: "JSON POST is 201 with Location",
			req:  rieWithBody(riePetsReq("POST"), "application/json", `{"id":"2","name":"Tom","kind":"cat"}`),
			want: rieProxyResponse{StatusCode: 201, Headers: map[string]string{"Location": "/pets/2"}, Body: `{"id":"2","name":"Tom","kind":"cat"}`}},
		{name: "JSON POST with a charset; non-ASCII escaped as Python's ensure_ascii",
			req:  rieWithBody(riePetsReq("POST"), "application/json; charset=utf-8", `{"id":"3","name":"Zoë","kind":"cat"}`),
			want: rieProxyResponse{StatusCode: 201, Headers: map[string]string{"Location": "/pets/3"}, Body: `{"id":"3","name":"Zo\u00eb","kind":"cat"}`}},
		{name: "ConflictError 409",
			req:  rieWithBody(riePetsReq("POST"), "application/json", `{"id":"2","name":"Tom","kind":"cat"}`),
			want: rieProxyResponse{StatusCode: 409, Body: rieErrBody("ConflictError", "pet 2 exists")}},
		{name: "bad JSON is 400 Error Parsing JSON",
			req:  rieWithBody(riePetsReq("POST"), "application/json", `{"id":`),
			want: rieProxyResponse{StatusCode: 400, Body: rieErrBody("BadRequestError", "Error Parsing JSON")}},
		{name: "BadRequestError 400 from the handler",
			req:  rieWithBody(riePetsReq("POST"), "application/json", `{"name":"Nameless"}`),
			want: rieProxyResponse{StatusCode: 400, Body: rieErrBody("BadRequestError", "id and name are required")}},
		{name: "no Content-Type: the route accepts it (application/json) but the body is not parsed",
			req:  rieWithBody(riePetsReq("POST"), "", `{"id":"4","name":"Ghost","kind":"cat"}`),
			want: rieProxyResponse{StatusCode: 400, Body: rieErrBody("BadRequestError", "id and name are required")}},
		{name: "wrong Content-Type is 415, no CORS on a route without CORS",
			req:  rieWithBody(riePetsReq("POST"), "text/plain", `{"id":"5"}`),
			want: rieProxyResponse{StatusCode: 415, Body: rieErrBody("UnsupportedMediaType", "Unsupported media type: text/plain")}},
		{name: "query string",
			req:  riePetsReq("GET", [2]string{"kind", "dog"}),
			want: rieProxyResponse{StatusCode: 200, Body: `[{"id":"1","name":"Rex","kind":"dog"}]`}},
		{name: "multi-valued query string: the last value wins",
			req:  riePetsReq("GET", [2]string{"kind", "dog"}, [2]string{"kind", "cat"}),
			want: rieProxyResponse{StatusCode: 200, Body: `[{"id":"2","name":"Tom","kind":"cat"},{"id":"3","name":"Zo\u00eb","kind":"cat"}]`}},
		{name: "CORS route adds its headers",
			req:  rieWithBody(riePetReq("PUT", "3"), "application/json", `{"name":"Zoe","kind":"cat"}`),
			want: rieProxyResponse{StatusCode: 200, Headers: rieCORSHeaders, Body: `{"id":"3","name":"Zoe","kind":"cat"}`}},
		{name: "CORS route: 415 gets the CORS headers too",
			req:  rieWithBody(riePetReq("PUT", "3"), "text/xml", `<pet/>`),
			want: rieProxyResponse{StatusCode: 415, Headers: rieCORSHeaders, Body: rieErrBody("UnsupportedMediaType", "Unsupported media type: text/xml")}},
		{name: "CORS route: a view error gets the CORS headers",
			req:  rieWithBody(riePetReq("PUT", "3"), "application/json", `{"name":`),
			want: rieProxyResponse{StatusCode: 400, Headers: rieCORSHeaders, Body: rieErrBody("BadRequestError", "Error Parsing JSON")}},
		{name: "CORS route: an unhandled 500 (invalid base64 body) gets the CORS headers",
			req: func() rieRequest {
				r := riePetReq("PUT", "3", [2]string{"Content-Type", "application/json"})
				r.Base64, r.RawBody = true, "not base64!"
				return r
			}(),
			want: rieProxyResponse{StatusCode: 500, Headers: rieCORSHeaders, Body: rieInternalError}},
		{name: "JSON POST sent base64-encoded (binary media type */* on the API)",
			req: func() rieRequest {
				r := rieWithBody(riePetsReq("POST"), "application/json", `{"id":"4","name":"Tweety","kind":"bird"}`)
				r.Base64 = true
				return r
			}(),
			want: rieProxyResponse{StatusCode: 201, Headers: map[string]string{"Location": "/pets/4"}, Body: `{"id":"4","name":"Tweety","kind":"bird"}`}},
		{name: "wrapped NotFoundError keeps 404 and its own message (with CORS)",
			req:  riePetReq("DELETE", "99"),
			want: rieProxyResponse{StatusCode: 404, Headers: rieCORSHeaders, Body: rieErrBody("NotFoundError", "no pet 99")}},
		{name: "DELETE returning only nil is an empty 200",
			req:  riePetReq("DELETE", "3"),
			want: rieProxyResponse{StatusCode: 200, Headers: rieCORSHeaders, Body: ""}},
		{name: "binary upload (isBase64Encoded)",
			req:  rieRequest{Method: "PUT", Resource: "/pets/{pet_id}/photo", Path: "/pets/1/photo", PathParams: map[string]string{"pet_id": "1"}, Headers: [][2]string{{"Content-Type", "image/png"}}, Body: riePNG, Base64: true},
			want: rieProxyResponse{StatusCode: 200, Body: fmt.Sprintf(`{"bytes":%d,"pet":"1"}`, len(riePNG))}},
		{name: "binary upload with invalid base64 is a 500",
			req: func() rieRequest {
				r := riePhotoReq("PUT", [2]string{"Content-Type", "image/jpeg"})
				r.Base64, r.RawBody = true, "not base64!"
				return r
			}(),
			want: rieProxyResponse{StatusCode: 500, Body: rieInternalError}},
		{name: "binary upload with a JSON Content-Type is 415",
			req:  rieWithBody(riePhotoReq("PUT"), "application/json", `{}`),
			want: rieProxyResponse{StatusCode: 415, Body: rieErrBody("UnsupportedMediaType", "Unsupported media type: application/json")}},
		{name: "binary download with Accept: image/png",
			req:  riePhotoReq("GET", [2]string{"Accept", "image/png"}),
			want: rieProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/png"}, Body: "\x89PNG\r\n\x1a\n1", IsBase64Encoded: true}},
		{name: "binary download with a browser's Accept (*/*)",
			req:  riePhotoReq("GET", [2]string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}),
			want: rieProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/png"}, Body: "\x89PNG\r\n\x1a\n1", IsBase64Encoded: true}},
		{name: "binary download: Accept sent twice, the last value decides",
			req:  riePhotoReq("GET", [2]string{"Accept", "image/png"}, [2]string{"Accept", "application/json"}),
			want: rieProxyResponse{StatusCode: 400, Body: rieErrBody("BadRequest", binary400)}},
		{name: "binary download without Accept is 400",
			req:  riePhotoReq("GET"),
			want: rieProxyResponse{StatusCode: 400, Body: rieErrBody("BadRequest", binary400)}},
		{name: "text/plain POST (lower-case header name, charset)",
			req: rieRequest{Method: "POST", Resource: "/echo", Path: "/echo",
				Headers: [][2]string{{"content-type", "text/plain; charset=utf-8"}}, Body: []byte("héllo, pets")},
			want: rieProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "HÉLLO, PETS"}},
		{name: "unexpected error is a generic 500, logged to stdout",
			req:  rieRequest{Method: "GET", Resource: "/boom", Path: "/boom"},
			want: rieProxyResponse{StatusCode: 500, Body: rieInternalError},
			log:  "petstore - ERROR - Caught exception for path /boom\nthe database is on fire\n"},
		{name: "unknown resource is 405 with an empty Allow",
			req:  rieRequest{Method: "GET", Resource: "/nope", Path: "/nope"},
			want: rieProxyResponse{StatusCode: 405, Headers: map[string]string{"Allow": ""}, Body: rieErrBody("MethodNotAllowedError", "Unsupported method: GET")}},
		{name: "unregistered method is 405 with Allow",
			req:  riePetReq("PATCH", "1"),
			want: rieProxyResponse{StatusCode: 405, Headers: map[string]string{"Allow": "GET, PUT, DELETE"}, Body: rieErrBody("MethodNotAllowedError", "Unsupported method: PATCH")}},
		{name: "no resourcePath is 500 Unknown request",
			req:  rieRequest{Method: "GET", Path: "/pets"},
			want: rieProxyResponse{StatusCode: 500, Body: rieErrBody("InternalServerError", "Unknown request.")}},
	}
	// Every chalice error type, raised by a handler.
	for _, e := range []struct {
		status int
		code   string
	}{
		{400, "BadRequestError"}, {401, "UnauthorizedError"}, {403, "ForbiddenError"},
		{404, "NotFoundError"}, {405, "MethodNotAllowedError"}, {408, "RequestTimeoutError"},
		{409, "ConflictError"}, {422, "UnprocessableEntityError"}, {429, "TooManyRequestsError"},
		{500, "ChaliceViewError"},
	} {
		code := fmt.Sprint(e.status)
		cases = append(cases, rieAPICase{
			name: fmt.Sprintf("%s %d", e.code, e.status),
			req: rieRequest{Method: "GET", Resource: "/errors/{code}", Path: "/errors/" + code,
				PathParams: map[string]string{"code": code}},
			want: rieProxyResponse{StatusCode: e.status, Body: rieErrBody(e.code, "raised "+code)},
		})
	}
	return cases
}

// TestRIEAPIHandler sends API Gateway proxy events to petstore's
// api_handler and checks each response exactly.
func TestRIEAPIHandler(t *testing.T) {
	bootstrap, env := riePetstoreBootstrap(t, "api_handler")
	e := rie.Start(t, bootstrap, "api_handler", env...)
	for _, c := range rieAPICases() {
		if t.Failed() {
			break // the store's state is shared: stop at the first failure
		}
		t.Run(c.name, func(t *testing.T) {
			status, body, err := e.Invoke(c.req.event())
			if err != nil {
				t.Fatal(err)
			}
			if status != 200 {
				t.Fatalf("emulator status %d: %s", status, body)
			}
			got, err := rieDecodeProxy(body)
			if err != nil {
				t.Fatalf("bad proxy response: %v\n%s", err, body)
			}
			want := c.want
			if want.Headers == nil {
				want.Headers = map[string]string{}
			}
			if want.MultiValueHeaders == nil {
				want.MultiValueHeaders = map[string][]string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("event:\n%s\nresponse:\n%s\ngot  %#v\nwant %#v", c.req.event(), body, got, want)
			}
			if c.log != "" {
				rieWaitOutput(t, e, c.log)
			}
		})
	}
}

// rieWaitOutput waits for s in the emulator's output: the bootstrap's
// stdout reaches it through the emulator, not in step with the reply.
func rieWaitOutput(t *testing.T, e *rie.Emulator, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.Output(), s) {
		if time.Now().After(deadline) {
			t.Errorf("the output lacks %q:\n%s", s, e.Output())
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRIEReport invokes petstore's pure function with JSON payloads.
func TestRIEReport(t *testing.T) {
	bootstrap, env := riePetstoreBootstrap(t, "report")
	e := rie.Start(t, bootstrap, "report", env...)
	for _, c := range []struct{ name, payload, want string }{
		{"kinds", `{"kinds":["dog","cat"]}`, `{"cat":0,"dog":1}`},
		{"no kinds counts all", `{}`, `{"dog":1}`},
		{"payload of the wrong type is a Lambda error", `{"kinds":"dog"}`,
			`{"errorMessage":"json: cannot unmarshal string into Go struct field ReportInput.kinds of type []string","errorType":"UnmarshalTypeError"}`},
		{"still serving after an error", `{"kinds":["bird"]}`, `{"bird":0}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body, err := e.Invoke([]byte(c.payload))
			if err != nil {
				t.Fatal(err)
			}
			if status != 200 || string(body) != c.want {
				t.Errorf("payload %s: status %d, body\n%s\nwant\n%s", c.payload, status, body, c.want)
			}
		})
	}
}

// TestRIEUnknownFunction: a _HANDLER the app does not have stops the
// bootstrap at start, with the reason on stderr.
func TestRIEUnknownFunction(t *testing.T) {
	bootstrap, env := riePetstoreBootstrap(t, "api_handler")
	e := rie.Start(t, bootstrap, "nope", env...)
	status, body, err := e.Invoke([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if status == 200 && !bytes.Contains(body, []byte("errorType")) {
		t.Errorf("invoking an unknown function succeeded: %d %s", status, body)
	}
	rieWaitOutput(t, e, `chalc runtime: dispatch: app petstore has no function "nope"; its functions are: api_handler, report`)
	t.Logf("emulator answered %d: %s", status, body)
}

// TestZipSize: chalc's deployment package stays within 1.5× a bare
// aws-lambda-go function zipped the same way.
func TestZipSize(t *testing.T) {
	ps := rieMustPetstore(t)
	bin, err := rieBareBinary()
	if err != nil {
		t.Fatal(err)
	}
	bare, err := build.Zip(map[string][]byte{"bootstrap": bin})
	if err != nil {
		t.Fatal(err)
	}
	binSize := func(z []byte) int64 {
		p := rie.ExtractBootstrap(t, z)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	ratio := float64(len(ps.zip)) / float64(len(bare))
	t.Logf("petstore deployment.zip %d bytes (bootstrap %d), bare %d bytes (bootstrap %d): %.2f×",
		len(ps.zip), binSize(ps.zip), len(bare), binSize(bare), ratio)
	if ratio > 1.5 {
		t.Errorf("petstore's deployment.zip is %.2f× the bare function's (limit 1.5×)", ratio)
	}
}

// BenchmarkColdStart measures a cold start: from starting the emulator
// to the first response of one GET invocation (the emulator starts the
// bootstrap on that first invocation, as Lambda does), for petstore's
// api_handler and for a bare aws-lambda-go function built with the same
// flags. Builds are excluded. ns/op is the cold start; listen-ns/op the
// part until the emulator accepts connections, invoke-ns/op the first
// invocation's round trip (the bootstrap's start and the request).
func BenchmarkColdStart(b *testing.B) {
	rie.Require(b)
	ev := riePetReq("GET", "1", [2]string{"Accept", "application/json"}).event()
	b.Run("chalc", func(b *testing.B) {
		bootstrap, env := riePetstoreBootstrap(b, "api_handler")
		rieBenchColdStart(b, bootstrap, "api_handler", env, ev, `{"id":"1","name":"Rex","kind":"dog"}`)
	})
	b.Run("bare", func(b *testing.B) {
		rieCanRun(b, rieMustPetstore(b).goarch)
		bin, err := rieBareBinary()
		if err != nil {
			b.Fatal(err)
		}
		z, err := build.Zip(map[string][]byte{"bootstrap": bin})
		if err != nil {
			b.Fatal(err)
		}
		rieBenchColdStart(b, rie.ExtractBootstrap(b, z), "hello", nil, ev, `{"hello":"world"}`)
	})
}

func rieBenchColdStart(b *testing.B, bootstrap, handler string, env []string, ev []byte, wantBody string) {
	var total, listen time.Duration
	b.ResetTimer()
	for range b.N {
		e := rie.Start(b, bootstrap, handler, env...)
		status, body, err := e.Invoke(ev)
		end := time.Now()
		b.StopTimer()
		e.Stop()
		if err != nil {
			b.Fatal(err)
		}
		if r, derr := rieDecodeProxy(body); status != 200 || derr != nil || r.StatusCode != 200 || r.Body != wantBody {
			// The bare function answers in aws-lambda-go's shape.
			var bare struct {
				StatusCode int
				Body       string
			}
			if status != 200 || json.Unmarshal(body, &bare) != nil || bare.StatusCode != 200 || bare.Body != wantBody {
				b.Fatalf("first invocation: status %d: %s", status, body)
			}
		}
		total += end.Sub(e.Started)
		listen += e.Ready.Sub(e.Started)
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(total.Nanoseconds())/n, "ns/op")
	b.ReportMetric(float64(listen.Nanoseconds())/n, "listen-ns/op")
	b.ReportMetric(float64((total-listen).Nanoseconds())/n, "invoke-ns/op")
}
