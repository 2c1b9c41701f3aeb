package project

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/rie"
)

// The tests in this file run the real deployment packages of the
// frontdoor example's prod stage (routes served by an HTTP API) and of
// the urls example (function URLs) under the Lambda Runtime Interface
// Emulator, with payload format 2.0 events made from AWS's documented
// samples (runtime/dispatch/testdata: an HTTP API event, a function URL
// event, a Lambda authorizer event). They are skipped when the emulator
// is not installed (`make tools`), unless CHALC_REQUIRE_RIE=1.

// rieV2Bootstrap packages app (app@stage) and returns its bootstrap and
// the package; it skips as rieEvBootstrap does.
func rieV2Bootstrap(t *testing.T, app string) (string, *riePackaged) {
	t.Helper()
	rie.Require(t)
	p, err := riePackage(app)
	if err != nil {
		t.Fatal(err)
	}
	rieCanRun(t, p.goarch)
	return rie.ExtractBootstrap(t, p.zip), p
}

// rieV2Sample is one of AWS's sample events (runtime/dispatch/testdata),
// decoded to be changed by a test.
func rieV2Sample(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../runtime/dispatch/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// rieHTTPAPIEvent is AWS's HTTP API sample for routeKey, sent to the
// stage v1 (rawPath carries the stage, as an HTTP API's does), without
// the sample's body, cookies and authorizer unless set after.
func rieHTTPAPIEvent(t *testing.T, routeKey, path, rawQuery string, params map[string]any) map[string]any {
	ev := rieV2Sample(t, "http-api-v2.json")
	method, _, _ := strings.Cut(routeKey, " ")
	ev["routeKey"] = routeKey
	ev["rawPath"] = "/v1" + path
	ev["rawQueryString"] = rawQuery
	ev["pathParameters"] = params
	ev["headers"] = map[string]any{"accept": "application/json", "user-agent": "chalc-rie-test/1.0"}
	delete(ev, "body")
	delete(ev, "cookies")
	delete(ev, "queryStringParameters")
	rc := ev["requestContext"].(map[string]any)
	rc["routeKey"] = routeKey
	rc["stage"] = "v1"
	delete(rc, "authorizer")
	h := rc["http"].(map[string]any)
	h["method"] = method
	h["path"] = "/v1" + path
	return ev
}

// v2Response is a payload format 2.0 response.
type v2Response struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Cookies         []string          `json:"cookies"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

func rieV2Invoke(t *testing.T, e *rie.Emulator, ev map[string]any) v2Response {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out := rieEvInvoke(t, e, string(b))
	var resp v2Response
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&resp); err != nil {
		t.Fatalf("not a payload format 2.0 response: %v\n%s", err, out)
	}
	return resp
}

func TestRIEHTTPAPI(t *testing.T) {
	bootstrap, p := rieV2Bootstrap(t, "frontdoor@prod")
	e := rieEvStart(t, bootstrap, p, "api_handler")

	// A route with a path parameter and a query string.
	resp := rieV2Invoke(t, e, rieHTTPAPIEvent(t, "GET /orders/{order_id}", "/orders/1", "owner=bo", map[string]any{"order_id": "1"}))
	if resp.StatusCode != 200 || resp.Body != `{"id":"1","item":"book","owner":"bo"}` {
		t.Errorf("GET /orders/1 = %+v", resp)
	}
	// The handler sees the template and the path without the stage.
	resp = rieV2Invoke(t, e, rieHTTPAPIEvent(t, "GET /", "/", "", nil))
	if resp.Body != `{"hello":"frontdoor","path":"/","rawPath":"/"}` {
		t.Errorf("GET / = %+v", resp)
	}
	// A StatusError, as Chalice answers it.
	resp = rieV2Invoke(t, e, rieHTTPAPIEvent(t, "GET /orders/{order_id}", "/orders/9", "", map[string]any{"order_id": "9"}))
	if resp.StatusCode != 404 || resp.Body != `{"Code":"NotFoundError","Message":"no order 9"}` {
		t.Errorf("GET /orders/9 = %+v", resp)
	}
	// Cookies in (the event's list), Set-Cookie out (the response's).
	ev := rieHTTPAPIEvent(t, "GET /session", "/session", "", nil)
	ev["cookies"] = []any{"session=abc", "theme=dark"}
	resp = rieV2Invoke(t, e, ev)
	if resp.Body != "session abc" || !reflect.DeepEqual(resp.Cookies, []string{"session=abc+1; Path=/", "seen=1; Path=/"}) ||
		resp.Headers["Content-Type"] != "text/plain" {
		t.Errorf("GET /session = %+v", resp)
	}
	// A binary body, base64-encoded.
	resp = rieV2Invoke(t, e, rieHTTPAPIEvent(t, "GET /receipts/{order_id}", "/receipts/1", "", map[string]any{"order_id": "1"}))
	if png, err := base64.StdEncoding.DecodeString(resp.Body); !resp.IsBase64Encoded || err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("GET /receipts/1 = %+v", resp)
	}
	// The JWT authorizer's claims (the sample's shape), and a Lambda
	// authorizer's context: where a REST API's handler finds them.
	ev = rieHTTPAPIEvent(t, "GET /orders", "/orders", "", nil)
	ev["requestContext"].(map[string]any)["authorizer"] = map[string]any{"jwt": map[string]any{
		"claims": map[string]any{"sub": "u-1", "email": "ana@example.com"}, "scopes": []any{"orders/read"}}}
	resp = rieV2Invoke(t, e, ev)
	if resp.Body != `{"email":"ana@example.com","orders":[{"id":"1","item":"book","owner":"u-1"}]}` || resp.Headers["X-Order-Count"] != "1" {
		t.Errorf("GET /orders with a JWT = %+v", resp)
	}
	ev = rieHTTPAPIEvent(t, "POST /orders", "/orders", "", nil)
	ev["headers"].(map[string]any)["content-type"] = "application/json"
	ev["body"] = `{"item":"pen"}`
	ev["requestContext"].(map[string]any)["authorizer"] = map[string]any{"lambda": map[string]any{"user": "ana"}}
	resp = rieV2Invoke(t, e, ev)
	if resp.StatusCode != 201 || resp.Body != `{"id":"2","item":"pen","owner":"ana"}` {
		t.Errorf("POST /orders = %+v", resp)
	}
	// No CORS headers from the function: the HTTP API adds its own.
	if _, ok := resp.Headers["Access-Control-Allow-Origin"]; ok {
		t.Errorf("the function sent CORS headers in an HTTP API: %v", resp.Headers)
	}
	// A REST API's event is refused: the stage's kind is not guessed.
	out := rieEvInvoke(t, e, string(rieRequest{Method: "GET", Resource: "/", Path: "/"}.event()))
	if !strings.Contains(out, `"errorMessage"`) || !strings.Contains(out, "api_kind: http") {
		t.Errorf("a REST event to an HTTP API stage: %s", out)
	}
}

// TestRIEHTTPAPIAuthorizer: the builtin authorizer of an HTTP API stage
// answers AWS's Lambda authorizer event (payload format 2.0) with a
// simple response.
func TestRIEHTTPAPIAuthorizer(t *testing.T) {
	bootstrap, p := rieV2Bootstrap(t, "frontdoor@prod")
	e := rieEvStart(t, bootstrap, p, "token")
	for _, c := range []struct {
		token, arn, want string
	}{
		{"allow-ana", "arn:aws:execute-api:us-west-2:123456789012:abcdef123/v1/POST/orders", `{"isAuthorized":true,"context":{"user":"ana"}}`},
		{"allow-ana", "arn:aws:execute-api:us-west-2:123456789012:abcdef123/v1/GET/orders", `{"isAuthorized":false,"context":{"user":"ana"}}`},
		{"nope", "arn:aws:execute-api:us-west-2:123456789012:abcdef123/v1/POST/orders", `{"isAuthorized":false,"context":{}}`},
	} {
		ev := rieV2Sample(t, "authorizer-v2.json")
		ev["identitySource"] = []any{c.token, "POST /orders"}
		ev["routeArn"] = c.arn
		b, _ := json.Marshal(ev)
		if got := rieEvInvoke(t, e, string(b)); got != c.want {
			t.Errorf("%s on %s: got %s, want %s", c.token, c.arn, got, c.want)
		}
	}
}

func TestRIEFunctionURL(t *testing.T) {
	bootstrap, p := rieV2Bootstrap(t, "urls")
	if want := []string{"export", "internal", "nightly", "webhook"}; !slices.Equal(slices.Sorted(maps.Keys(p.functions)), want) {
		t.Fatalf("functions %v, want %v", slices.Sorted(maps.Keys(p.functions)), want)
	}

	// AWS's function URL sample, its body made a webhook event.
	hook := rieEvStart(t, bootstrap, p, "webhook")
	ev := rieV2Sample(t, "function-url.json")
	ev["headers"].(map[string]any)["content-type"] = "application/json"
	ev["body"] = `{"kind":"push","id":"7"}`
	resp := rieV2Invoke(t, hook, ev)
	if resp.StatusCode != 202 || resp.Body != `{"accepted":{"kind":"push","id":"7"},"path":"/my/path","signature":"","source":null}` ||
		resp.Headers["X-Served-By"] != "urls/my/path" {
		t.Errorf("webhook = %+v", resp)
	}
	ev = rieV2Sample(t, "function-url.json") // its body is not JSON: no content-type
	resp = rieV2Invoke(t, hook, ev)
	if resp.StatusCode != 400 || resp.Body != `{"Code":"BadRequestError","Message":"kind is required"}` {
		t.Errorf("webhook without JSON = %+v", resp)
	}

	// The sample's IAM caller reaches the handler.
	internal := rieEvStart(t, bootstrap, p, "internal")
	resp = rieV2Invoke(t, internal, rieV2Sample(t, "function-url.json"))
	if resp.StatusCode != 200 || resp.Body != `{"account":"111122223333","caller":"arn:aws:iam::111122223333:user/example-user"}` {
		t.Errorf("internal = %+v", resp)
	}

	// A RESPONSE_STREAM function answers through the Runtime API's
	// streaming response: the HTTP prelude, eight NUL bytes, the body.
	export := rieEvStart(t, bootstrap, p, "export")
	ev = rieV2Sample(t, "function-url.json")
	ev["rawQueryString"] = "rows=2"
	b, _ := json.Marshal(ev)
	status, out, err := export.Invoke(b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"statusCode":200,"headers":{"Content-Type":"text/csv","X-Served-By":"urls/my/path"}}` + strings.Repeat("\x00", 8) + "id,item\n1,item-1\n2,item-2\n"
	if status != 200 || string(out) != want {
		t.Errorf("export = %d %q, want %q", status, out, want)
	}
}
