package swagger

import (
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/internal/cfnjson"
)

// HTTPDocument returns the OpenAPI 3.0 document of app's HTTP API (a
// stage with api_kind: http), with API Gateway's extensions, as plain
// JSON values: the HttpAPI resource's Body. The same routes as the REST
// API's swagger, each an operation integrated with api_handler through
// one shared integration (components.x-amazon-apigateway-integrations:
// an HTTP API counts integrations, and every route has the same one) in
// payload format 2.0; the routes' authorizers as security schemes
// (builtin: a Lambda REQUEST authorizer with simple responses, cached
// per token and route; cognito_user_pool and jwt: a JWT authorizer;
// iam: SigV4); the API's CORS as x-amazon-apigateway-cors.
func HTTPDocument(app *compiler.App) (map[string]any, error) {
	paths := map[string]any{}
	schemes := map[string]any{}
	integration := map[string]any{"$ref": "#/components/x-amazon-apigateway-integrations/" + awsfacts.APIHandlerFunctionName}
	for _, r := range app.Routes {
		p, ok := paths[r.Path].(map[string]any)
		if !ok {
			p = map[string]any{}
			paths[r.Path] = p
		}
		op := map[string]any{
			"responses":                       map[string]any{"default": map[string]any{"description": "The function's response"}},
			"x-amazon-apigateway-integration": integration,
		}
		if r.Summary != "" {
			op["summary"] = r.Summary
		}
		if r.Description != "" {
			op["description"] = r.Description
		}
		if len(r.Params) > 0 {
			var params []any
			for _, name := range r.Params {
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
			op["parameters"] = params
		}
		if a := r.Authorizer; a != nil {
			scopes := []string{}
			if a.Type == compiler.AuthCognito || a.Type == compiler.AuthJWT {
				scopes = append(scopes, r.Scopes...)
			}
			op["security"] = []any{map[string]any{a.SecurityName: scopes}}
			schemes[a.SecurityName] = httpSecurityScheme(a)
		}
		p[strings.ToLower(r.Method)] = op
	}
	components := map[string]any{
		"x-amazon-apigateway-integrations": map[string]any{
			awsfacts.APIHandlerFunctionName: map[string]any{
				"type":                 "aws_proxy",
				"httpMethod":           "POST",
				"uri":                  cfnjson.Sub(LambdaURI(awsfacts.IDAPIHandler)),
				"payloadFormatVersion": "2.0",
			},
		},
	}
	if len(schemes) > 0 {
		components["securitySchemes"] = schemes
	}
	doc := map[string]any{
		"openapi":    "3.0.1",
		"info":       map[string]any{"version": "1.0", "title": app.Name},
		"paths":      paths,
		"components": components,
	}
	if cors := app.HTTPCORS().Native(app.CORSMethods()); cors != nil {
		c := map[string]any{
			"allowOrigins": cors.AllowOrigins,
			"allowMethods": cors.AllowMethods,
			"allowHeaders": cors.AllowHeaders,
		}
		if len(cors.ExposeHeaders) > 0 {
			c["exposeHeaders"] = cors.ExposeHeaders
		}
		if cors.MaxAge != nil {
			c["maxAge"] = *cors.MaxAge
		}
		if cors.AllowCredentials {
			c["allowCredentials"] = true
		}
		doc["x-amazon-apigateway-cors"] = c
	}
	return cfnjson.Plain(doc).(map[string]any), nil
}

// BuiltinAuthorizerTTL is how long an HTTP API caches a builtin
// authorizer's answer when ttl_seconds does not say: API Gateway's
// default, as a REST API's.
const BuiltinAuthorizerTTL = 300

// httpSecurityScheme is the security scheme of an authorizer in an HTTP
// API.
func httpSecurityScheme(a *compiler.Authorizer) map[string]any {
	header := "$request.header." + a.Header
	switch a.Type {
	case compiler.AuthIAM:
		return map[string]any{"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
	case compiler.AuthCognito, compiler.AuthJWT:
		return map[string]any{
			"type": "oauth2",
			"x-amazon-apigateway-authorizer": map[string]any{
				"type":             "jwt",
				"jwtConfiguration": map[string]any{"issuer": a.JWTIssuer(), "audience": a.Audience},
				"identitySource":   header,
			},
		}
	}
	// builtin: a Lambda REQUEST authorizer answering with simple
	// responses. Its answer depends on the route (AuthResponse.Routes),
	// so API Gateway caches it per token and route: the route key is part
	// of the identity source, hence of the cache key.
	ttl := BuiltinAuthorizerTTL
	if a.TTLSeconds != nil {
		ttl = *a.TTLSeconds
	}
	auth := map[string]any{
		"type":                           "request",
		"identitySource":                 header + ", $context.routeKey",
		"authorizerUri":                  cfnjson.Sub(LambdaURI(a.Function.LogicalID)),
		"authorizerPayloadFormatVersion": "2.0",
		"enableSimpleResponses":          true,
		"authorizerResultTtlInSeconds":   ttl,
	}
	if a.ExecutionRole != "" {
		auth["authorizerCredentials"] = a.ExecutionRole
	}
	return map[string]any{"type": "apiKey", "name": a.Header, "in": "header", "x-amazon-apigateway-authorizer": auth}
}
