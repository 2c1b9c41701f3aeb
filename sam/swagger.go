package sam

import (
	"fmt"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/chalc-dev/chalc/compiler"
)

// restAPI emits RestAPI, the API handler's invoke permission and the
// REST outputs.
func (g *generator) restAPI() error {
	st := g.app.Stage
	// The swagger document (most of a large template) is built on the
	// other core while the rest of the template is built and marshalled;
	// value puts it in place.
	placeholder := "chalc:definition-body:" + awsfacts.IDRestAPI
	g.bodies[placeholder] = sync.OnceValues(g.startSwagger())
	api := &serverless.Api{
		EndpointConfiguration: &serverless.Api_EndpointConfiguration{Type: cloudformation.String(st.EndpointType.V)},
		StageName:             st.APIGatewayStage.V,
		DefinitionBody:        placeholder,
	}
	if st.MinimumCompressionSize.Set {
		api.MinimumCompressionSize = cloudformation.Int(st.MinimumCompressionSize.V)
	}
	g.t.Resources[awsfacts.IDRestAPI] = api
	g.t.Resources[awsfacts.InvokePermissionID(awsfacts.IDAPIHandler)] = g.apiPermission(cloudformation.Ref(awsfacts.IDAPIHandler))
	g.t.Outputs["RestAPIId"] = cloudformation.Output{Value: cloudformation.Ref(awsfacts.IDRestAPI)}
	g.t.Outputs["APIHandlerName"] = cloudformation.Output{Value: cloudformation.Ref(awsfacts.IDAPIHandler)}
	g.t.Outputs["APIHandlerArn"] = cloudformation.Output{Value: cloudformation.GetAtt(awsfacts.IDAPIHandler, "Arn")}
	g.t.Outputs["EndpointURL"] = cloudformation.Output{Value: cloudformation.Sub(
		"https://${" + awsfacts.IDRestAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + st.APIGatewayStage.V + "/")}
	return nil
}

func lambdaURI(fnID string) string {
	return cloudformation.Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + fnID + ".Arn}/invocations")
}

// startSwagger builds the swagger document in a goroutine and returns
// the function that waits for it.
func (g *generator) startSwagger() func() (any, error) {
	type result struct {
		doc any
		err error
	}
	ch := make(chan result, 1)
	go func() {
		doc, err := g.swagger()
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{doc: plainJSON(doc)}
	}()
	return func() (any, error) {
		r := <-ch
		return r.doc, r.err
	}
}

// Swagger returns the swagger 2.0 document of app's REST API as the
// template's RestAPI DefinitionBody holds it, API Gateway extensions and
// intrinsic functions included, as plain JSON values (maps, slices,
// strings, json.Number, bools). apidoc derives `chalc generate-models`
// from it, so the published document and the deployed one never differ.
func Swagger(app *compiler.App) (map[string]any, error) {
	g := &generator{app: app}
	doc, err := g.swagger()
	if err != nil {
		return nil, err
	}
	return plainJSON(doc).(map[string]any), nil
}

// swagger builds the API's swagger 2.0 definition as Chalice's
// SwaggerGenerator does.
func (g *generator) swagger() (map[string]any, error) {
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
		"uri":                 lambdaURI(awsfacts.IDAPIHandler),
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
func (g *generator) preflight(path string) map[string]any {
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
		auth["authorizerUri"] = lambdaURI(a.Function.LogicalID)
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
