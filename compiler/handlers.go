package compiler

import (
	"fmt"
	"go/doc"
	"go/token"
	"sort"
	"strings"
	"unicode"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/diag"
)

// handlerKind says which signature a handler needs.
type handlerKind int

const (
	handlerRoute handlerKind = iota
	handlerPure
	handlerEvent
	handlerAuthorizer
	handlerWebsocket
	handlerMiddleware
	// handlerURL: a function reached through its function URL, a
	// route's signature without path parameters.
	handlerURL
)

// handlerUse is one manifest reference to a Go func, checked once the
// handler packages are type-checked.
type handlerUse struct {
	ref  *HandlerRef
	kind handlerKind
	// one of these says what the handler serves
	route *Route
	fn    *Function
	mw    *Middleware
}

func (c *checker) use(ref *HandlerRef, kind handlerKind, owner any) {
	if ref.Name == "" {
		return // the schema reports a missing handler
	}
	u := handlerUse{ref: ref, kind: kind}
	switch o := owner.(type) {
	case *Route:
		u.route = o
	case *Function:
		u.fn = o
	case *Middleware:
		u.mw = o
	}
	c.handlerRefs = append(c.handlerRefs, u)
}

func handlerKindFor(f *Function) handlerKind {
	switch f.Kind {
	case FuncPure:
		return handlerPure
	case FuncURL:
		return handlerURL
	}
	return handlerEvent
}

// eventTypes maps function kinds and middleware event types to the
// handler API's event type.
var eventTypes = map[string]string{
	string(FuncSchedule):   "chalice.CloudWatchEvent",
	string(FuncCloudWatch): "chalice.CloudWatchEvent",
	"scheduled":            "chalice.CloudWatchEvent",
	string(FuncS3):         "chalice.S3Event",
	string(FuncSNS):        "chalice.SNSEvent",
	string(FuncSQS):        "chalice.SQSEvent",
	string(FuncKinesis):    "chalice.KinesisEvent",
	string(FuncDynamoDB):   "chalice.DynamoDBEvent",
	string(FuncWebsocket):  "chalice.WebsocketEvent",
}

// MiddlewareTypes returns the event and result types of middleware for an
// event type (http, all, pure_lambda or an event kind).
func MiddlewareTypes(eventType string) (event, result string) {
	switch eventType {
	case "http":
		return "*chalice.Request", "*chalice.Response"
	case "all":
		return "any", "any"
	case "pure_lambda":
		return "json.RawMessage", "any"
	}
	return eventTypes[eventType], "any"
}

// checkHandlers resolves every handler reference against the Go funcs of
// its package and checks its signature.
func (c *checker) checkHandlers() {
	for _, u := range c.handlerRefs {
		p := u.ref.Package
		if !p.Checked {
			continue
		}
		g, ok := p.Funcs[u.ref.Name]
		if !ok {
			c.missingHandler(u.ref)
			continue
		}
		u.ref.Func = g
		if g.Generic {
			c.ds.Errorf(diag.HandlerSignature, u.ref.At, "handler %s is generic; handlers cannot have type parameters", g.Name).
				Note(g.At, "%s is declared here", g.Name)
			continue
		}
		if want, ok := c.signatureProblem(u, g); !ok {
			d := c.ds.Errorf(diag.HandlerSignature, u.ref.At, "handler %s has the wrong signature for %s", g.Name, describe(u)).
				Note(g.At, "%s is declared here as %s", g.Name, g.Signature)
			for _, w := range want {
				d.Hint("%s", w)
			}
		} else {
			c.checkResult(u, g)
		}
		if u.route != nil {
			c.docs(u.route, g)
		}
	}
}

func describe(u handlerUse) string {
	switch {
	case u.route != nil:
		return fmt.Sprintf("route %s %s", u.route.Method, u.route.Path)
	case u.mw != nil:
		return fmt.Sprintf("%s middleware", u.mw.EventType)
	case u.fn != nil && u.fn.Kind == FuncPure:
		return fmt.Sprintf("pure function %q", u.fn.Name)
	case u.fn != nil && u.fn.Kind == FuncURL:
		return fmt.Sprintf("function %q, reached through its function URL", u.fn.Name)
	case u.fn != nil && u.fn.Kind == FuncWebsocket:
		return fmt.Sprintf("the websocket %s handler", u.fn.WebsocketRoute)
	case u.fn != nil:
		return fmt.Sprintf("%s function %q", u.fn.Kind, u.fn.Name)
	case u.kind == handlerAuthorizer:
		return "a builtin authorizer"
	}
	return "this handler"
}

// goHandlerName is the exported Go name a Chalice user's handler name
// most likely means: without a package or module prefix (app.login →
// login), snake_case joined (get_user → getUser), the first letter upper
// case (Login, GetUser).
func goHandlerName(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	upper := true
	for _, r := range name {
		switch {
		case r == '_':
			upper = true
		case upper:
			b.WriteRune(unicode.ToUpper(r))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (c *checker) missingHandler(ref *HandlerRef) {
	p := ref.Package
	var names []string
	for n := range p.Funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	suggestion := suggestName(ref.Name, names)
	exported := exportName(ref.Name)
	if goName := goHandlerName(ref.Name); goName != ref.Name && p.Funcs[goName] != nil {
		// Python's app.login, a lower-case or snake_case name: the
		// exported Go func it stands for.
		suggestion = goName
	}
	o := p.Objects[ref.Name]
	var d *diag.Diagnostic
	switch {
	case o != nil && o.Kind == "type":
		d = c.ds.Errorf(diag.HandlerMissing, ref.At, "handler %s names a type of package %s, not a func", ref.Name, p.Name)
		if suggestion == "" {
			d.Hint("handlers are top-level funcs (methods cannot be handlers): declare a func that uses %s and name it here", ref.Name)
		}
	case o != nil && o.FuncType:
		d = c.ds.Errorf(diag.HandlerMissing, ref.At, "handler %s is a variable holding a func; handlers must be func declarations", ref.Name)
		// chalc reads a handler's signature and doc comment from its
		// declaration, and a variable may be reassigned.
		d.Hint("declare it as a func instead: func %s%s { ... }", exported, strings.TrimPrefix(o.Type, "func"))
		suggestion = ""
	case o != nil && o.Kind == "constant":
		d = c.ds.Errorf(diag.HandlerMissing, ref.At, "handler %s is a constant, not a func", ref.Name)
		if suggestion == "" {
			d.Hint("name an exported func of package %s", p.Name)
		}
	case o != nil && o.Kind != "func":
		d = c.ds.Errorf(diag.HandlerMissing, ref.At, "handler %s is a %s of type %s, not a func", ref.Name, o.Kind, o.Type)
		if suggestion == "" {
			d.Hint("name an exported func of package %s", p.Name)
		}
	case o != nil:
		d = c.ds.Errorf(diag.HandlerMissing, ref.At, "handler %s is not an exported func of package %s", ref.Name, p.Name)
		d.Hint("handlers must be exported: name the func %s", exported)
		suggestion = ""
	default:
		d = c.ds.Errorf(diag.HandlerMissing, ref.At, "handler %s is not an exported func of package %s", ref.Name, p.Name)
		switch {
		case suggestion != "":
		case exported != ref.Name:
			d.Hint("declare func %s in %s and name it here: handlers must be exported", exported, displayDir(p.Dir))
		default:
			d.Hint("declare func %s in %s", ref.Name, displayDir(p.Dir))
		}
	}
	if suggestion != "" {
		d.Hint("did you mean %s?", suggestion)
	}
	if o != nil && o.At.Filename != "" {
		d.Note(o.At, "%s is declared here", ref.Name)
	}
}

// exportName is name with its first letter upper-cased.
func exportName(name string) string {
	rs := []rune(name)
	if len(rs) == 0 {
		return name
	}
	return string(unicode.ToUpper(rs[0])) + string(rs[1:])
}

func displayDir(dir string) string {
	return strings.TrimSuffix(relOrAbs(dir), "/") + "/"
}

// signatureProblem checks g against what u needs and returns the accepted
// signatures when it does not fit.
func (c *checker) signatureProblem(u handlerUse, g *gomodel.Func) ([]string, bool) {
	params, results := g.Params, g.Results
	stripCtx := func() {
		if len(params) > 0 && params[0] == "context.Context" {
			params = params[1:]
		}
	}
	resultsOK := func(want string) bool {
		switch len(results) {
		case 1:
			return results[0] == "error" && want == ""
		case 2:
			return results[1] == "error" && (want == "" || results[0] == want)
		}
		return false
	}
	switch u.kind {
	case handlerRoute:
		r := u.route
		want := routeSignature(r)
		stripCtx()
		if len(params) > 0 && params[0] == "*chalice.Request" {
			params = params[1:]
		}
		names := g.ParamNames[len(g.ParamNames)-len(params):]
		if g.Variadic {
			return []string{want, "handlers cannot be variadic: drop the ..."}, false
		}
		if len(params) != len(r.Params) || !resultsOK("") {
			return []string{want}, false
		}
		for i, t := range params {
			if t != "string" {
				return []string{want}, false
			}
			if !paramMatches(names[i], r.Params[i]) {
				return []string{want, fmt.Sprintf("parameter %d is named %s, which does not match {%s}: name Go parameters like the path's, in order (case and \"_\" are ignored), or _", i+1, names[i], r.Params[i])}, false
			}
		}
		return nil, true
	case handlerURL:
		want := urlSignature
		stripCtx()
		if len(params) > 0 && params[0] == "*chalice.Request" {
			params = params[1:]
		}
		if g.Variadic {
			return []string{want, "handlers cannot be variadic: drop the ..."}, false
		}
		if len(params) != 0 || !resultsOK("") {
			return []string{want}, false
		}
		return nil, true
	case handlerEvent, handlerWebsocket:
		et := eventTypes[string(u.fn.Kind)]
		want := fmt.Sprintf("func([ctx context.Context,] event %s) (T, error), or returning just error", et)
		res := ""
		if batch := batchFailures(u.fn); batch {
			want = fmt.Sprintf("func([ctx context.Context,] event %s) (chalice.BatchResponse, error): report_batch_item_failures is on", et)
			res = "chalice.BatchResponse"
		}
		stripCtx()
		if len(params) != 1 || params[0] != et || !resultsOK(res) || (res != "" && len(results) != 2) {
			return []string{want}, false
		}
		return nil, true
	case handlerAuthorizer:
		want := "func([ctx context.Context,] req chalice.AuthRequest) (chalice.AuthResponse, error)"
		stripCtx()
		if len(params) != 1 || params[0] != "chalice.AuthRequest" || len(results) != 2 || !resultsOK("chalice.AuthResponse") {
			return []string{want}, false
		}
		return nil, true
	case handlerMiddleware:
		e, r := MiddlewareTypes(u.mw.EventType)
		want := fmt.Sprintf("func(ctx context.Context, event %s, next chalice.Next[%s, %s]) (%s, error)", e, e, r, r)
		ok := len(params) == 3 && params[0] == "context.Context" && params[1] == e &&
			params[2] == fmt.Sprintf("chalice.Next[%s, %s]", e, r) && len(results) == 2 && resultsOK(r)
		if !ok {
			return []string{want}, false
		}
		return nil, true
	case handlerPure:
		want := "anything aws-lambda-go's lambda.Start accepts: func([ctx context.Context,] [event TIn]) ([TOut,] error)"
		switch {
		case g.Variadic:
			return []string{want, "handlers cannot be variadic: drop the ..."}, false
		case len(params) > 2:
			return []string{want}, false
		case len(params) == 2 && params[0] != "context.Context":
			return []string{want, "with two parameters the first must be context.Context"}, false
		case len(results) > 2, len(results) == 1 && results[0] != "error", len(results) == 2 && results[1] != "error":
			return []string{want, "the last result must be error"}, false
		}
		return nil, true
	}
	return nil, true
}

func batchFailures(f *Function) bool {
	switch {
	case f.SQS != nil:
		return f.SQS.ReportBatchItemFailures
	case f.Kinesis != nil:
		return f.Kinesis.ReportBatchItemFailures
	case f.DynamoDB != nil:
		return f.DynamoDB.ReportBatchItemFailures
	}
	return false
}

// urlSignature is what a function with a function URL takes: a route's
// without path parameters (the URL has none: req.RawPath is the path).
const urlSignature = "func([ctx context.Context,] [req *chalice.Request]) (T, error), or returning just error"

func routeSignature(r *Route) string {
	var ps []string
	for _, p := range r.Params {
		ps = append(ps, goParamName(p)+" string")
	}
	args := "[ctx context.Context,] [req *chalice.Request]"
	if len(ps) > 0 {
		args = "[ctx context.Context,] [req *chalice.Request,] " + strings.Join(ps, ", ")
	}
	return fmt.Sprintf("func(%s) (T, error), or returning just error", args)
}

// goParamName turns a path parameter into a Go-style name: user_id →
// userID; a Go keyword gets a "_" (type → type_), which still matches.
func goParamName(p string) string {
	name := camelParam(p)
	if token.IsKeyword(name) {
		return name + "_"
	}
	return name
}

func camelParam(p string) string {
	parts := strings.Split(p, "_")
	for i := 1; i < len(parts); i++ {
		switch strings.ToLower(parts[i]) {
		case "id", "url", "uri", "arn":
			parts[i] = strings.ToUpper(parts[i])
		default:
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
	}
	return strings.Join(parts, "")
}

// paramMatches: Go parameter names match path parameters ignoring case and
// "_"; "_" and unnamed parameters match anything.
func paramMatches(goName, pathName string) bool {
	if goName == "_" || goName == "" {
		return true
	}
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	return norm(goName) == norm(pathName)
}

// docs fills a route's summary and description from the handler's doc
// comment when the manifest gives none: the first sentence, then the rest.
func (c *checker) docs(r *Route, g *gomodel.Func) {
	if r.DocsFromManifest || g.Doc == "" {
		return
	}
	text := strings.Join(strings.Fields(g.Doc), " ")
	// go/doc's first sentence: up to ". " not preceded by a lone capital.
	summary := new(doc.Package).Synopsis(g.Doc)
	if summary == "" {
		summary = text
	}
	r.Summary = summary
	r.Description = strings.TrimSpace(strings.TrimPrefix(text, summary))
}

// checkResult reports a handler result the runtime can never send: a type
// encoding/json cannot encode, and a route's plain []byte, which has no
// Content-Type to be binary with.
func (c *checker) checkResult(u handlerUse, g *gomodel.Func) {
	if !g.ReturnsValue() || u.kind == handlerMiddleware || u.kind == handlerAuthorizer {
		return
	}
	fails := fmt.Sprintf("every invocation of %s fails", describe(u))
	if u.route != nil {
		fails = fmt.Sprintf("every call to %s %s is answered 500", u.route.Method, u.route.Path)
	}
	if j := g.NotJSON; j != nil {
		var d *diag.Diagnostic
		switch {
		case j.Field != "":
			d = c.ds.Errorf(diag.HandlerResult, u.ref.At, "handler %s returns %s, whose field %s (%s) encoding/json cannot encode: %s", g.Name, j.Result, j.Field, j.Type, fails).
				Hint("tag the field `json:\"-\"`, change its type, or give the type a MarshalJSON method")
		case j.MapKey:
			d = c.ds.Errorf(diag.HandlerResult, u.ref.At, "handler %s returns %s, whose map keys encoding/json cannot encode: %s", g.Name, j.Type, fails).
				Hint("use string or integer map keys, or give the key type a MarshalText method")
		default:
			d = c.ds.Errorf(diag.HandlerResult, u.ref.At, "handler %s returns %s, which encoding/json cannot encode: %s", g.Name, j.Type, fails).
				Hint("return a value JSON can encode: a struct, map, slice, string, number or bool")
		}
		d.Note(g.At, "%s is declared here as %s", g.Name, g.Signature)
		return
	}
	if (u.route == nil && u.kind != handlerURL) || !g.RawBytes || c.anyBinaryType() {
		return
	}
	// A []byte body is sent only with a binary Content-Type, and a
	// bare []byte result has no headers: only middleware can add one.
	msg := fmt.Sprintf("handler %s returns a bare []byte, which has no Content-Type header: %s", g.Name, fails)
	hint := "return &chalice.Response{Body: data, Headers: map[string]string{\"Content-Type\": \"image/png\"}} with one of the app's binary types (Chalice's defaults and api.binary_types), or return a string for text"
	var d *diag.Diagnostic
	if mw := c.httpMiddleware(); mw != nil {
		d = c.ds.Warnf(diag.HandlerResult, u.ref.At, "%s, unless middleware sets a binary Content-Type", msg).
			Note(mw.Handler.At, "middleware %s could set it", mw.Handler.Name)
	} else {
		d = c.ds.Errorf(diag.HandlerResult, u.ref.At, "%s", msg)
	}
	d.Hint("%s", hint).Note(g.At, "%s is declared here as %s", g.Name, g.Signature)
}

// anyBinaryType: the app's binary types include */*, which makes every
// Content-Type binary, none included.
func (c *checker) anyBinaryType() bool {
	for _, t := range c.app.BinaryTypes {
		if strings.TrimSpace(t) == "*/*" {
			return true
		}
	}
	return false
}

// httpMiddleware returns the first middleware that sees route responses.
func (c *checker) httpMiddleware() *Middleware {
	for _, mw := range c.app.Middleware {
		if mw.EventType == "http" || mw.EventType == "all" {
			return mw
		}
	}
	return nil
}
