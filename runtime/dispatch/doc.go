// Package dispatch runs a chalc app in AWS Lambda: it turns a
// *chalice.App into aws-lambda-go handlers, one per function name, and
// starts the Lambda loop. The generated main is
//
//	func main() { dispatch.Start(app.App(), "<stage>") }
//
// Handler builds the handler of one function; Start picks the function
// from the environment and runs it.
//
// # REST API (api_handler)
//
// The REST router follows Chalice's app.py (chalice-reference SEMANTICS
// (vii)):
//
//   - Dispatch is by the matched resource template
//     (requestContext.resourcePath, else the event's resource) and
//     requestContext.httpMethod (else the event's httpMethod). Neither
//     template → 500 {"Code":"InternalServerError","Message":"Unknown request."}.
//     A method the path does not have, or a path the app does not have →
//     405 {"Code":"MethodNotAllowedError","Message":"Unsupported method: M"}
//     with Allow: the path's methods in registration order joined with
//     ", " ("" for an unknown path). No CORS headers on a 405.
//   - The request Content-Type (application/json when absent) must match
//     the route's ContentTypes, else 415
//     {"Code":"UnsupportedMediaType","Message":"Unsupported media type: CT"}.
//     Matching lower-cases both sides; */* on either side matches;
//     otherwise the header is split on "," and ";" and any trimmed part
//     equal to an accepted type matches.
//   - The route's result becomes a Response (see chalice.Response). A
//     chalice.StatusError (found with errors.As) is
//     {"Code": Code(), "Message": Error()} with its status. A
//     ChaliceUnhandledError goes to the middleware as an error. Any other
//     error, a panic, a header value containing "\n", a []byte body
//     without a binary Content-Type, or a request body that is not valid
//     base64 is logged ("Caught exception for path P" and the detail) and
//     answered 500 {"Code":"InternalServerError","Message":"An internal server error occurred."};
//     with the stage's Debug the body is the detail (the error text, or
//     the panic value and stack) as text/plain.
//   - A route's CORS headers are added to every response the router makes
//     for it (view errors, 500s, 415, the binary 400), except those whose
//     name the response already sets, compared ignoring case.
//   - When the response's Content-Type (application/json when absent)
//     matches a binary type, the request's Accept must match one too,
//     else 400 {"Code":"BadRequest","Message":"Request did not specify an Accept header with CT, ..."}
//     (Chalice's wording). Binary bodies are base64-encoded with
//     "isBase64Encoded": true.
//   - The Lambda response is {"headers":{...},"multiValueHeaders":{...},
//     "statusCode":N,"body":"..."}, header names sorted. One over Lambda's
//     limit (MaxResponseSize bytes) is logged with its size and replaced
//     by 502 {"Code":"ResponseTooLarge","Message":"The response is N bytes, over Lambda's limit of 6291456 bytes."}
//     with the route's CORS headers (the middleware does not see it).
//
// # Middleware
//
// Middleware is collected when the handler is built: for a function of
// kind K, every middleware registered with event_type K or all, in
// registration order, the first outermost. Authorizers have none.
//
// HTTP: a built-in error handler (outermost), the user middleware, then
// the router. HTTP middleware receives the *chalice.Request and gets a
// *chalice.Response back from next, with route errors already turned
// into responses, except a ChaliceUnhandledError, which it receives as an
// error. Middleware may answer itself without calling next. What leaves
// the outermost user middleware is settled by the built-in handler: a
// panic, a ChaliceUnhandledError or any other error → the generic 500
// (logged, without CORS headers); a StatusError → its own response (Chalice
// would answer 500 here too; chalc lets middleware refuse a request with,
// e.g., an UnauthorizedError). Middleware of event_type all sees the
// request and response as any; a result that is not a Response is
// treated as a route's result.
//
// Event functions: middleware receives the typed event (chalice.S3Event,
// ...; json.RawMessage for pure_lambda) and returns any, which becomes the
// invocation's result; it sees the handler's error and may replace it.
//
// # Other functions
//
// Event functions decode the event into its chalice type and call the
// handler; a handler error fails the invocation (so Lambda retries), a
// result is returned as JSON (a chalice.BatchResponse for
// report_batch_item_failures). Scheduled and cloudwatch functions both receive a
// chalice.CloudWatchEvent. Pure functions are run by aws-lambda-go's own
// reflection (lambda.NewHandler), built once, their signature checked at
// start.
//
// Websocket functions answer {"statusCode":200} unless they return a
// Response (written in the proxy response shape) or a JSON object (a map
// or struct), which gets "statusCode": 200 added when it has none.
//
// Builtin authorizers turn the TOKEN event into a chalice.AuthRequest
// and the chalice.AuthResponse into API Gateway's policy (see
// chalice.AuthResponse). An error that is a StatusError with status 401
// (an *UnauthorizedError) becomes the invocation error "Unauthorized"
// (ErrUnauthorized), which API Gateway answers with 401; any other error
// fails the invocation (API Gateway answers 500).
//
// # Panics and response size
//
// No invocation ends the process, so that the next event does not pay a
// cold start (aws-lambda-go exits after a panic, and after the Runtime
// API refuses a response over Lambda's size limit). A panic in any
// function's handler or middleware is logged ("Caught exception in
// function F", the panic value and the stack) and fails the invocation
// with a *PanicError ("panic: <value>"); a route's panic is the router's
// 500 (see above). A function's result over MaxResponseSize bytes is
// logged and fails the invocation with a *ResponseTooLargeError; a
// route's is the 502 above.
package dispatch
