package chalice

import (
	"context"
	"encoding/json"
)

// App is an app's dispatch table: every route, function, authorizer and
// middleware, and the per-stage settings. chalc generates the code that
// builds it (chalc_gen.go: func App() *chalice.App); the runtime
// (runtime/dispatch) and the test client (runtime/chalicetest) read it.
// Nothing reads YAML at run time.
//
// Registration methods panic on programming errors (a duplicate name, a
// route registered twice): the generated code never makes them, and a
// hand-written App fails at start-up rather than on a request.
type App struct {
	name       string
	config     Config
	routes     []*Route
	functions  []*Function
	byName     map[string]*Function
	middleware []*Middleware
}

// Config is what an App knows beyond its handlers.
type Config struct {
	// BinaryTypes are the media types API Gateway treats as binary:
	// Chalice's 16 defaults plus api.binary_types, or only those with
	// api.binary_types_replace_defaults. nil means the defaults; an empty
	// list none at all.
	BinaryTypes []string
	// Stages holds the per-stage settings; "dev" always exists.
	Stages map[string]Stage
	// Sources are the manifest files (chalice.yaml and its blueprint
	// fragments) the generated code was made from, with their digests:
	// CheckSources tells when they have changed since.
	Sources []Source
	// SourceDir is the absolute directory of the generated code, where
	// Sources' paths start; "" when unknown (a -trimpath build).
	SourceDir string
}

// Source is one manifest file the generated code was made from.
type Source struct {
	// Path is the file's path relative to the directory of the package
	// holding chalc_gen.go (where `go test` runs), with forward slashes.
	Path string
	// SHA256 is the hex digest of its content, line endings as "\n".
	SHA256 string
}

// Stage is one stage's run-time settings.
type Stage struct {
	// Debug puts error detail in 500 bodies and makes DEBUG the default
	// log level (manifest debug:).
	Debug bool
	// LogLevel is DEBUG|INFO|WARNING|ERROR|CRITICAL (manifest log_level:);
	// "" means DEBUG with Debug, else ERROR (see Stage.Level). The
	// generator should leave it empty unless log_level is written.
	LogLevel string
	// Environment is the effective environment of each function by name
	// ("api_handler", a functions: key, ...). In Lambda the template sets
	// it; the test client and `chalc local` apply it themselves.
	Environment map[string]map[string]string
	// APIGatewayStage is the API Gateway stage name (api_gateway_stage,
	// default "api"), as requestContext.stage and method ARNs carry it.
	APIGatewayStage string
	// CORS holds, by route path, the CORS headers of the path's routes in
	// this stage where they differ from the routes' own (Route.CORS, the
	// dev stage's): a CORS configuration written with stage values
	// (allow_origin: ${env:ORIGIN}). See RouteCORS.
	CORS map[string][]Header
	// AuthorizerHeaders holds, by builtin authorizer function name, the
	// header carrying its token in this stage where it differs from the
	// routes' AuthorizerHeader (header: ${env:AUTH_HEADER}).
	AuthorizerHeaders map[string]string
	// APIKind is what serves the routes in this stage (api_kind): "" or
	// APIKindREST for a REST API (payload format 1.0 events), APIKindHTTP
	// for an HTTP API (payload format 2.0). The api_handler decodes the
	// events of its stage's kind.
	APIKind string
	// APICORS is an HTTP API's CORS configuration (API Gateway answers
	// preflights and adds the headers itself), nil without CORS or in a
	// REST API.
	APICORS *CORSConfig
	// URLCORS holds, by function name, the CORS configuration of a
	// function URL in this stage where it differs from the function's
	// own (FunctionURL.CORS): one written with stage values.
	URLCORS map[string]*CORSConfig
}

// The kinds of API that serve an app's routes (Stage.APIKind).
const (
	APIKindREST = "rest"
	APIKindHTTP = "http"
)

// HTTPAPI reports whether the stage's routes are served by an HTTP API.
func (s Stage) HTTPAPI() bool { return s.APIKind == APIKindHTTP }

// CORSConfig is the CORS configuration API Gateway (an HTTP API) or
// Lambda (a function URL) applies itself, as they spell it: they answer
// preflight requests and add the headers to the responses to CORS
// requests, in place of the function's own.
type CORSConfig struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	MaxAge           int // seconds; 0 is not sent
	AllowCredentials bool
}

// FunctionURLCORS returns the CORS configuration of function f's URL in
// this stage (nil when it has none).
func (s Stage) FunctionURLCORS(f *Function) *CORSConfig {
	if f.URL == nil {
		return nil
	}
	if c, ok := s.URLCORS[f.Name]; ok {
		return c
	}
	return f.URL.CORS
}

// RouteCORS returns the CORS headers r answers with in this stage: nil
// when CORS is off for it, and in an HTTP API, whose CORS is API
// Gateway's own (APICORS).
func (s Stage) RouteCORS(r *Route) []Header {
	if r.CORS == nil || s.HTTPAPI() {
		return nil
	}
	if h, ok := s.CORS[r.Path]; ok {
		return h
	}
	return r.CORS
}

// AuthorizerHeader returns the request header that carries the token of
// r's builtin authorizer in this stage.
func (s Stage) AuthorizerHeader(r *Route) string {
	if h, ok := s.AuthorizerHeaders[r.Authorizer]; ok && h != "" {
		return h
	}
	if r.AuthorizerHeader != "" {
		return r.AuthorizerHeader
	}
	return "Authorization"
}

// Header is one response header; CORS headers are precomputed by the
// compiler so the runtime and the preflight agree byte for byte.
type Header struct {
	Name  string // e.g. Access-Control-Allow-Origin
	Value string
}

// RouteFunc is the uniform shape every route handler is adapted to by the
// generated code: URI parameters are read from req.URIParams there.
type RouteFunc func(ctx context.Context, req *Request) (any, error)

// Route is one path+method.
type Route struct {
	Path    string // resource template, e.g. /users/{name}
	Method  string // upper case
	Handler RouteFunc
	// HandlerName is the Go func's name, for logs.
	HandlerName string
	// ContentTypes are the accepted request Content-Types
	// (default application/json).
	ContentTypes []string
	// CORS holds the headers added to responses; nil means CORS is off.
	CORS []Header
	// Authorizer is the function name of the builtin authorizer guarding
	// the route ("" for none or a non-builtin one). API Gateway runs it in
	// Lambda; the test client and `chalc local` run it themselves.
	Authorizer string
	// AuthorizerHeader is the request header carrying the authorizer's
	// token (default Authorization).
	AuthorizerHeader string
	// AuthorizerType is the type of the authorizer guarding the route
	// ("" for none): AuthBuiltin (then Authorizer names its function),
	// AuthIAM, AuthCognito or AuthCustom; AuthorizerName is its key under
	// the manifest's authorizers:. API Gateway runs iam, cognito and
	// custom authorizers outside the app: the test client and `chalc
	// local` cannot, and pass the caller they are given instead.
	AuthorizerType string
	AuthorizerName string
	// Scopes are the OAuth scopes the route requires of a JWT (a
	// cognito_user_pool or jwt authorizer's token): the emulated HTTP API
	// refuses a caller whose claims hold none of them.
	Scopes []string
	// APIKeyRequired is informational for local serving.
	APIKeyRequired bool
}

// Authorizer types, as the manifest's authorizers: spell them.
const (
	AuthBuiltin = "builtin"
	AuthIAM     = "iam"
	AuthCognito = "cognito_user_pool"
	AuthCustom  = "custom"
	AuthJWT     = "jwt"
)

// Kind says what invokes a function.
type Kind string

// Function kinds, and the middleware event types of docs/manifest.md.
const (
	KindAll        Kind = "all" // middleware only
	KindHTTP       Kind = "http"
	KindS3         Kind = "s3"
	KindSNS        Kind = "sns"
	KindSQS        Kind = "sqs"
	KindCloudWatch Kind = "cloudwatch"
	KindScheduled  Kind = "scheduled"
	KindKinesis    Kind = "kinesis"
	KindDynamoDB   Kind = "dynamodb"
	KindWebsocket  Kind = "websocket"
	KindPureLambda Kind = "pure_lambda"
	KindAuthorizer Kind = "authorizer"
)

// FunctionURL is how a function of kind KindHTTP is reached: its Lambda
// function URL (the manifest's url:).
type FunctionURL struct {
	// Auth is "AWS_IAM" (callers sign their requests) or "NONE".
	Auth string
	// InvokeMode is "BUFFERED" or "RESPONSE_STREAM".
	InvokeMode string
	// CORS is what Lambda answers CORS requests with (nil: no CORS); see
	// Stage.FunctionURLCORS.
	CORS *CORSConfig
}

// Function URL settings (FunctionURL), as Lambda spells them.
const (
	URLAuthIAM        = "AWS_IAM"
	URLAuthNone       = "NONE"
	URLBuffered       = "BUFFERED"
	URLResponseStream = "RESPONSE_STREAM"
)

// Function is a Lambda function of the app other than the API handler.
// Exactly one handler field is set, matching Kind.
type Function struct {
	Name string // function name: functions: key, authorizer name, websocket_*
	Kind Kind
	// HandlerName is the Go func's name, for logs.
	HandlerName string

	Pure       any                                                      // pure_lambda: anything aws-lambda-go's lambda.NewHandler accepts
	S3         func(context.Context, S3Event) (any, error)              // s3
	SNS        func(context.Context, SNSEvent) (any, error)             // sns
	SQS        func(context.Context, SQSEvent) (any, error)             // sqs
	CloudWatch func(context.Context, CloudWatchEvent) (any, error)      // cloudwatch and scheduled
	Kinesis    func(context.Context, KinesisEvent) (any, error)         // kinesis
	DynamoDB   func(context.Context, DynamoDBEvent) (any, error)        // dynamodb
	Websocket  func(context.Context, WebsocketEvent) (any, error)       // websocket
	Authorizer func(context.Context, AuthRequest) (AuthResponse, error) // authorizer (builtin)
	// HTTP is the handler of a function reached through its function URL
	// (kind http): every request, whatever its path, through the http
	// middleware, as a route's; URL says how it is reached.
	HTTP RouteFunc
	URL  *FunctionURL
}

// Next calls the rest of a middleware chain.
type Next[E, R any] func(ctx context.Context, event E) (R, error)

// MiddlewareFunc is a middleware for events of type E with results R:
// http is MiddlewareFunc[*Request, *Response]; an event kind is
// MiddlewareFunc[<its event>, any]; pure_lambda is
// MiddlewareFunc[json.RawMessage, any]; all is MiddlewareFunc[any, any].
type MiddlewareFunc[E, R any] func(ctx context.Context, event E, next Next[E, R]) (R, error)

// Middleware is a registered middleware. Fn holds a MiddlewareFunc of the
// type Kind calls for.
type Middleware struct {
	Kind Kind   // the event_type: all, http, s3, ..., pure_lambda
	Name string // the Go func's name, for logs
	Fn   any    // a MiddlewareFunc (or a func of its signature) of Kind's types
}

// New returns an empty App named name (the manifest's app_name).
func New(name string, cfg Config) *App {
	if cfg.Stages == nil {
		cfg.Stages = map[string]Stage{}
	}
	if _, ok := cfg.Stages["dev"]; !ok {
		cfg.Stages["dev"] = Stage{LogLevel: "ERROR"}
	}
	return &App{name: name, config: cfg, byName: map[string]*Function{}}
}

// Name is the app's name.
func (a *App) Name() string { return a.name }

// Config returns the app's settings.
func (a *App) Config() Config { return a.config }

// Route registers a route. It panics if the path+method is taken.
func (a *App) Route(r Route) {
	for _, o := range a.routes {
		if o.Path == r.Path && o.Method == r.Method {
			panic("chalice: route " + r.Method + " " + r.Path + " registered twice")
		}
	}
	if len(r.ContentTypes) == 0 {
		r.ContentTypes = []string{"application/json"}
	}
	a.routes = append(a.routes, &r)
}

// Function registers a function. It panics if the name is taken or is
// "api_handler", the REST API's.
func (a *App) Function(f Function) {
	if f.Name == "api_handler" {
		panic("chalice: function name api_handler is reserved for the REST API")
	}
	if _, dup := a.byName[f.Name]; dup {
		panic("chalice: function " + f.Name + " registered twice")
	}
	a.functions = append(a.functions, &f)
	a.byName[f.Name] = a.functions[len(a.functions)-1]
}

// Use registers middleware for events of kind k, outermost first. E and R
// must be the types k calls for (see MiddlewareFunc); runtime/dispatch
// reports a mismatch, naming the middleware and the expected type, when
// it builds a handler at start.
func Use[E, R any](a *App, k Kind, name string, fn MiddlewareFunc[E, R]) {
	a.middleware = append(a.middleware, &Middleware{Kind: k, Name: name, Fn: fn})
}

// Routes returns the routes in registration order.
func (a *App) Routes() []*Route { return a.routes }

// Functions returns the non-API functions in registration order.
func (a *App) Functions() []*Function { return a.functions }

// Lookup returns the function named name.
func (a *App) Lookup(name string) (*Function, bool) {
	f, ok := a.byName[name]
	return f, ok
}

// MiddlewareList returns the middleware in registration order.
func (a *App) MiddlewareList() []*Middleware { return a.middleware }

// compile-time reminder of the pure_lambda middleware's event type.
var _ MiddlewareFunc[json.RawMessage, any] = nil
