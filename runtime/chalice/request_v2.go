package chalice

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// An HTTP API (API Gateway v2, api_kind: http) and a Lambda function URL
// send payload format 2.0 events. NewRequestV2 builds the same Request
// from them, so a handler does not depend on the kind of API in front of
// it: what Chalice's request API has (method, path, query, headers, URI
// parameters, body, the authorizer's context and claims) is where a REST
// API's event puts it, and the event itself is RawV2.

// NewRequestV2 builds the Request for a payload format 2.0 event: an HTTP
// API's, or a function URL's (which has the same shape). ctx is what
// Request.Context returns. The event is referenced, not copied: RawV2
// points to it and its maps are shared (a "cookie" header is added to
// Headers when the event has cookies, see below).
//
// The differences from a REST API's event are smoothed over so that the
// same handler behaves the same:
//
//   - Path is the route's resource template (the routeKey without its
//     method: /users/{id}); for a function URL, whose routeKey is
//     $default, it is the request path.
//   - RawPath is the request path without the API stage's prefix: an HTTP
//     API's rawPath for a named stage starts with /<stage>, a REST API's
//     path does not.
//   - QueryParams come from rawQueryString, so that GetAll returns each
//     value of a repeated name (queryStringParameters joins them with
//     commas).
//   - Headers: a name sent several times has its values joined with
//     commas, as the event has them. The event moves the Cookie header
//     to its cookies list: it is put back, joined with "; ", so that
//     Headers.Get("Cookie") reads it in both kinds; Cookies lists them.
//   - RequestContext holds the REST shape of the event's context:
//     requestId, stage, apiId, domainName, http method and path
//     (ResourcePath is Path), identity.sourceIp and userAgent; the
//     authorizer's answer in RequestContext.Authorizer as a REST API puts
//     it: a JWT authorizer's claims under "claims" (Claims reads them) and
//     its scopes under "scopes", a Lambda authorizer's context as its
//     keys, an IAM caller in RequestContext.Identity.
//   - A body marked isBase64Encoded is decoded, as for REST.
func NewRequestV2(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) *Request {
	r := &Request{}
	r.initV2(ctx, ev)
	return r
}

func (r *Request) initV2(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) {
	rc := &ev.RequestContext
	r.Method = rc.HTTP.Method
	r.Path = ev.RawPath
	if _, template, ok := strings.Cut(ev.RouteKey, " "); ok {
		r.Path = template
	}
	r.RawPath = stripStage(ev.RawPath, rc.Stage)
	if ev.RawQueryString != "" {
		if q, err := url.ParseQuery(ev.RawQueryString); err == nil {
			r.QueryParams = NewQueryParams(q, nil)
		} else {
			r.QueryParams = NewQueryParams(nil, ev.QueryStringParameters)
		}
	} else {
		r.QueryParams = NewQueryParams(nil, ev.QueryStringParameters)
	}
	if len(ev.Cookies) > 0 {
		if ev.Headers == nil {
			ev.Headers = map[string]string{}
		}
		if _, ok := ev.Headers["cookie"]; !ok {
			ev.Headers["cookie"] = strings.Join(ev.Cookies, "; ")
		}
	}
	r.Headers = NewHeaders(nil, ev.Headers)
	r.URIParams = ev.PathParameters
	r.RequestContext = events.APIGatewayProxyRequestContext{
		AccountID:        rc.AccountID,
		Stage:            rc.Stage,
		DomainName:       rc.DomainName,
		DomainPrefix:     rc.DomainPrefix,
		RequestID:        rc.RequestID,
		Protocol:         rc.HTTP.Protocol,
		Identity:         events.APIGatewayRequestIdentity{SourceIP: rc.HTTP.SourceIP, UserAgent: rc.HTTP.UserAgent},
		ResourcePath:     r.Path,
		Path:             rc.HTTP.Path,
		HTTPMethod:       rc.HTTP.Method,
		RequestTime:      rc.Time,
		RequestTimeEpoch: rc.TimeEpoch,
		APIID:            rc.APIID,
	}
	if a := rc.Authorizer; a != nil {
		r.RequestContext.Authorizer = authorizerV2(a, &r.RequestContext.Identity)
	}
	r.StageVars = ev.StageVariables
	r.RawV2 = ev
	r.ctx = ctx
	if ev.Body != "" {
		if ev.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(ev.Body)
			if err != nil {
				r.bodyErr = err
			} else {
				r.RawBody = b
			}
		} else {
			r.RawBody = []byte(ev.Body)
		}
	}
}

// stripStage removes the API stage's prefix from an HTTP API's rawPath:
// /v1/users/1 in stage v1 is /users/1. $default has none.
func stripStage(path, stage string) string {
	if stage == "" || stage == "$default" {
		return path
	}
	prefix := "/" + stage
	switch {
	case path == prefix:
		return "/"
	case strings.HasPrefix(path, prefix+"/"):
		return path[len(prefix):]
	}
	return path
}

// authorizerV2 is the REST shape of a payload 2.0 authorizer answer: a
// JWT authorizer's {"claims": {...}, "scopes": [...]}, a Lambda
// authorizer's context keys; an IAM caller fills identity.
func authorizerV2(a *events.APIGatewayV2HTTPRequestContextAuthorizerDescription, identity *events.APIGatewayRequestIdentity) map[string]any {
	out := map[string]any{}
	if j := a.JWT; j != nil {
		claims := make(map[string]any, len(j.Claims))
		for k, v := range j.Claims {
			claims[k] = v
		}
		out["claims"] = claims
		if len(j.Scopes) > 0 {
			scopes := make([]any, len(j.Scopes))
			for i, s := range j.Scopes {
				scopes[i] = s
			}
			out["scopes"] = scopes
		}
	}
	for k, v := range a.Lambda {
		out[k] = v
	}
	if iam := a.IAM; iam != nil {
		identity.AccessKey = iam.AccessKey
		identity.AccountID = iam.AccountID
		identity.Caller = iam.CallerID
		identity.UserArn = iam.UserARN
		identity.User = iam.UserID
		identity.CognitoIdentityPoolID = iam.CognitoIdentity.IdentityPoolID
		if len(iam.CognitoIdentity.AMR) > 0 {
			identity.CognitoAuthenticationProvider = strings.Join(iam.CognitoIdentity.AMR, ",")
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Cookies returns the request's cookies, each "name=value" as the client
// sent it: an HTTP API's or function URL's cookies list, or, for a REST
// API's event, the Cookie headers split on ";".
func (r *Request) Cookies() []string {
	if r.RawV2 != nil {
		return r.RawV2.Cookies
	}
	var out []string
	for _, h := range r.Headers.Values("Cookie") {
		for _, c := range strings.Split(h, ";") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}
