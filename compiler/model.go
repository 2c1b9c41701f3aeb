package compiler

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// App is a checked app for one stage.
type App struct {
	Name  string
	Stage *stages.Stage
	// Stages holds every stage's resolved configuration (dev first), for
	// the generated code's per-stage settings.
	Stages []*stages.Stage
	// Dir is the manifest's directory (absolute); ManifestPath the file.
	Dir          string
	ManifestPath string
	Manifest     *manifest.Manifest
	// Inputs are the manifest files the app was compiled from (the
	// manifest, then each blueprint fragment), with their digests, which
	// the generated code records so tests can tell it is stale.
	Inputs []Input

	// Handlers is the app's own handlers package; Packages lists it first,
	// then each blueprint fragment's package.
	Handlers *Package
	Packages []*Package

	Routes      []*Route
	Authorizers []*Authorizer
	// Functions are every Lambda but the API handler, in registration
	// order: functions:, builtin authorizers, websocket handlers, then each
	// blueprint's.
	Functions  []*Function
	Websocket  *Websocket
	Middleware []*Middleware

	// APIHandler is set when the app has routes.
	APIHandler *Function
	// BinaryTypes: Chalice's defaults plus api.binary_types, or only
	// api.binary_types with binary_types_replace_defaults (never nil:
	// empty is no binary type at all).
	BinaryTypes []string

	preflightOnce sync.Once
	preflight     map[string][][2]string

	// APIPolicyDocument is the parsed api_gateway_policy_file of the
	// stage (nil when none is set); APIPolicyFile is its absolute path.
	APIPolicyDocument any
	APIPolicyFile     string
}

// Input is one manifest file and the digest of its content: SHA-256 with
// "\r\n" read as "\n" (the runtime's chalice.SourceDigest, which checks
// it).
type Input struct {
	Path   string // absolute
	SHA256 string
}

// inputDigest is chalice.SourceDigest (the compile side does not import
// the runtime; a test pins that the two agree).
func inputDigest(content []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(sum[:])
}

// NeedsS3Notify reports whether a function subscribes to an existing
// bucket: the bootstrap then serves the custom resource that sets the
// notification up (runtime/s3notify), and only then links the AWS SDK.
func (a *App) NeedsS3Notify() bool { return a.s3NotifyAt() != nil }

// RuntimePackages are the packages of chalc's runtime the app's generated
// code imports, which the app's module must provide.
func (a *App) RuntimePackages() []string {
	paths := []string{gomodel.ChalicePath, gomodel.DispatchPath}
	if a.NeedsS3Notify() {
		paths = append(paths, gomodel.S3NotifyPath)
	}
	return paths
}

// s3NotifyAt is the s3 trigger that needs runtime/s3notify, or nil.
func (a *App) s3NotifyAt() *Function {
	for _, f := range a.Functions {
		if f.S3 != nil && f.S3.Bucket != "" {
			return f
		}
	}
	return nil
}

// PreflightHeaders returns the headers API Gateway's OPTIONS mock
// integration answers with for path — Access-Control-Allow-Methods (the
// CORS-enabled methods in registration order, then OPTIONS), then the
// routes' CORS headers — or nil when no route of path enables CORS.
func (a *App) PreflightHeaders(path string) [][2]string {
	a.preflightOnce.Do(func() {
		a.preflight = map[string][][2]string{}
		methods := map[string][]string{}
		cors := map[string]*CORS{}
		var order []string
		for _, r := range a.Routes {
			if r.CORS == nil {
				continue
			}
			if _, ok := cors[r.Path]; !ok {
				order = append(order, r.Path)
			}
			methods[r.Path] = append(methods[r.Path], r.Method)
			cors[r.Path] = r.CORS
		}
		for _, p := range order {
			allow := strings.Join(append(methods[p], "OPTIONS"), ",")
			a.preflight[p] = append([][2]string{{"Access-Control-Allow-Methods", allow}}, cors[p].Headers()...)
		}
	})
	return a.preflight[path]
}

// DefaultBinaryTypes are the 16 types Chalice treats as binary.
var DefaultBinaryTypes = []string{
	"application/octet-stream", "application/x-tar", "application/zip", "audio/basic",
	"audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav", "audio/webm", "image/png",
	"image/jpg", "image/jpeg", "image/gif", "video/ogg", "video/mpeg", "video/webm",
}

// Package is a Go package of handlers.
type Package struct {
	// Dir is the package directory (absolute).
	Dir string
	// At is the handlers: value naming the directory, and Written that
	// value as the user wrote it; At is zero when handlers: is not set.
	At      diag.Range
	Written string
	// Import path and package name, known after the Go check.
	ImportPath string
	Name       string
	// Funcs are the exported top-level funcs found by the Go check;
	// Objects its other package-level names.
	Funcs   map[string]*gomodel.Func
	Objects map[string]*gomodel.Object
	// Checked is false when the Go check was skipped.
	Checked bool
}

// HandlerRef is a Go func named in the manifest.
type HandlerRef struct {
	Package *Package
	Name    string
	At      diag.Range    // the manifest value naming it
	Func    *gomodel.Func // nil when the Go check was skipped
}

// Route is one path+method of the REST API.
type Route struct {
	Path           string // with the blueprint's url_prefix
	Method         string
	Params         []string // {param} names in path order
	Handler        HandlerRef
	ContentTypes   []string
	CORS           *CORS // nil: off
	Authorizer     *Authorizer
	Scopes         []string
	APIKeyRequired bool
	// APIKeyAt is where api_key_required is written (zero when not).
	APIKeyAt    diag.Range
	Summary     string
	Description string
	// DocsFromManifest: summary: or description: was written, so the Go
	// doc comment is not used (summary: "" turns the summary off).
	DocsFromManifest bool
	At               diag.Range // the method key
	PathAt           diag.Range // the path key
	// CORSAt is where the route's CORS comes from: its cors key, or
	// api.cors.
	CORSAt diag.Range
	// corsBroken: the cors mapping holds a value the schema rejects, so
	// comparing it with the path's other methods would report the same
	// mistake twice.
	corsBroken bool
	// StageCORS holds the route's CORS in each stage when its
	// configuration takes stage values (nil when every stage has CORS);
	// CORS is the packaged stage's.
	StageCORS map[string]*CORS
}

// CORS is a route's effective CORS configuration.
type CORS struct {
	AllowOrigin      string
	AllowHeaders     []string // user headers only; Headers() adds the defaults
	ExposeHeaders    []string
	MaxAge           *int
	AllowCredentials bool
}

// AuthorizerType is one of the four kinds of manifest authorizers.
type AuthorizerType string

// Authorizer types.
const (
	AuthBuiltin AuthorizerType = "builtin"
	AuthIAM     AuthorizerType = "iam"
	AuthCognito AuthorizerType = "cognito_user_pool"
	AuthCustom  AuthorizerType = "custom"
	// AuthJWT is an OpenID Connect / OAuth 2.0 issuer's tokens, checked
	// by an HTTP API (api_kind: http) itself.
	AuthJWT AuthorizerType = "jwt"
)

// Authorizer is a checked authorizer.
type Authorizer struct {
	Key  string // manifest key (with the fragment prefix when from a fragment)
	Type AuthorizerType
	// SecurityName is the swagger securityDefinitions name: sigv4 for iam,
	// name for cognito/custom, the function name for builtin.
	SecurityName  string
	Header        string
	TTLSeconds    *int
	ProviderARNs  []string
	AuthorizerURI string
	InvokeRoleARN string
	ExecutionRole string
	// Issuer and Audience: a jwt authorizer's (a cognito_user_pool one
	// takes Audience too: in an HTTP API it is a JWT authorizer on its
	// pool, see JWTIssuer).
	Issuer   string
	Audience []string
	// Function is the builtin authorizer's Lambda.
	Function *Function
	At       diag.Range
	// TypeAt is where its type is written; AudienceAt, ProviderARNsAt
	// where those keys are (zero when not written).
	TypeAt         diag.Range
	AudienceAt     diag.Range
	ProviderARNsAt diag.Range
	// StageHeader holds the header in each stage when it takes stage
	// values (nil otherwise); Header is the packaged stage's.
	StageHeader map[string]string
}

// FunctionKind says what invokes a Lambda.
type FunctionKind string

// Function kinds.
const (
	FuncAPI        FunctionKind = "api"
	FuncPure       FunctionKind = "pure"
	FuncSchedule   FunctionKind = "schedule"
	FuncCloudWatch FunctionKind = "cloudwatch"
	FuncS3         FunctionKind = "s3"
	FuncSNS        FunctionKind = "sns"
	FuncSQS        FunctionKind = "sqs"
	FuncKinesis    FunctionKind = "kinesis"
	FuncDynamoDB   FunctionKind = "dynamodb"
	FuncAuthorizer FunctionKind = "authorizer"
	FuncWebsocket  FunctionKind = "websocket"
	// FuncURL is an HTTP function reached through its Lambda function
	// URL (url:): its handler takes a *chalice.Request, as a route's.
	FuncURL FunctionKind = "url"
)

// Trigger is the awsfacts trigger of a function of kind k: the kinds of
// the event keys are spelt as the triggers are.
func (k FunctionKind) Trigger() awsfacts.Trigger { return awsfacts.Trigger(k) }

// Function is one Lambda function.
type Function struct {
	Name      string // after name_prefix; the Handler property and config key
	LogicalID string
	Kind      FunctionKind
	// Handler is nil for the API handler (it serves every route).
	Handler *HandlerRef
	Config  *stages.Function
	At      diag.Range

	Schedule   *Schedule
	CloudWatch *CloudWatch
	S3         *S3
	SNS        *SNS
	SQS        *SQS
	Kinesis    *Kinesis
	DynamoDB   *DynamoDB
	// WebsocketRoute is $connect, $default or $disconnect.
	WebsocketRoute string
	// URL is the function's function URL (kind FuncURL).
	URL *FunctionURL

	// Role is the logical ID of the function's managed role: DefaultRole,
	// awsfacts.FunctionRoleID(Name) for its policy file, or the
	// FunctionRoleID of the first function of its group (the functions
	// calling the same SDK operations, at most MaxFunctionsPerRole) when
	// that is not DefaultRole; "" when manage_iam_role is false. See
	// assignRoles.
	Role string
	// PolicyDocument is the parsed policy file of a function with
	// manage_iam_role and autogen_policy false; PolicyFile is its
	// absolute path.
	PolicyDocument any
	PolicyFile     string
	// SDK lists the IAM actions the function's Go code needs, found by
	// analysing its aws-sdk-go-v2 calls (see sdk.go), with the dependent
	// actions those calls need and the function's extra_iam_actions,
	// sorted by action. It is nil when the Go check was skipped or the
	// function's role is not managed.
	SDK []*SDKAction
	// SDKUnresolved are the calls reachable from the function that the
	// analysis cannot follow (sorted by position).
	SDKUnresolved []SDKUnresolved
}

// EventID names the event entry of the function's trigger ("" for none).
func (f *Function) EventID() string { return awsfacts.EventID(f.LogicalID, f.Kind.Trigger()) }

// SAMEventType is the type of the SAM event the function's trigger
// becomes ("" for none: the API handler, websocket handlers, authorizers,
// and S3 triggers on an existing bucket, which are chalc's own resources).
func (f *Function) SAMEventType() string {
	return awsfacts.SAMEventType(f.Kind.Trigger(), f.S3 != nil && f.S3.BucketResource != "")
}

// SDKAction is one IAM action a function needs and every call that
// needs it.
type SDKAction struct {
	Action string // "s3:GetObject"
	// PassedTo is, for iam:PassRole, the service the role is passed to
	// (the statement's iam:PassedToService condition).
	PassedTo string
	// Resources are the ARN patterns (Fn::Sub templates) the action is
	// allowed on, sorted; nil means "*" (some call's resource is not
	// known).
	Resources []string
	Calls     []SDKCall
	// Extra: the function's extra_iam_actions lists it (at ExtraAt).
	Extra   bool
	ExtraAt diag.Range
}

// Key is the action with what the statement allowing it depends on: two
// functions need the same policy when their actions' keys are equal.
func (a *SDKAction) Key() string {
	res := "*"
	if a.Resources != nil {
		res = strings.Join(a.Resources, ",")
	}
	return a.Action + "|" + a.PassedTo + "|" + res
}

// SDKCall is one call site of an aws-sdk-go-v2 operation.
type SDKCall struct {
	// File is absolute; Line and Column are 1-based (the column of the
	// method or function name).
	File         string
	Line, Column int
	// Call names what is called: "s3.Client.GetObject",
	// "s3.NewListObjectsV2Paginator", "store.Getter.GetObject" (an
	// interface method with an SDK operation's signature).
	Call string
	// Resources are the ARN patterns this call needs the action on, nil
	// for "*"; Why says where they come from, or why they are "*".
	Resources []string
	Why       string
}

// Position is file:line:col with the file as chalc displays paths.
func (c SDKCall) Position() string {
	return fmt.Sprintf("%s:%d:%d", diag.DisplayPath(c.File), c.Line, c.Column)
}

// Compare orders calls by position (file, line, column), then by what
// they call: the order in which a role's calls are listed, whether they
// come from one function or are merged from every function on the role.
func (c SDKCall) Compare(d SDKCall) int {
	return cmp.Or(
		strings.Compare(c.File, d.File),
		cmp.Compare(c.Line, d.Line),
		cmp.Compare(c.Column, d.Column),
		strings.Compare(c.Call, d.Call),
		slices.Compare(c.Resources, d.Resources),
		strings.Compare(c.Why, d.Why))
}

// SDKUnresolved is a call the SDK-call analysis cannot follow to the
// operations it may make.
type SDKUnresolved struct {
	File         string // absolute
	Line, Column int
	// Call names what is called ("store.TodoDB.Get"); In the Go func the
	// call is in; Why says why it cannot be followed.
	Call, In, Why string
	// Service is the aws-sdk-go-v2 service its types name, "" when none.
	Service string
}

// Position is file:line:col with the file as chalc displays paths.
func (u SDKUnresolved) Position() string {
	return fmt.Sprintf("%s:%d:%d", diag.DisplayPath(u.File), u.Line, u.Column)
}

// FunctionURL is a checked url: of a function.
type FunctionURL struct {
	// Auth is AWS_IAM or NONE (Lambda's AuthType).
	Auth string
	// CORS is Lambda's CORS configuration of the URL, nil when off;
	// StageCORS holds it per stage when it takes stage values.
	CORS      *CORS
	StageCORS map[string]*CORS
	// InvokeMode is BUFFERED or RESPONSE_STREAM.
	InvokeMode string
	At         diag.Range
}

// Function URL settings, as Lambda spells them.
const (
	URLAuthIAM        = "AWS_IAM"
	URLAuthNone       = "NONE"
	URLBuffered       = "BUFFERED"
	URLResponseStream = "RESPONSE_STREAM"
)

// Schedule is a checked schedule trigger.
type Schedule struct {
	Expression  string
	Description string
}

// CloudWatch is a checked cloudwatch_event trigger.
type CloudWatch struct{ EventPattern any }

// S3 is a checked s3 trigger.
type S3 struct {
	Bucket         string
	BucketResource string
	Events         []string
	Prefix         string
	Suffix         string
	At             diag.Range
	// BucketResourceAt is where bucket_resource is written.
	BucketResourceAt diag.Range
}

// SNS is a checked sns trigger: Topic is a name or an ARN, or
// TopicResource the logical ID of a topic a merge template defines.
type SNS struct {
	Topic         string
	TopicResource string
	// ResourceAt is where the *_resource key is written.
	ResourceAt diag.Range
}

// SQS is a checked sqs trigger with Chalice's defaults applied.
type SQS struct {
	Queue                   string
	QueueARN                string
	QueueResource           string
	ResourceAt              diag.Range
	BatchSize               int
	MaximumBatchingWindow   int
	MaximumConcurrency      int // 0: not set
	ReportBatchItemFailures bool
}

// Kinesis is a checked kinesis trigger.
type Kinesis struct {
	Stream                  string
	StreamARN               string
	StreamResource          string
	ResourceAt              diag.Range
	BatchSize               int
	StartingPosition        string
	MaximumBatchingWindow   int
	ReportBatchItemFailures bool
}

// DynamoDB is a checked dynamodb trigger: StreamARN, or StreamResource,
// the logical ID of the table whose stream it reads.
type DynamoDB struct {
	StreamARN               string
	StreamResource          string
	ResourceAt              diag.Range
	BatchSize               int
	StartingPosition        string
	MaximumBatchingWindow   int
	ReportBatchItemFailures bool
}

// Websocket holds the websocket handlers present.
type Websocket struct {
	Connect, Message, Disconnect *Function
}

// Middleware is a checked middleware registration.
type Middleware struct {
	Handler   HandlerRef
	EventType string
}
