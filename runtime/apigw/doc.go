// Package apigw emulates what Amazon API Gateway (a REST API with Lambda
// proxy integration, as chalc deploys it, or an HTTP API: see "HTTP APIs
// and function URLs") does in front of a chalc app's api_handler, and a
// Lambda function URL in front of a function: route matching, CORS
// preflight, builtin authorizers, the proxy event and the proxy response.
// The test client
// (runtime/chalicetest) and `chalc local` both use it; every Lambda call
// goes through runtime/dispatch, the code that runs in Lambda, so
// middleware, content types, CORS headers, binary bodies and errors
// behave exactly as deployed.
//
//	gw, err := apigw.New(app.App(), apigw.Stage("dev"))
//	if err != nil { ... }
//	log.Fatal(http.ListenAndServe("localhost:8000", gw))
//
// # What is emulated
//
//   - Routing: the request path is matched against the routes' resource
//     templates one "/"-separated segment at a time. A static segment
//     wins over a {param} (/pets/mine beats /pets/{id}), trying the
//     static branch first and backtracking. A {param} matches one
//     non-empty segment. Segments are compared and path parameters
//     passed percent-decoded ("%2F" stays inside its segment), while the
//     event's path keeps the request's encoding, as API Gateway's. One
//     trailing slash is ignored (/pets/ is /pets). A path no route has,
//     or a method its resource does not have, is API Gateway's 403
//     {"message":"Missing Authentication Token"} (x-amzn-ErrorType:
//     MissingAuthenticationTokenException): the Lambda is not called, so
//     runtime/dispatch's 405 is never seen through a gateway, as in AWS.
//   - CORS preflight: OPTIONS on a resource whose routes enable CORS is
//     answered 200 by the gateway (the template's mock integration),
//     without calling the Lambda, with Access-Control-Allow-Methods = the
//     CORS-enabled methods in registration order plus OPTIONS, joined
//     with ",", and the routes' precomputed CORS headers. The Lambda adds
//     the CORS headers of other responses itself.
//   - The proxy event (payload format 1.0): resource, path, httpMethod,
//     headers (the last value of each name) and multiValueHeaders,
//     queryStringParameters (the last value) and
//     multiValueQueryStringParameters, pathParameters, stageVariables
//     (null), requestContext (resourcePath, httpMethod, path with the API
//     stage prefix, stage, requestId, requestTime, identity.sourceIp and
//     userAgent, accountId, apiId, domainName, authorizer), body (null
//     when empty) and isBase64Encoded: the body is base64-encoded when the
//     request's media type (Content-Type without parameters, ignoring
//     case) is one of the app's binary types ("type/*" and "*/*"
//     wildcards allowed, as API Gateway's binaryMediaTypes).
//   - Builtin authorizers (chalice.Route.Authorizer names the function):
//     the token is the request header the authorizer's header: key names
//     (chalice.Route.AuthorizerHeader; Authorization by default). A
//     missing or empty token is 401 {"message":"Unauthorized"} without
//     calling the authorizer, as API Gateway does. Otherwise the
//     authorizer runs through runtime/dispatch with a TOKEN event whose
//     methodArn is arn:aws:execute-api:REGION:ACCOUNT:API_ID/API_STAGE/METHOD/PATH
//     (the request path without its leading "/"). Its "Unauthorized"
//     error is 401 {"message":"Unauthorized"}; any other error (a panic
//     too: runtime/dispatch recovers it) or an answer without principalId
//     or policyDocument is 500 {"message":null}
//     (AuthorizerConfigurationException), logged. The policy is
//     evaluated as IAM does for execute-api:Invoke on the methodArn: a
//     matching Deny wins, else a matching Allow admits ("*" and "?"
//     wildcards in Action and Resource), else 403
//     {"Message":"User is not authorized to access this resource"}
//     (AccessDeniedException). When admitted, requestContext.authorizer
//     holds the context with its values stringified as API Gateway does
//     (a JSON object or array in the context is a 500), plus principalId
//     and integrationLatency. Results are not cached (every request runs
//     the authorizer, as with ttl_seconds: 0).
//   - The proxy response: statusCode, headers and multiValueHeaders merged
//     (a value present in both is sent once), body base64-decoded when
//     isBase64Encoded. Content-Type defaults to application/json, and
//     every response carries x-amzn-RequestId. A Lambda error or a
//     malformed proxy response is 502 {"message": "Internal server error"}
//     (InternalServerErrorException).
//
// # What is not enforced
//
//   - iam, cognito_user_pool and custom authorizers cannot run locally
//     (chalice.Route.AuthorizerType says which guards a route): the
//     route runs as if the caller were authorized, with what a Caller
//     says the authorizer would have answered — Request.Caller, else the
//     gateway's Callers (WithCallers), by authorizer name, else by type:
//     Cognito claims in requestContext.authorizer.claims (values as
//     strings), an IAM identity in requestContext.identity, a custom
//     authorizer's principalId and context in requestContext.authorizer.
//     A Caller's Function runs a function of the app as the custom
//     authorizer instead, as builtin ones run. Without a Caller there is
//     no requestContext.authorizer. Tokens are not checked.
//   - api_key_required is not enforced: no x-api-key is checked.
//   - Authorizer result caching, throttling, usage plans, request
//     validation, resource policies, custom domains and gateway
//     responses other than the ones above are not emulated.
//   - Stage variables are always null (chalc defines none).
//
// # HTTP APIs and function URLs
//
// In a stage whose APIKind is http the gateway is an HTTP API (API
// Gateway v2): the same routing, with an unknown path or method 404
// {"message":"Not Found"}; payload format 2.0 events (version, routeKey
// "METHOD /template", rawPath with the stage's prefix, rawQueryString,
// cookies, headers lower-cased with a name's values joined by commas,
// requestContext.http, a body base64-encoded unless its Content-Type is
// text: text/*, JSON, JavaScript, XML, YAML or form data) and responses
// (statusCode, headers, cookies as Set-Cookie, body); a Lambda failure
// 500 {"message":"Internal Server Error"}; Apigw-Requestid on every
// response. CORS is the stage's APICORS, API Gateway's own: a preflight
// (OPTIONS with Origin and Access-Control-Request-Method) is answered
// 204, and responses to an allowed Origin get its headers instead of the
// function's. Builtin authorizers get a payload 2.0 REQUEST event
// (identitySource: the token and the route key) and answer with a simple
// response: refused is 403 {"message":"Forbidden"}, a missing token 401.
// JWT authorizers (jwt, and cognito_user_pool in an HTTP API) take the
// Caller's claims (requestContext.authorizer.jwt; its claim "scope" is
// the token's scopes, and a route with Scopes none of which it holds is
// 403), iam ones its identity (requestContext.authorizer.iam).
//
// FunctionURL emulates a function's Lambda function URL (NewFunctionURL):
// every path and method to the function, in the same payload format 2.0
// (routeKey $default, rawPath as sent), the URL's CORS, and with auth
// AWS_IAM a 403 {"Message":"Forbidden"} unless a Caller gives the signed
// identity; a failed invocation is 502.
//
// The ARN parts of the emulated API are Region, AccountID and APIID.
package apigw
