package apigw

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Caller is what an iam, cognito_user_pool or custom authorizer would
// have said about a request: API Gateway runs those outside the app, so
// the gateway cannot, and takes the caller it is given instead. Each
// part applies only to routes guarded by an authorizer of its type;
// the other parts are ignored there.
type Caller struct {
	// Claims are the token's claims for routes behind a
	// cognito_user_pool authorizer: requestContext.authorizer is
	// {"claims": {...}}, each value a string as API Gateway passes them
	// (a string as it is, any other value as its JSON text).
	Claims map[string]any `json:"claims,omitempty"`
	// Identity is the signed caller for routes behind an iam authorizer:
	// its non-empty fields (userArn, accountId, accessKey, caller, user,
	// cognito*) replace those of requestContext.identity.
	Identity *events.APIGatewayRequestIdentity `json:"identity,omitempty"`
	// PrincipalID and Context are a custom authorizer's answer, for
	// routes behind one: requestContext.authorizer holds the context
	// (values stringified, as for builtin authorizers), principalId and
	// integrationLatency.
	PrincipalID string         `json:"principalId,omitempty"`
	Context     map[string]any `json:"context,omitempty"`
	// Function, for routes behind a custom authorizer, names a function
	// of the app to run as that authorizer instead: a TOKEN authorizer
	// on the route's header, answering with a policy, as a builtin
	// authorizer does (PrincipalID and Context are then not used).
	Function string `json:"function,omitempty"`
}

// Callers gives the caller of every request to a route guarded by an
// iam, cognito_user_pool or custom authorizer: by the authorizer's
// name (its key under the manifest's authorizers:), else by its type.
// Request.Caller, when set, wins over both.
type Callers struct {
	ByName map[string]*Caller `json:"byName,omitempty"`
	ByType map[string]*Caller `json:"byType,omitempty"`
}

// For returns the caller for route r; nil when none is given.
func (c *Callers) For(r *chalice.Route) *Caller {
	if c == nil {
		return nil
	}
	if cl := c.ByName[r.AuthorizerName]; cl != nil {
		return cl
	}
	return c.ByType[r.AuthorizerType]
}

// WithCallers sets the callers of requests that do not carry their own
// (Request.Caller), as `chalc local` reads them from --auth and
// --claim/--principal.
func WithCallers(c *Callers) Option {
	return func(o *options) { o.callers = c }
}

// applyCaller fills ev's requestContext for a route guarded by an
// authorizer the gateway cannot run, from the caller given; it returns
// API Gateway's answer instead when the caller's Function refuses the
// request, and an error for a caller that cannot be applied.
func (g *Gateway) applyCaller(ctx context.Context, route *chalice.Route, caller *Caller, ev *proxyEvent, req Request, arn, reqID string) (*Response, error) {
	if caller == nil {
		return nil, nil
	}
	switch route.AuthorizerType {
	case chalice.AuthCognito:
		if caller.Claims == nil {
			return nil, nil
		}
		claims := make(map[string]any, len(caller.Claims))
		for k, v := range caller.Claims {
			s, err := claimString(v)
			if err != nil {
				return nil, fmt.Errorf("apigw: claim %q: %w", k, err)
			}
			claims[k] = s
		}
		ev.RequestContext.Authorizer = map[string]any{"claims": claims}
	case chalice.AuthIAM:
		if id := caller.Identity; id != nil {
			mergeIdentity(&ev.RequestContext.Identity, id)
		}
	case chalice.AuthCustom:
		if caller.Function != "" {
			h, err := g.authorizerHandler(caller.Function)
			if err != nil {
				return nil, err
			}
			header := route.AuthorizerHeader
			if header == "" {
				header = "Authorization"
			}
			authCtx, denied, err := g.authorize(ctx, caller.Function, h, headerValue(req.Headers, header), arn, reqID)
			if denied != nil {
				return denied, err
			}
			ev.RequestContext.Authorizer = authCtx
			return nil, nil
		}
		if caller.PrincipalID == "" && caller.Context == nil {
			return nil, nil
		}
		authCtx, err := stringifyContext(caller.Context)
		if err != nil {
			return nil, fmt.Errorf("apigw: the caller's %w", err)
		}
		authCtx["principalId"] = caller.PrincipalID
		authCtx["integrationLatency"] = 0
		ev.RequestContext.Authorizer = authCtx
	}
	return nil, nil
}

// claimString is a claim as API Gateway passes it to the integration.
func claimString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// stringifyContext turns an authorizer's context into what the route
// sees: strings as they are, numbers and booleans as text, null kept; a
// JSON object or array is an error, as API Gateway refuses it.
func stringifyContext(in map[string]any) (map[string]any, error) {
	// Through JSON, so that any Go value is judged by its JSON form.
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]any{}
	for _, k := range keys {
		switch v := raw[k].(type) {
		case nil:
			out[k] = nil
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = fmt.Sprint(v)
		default:
			return nil, fmt.Errorf("context key %q holds a JSON object or array; only strings, numbers and booleans are allowed", k)
		}
	}
	return out, nil
}

// mergeIdentity copies the caller fields of id that are set into dst.
func mergeIdentity(dst, id *events.APIGatewayRequestIdentity) {
	set := func(d *string, v string) {
		if v != "" {
			*d = v
		}
	}
	set(&dst.CognitoIdentityPoolID, id.CognitoIdentityPoolID)
	set(&dst.AccountID, id.AccountID)
	set(&dst.CognitoIdentityID, id.CognitoIdentityID)
	set(&dst.Caller, id.Caller)
	set(&dst.AccessKey, id.AccessKey)
	set(&dst.CognitoAuthenticationType, id.CognitoAuthenticationType)
	set(&dst.CognitoAuthenticationProvider, id.CognitoAuthenticationProvider)
	set(&dst.UserArn, id.UserArn)
	set(&dst.User, id.User)
}
