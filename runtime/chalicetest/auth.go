package chalicetest

import (
	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/apigw"
)

// API Gateway runs iam, cognito_user_pool and custom authorizers outside
// the app, so the client cannot: a route they guard runs as if the
// caller were authorized, with what these options say the authorizer
// answered. Each applies only on a route guarded by an authorizer of its
// type (chalice.Route.AuthorizerType), and changes nothing elsewhere, as
// in AWS. Builtin authorizers always run, on the token of the request's
// header.

// Claims sets the caller's token claims for a route behind a
// cognito_user_pool authorizer, or a jwt one in an HTTP API: the route
// finds them in requestContext.authorizer.claims (.jwt.claims in an HTTP
// API; Request.Claims reads either), each value a string as API Gateway
// passes them (other values as their JSON text). Nothing checks a token
// locally. In an HTTP API the claim "scope" (space-separated) is the
// token's scopes: a route with scopes: answers 403 when it holds none of
// them, as API Gateway does.
func Claims(claims map[string]any) RequestOption {
	return func(r *request) { r.caller().Claims = claims }
}

// IAMIdentity sets the signed caller for a route behind an iam
// authorizer, or of a function URL with auth: aws_iam: the fields set
// (UserArn, AccountID, AccessKey, Caller, User...) replace those of
// requestContext.identity (requestContext.authorizer.iam in payload
// format 2.0; the Request's RequestContext.Identity either way).
func IAMIdentity(id events.APIGatewayRequestIdentity) RequestOption {
	return func(r *request) { r.caller().Identity = &id }
}

// Principal sets a custom authorizer's answer for a route behind one:
// requestContext.authorizer holds context (values stringified; a JSON
// object or array is API Gateway's 500), principalId and
// integrationLatency.
func Principal(principalID string, context map[string]any) RequestOption {
	return func(r *request) {
		c := r.caller()
		c.PrincipalID, c.Context = principalID, context
	}
}

// RunAuthorizer runs the app's function named function as the custom
// authorizer of a route behind one: it gets API Gateway's TOKEN event
// (the authorizer's header: key, Authorization by default) and answers
// with a policy, as a builtin authorizer; a missing token is 401, a
// policy that does not allow the request 403.
func RunAuthorizer(function string) RequestOption {
	return func(r *request) { r.caller().Function = function }
}

func (r *request) caller() *apigw.Caller {
	if r.Caller == nil {
		r.Caller = &apigw.Caller{}
	}
	return r.Caller
}
