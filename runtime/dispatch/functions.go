package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// eventHandler runs an event function: decode the payload into the
// chalice event, run the middleware chain and the handler, encode the
// result. A handler error fails the invocation, so Lambda retries.
type eventHandler[E any] struct {
	parse func([]byte) (E, error)
	chain step[E, any]
}

func (h *eventHandler[E]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	e, err := h.parse(payload)
	if err != nil {
		return nil, err
	}
	out, err := h.chain(ctx, e)
	if err != nil {
		return nil, err
	}
	return marshalResult(out)
}

func newEventHandler[E any](app *chalice.App, kind chalice.Kind, parse func([]byte) (E, error), fn func(context.Context, E) (any, error)) lambda.Handler {
	return &eventHandler[E]{parse: parse, chain: buildChain(middlewareFor(app, kind), step[E, any](fn), identity)}
}

// functionHandler returns the handler of a non-API function in stage
// (stageName).
func functionHandler(app *chalice.App, f *chalice.Function, stage chalice.Stage, stageName string) (lambda.Handler, error) {
	missing := func(field string) error {
		return fmt.Errorf("function %s (kind %s) has no %s handler", f.Name, f.Kind, field)
	}
	switch f.Kind {
	case chalice.KindS3:
		if f.S3 == nil {
			return nil, missing("S3")
		}
		return newEventHandler(app, f.Kind, chalice.ParseS3Event, f.S3), nil
	case chalice.KindSNS:
		if f.SNS == nil {
			return nil, missing("SNS")
		}
		return newEventHandler(app, f.Kind, chalice.ParseSNSEvent, f.SNS), nil
	case chalice.KindSQS:
		if f.SQS == nil {
			return nil, missing("SQS")
		}
		return newEventHandler(app, f.Kind, chalice.ParseSQSEvent, f.SQS), nil
	case chalice.KindCloudWatch, chalice.KindScheduled:
		if f.CloudWatch == nil {
			return nil, missing("CloudWatch")
		}
		return newEventHandler(app, f.Kind, chalice.ParseCloudWatchEvent, f.CloudWatch), nil
	case chalice.KindKinesis:
		if f.Kinesis == nil {
			return nil, missing("Kinesis")
		}
		return newEventHandler(app, f.Kind, chalice.ParseKinesisEvent, f.Kinesis), nil
	case chalice.KindDynamoDB:
		if f.DynamoDB == nil {
			return nil, missing("DynamoDB")
		}
		return newEventHandler(app, f.Kind, chalice.ParseDynamoDBEvent, f.DynamoDB), nil
	case chalice.KindWebsocket:
		if f.Websocket == nil {
			return nil, missing("Websocket")
		}
		return &websocketHandler{eventHandler[chalice.WebsocketEvent]{
			parse: chalice.ParseWebsocketEvent,
			chain: buildChain(middlewareFor(app, f.Kind), step[chalice.WebsocketEvent, any](f.Websocket), identity),
		}}, nil
	case chalice.KindAuthorizer:
		if f.Authorizer == nil {
			return nil, missing("Authorizer")
		}
		if stage.HTTPAPI() {
			return &authorizerV2Handler{fn: f.Authorizer}, nil
		}
		return &authorizerHandler{fn: f.Authorizer}, nil
	case chalice.KindHTTP:
		if f.HTTP == nil {
			return nil, missing("HTTP")
		}
		if f.URL == nil {
			return nil, fmt.Errorf("function %s (kind http) has no URL: an HTTP function is reached through its function URL", f.Name)
		}
		return newURLHandler(app, f, stage, stageName), nil
	case chalice.KindPureLambda:
		if err := checkPure(f.Pure); err != nil {
			return nil, fmt.Errorf("function %s: %w", f.Name, err)
		}
		h := &pureHandler{h: lambda.NewHandler(f.Pure)}
		mws := middlewareFor(app, f.Kind)
		if len(mws) == 0 {
			return h, nil
		}
		final := func(ctx context.Context, raw json.RawMessage) (any, error) {
			b, err := h.Invoke(ctx, raw)
			if err != nil {
				return nil, err
			}
			return json.RawMessage(b), nil
		}
		return &eventHandler[json.RawMessage]{
			parse: func(b []byte) (json.RawMessage, error) { return json.RawMessage(b), nil },
			chain: buildChain(mws, final, identity),
		}, nil
	}
	return nil, fmt.Errorf("function %s has unknown kind %q", f.Name, f.Kind)
}

// pureHandler makes aws-lambda-go's reflective handler safe for concurrent
// use (chalc local, tests): its Invoke returns bytes from a pooled buffer
// that it has already given back, so a concurrent call could overwrite
// them. Calls are serialised and the result copied. In Lambda, calls are
// one at a time anyway. This is the only handler of aws-lambda-go's that
// chalc runs, and so the only place that copies: every handler Handler
// returns gives the caller bytes it owns, which the test client and
// `chalc local` (runtime/stageenv, runtime/apigw) rely on.
type pureHandler struct {
	mu sync.Mutex
	h  lambda.Handler
}

func (p *pureHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, err := p.h.Invoke(ctx, payload)
	return bytes.Clone(b), err
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// checkPure applies aws-lambda-go's rules for lambda.Start handlers
// (lambda/handler.go) now, at start, instead of on every invocation.
func checkPure(fn any) error {
	if fn == nil {
		return errors.New("no Pure handler")
	}
	if _, ok := fn.(lambda.Handler); ok {
		return nil
	}
	t := reflect.TypeOf(fn)
	if t.Kind() != reflect.Func {
		return fmt.Errorf("Pure handler is a %s, not a func", t)
	}
	if reflect.ValueOf(fn).IsNil() {
		return errors.New("Pure handler is a nil func")
	}
	isContext := func(a reflect.Type) bool {
		return a.Kind() == reflect.Interface && contextType.Implements(a) && a.Implements(contextType)
	}
	switch t.NumIn() {
	case 0:
	case 1:
		if a := t.In(0); a.Kind() == reflect.Interface && a.NumMethod() > 0 && !isContext(a) {
			return fmt.Errorf("Pure handler %s takes an interface that is not context.Context", t)
		}
	case 2:
		if !isContext(t.In(0)) {
			return fmt.Errorf("Pure handler %s takes two arguments, but the first is not context.Context", t)
		}
	default:
		return fmt.Errorf("Pure handler %s takes %d arguments; want at most 2", t, t.NumIn())
	}
	switch t.NumOut() {
	case 0:
	case 1:
		if !t.Out(0).Implements(errorType) {
			return fmt.Errorf("Pure handler %s returns one value, which is not an error", t)
		}
	case 2:
		if !t.Out(1).Implements(errorType) {
			return fmt.Errorf("Pure handler %s returns two values, but the second is not an error", t)
		}
	default:
		return fmt.Errorf("Pure handler %s returns %d values; want at most 2", t, t.NumOut())
	}
	return nil
}

// websocketHandler runs a websocket function and shapes its result as
// Chalice does: nil (or anything that is not a response or an object) is
// {"statusCode":200}; a Response goes through the proxy response shape;
// a JSON object (a map or struct) without "statusCode" gets 200 added.
type websocketHandler struct {
	eventHandler[chalice.WebsocketEvent]
}

var websocketOK = []byte(`{"statusCode":200}`)

func (h *websocketHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	e, err := h.parse(payload)
	if err != nil {
		return nil, err
	}
	out, err := h.chain(ctx, e)
	if err != nil {
		return nil, err
	}
	switch r := out.(type) {
	case nil:
		return bytes.Clone(websocketOK), nil
	case *chalice.Response:
		if r == nil {
			return bytes.Clone(websocketOK), nil
		}
		return appendProxyResponse(nil, r, nil)
	case chalice.Response:
		return appendProxyResponse(nil, &r, nil)
	}
	b, err := marshalResult(out)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return bytes.Clone(websocketOK), nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	if _, ok := obj["statusCode"]; ok {
		return b, nil
	}
	obj["statusCode"] = json.RawMessage("200")
	return marshalResult(obj)
}

// ErrUnauthorized is the invocation error a builtin authorizer returns
// when its handler returns an UnauthorizedError (any StatusError with
// status 401): API Gateway answers 401 when the authorizer's error
// message is exactly "Unauthorized".
var ErrUnauthorized error = unauthorizedError{}

type unauthorizedError struct{}

func (unauthorizedError) Error() string { return "Unauthorized" }

// authorizerHandler runs a builtin authorizer: TOKEN event in, IAM policy
// out (Chalice's AuthResponse.to_dict).
type authorizerHandler struct {
	fn func(context.Context, chalice.AuthRequest) (chalice.AuthResponse, error)
}

func (h *authorizerHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	req, err := chalice.ParseAuthRequest(payload)
	if err != nil {
		return nil, err
	}
	resp, err := h.fn(ctx, req)
	if err != nil {
		var se chalice.StatusError
		if errors.As(err, &se) && se.StatusCode() == 401 {
			chalice.Logger().Info("Authorizer refused the caller: " + err.Error())
			return nil, ErrUnauthorized
		}
		return nil, err
	}
	return marshalResult(authPolicy(req, resp))
}

// authorizerV2Handler runs a builtin authorizer for an HTTP API: its
// Lambda authorizer event (payload format 2.0) in, a simple response
// out, {"isAuthorized": ..., "context": ...}. The caller is authorized
// when one of the AuthResponse's routes (each method) matches the
// request's routeArn, as the policy a REST API gets would allow it
// (authPolicy's ARNs, "*" matching any run of characters). An HTTP API
// has no way to answer 401 from a Lambda authorizer: an UnauthorizedError
// is {"isAuthorized": false}, which it answers 403.
type authorizerV2Handler struct {
	fn func(context.Context, chalice.AuthRequest) (chalice.AuthResponse, error)
}

type simpleAuthOutput struct {
	IsAuthorized bool           `json:"isAuthorized"`
	Context      map[string]any `json:"context"`
}

func (h *authorizerV2Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	req, err := chalice.ParseAuthRequestV2(payload)
	if err != nil {
		return nil, err
	}
	resp, err := h.fn(ctx, req)
	if err != nil {
		var se chalice.StatusError
		if errors.As(err, &se) && se.StatusCode() == 401 {
			chalice.Logger().Info("Authorizer refused the caller: " + err.Error())
			return marshalResult(simpleAuthOutput{Context: map[string]any{}})
		}
		return nil, err
	}
	out := simpleAuthOutput{Context: resp.Context}
	if out.Context == nil {
		out.Context = map[string]any{}
	}
	for _, arn := range authPolicy(req, resp).PolicyDocument.Statement[0].Resource {
		if WildcardMatch(arn, req.MethodARN) {
			out.IsAuthorized = true
			break
		}
	}
	return marshalResult(out)
}

// WildcardMatch reports whether s matches pattern, where "*" matches any
// run of characters ("/" included) and "?" one character, as IAM policies
// match ARNs and actions (the HTTP API's simple-response authorizers here,
// runtime/apigw's policy checks).
func WildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// The authorizer's answer, in Chalice's key order.
type authOutput struct {
	Context        map[string]any `json:"context"`
	PrincipalID    string         `json:"principalId"`
	PolicyDocument policyDocument `json:"policyDocument"`
}

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Action   string   `json:"Action"`
	Effect   string   `json:"Effect"`
	Resource []string `json:"Resource"`
}

// authPolicy is Chalice's AuthResponse.to_dict(request).
func authPolicy(req chalice.AuthRequest, resp chalice.AuthResponse) authOutput {
	ctx := resp.Context
	if ctx == nil {
		ctx = map[string]any{}
	}
	resources := []string{}
	for _, r := range resp.Routes {
		methods := r.Methods
		if len(methods) == 0 {
			methods = []string{"*"}
		}
		for _, m := range methods {
			resources = append(resources, routeARN(req.MethodARN, r.Path, m))
		}
	}
	return authOutput{
		Context:     ctx,
		PrincipalID: resp.PrincipalID,
		PolicyDocument: policyDocument{
			Version: "2012-10-17",
			Statement: []policyStatement{{
				Action:   "execute-api:Invoke",
				Effect:   "Allow",
				Resource: resources,
			}},
		},
	}
}

// routeARN is Chalice's AuthResponse._generate_arn: the incoming
// methodArn (arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH)
// with VERB/PATH replaced by method and path, its leading "/" dropped
// (path "*" gives API/STAGE/METHOD/*, as in Chalice). A path without a
// leading "/" is used as it is, where Chalice would drop its first
// character.
func routeARN(methodARN, path, method string) string {
	parts := strings.SplitN(methodARN, ":", 6)
	base := strings.Split(parts[len(parts)-1], "/")
	if len(base) > 2 {
		base = base[:2]
	}
	parts[len(parts)-1] = strings.Join(append(base, method, strings.TrimPrefix(path, "/")), "/")
	return strings.Join(parts, ":")
}
