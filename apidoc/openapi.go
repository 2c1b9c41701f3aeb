package apidoc

import (
	"fmt"
	"strings"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/stages"
)

// OpenAPIVersion is the version of the documents OpenAPI3 writes.
const OpenAPIVersion = "3.0.3"

// apiStage is the API Gateway stage name of the app's stage.
func apiStage(app *compiler.App) string {
	if app.Stage != nil && app.Stage.APIGatewayStage.V != "" {
		return app.Stage.APIGatewayStage.V
	}
	return stages.DefaultAPIStage
}

// stageName is the app stage being described.
func stageName(app *compiler.App) string {
	if app.Stage != nil && app.Stage.Name != "" {
		return app.Stage.Name
	}
	return stages.DefaultStage
}

// ExecuteAPIURL is the stage's invoke URL with {restApiId} and {region}
// placeholders (the RestAPIId output and the stack's region).
func ExecuteAPIURL(app *compiler.App) string {
	return "https://{restApiId}.execute-api.{region}.amazonaws.com/" + apiStage(app)
}

// The error responses of components.responses, by name.
var errorResponses = map[string]struct {
	status, description, schema string
}{
	"UnsupportedMediaType": {"415", "The request's Content-Type is not one the route accepts (a request without one is application/json): " +
		`{"Code": "UnsupportedMediaType", "Message": "Unsupported media type: <type>"}.`, "Error"},
	"InternalServerError": {"500", "The handler failed unexpectedly (an error that is not a chalice.StatusError, or a panic): " +
		`{"Code": "InternalServerError", "Message": "An internal server error occurred."}. ` +
		"With debug: true the body is the error's text, as text/plain.", "Error"},
	"BadGateway": {"502", "API Gateway got no valid answer from the Lambda function (it failed or timed out): " +
		`{"message": "Internal server error"}.`, "GatewayError"},
	"Unauthorized": {"401", "API Gateway refused the request before calling the app: the authorizer's token header is missing or empty, " +
		`or the authorizer rejected it: {"message": "Unauthorized"}.`, "GatewayError"},
	"Forbidden": {"403", "API Gateway refused the request before calling the app: the x-api-key header is missing or not a valid key " +
		`({"message": "Forbidden"}), or the authorizer's policy denies the call ` +
		`({"Message": "User is not authorized to access this resource"}).`, "GatewayError"},
	"Error": {"default", "An error the handler returned: a chalice.StatusError answers with its status and " +
		"{Code, Message}: BadRequestError 400, UnauthorizedError 401, ForbiddenError 403, NotFoundError 404, " +
		"MethodNotAllowedError 405, RequestTimeoutError 408, ConflictError 409, UnprocessableEntityError 422, " +
		"TooManyRequestsError 429, ChaliceViewError 500, or the application's own types.", "Error"},
}

// OpenAPI3 returns the OpenAPI 3.0.3 document of app's REST API: the same
// paths, methods, summaries, parameters and security as Swagger's, with
// what OpenAPI 3 can say besides (servers, request bodies by content
// type, error responses).
func OpenAPI3(app *compiler.App) (map[string]any, error) {
	if len(app.Routes) == 0 {
		return nil, ErrNoRoutes
	}
	paths := map[string]any{}
	var order []string
	schemes := map[string]any{}
	usedResponses := map[string]bool{}
	ref := func(name string) map[string]any {
		usedResponses[name] = true
		return map[string]any{"$ref": "#/components/responses/" + name}
	}
	for _, op := range Operations(app) {
		r := op.Route
		item, ok := paths[r.Path].(map[string]any)
		if !ok {
			item = map[string]any{}
			paths[r.Path] = item
			order = append(order, r.Path)
		}
		o := map[string]any{"operationId": op.ID}
		if r.Summary != "" {
			o["summary"] = r.Summary
		}
		if r.Description != "" {
			o["description"] = r.Description
		}
		if len(r.Params) > 0 {
			var params []any
			for _, name := range r.Params {
				params = append(params, map[string]any{
					"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"},
				})
			}
			o["parameters"] = params
		}
		switch r.Method {
		case "POST", "PUT", "PATCH":
			content := map[string]any{}
			for _, ct := range r.ContentTypes {
				content[ct] = map[string]any{"schema": bodySchema(ct, app.BinaryTypes)}
			}
			o["requestBody"] = map[string]any{
				"description": "The request body, in one of the content types the route accepts (" + strings.Join(r.ContentTypes, ", ") + ").",
				"content":     content,
			}
		}
		responses := map[string]any{
			"200": map[string]any{
				"description": "200 response",
				"content":     map[string]any{"application/json": map[string]any{"schema": map[string]any{}}},
			},
			"415":     ref("UnsupportedMediaType"),
			"500":     ref("InternalServerError"),
			"502":     ref("BadGateway"),
			"default": ref("Error"),
		}
		requirement := map[string]any{}
		if r.APIKeyRequired {
			requirement["api_key"] = []string{}
			schemes["api_key"] = map[string]any{
				"type": "apiKey", "in": "header", "name": "x-api-key",
				"description": "An API Gateway API key (api_key_required: true); API Gateway answers 403 without a valid one.",
			}
			responses["403"] = ref("Forbidden")
		}
		if a := r.Authorizer; a != nil {
			// Every scheme is an apiKey header, and OpenAPI 3.0 gives
			// scopes meaning only for oauth2 and openIdConnect: an
			// apiKey requirement lists none. The OAuth scopes a Cognito
			// authorizer checks (API Gateway's AuthorizationScopes) are
			// kept, informative only, in x-authorization-scopes.
			requirement[a.SecurityName] = []string{}
			if len(r.Scopes) > 0 {
				o["x-authorization-scopes"] = r.Scopes
			}
			schemes[a.SecurityName] = securityScheme(a)
			if a.Type != compiler.AuthIAM {
				responses["401"] = ref("Unauthorized")
			}
			responses["403"] = ref("Forbidden")
		}
		if len(requirement) > 0 {
			// One requirement object: API Gateway checks the key AND the
			// authorizer.
			o["security"] = []any{requirement}
		}
		o["responses"] = responses
		item[strings.ToLower(r.Method)] = o
	}
	for _, path := range order {
		if pre := preflight(app, path); pre != nil {
			paths[path].(map[string]any)["options"] = pre
		}
	}
	componentResponses := map[string]any{}
	for name := range usedResponses {
		e := errorResponses[name]
		componentResponses[name] = map[string]any{
			"description": e.description,
			"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + e.schema},
			}},
		}
	}
	components := map[string]any{
		"schemas": map[string]any{
			"Error": map[string]any{
				"type":        "object",
				"description": "The body of an error the app answers, as Chalice writes it.",
				"required":    []string{"Code", "Message"},
				"properties": map[string]any{
					"Code": map[string]any{
						"type":        "string",
						"description": "The kind of error: the chalice.StatusError's Code() (NotFoundError, BadRequestError, ...), UnsupportedMediaType or InternalServerError.",
						"example":     "NotFoundError",
					},
					"Message": map[string]any{"type": "string", "description": "What went wrong."},
				},
			},
			"GatewayError": map[string]any{
				"type":        "object",
				"description": "The body of an error API Gateway answers itself; its x-amzn-ErrorType header names the error.",
				"properties": map[string]any{
					"message": map[string]any{"type": "string", "nullable": true},
					"Message": map[string]any{"type": "string", "description": "Set instead of message when an authorizer's policy denies the call."},
				},
			},
		},
		"responses": componentResponses,
	}
	if len(schemes) > 0 {
		components["securitySchemes"] = schemes
	}
	stage := apiStage(app)
	servers := []any{map[string]any{
		"url":         ExecuteAPIURL(app),
		"description": fmt.Sprintf("API Gateway stage %s of the stack deployed for stage %s", stage, stageName(app)),
		"variables": map[string]any{
			"restApiId": map[string]any{"default": "REST_API_ID", "description": "The REST API's id: the RestAPIId output of the deployed stack."},
			"region":    map[string]any{"default": "us-east-1", "description": "The AWS region the stack is deployed in."},
		},
	}}
	if d := app.Stage; d != nil && d.APICustomDomain != nil && d.APICustomDomain.DomainName.V != "" {
		url := "https://" + d.APICustomDomain.DomainName.V
		if p := strings.Trim(d.APICustomDomain.URLPrefix.V, "/"); p != "" {
			url += "/" + p
		}
		servers = append(servers, map[string]any{"url": url, "description": "The custom domain (api_gateway_custom_domain)"})
	}
	return map[string]any{
		"openapi":    OpenAPIVersion,
		"info":       map[string]any{"title": app.Name, "version": "1.0"},
		"servers":    servers,
		"paths":      paths,
		"components": components,
	}, nil
}

// bodySchema is the schema of a request body of content type ct.
func bodySchema(ct string, binary []string) map[string]any {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	switch {
	case mt == "*/*":
		return map[string]any{}
	case isBinaryType(mt, binary):
		return map[string]any{"type": "string", "format": "binary"}
	case isJSONType(mt):
		return map[string]any{}
	case mt == "application/x-www-form-urlencoded":
		return map[string]any{"type": "object"}
	}
	return map[string]any{"type": "string"}
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// isBinaryType reports whether media type mt is one of the API's binary
// types, with API Gateway's "type/*" and "*/*" wildcards.
func isBinaryType(mt string, binary []string) bool {
	for _, b := range binary {
		b = strings.ToLower(strings.TrimSpace(b))
		if b == mt || b == "*/*" || strings.HasSuffix(b, "/*") && strings.HasPrefix(mt, strings.TrimSuffix(b, "*")) {
			return true
		}
	}
	return false
}

// preflight is the OPTIONS operation API Gateway answers for a path whose
// routes enable CORS, or nil (see sam's preflight).
func preflight(app *compiler.App, path string) map[string]any {
	pre := app.PreflightHeaders(path)
	if pre == nil {
		return nil
	}
	headers := map[string]any{}
	for _, h := range pre {
		headers[h[0]] = map[string]any{"schema": map[string]any{"type": "string"}, "example": h[1]}
	}
	return map[string]any{
		"summary":     "CORS preflight",
		"description": "Answered by API Gateway itself (a mock integration), not by the app.",
		"responses": map[string]any{
			"200": map[string]any{"description": "200 response", "headers": headers},
		},
	}
}

// securityScheme describes an authorizer as the apiKey header it reads.
func securityScheme(a *compiler.Authorizer) map[string]any {
	name, desc := a.Header, ""
	switch a.Type {
	case compiler.AuthIAM:
		name = "Authorization"
		desc = "AWS Signature Version 4: requests signed with IAM credentials (authorizer " + a.Key + ", type iam)."
	case compiler.AuthCognito:
		desc = "An Amazon Cognito user pool token (authorizer " + a.Key + ", type cognito_user_pool)."
	case compiler.AuthBuiltin:
		fn := a.Key
		if a.Function != nil {
			fn = a.Function.Name
		}
		desc = "A token checked by the app's Lambda authorizer " + fn + " (authorizer " + a.Key + ", type builtin)."
	default:
		desc = "A token checked by a Lambda authorizer outside the app (authorizer " + a.Key + ", type custom)."
	}
	return map[string]any{"type": "apiKey", "in": "header", "name": name, "description": desc}
}
