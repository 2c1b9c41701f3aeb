// Package chalicetest is the test client of chalc apps, Chalice's
// chalice.test.Client in Go: it calls an app's routes and functions in
// process, through the code that runs them in Lambda (runtime/dispatch),
// so middleware, content types, CORS headers, binary bodies and errors
// behave exactly as deployed.
//
//	func TestGetPet(t *testing.T) {
//		c := chalicetest.New(t, app.App(), chalicetest.Stage("prod"))
//		resp := c.HTTP.Get("/pets/1", chalicetest.Header("Accept", "application/json"))
//		if resp.StatusCode != 200 {
//			t.Fatalf("GET /pets/1 = %d %s", resp.StatusCode, resp)
//		}
//		var pet app.Pet
//		if err := resp.JSON(&pet); err != nil {
//			t.Fatal(err)
//		}
//		out, err := c.Lambda.Invoke("on_note", c.Events.SNS("hello", "greeting"))
//		...
//	}
//
// c.HTTP sends requests through an emulated API Gateway (runtime/apigw):
// routing by resource template, CORS preflight, builtin authorizers, the
// proxy event and the binary conversions, as in AWS; see that package for
// what is emulated and what is not enforced (API keys). iam, cognito and
// custom authorizers run in AWS, outside the app: a request says what
// they answered with Claims, IAMIdentity or Principal, or runs a
// function of the app as the custom authorizer with RunAuthorizer:
//
//	resp := c.HTTP.Get("/profile", chalicetest.Claims(map[string]any{"sub": "u-1", "email": "ana@example.com"}))
//
// In a stage with api_kind: http, c.HTTP is an HTTP API (payload format
// 2.0 events, API Gateway's CORS, 404 for an unknown route), and Claims
// gives a JWT authorizer's claims; the handlers see the same Request. A
// function with url: is called through its function URL with
// c.FunctionURL(name), a client like c.HTTP:
//
//	resp := c.FunctionURL("webhook").Post("/github", chalicetest.JSON(event))
//
// c.Lambda.Invoke calls any function by name: a functions: key, an
// authorizer, websocket_connect/_message/_disconnect, or api_handler
// with a raw proxy event. c.Events builds the events AWS sends (S3, SNS,
// SQS, Kinesis, DynamoDB streams, EventBridge, schedules, websocket
// connect/message/disconnect) in AWS's shape, with runtime/samples, from
// the JSON samples the runtime's tests use; InvokeResult.BatchItemFailures
// reads the answer of a function with report_batch_item_failures:
//
//	res, err := c.Lambda.Invoke("on_job", c.Events.SQS("ok", "fail"))
//	failed, err := res.BatchItemFailures() // the IDs of the messages to retry
//
// c.Websocket connects emulated clients to the websocket API: Connect,
// Send and Close run the connect, message and disconnect handlers, and
// what the app sends back through WebsocketEvent.API() (Send, Close,
// Info) is recorded on the connection (Received), without AWS
// credentials. (It points WebsocketEvent.API() at a management API of
// the client's own with t.Setenv: such a test cannot be parallel.)
//
// # Stage and environment
//
// Stage selects the stage (default "dev") whose settings the handlers use
// and whose environment variables they see: during each call, the
// variables of the function called (api_handler's for HTTP requests,
// each authorizer's own, the function's for Lambda.Invoke), as Lambda
// would set them; between calls, every variable the stage defines for
// any function (api_handler's value first when functions disagree). The
// variables are set with t.Setenv when New runs, so the test's Cleanup
// restores the process environment, and a test whose stage defines any
// environment variable cannot call t.Parallel (t.Setenv panics in a
// parallel test). Calls whose function environment differs from the one
// between calls are serialized; others may run concurrently.
//
// # Logging
//
// New sets up the app's log (chalice.Logger) for the stage as the Lambda
// bootstrap does: lines named after the app, at the stage's level
// (log_level, else DEBUG with debug: true, else ERROR), on os.Stdout
// unless LogOutput says otherwise; the previous set-up is restored when
// the test ends. The logger is one per process: tests that run in
// parallel with clients of different apps or stages share it.
//
// Failures to build the client (an unknown stage, an app runtime/dispatch
// refuses) stop the test with t.Fatal; requests never do: a Lambda
// failure behind an HTTP request is the gateway's 502 (or an authorizer's
// 500) with the cause in Response.Err, and Lambda.Invoke returns the
// function's error. A handler's panic is such a failure, as in Lambda
// (runtime/dispatch recovers it: a *dispatch.PanicError, logged with its
// stack); a route's is the router's 500.
package chalicetest
