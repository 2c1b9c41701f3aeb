package apigw

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// callerApp has a route behind each kind of authorizer the gateway
// cannot run, and a function that can serve as the custom one.
func callerApp() *chalice.App {
	app := chalice.New("callers", chalice.Config{})
	identity := func(ctx context.Context, req *chalice.Request) (any, error) {
		id := req.RequestContext.Identity
		return map[string]any{"authorizer": req.RequestContext.Authorizer, "userArn": id.UserArn, "account": id.AccountID,
			"sourceIp": id.SourceIP, "claims": req.Claims()}, nil
	}
	app.Route(chalice.Route{Path: "/profile", Method: "GET", Handler: identity, AuthorizerType: chalice.AuthCognito, AuthorizerName: "users"})
	app.Route(chalice.Route{Path: "/staff", Method: "GET", Handler: identity, AuthorizerType: chalice.AuthCognito, AuthorizerName: "staff"})
	app.Route(chalice.Route{Path: "/admin", Method: "GET", Handler: identity, AuthorizerType: chalice.AuthIAM, AuthorizerName: "iam"})
	app.Route(chalice.Route{Path: "/external", Method: "GET", Handler: identity, AuthorizerType: chalice.AuthCustom, AuthorizerName: "ext", AuthorizerHeader: "X-Auth"})
	app.Route(chalice.Route{Path: "/open", Method: "GET", Handler: identity})
	// A custom authorizer as a plain function: TOKEN event in, policy out.
	app.Function(chalice.Function{Name: "ext_auth", Kind: chalice.KindPureLambda,
		Pure: func(ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
			effect := "Deny"
			if ev.AuthorizationToken == "let-me-in" {
				effect = "Allow"
			}
			return events.APIGatewayCustomAuthorizerResponse{
				PrincipalID: "ext-user",
				PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
					{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{ev.MethodArn}}}},
				Context: map[string]any{"tier": 2},
			}, nil
		}})
	return app
}

type callerSeen struct {
	Authorizer map[string]any    `json:"authorizer"`
	UserArn    string            `json:"userArn"`
	Account    string            `json:"account"`
	SourceIP   string            `json:"sourceIp"`
	Claims     map[string]string `json:"claims"`
}

func TestCaller(t *testing.T) {
	g, err := New(callerApp(), WithCallers(&Callers{
		ByName: map[string]*Caller{"staff": {Claims: map[string]any{"sub": "staff-1"}}},
		ByType: map[string]*Caller{chalice.AuthCognito: {Claims: map[string]any{"sub": "anyone"}}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, caller *Caller, headers ...string) (Response, callerSeen) {
		t.Helper()
		h := http.Header{}
		for i := 0; i+1 < len(headers); i += 2 {
			h.Set(headers[i], headers[i+1])
		}
		resp, err := g.Do(context.Background(), Request{Method: "GET", Path: path, Caller: caller, Headers: h})
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		var s callerSeen
		if resp.StatusCode == 200 {
			if err := json.Unmarshal(resp.Body, &s); err != nil {
				t.Fatalf("GET %s: %v: %s", path, err, resp.Body)
			}
		}
		return resp, s
	}

	// Cognito claims, stringified as API Gateway passes them.
	_, s := get("/profile", &Caller{Claims: map[string]any{"sub": "u-1", "email_verified": true, "auth_time": 1500009400, "cognito:groups": []string{"a", "b"}}})
	wantClaims := map[string]string{"sub": "u-1", "email_verified": "true", "auth_time": "1500009400", "cognito:groups": `["a","b"]`}
	if !reflect.DeepEqual(s.Claims, wantClaims) {
		t.Errorf("claims %v; want %v", s.Claims, wantClaims)
	}
	if _, ok := s.Authorizer["principalId"]; ok || len(s.Authorizer) != 1 {
		t.Errorf("cognito authorizer context %v; want only claims", s.Authorizer)
	}
	// The gateway's callers: by name first, then by type.
	if _, s := get("/staff", nil); s.Claims["sub"] != "staff-1" {
		t.Errorf("by name: %v", s.Claims)
	}
	if _, s := get("/profile", nil); s.Claims["sub"] != "anyone" {
		t.Errorf("by type: %v", s.Claims)
	}
	// An IAM identity; the rest of the identity stays.
	_, s = get("/admin", &Caller{Identity: &events.APIGatewayRequestIdentity{UserArn: "arn:aws:iam::111122223333:user/ana", AccountID: "111122223333"}})
	if s.UserArn != "arn:aws:iam::111122223333:user/ana" || s.Account != "111122223333" || s.SourceIP != "127.0.0.1" || s.Authorizer != nil {
		t.Errorf("iam: %+v", s)
	}
	// Without a caller: as before, no context (no type default for iam).
	if _, s := get("/admin", nil); s.UserArn != "" || s.Authorizer != nil {
		t.Errorf("iam without a caller: %+v", s)
	}
	// A custom authorizer's answer.
	_, s = get("/external", &Caller{PrincipalID: "p-9", Context: map[string]any{"plan": "gold", "n": 3}})
	want := map[string]any{"plan": "gold", "n": "3", "principalId": "p-9", "integrationLatency": float64(0)}
	if !reflect.DeepEqual(s.Authorizer, want) {
		t.Errorf("custom: %v; want %v", s.Authorizer, want)
	}
	// The app's own function run as the custom authorizer, on the route's header.
	_, s = get("/external", &Caller{Function: "ext_auth"}, "X-Auth", "let-me-in")
	want = map[string]any{"tier": "2", "principalId": "ext-user", "integrationLatency": float64(0)}
	if !reflect.DeepEqual(s.Authorizer, want) {
		t.Errorf("custom function: %v; want %v", s.Authorizer, want)
	}
	if resp, _ := get("/external", &Caller{Function: "ext_auth"}, "X-Auth", "nope"); resp.StatusCode != 403 {
		t.Errorf("custom function denying: %d %s", resp.StatusCode, resp.Body)
	}
	if resp, _ := get("/external", &Caller{Function: "ext_auth"}); resp.StatusCode != 401 {
		t.Errorf("custom function without a token: %d %s", resp.StatusCode, resp.Body)
	}
	// A caller on an open route changes nothing, as in AWS.
	if _, s := get("/open", &Caller{Claims: map[string]any{"sub": "x"}, PrincipalID: "p"}); s.Authorizer != nil || s.Claims != nil {
		t.Errorf("open route: %+v", s)
	}
	// A context API Gateway would refuse is the gateway's 502, with the reason.
	resp, err := g.Do(context.Background(), Request{Method: "GET", Path: "/external", Caller: &Caller{PrincipalID: "p", Context: map[string]any{"o": map[string]int{"a": 1}}}})
	if err == nil || resp.StatusCode != 502 {
		t.Errorf("nested context: %d %v", resp.StatusCode, err)
	}
	// An unknown function is reported.
	if _, err := g.Do(context.Background(), Request{Method: "GET", Path: "/external", Caller: &Caller{Function: "nope"}, Headers: http.Header{"X-Auth": {"t"}}}); err == nil {
		t.Error("an unknown authorizer function must fail")
	}
}
