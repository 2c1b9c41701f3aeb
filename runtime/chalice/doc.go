// Package chalice is the handler API of chalc apps, named and shaped after
// AWS Chalice's so a Chalice user reads it without a manual: Request,
// Response, the error types (BadRequestError, NotFoundError, ...), the
// event types (S3Event, SQSEvent, ...), AuthRequest/AuthResponse,
// middleware, and the app logger.
//
// Handlers are plain Go funcs named in chalice.yaml. chalc checks their
// signatures at compile time and generates chalc_gen.go, whose
// func App() *chalice.App is the dispatch table that runtime/dispatch
// serves in Lambda and runtime/chalicetest serves in tests.
//
// The package depends only on the standard library and aws-lambda-go's
// events, so it adds little to a deployment package.
//
// # Routes
//
// A route returns a result and an error. The result is a *Response or
// Response, or anything else, which becomes Response{Body: result}: a
// string is the body verbatim, nil an empty body, other values JSON as
// Chalice writes it (see Response). The error is a StatusError for an
// HTTP error answer ({"Code": ..., "Message": ...} with its status), a
// ChaliceUnhandledError for middleware to handle, or any other error,
// which is logged and answered with a generic 500 (the detail is in the
// body only when the stage's Debug is set). A panic is recovered and
// treated like an error.
//
// # Differences from Chalice
//
// Where Go or the manifest decides, chalc departs from Chalice on purpose:
//
//   - Request.QueryParams falls back to queryStringParameters when the
//     event has no multiValueQueryStringParameters; Request.Headers reads
//     multiValueHeaders (else headers), and Headers.Get returns the last
//     value of a header, as API Gateway's headers map and Chalice do.
//     With no query string, QueryParams is empty rather than None.
//   - Request.JSONBody decodes into a typed value: a body that parses but
//     does not fit the type (a string for an int field) is the same 400
//     "Error Parsing JSON" as malformed JSON. Like Chalice it parses
//     only when Content-Type starts with "application/json" (else it
//     leaves v untouched and returns nil) and an empty body with that
//     Content-Type is a 400.
//   - JSON bodies: Go maps are written with sorted keys (Chalice keeps
//     insertion order), struct fields in declaration order; floats are
//     written as encoding/json writes them (1.0 is 1, Python writes 1.0).
//     A value encoding/json cannot encode is a logged 500, not a Lambda
//     error. Non-ASCII is escaped as Python's ensure_ascii does.
//   - Response.Body nil is an empty body (Chalice writes "null" for None);
//     a typed nil pointer is still JSON null.
//   - A []byte body without a binary Content-Type is a logged 500 (in
//     Chalice, a Lambda serialization error).
//   - CORS headers are added only for names the response does not set,
//     compared ignoring case (Chalice compares case-sensitively and can
//     send a header twice).
//   - A StatusError returned by HTTP middleware is answered with its
//     status; Chalice's outermost handler would answer 500.
//   - Middleware is collected when the handler is built at start, so it
//     is validated before the first request; registration order is the
//     same as Chalice's.
//   - Logging uses slog; the level comes from the stage's log_level, else
//     DEBUG with debug and ERROR otherwise. The runtime does not change
//     AWS_EXECUTION_ENV (Chalice appends aws-chalice/<version>).
//   - Event handlers get aws-lambda-go's typed events (Kinesis data
//     already decoded, DynamoDB images as events.DynamoDBAttributeValue,
//     CloudWatchEvent.Time as a time.Time) and always the raw event in Raw.
//     S3 and SNS events without records fail the invocation, as Chalice's
//     KeyError does.
package chalice
