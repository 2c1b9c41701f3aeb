// Package swagger builds the API documents the template deploys, API
// Gateway extensions and CloudFormation intrinsics included, as plain
// JSON values: a REST API's swagger 2.0 document as Chalice's
// SwaggerGenerator does (the RestAPI DefinitionBody; apidoc derives the
// published API documents from it, so the two never differ), and an HTTP
// API's OpenAPI 3.0 document (HTTPDocument, the HttpAPI Body).
package swagger

import (
	"fmt"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/internal/cfnjson"
)

// Document returns the swagger 2.0 document of app's REST API as plain
// JSON values (maps, slices, strings, json.Number, bools).
func Document(app *compiler.App) (map[string]any, error) {
	doc, err := (&builder{app: app}).document()
	if err != nil {
		return nil, err
	}
	return cfnjson.Plain(doc).(map[string]any), nil
}

// LambdaURI is the Fn::Sub text of the URI through which API Gateway
// invokes the function fnID (a logical ID).
func LambdaURI(fnID string) string {
	return "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + fnID + ".Arn}/invocations"
}

type builder struct{ app *compiler.App }

// swagger builds the API's swagger 2.0 definition as Chalice's
// SwaggerGenerator does.
func (g *builder) document() (map[string]any, error) {
	paths := map[string]any{}
	var order []string
	used := map[string]*compiler.Authorizer{}
	apiKey := false
	// Every operation shares these read-only parts (Value copies the
	// document once when it puts it in place).
	produces := []string{"application/json"}
	responses := map[string]any{
		"200": map[string]any{"description": "200 response", "schema": map[string]any{"$ref": "#/definitions/Empty"}},
	}
	integration := map[string]any{
		"responses":           map[string]any{"default": map[string]any{"statusCode": "200"}},
		"uri":                 cfnjson.Sub(LambdaURI(awsfacts.IDAPIHandler)),
		"passthroughBehavior": "when_no_match",
		"httpMethod":          "POST",
		"contentHandling":     "CONVERT_TO_TEXT",
		"type":                "aws_proxy",
	}
	for _, r := range g.app.Routes {
		p, ok := paths[r.Path].(map[string]any)
		if !ok {
			p = map[string]any{}
			paths[r.Path] = p
			order = append(order, r.Path)
		}
		op := map[string]any{
			"consumes":                        r.ContentTypes,
			"produces":                        produces,
			"responses":                       responses,
			"x-amazon-apigateway-integration": integration,
		}
		if r.Summary != "" {
			op["summary"] = r.Summary
		}
		if r.Description != "" {
			op["description"] = r.Description
		}
		var security []any
		if r.APIKeyRequired {
			apiKey = true
			security = append(security, map[string]any{"api_key": []string{}})
		}
		if a := r.Authorizer; a != nil {
			scopes := r.Scopes
			if scopes == nil {
				scopes = []string{}
			}
			security = append(security, map[string]any{a.SecurityName: scopes})
			used[a.SecurityName] = a
		}
		if len(security) > 0 {
			op["security"] = security
		}
		if len(r.Params) > 0 {
			var params []any
			for _, name := range r.Params {
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "type": "string"})
			}
			op["parameters"] = params
		}
		p[strings.ToLower(r.Method)] = op
	}
	for _, path := range order {
		if pre := g.preflight(path); pre != nil {
			paths[path].(map[string]any)["options"] = pre
		}
	}
	doc := map[string]any{
		"swagger": "2.0",
		"info":    map[string]any{"version": "1.0", "title": g.app.Name},
		"schemes": []string{"https"},
		"paths":   paths,
		"definitions": map[string]any{
			"Empty": map[string]any{"type": "object", "title": "Empty Schema"},
		},
		"x-amazon-apigateway-binary-media-types": g.app.BinaryTypes,
	}
	sec := map[string]any{}
	if apiKey {
		sec["api_key"] = map[string]any{"type": "apiKey", "name": "x-api-key", "in": "header"}
	}
	for name, a := range used {
		sec[name] = securityDefinition(a)
	}
	if len(sec) > 0 {
		doc["securityDefinitions"] = sec
	}
	st := g.app.Stage
	switch {
	case st.PolicyFile.V != "":
		// Read and checked by the compiler.
		if g.app.APIPolicyDocument == nil {
			return nil, fmt.Errorf("api_gateway_policy_file %s was not read", st.PolicyFile.V)
		}
		doc["x-amazon-apigateway-policy"] = g.app.APIPolicyDocument
	case st.EndpointType.V == "PRIVATE":
		var vpce any = st.EndpointVPCE.V
		if st.EndpointVPCE.Scalar && len(st.EndpointVPCE.V) == 1 {
			vpce = st.EndpointVPCE.V[0]
		}
		doc["x-amazon-apigateway-policy"] = map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect":    "Allow",
				"Principal": "*",
				"Action":    "execute-api:Invoke",
				"Resource":  "arn:*:execute-api:*:*:*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceVpce": vpce}},
			}},
		}
	}
	if len(st.EndpointVPCE.V) > 0 {
		doc["x-amazon-apigateway-endpoint-configuration"] = map[string]any{"vpcEndpointIds": st.EndpointVPCE.V}
	}
	return doc, nil
}

// preflight returns the OPTIONS mock integration for a path whose routes
// enable CORS, or nil.
func (g *builder) preflight(path string) map[string]any {
	headers := g.app.PreflightHeaders(path)
	if headers == nil {
		return nil
	}
	respHeaders := map[string]any{}
	params := map[string]any{}
	for _, h := range headers {
		respHeaders[h[0]] = map[string]any{"type": "string"}
		params["method.response.header."+h[0]] = "'" + h[1] + "'"
	}
	return map[string]any{
		"consumes": []string{"application/json"},
		"produces": []string{"application/json"},
		"responses": map[string]any{
			"200": map[string]any{
				"description": "200 response",
				"schema":      map[string]any{"$ref": "#/definitions/Empty"},
				"headers":     respHeaders,
			},
		},
		"x-amazon-apigateway-integration": map[string]any{
			"responses": map[string]any{
				"default": map[string]any{"statusCode": "200", "responseParameters": params},
			},
			"requestTemplates":    map[string]any{"application/json": "{\"statusCode\": 200}"},
			"passthroughBehavior": "when_no_match",
			"type":                "mock",
			"contentHandling":     "CONVERT_TO_TEXT",
		},
	}
}

func securityDefinition(a *compiler.Authorizer) map[string]any {
	switch a.Type {
	case compiler.AuthIAM:
		return map[string]any{"in": "header", "type": "apiKey", "name": "Authorization", "x-amazon-apigateway-authtype": "awsSigv4"}
	case compiler.AuthCognito:
		return map[string]any{
			"in": "header", "type": "apiKey", "name": a.Header,
			"x-amazon-apigateway-authtype": "cognito_user_pools",
			"x-amazon-apigateway-authorizer": map[string]any{
				"type": "cognito_user_pools", "providerARNs": a.ProviderARNs,
			},
		}
	}
	auth := map[string]any{"type": "token"}
	if a.Type == compiler.AuthBuiltin {
		auth["authorizerUri"] = cfnjson.Sub(LambdaURI(a.Function.LogicalID))
		if a.ExecutionRole != "" {
			auth["authorizerCredentials"] = a.ExecutionRole
		}
	} else {
		auth["authorizerUri"] = a.AuthorizerURI
		if a.InvokeRoleARN != "" {
			auth["authorizerCredentials"] = a.InvokeRoleARN
		}
	}
	if a.TTLSeconds != nil {
		auth["authorizerResultTtlInSeconds"] = *a.TTLSeconds
	} else if a.Type == compiler.AuthCustom {
		auth["authorizerResultTtlInSeconds"] = 300
	}
	return map[string]any{
		"in": "header", "type": "apiKey", "name": a.Header,
		"x-amazon-apigateway-authtype":   "custom",
		"x-amazon-apigateway-authorizer": auth,
	}
}
