package chalicetest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestCallerOptions: a request says what the iam, cognito or custom
// authorizer guarding its route answered, or runs the app's function as
// the custom authorizer.
func TestCallerOptions(t *testing.T) {
	app := chalice.New("guarded", chalice.Config{})
	whoami := func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"sub": req.Claims()["sub"], "arn": req.RequestContext.Identity.UserArn,
			"principal": req.RequestContext.Authorizer["principalId"], "plan": req.RequestContext.Authorizer["plan"]}, nil
	}
	app.Route(chalice.Route{Path: "/profile", Method: "GET", Handler: whoami, AuthorizerType: chalice.AuthCognito, AuthorizerName: "users"})
	app.Route(chalice.Route{Path: "/admin", Method: "GET", Handler: whoami, AuthorizerType: chalice.AuthIAM, AuthorizerName: "iam"})
	app.Route(chalice.Route{Path: "/partner", Method: "GET", Handler: whoami, AuthorizerType: chalice.AuthCustom, AuthorizerName: "ext", AuthorizerHeader: "X-Auth"})
	app.Function(chalice.Function{Name: "ext_auth", Kind: chalice.KindAuthorizer,
		Authorizer: func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
			if req.Token != "good" {
				return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "no"}
			}
			return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "partner-1", Context: map[string]any{"plan": "gold"}}, nil
		}})
	c := chalicetest.New(t, app)
	tests := []struct {
		path   string
		opts   []chalicetest.RequestOption
		status int
		want   string
	}{
		{"/profile", []chalicetest.RequestOption{chalicetest.Claims(map[string]any{"sub": "u-1"})}, 200, `{"arn":"","plan":null,"principal":null,"sub":"u-1"}`},
		{"/profile", nil, 200, `{"arn":"","plan":null,"principal":null,"sub":""}`},
		{"/admin", []chalicetest.RequestOption{chalicetest.IAMIdentity(events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::123456789012:user/ana"})}, 200, `{"arn":"arn:aws:iam::123456789012:user/ana","plan":null,"principal":null,"sub":""}`},
		{"/partner", []chalicetest.RequestOption{chalicetest.Principal("p-1", map[string]any{"plan": "silver"})}, 200, `{"arn":"","plan":"silver","principal":"p-1","sub":""}`},
		{"/partner", []chalicetest.RequestOption{chalicetest.RunAuthorizer("ext_auth"), chalicetest.Header("X-Auth", "good")}, 200, `{"arn":"","plan":"gold","principal":"partner-1","sub":""}`},
		{"/partner", []chalicetest.RequestOption{chalicetest.RunAuthorizer("ext_auth"), chalicetest.Header("X-Auth", "bad")}, 401, `{"message":"Unauthorized"}`},
		// Claims on a route Cognito does not guard are not passed, as in AWS.
		{"/admin", []chalicetest.RequestOption{chalicetest.Claims(map[string]any{"sub": "u-1"})}, 200, `{"arn":"","plan":null,"principal":null,"sub":""}`},
	}
	for _, tt := range tests {
		resp := c.HTTP.Get(tt.path, tt.opts...)
		if resp.StatusCode != tt.status || resp.String() != tt.want {
			t.Errorf("GET %s = %d %s; want %d %s", tt.path, resp.StatusCode, resp, tt.status, tt.want)
		}
	}
}
