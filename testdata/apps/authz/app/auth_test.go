package app_test

import (
	"testing"

	"example.com/authz/app"
	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestBuiltin: the builtin authorizer runs on the request's token.
func TestBuiltin(t *testing.T) {
	c := chalicetest.New(t, app.App())
	if resp := c.HTTP.Get("/me", chalicetest.Header("Authorization", "allow-ana")); resp.StatusCode != 200 || resp.String() != `{"principal":"ana","user":"ana"}` {
		t.Errorf("GET /me = %d %s", resp.StatusCode, resp)
	}
	if resp := c.HTTP.Get("/me", chalicetest.Header("Authorization", "nope")); resp.StatusCode != 401 {
		t.Errorf("GET /me with a bad token = %d %s", resp.StatusCode, resp)
	}
	// partner reads its token from X-Partner-Token.
	if resp := c.HTTP.Get("/partners/7", chalicetest.Header("X-Partner-Token", "allow-bo")); resp.StatusCode != 200 {
		t.Errorf("GET /partners/7 = %d %s", resp.StatusCode, resp)
	}
}

// TestCognito: the claims a Cognito user pool authorizer passes reach the
// route (API Gateway runs that authorizer; the test says what it found).
func TestCognito(t *testing.T) {
	c := chalicetest.New(t, app.App())
	resp := c.HTTP.Get("/profile", chalicetest.Claims(map[string]any{"sub": "u-1", "email": "ana@example.com", "email_verified": true}))
	if resp.StatusCode != 200 || resp.String() != `{"claims":{"email":"ana@example.com","email_verified":"true","sub":"u-1"}}` {
		t.Errorf("GET /profile = %d %s", resp.StatusCode, resp)
	}
	// Without claims the route runs with none (no 500).
	if resp := c.HTTP.Get("/profile"); resp.StatusCode != 200 || resp.String() != `{"claims":null}` {
		t.Errorf("GET /profile without claims = %d %s", resp.StatusCode, resp)
	}
}

// TestIAMAndCustom: an IAM-signed caller, and a custom authorizer's answer.
func TestIAMAndCustom(t *testing.T) {
	c := chalicetest.New(t, app.App())
	if resp := c.HTTP.Post("/admin", chalicetest.IAMIdentity(events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::123456789012:user/ops"})); resp.StatusCode != 200 {
		t.Errorf("POST /admin = %d %s", resp.StatusCode, resp)
	}
	if resp := c.HTTP.Get("/external", chalicetest.Principal("partner-1", map[string]any{"plan": "gold"})); resp.StatusCode != 200 || resp.String() != "public" {
		t.Errorf("GET /external = %d %s", resp.StatusCode, resp)
	}
	// The app's CheckToken can stand in for the external authorizer, on its header (X-Auth).
	if resp := c.HTTP.Get("/external", chalicetest.RunAuthorizer("jwt"), chalicetest.Header("X-Auth", "allow-admin")); resp.StatusCode != 200 {
		t.Errorf("GET /external with jwt as the custom authorizer = %d %s", resp.StatusCode, resp)
	}
	if resp := c.HTTP.Get("/external", chalicetest.RunAuthorizer("jwt"), chalicetest.Header("X-Auth", "allow-ana")); resp.StatusCode != 403 {
		t.Errorf("GET /external for a user jwt does not allow = %d %s", resp.StatusCode, resp)
	}
}
