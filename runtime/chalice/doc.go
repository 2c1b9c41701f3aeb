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
package chalice
