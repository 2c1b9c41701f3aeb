package chalice

import (
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
)

// AuthRequest is what a builtin authorizer receives: API Gateway's TOKEN
// authorizer event {type, authorizationToken, methodArn}.
type AuthRequest struct {
	// AuthType is the event's type, "TOKEN".
	AuthType string
	// Token is the value of the authorizer's header (authorizationToken).
	Token string
	// MethodARN is the ARN of the method being called,
	// arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH.
	MethodARN string
}

// ParseAuthRequest decodes a TOKEN authorizer event.
func ParseAuthRequest(data []byte) (AuthRequest, error) {
	var ev events.APIGatewayCustomAuthorizerRequest
	if err := json.Unmarshal(data, &ev); err != nil {
		return AuthRequest{}, err
	}
	return AuthRequest{AuthType: ev.Type, Token: ev.AuthorizationToken, MethodARN: ev.MethodArn}, nil
}

// AuthResponse is a builtin authorizer's answer, Chalice's AuthResponse:
// the routes the caller may invoke, who the caller is, and a context
// passed to the routes (Request.RequestContext.Authorizer).
//
// The runtime turns it into API Gateway's policy
//
//	{"context": Context, "principalId": PrincipalID,
//	 "policyDocument": {"Version": "2012-10-17", "Statement": [{
//	   "Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [...]}]}}
//
// with one ARN per route and method, built from the api id and stage of
// the request's MethodARN: arn:...:API_ID/STAGE/METHOD/PATH-WITHOUT-LEADING-SLASH.
// A route whose Path is "*" allows everything (API_ID/STAGE/*/*). No
// routes gives "Resource": [], which denies every call: the Effect is
// always Allow.
//
// To refuse the caller with a 401 instead, return an *UnauthorizedError
// (or any StatusError whose StatusCode is 401).
type AuthResponse struct {
	// Routes are the routes the caller may invoke.
	Routes []AuthRoute
	// PrincipalID identifies the caller.
	PrincipalID string
	// Context is passed to the routes; nil is written as {}. API Gateway
	// accepts only string, number and boolean values.
	Context map[string]any
}

// AuthRoute is a path the caller may invoke, with the methods allowed on
// it. Path is a request path such as /users/42 and may use "*" wildcards
// as execute-api ARNs do (/users/*); "*" alone means every path. No
// Methods means every method ("*"), as a plain string route in Chalice.
type AuthRoute struct {
	Path    string   // request path, may use "*"; "*" alone is every path
	Methods []string // upper-case HTTP methods; none means all
}

// ParseAuthRequestV2 decodes an HTTP API's Lambda authorizer event
// (payload format 2.0, type REQUEST), as a builtin authorizer receives it
// in a stage served by an HTTP API: AuthType "REQUEST", Token the first
// identity source (the authorizer's header), MethodARN the routeArn
// (arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH).
func ParseAuthRequestV2(data []byte) (AuthRequest, error) {
	var ev events.APIGatewayV2CustomAuthorizerV2Request
	if err := json.Unmarshal(data, &ev); err != nil {
		return AuthRequest{}, err
	}
	req := AuthRequest{AuthType: ev.Type, MethodARN: ev.RouteArn}
	if len(ev.IdentitySource) > 0 {
		req.Token = ev.IdentitySource[0]
	}
	return req, nil
}
