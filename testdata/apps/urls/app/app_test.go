package app_test

import (
	"strings"
	"testing"

	"example.com/urls/app"
	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestWebhook: a public function URL takes any path; the http middleware
// runs as for routes; errors are Chalice's.
func TestWebhook(t *testing.T) {
	c := chalicetest.New(t, app.App())
	hook := c.FunctionURL("webhook")
	resp := hook.Post("/github/push?source=gh&source=ci", chalicetest.JSON(map[string]string{"kind": "push", "id": "7"}),
		chalicetest.Header("X-Signature", "sha256=abc"))
	if resp.StatusCode != 202 || resp.String() != `{"accepted":{"kind":"push","id":"7"},"path":"/github/push","signature":"sha256=abc","source":["gh","ci"]}` {
		t.Errorf("POST = %d %s", resp.StatusCode, resp)
	}
	if resp.Headers.Get("X-Served-By") != "urls/github/push" {
		t.Errorf("middleware header %q", resp.Headers.Get("X-Served-By"))
	}
	if resp := hook.Post("/", chalicetest.JSON(map[string]string{})); resp.StatusCode != 400 || resp.String() != `{"Code":"BadRequestError","Message":"kind is required"}` {
		t.Errorf("POST without kind = %d %s", resp.StatusCode, resp)
	}
	if resp := hook.Get("/anything"); resp.StatusCode != 405 {
		t.Errorf("GET = %d %s", resp.StatusCode, resp)
	}
}

// TestWebhookCORS: Lambda answers preflights with the URL's CORS, the
// stage's origin.
func TestWebhookCORS(t *testing.T) {
	for stage, origin := range map[string]string{"dev": "*", "prod": "https://hooks.example.com"} {
		c := chalicetest.New(t, app.App(), chalicetest.Stage(stage))
		pre := c.FunctionURL("webhook").Options("/", chalicetest.Header("Origin", "https://hooks.example.com"),
			chalicetest.Header("Access-Control-Request-Method", "POST"))
		if pre.StatusCode != 204 || pre.Headers.Get("Access-Control-Allow-Origin") != origin ||
			!strings.Contains(pre.Headers.Get("Access-Control-Allow-Headers"), "X-Signature") {
			t.Errorf("%s preflight: %d %v", stage, pre.StatusCode, pre.Headers)
		}
	}
}

// TestSigned: an aws_iam URL needs a signed caller, whose identity the
// handler reads as behind a REST API's iam authorizer.
func TestSigned(t *testing.T) {
	c := chalicetest.New(t, app.App())
	if resp := c.FunctionURL("internal").Get("/"); resp.StatusCode != 403 {
		t.Errorf("unsigned = %d %s", resp.StatusCode, resp)
	}
	resp := c.FunctionURL("internal").Get("/", chalicetest.IAMIdentity(events.APIGatewayRequestIdentity{
		UserArn: "arn:aws:iam::123456789012:role/ci", AccountID: "123456789012"}))
	if resp.StatusCode != 200 || resp.String() != `{"account":"123456789012","caller":"arn:aws:iam::123456789012:role/ci"}` {
		t.Errorf("signed = %d %s", resp.StatusCode, resp)
	}
}

// TestExport: a streaming URL's io.Reader body arrives whole in tests.
func TestExport(t *testing.T) {
	c := chalicetest.New(t, app.App())
	resp := c.FunctionURL("export").Get("/?rows=2", chalicetest.IAMIdentity(events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::123456789012:user/a"}))
	if resp.StatusCode != 200 || resp.String() != "id,item\n1,item-1\n2,item-2\n" || resp.Headers.Get("Content-Type") != "text/csv" {
		t.Errorf("export = %d %q %v", resp.StatusCode, resp, resp.Headers)
	}
}
