// Package gomodel is what the Go check (package gocheck) is asked and
// what it learns, as plain values: the Request the compiler builds, the
// Result it consumes (each handlers package's funcs, the graph of SDK
// calls), and the go build the check prepares for. It runs nothing: the
// compiler imports it, never gocheck, so the compile step neither loads
// Go code nor runs the go command itself (docs/architecture.md).
package gomodel

import (
	"github.com/chalc-dev/chalc/diag"
)

// Import paths of chalc's runtime packages that generated code imports.
const (
	RuntimeModule = "github.com/chalc-dev/chalc"
	ChalicePath   = RuntimeModule + "/runtime/chalice"
	DispatchPath  = RuntimeModule + "/runtime/dispatch"
	S3NotifyPath  = RuntimeModule + "/runtime/s3notify"
)

// GeneratedFile is the name of the file chalc writes into the handlers
// package. The checks hide it: it may be stale, or name handlers that no
// longer exist.
const GeneratedFile = "chalc_gen.go"

// Checks selects what Check does.
type Checks uint8

const (
	// Handlers type-checks each handlers package and reports its exported
	// funcs and other package-level names.
	Handlers Checks = 1 << iota
	// RuntimeModules asks the go command whether go.mod and go.sum record
	// every module the Request's runtime packages need (chalc generate
	// skips it: it writes the file whose imports `go mod tidy` records).
	RuntimeModules
	// SDKCalls records the aws-sdk-go-v2 operations the module's code
	// uses (after a clean type-check).
	SDKCalls

	// All is every check.
	All = Handlers | RuntimeModules | SDKCalls
)

// Target is one handlers package to check.
type Target struct {
	// Dir is the package directory (absolute).
	Dir string
	// At is the manifest value naming the directory (handlers:) and
	// Written that value as the user wrote it; At is zero when the
	// directory is the default.
	At      diag.Range
	Written string
}

// RuntimeImport is a runtime package the app's generated code imports,
// so that the app's module must provide it and its dependencies.
type RuntimeImport struct {
	Path string
	// At is the manifest entry that needs it; What names it in messages
	// and Why says why the app needs it.
	At        diag.Range
	What, Why string
}

// Request says what to check.
type Request struct {
	// Packages are the handlers packages; the first is the app's own,
	// whose module builds the bootstrap.
	Packages []Target
	// Runtime lists the runtime packages the app's module must provide
	// (with RuntimeModules).
	Runtime []RuntimeImport
	Checks  Checks
	// Build is the go build that follows the check (DefaultBuild when
	// zero): the check reads the dependencies' export data as this build
	// compiles them, and sees the files its platform and tags select.
	Build BuildConfig
	// CacheDir holds the caches ("" disables them).
	CacheDir string
	// Sources receives the Go files that diagnostics show lines of.
	Sources diag.Sources
}

// Result is what the checks learnt.
type Result struct {
	// Packages parallels Request.Packages; an entry is nil when its
	// package could not be checked (the diagnostics say why).
	Packages []*Package
	// SDK is the graph of SDK calls (with SDKCalls, after a clean check).
	SDK *SDKGraph
}

// Package is what the type-check learnt about one handlers package.
type Package struct {
	ImportPath string
	Name       string
	// Funcs are the exported top-level funcs; Objects the package's other
	// package-level names.
	Funcs   map[string]*Func
	Objects map[string]*Object
}

// Func is what the type-check learns about one exported top-level func.
type Func struct {
	Name string
	// At is the declaration (file:line:col of the name).
	At diag.Range
	// Doc is the doc comment text.
	Doc string
	// Params and Results are canonical type strings, aliases resolved:
	// "context.Context", "*chalice.Request", "string", "chalice.SQSEvent",
	// "error", "any", "chalice.Next[*chalice.Request, *chalice.Response]";
	// other types are fully qualified ("example.com/app/models.User").
	Params     []string
	ParamNames []string
	Results    []string
	Variadic   bool
	// Signature is the func type as the user wrote it, for messages.
	Signature string
	// Generic is true for a func with type parameters (never a handler).
	Generic bool
	// NotJSON says why encoding/json cannot encode the first of two
	// results; nil when it can, as far as the static type tells.
	NotJSON *JSONIssue
	// RawBytes: the first of two results is a plain []byte, which a route
	// can only answer with a binary Content-Type.
	RawBytes bool
}

// TakesContext reports whether the func's first parameter is a context.
func (g *Func) TakesContext() bool { return len(g.Params) > 0 && g.Params[0] == "context.Context" }

// ReturnsValue reports whether the func returns (T, error), not just error.
func (g *Func) ReturnsValue() bool { return len(g.Results) == 2 }

// TakesRequest reports whether a route handler takes *chalice.Request.
func (g *Func) TakesRequest() bool {
	p := g.Params
	if g.TakesContext() {
		p = p[1:]
	}
	return len(p) > 0 && p[0] == "*chalice.Request"
}

// Object is a package-level name that is not an exported func: what a
// handler name that is not a handler turned out to be.
type Object struct {
	// Kind is "func", "type", "variable" or "constant".
	Kind string
	At   diag.Range
	// Type is the object's type as written, for messages; FuncType says
	// that a variable holds a func.
	Type     string
	FuncType bool
}

// JSONIssue is why encoding/json cannot encode a handler's result: the
// runtime answers such a route with 500 on every call, and fails every
// invocation of such a function.
type JSONIssue struct {
	// Field is the innermost struct field at fault ("Order.Updates"), ""
	// when the result type itself is.
	Field string
	// Type is the type at fault: the field's, else the result's.
	Type string
	// MapKey: the fault is a map key type.
	MapKey bool
	// Result is the result type.
	Result string
}

// SDKServicePrefix is the import path prefix of aws-sdk-go-v2's service
// packages.
const SDKServicePrefix = "github.com/aws/aws-sdk-go-v2/service/"

// SDKGraph is what the walk of the handlers' modules records (one module's
// is cached): which SDK operations each func, method, var and package
// initializer uses, and which others it refers to.
type SDKGraph struct {
	// Nodes by key: a func's types.Func.FullName ("example.com/app.Index",
	// "(*example.com/app/store.Store).Save"), "var <pkg>.<name>" for a
	// package-level var, "init <pkg>" for a package's initialization.
	Nodes map[string]*SDKNode
	// Inits are the "init <pkg>" keys of every module-local package.
	Inits []string
}

// SDKNode is one func, method, package-level var or package initializer.
type SDKNode struct {
	// Refs are the module-local nodes it refers to: funcs, methods and
	// vars it names (called or not), and the methods of the module's
	// types that a call of an interface method it makes may reach.
	Refs []string `json:",omitempty"`
	// Uses are the SDK operations it uses.
	Uses []*SDKUse `json:",omitempty"`
	// Unresolved are the calls it makes that the analysis cannot follow.
	Unresolved []*SDKUnresolved `json:",omitempty"`
}

// SDKUse is one SDK operation used at one place.
type SDKUse struct {
	Service string // the package name under service/: s3, dynamodb
	Op      string // the operation: GetObject
	Call    string // what the code calls: s3.Client.GetObject
	File    string // absolute once loaded (relative to the module root in the cache)
	Line    int
	Col     int
	// Params holds what the analysis learnt of the operation's input
	// fields that decide its resources and dependent actions (the paths
	// awsfacts.InputPaths lists that the input type has), by path:
	// "TableName", "Image.S3Object.Bucket". A path the input type lacks
	// is absent.
	Params map[string]*SDKValue `json:",omitempty"`
}

// SDKValue is what a string field of an operation's input may hold, as
// far as the code shows.
type SDKValue struct {
	// Absent: the code never sets the field (or sets it to nil).
	Absent bool `json:",omitempty"`
	// Env are the environment variables it may come from (os.Getenv),
	// Const the constant strings it may be.
	Env   []string `json:",omitempty"`
	Const []string `json:",omitempty"`
	// Unknown says why its value cannot be told ("" when it can); At is
	// where the value the analysis could not follow is.
	Unknown string  `json:",omitempty"`
	At      *SDKPos `json:",omitempty"`
}

// SDKPos is a place in the module's code.
type SDKPos struct {
	File      string // absolute once loaded (relative to the module root in the cache)
	Line, Col int
}

// Unresolved kinds.
const (
	// UnresolvedInterface: a call of an interface method that no type of
	// the module implements, whose signature uses aws-sdk-go-v2 types.
	UnresolvedInterface = "interface"
	// UnresolvedExternal: an SDK client passed to a function of another
	// module, whose calls are not analysed.
	UnresolvedExternal = "external"
	// UnresolvedReflect: a call through reflection.
	UnresolvedReflect = "reflect"
	// UnresolvedPlugin: code loaded from a Go plugin.
	UnresolvedPlugin = "plugin"
)

// SDKUnresolved is a call the analysis cannot follow to the SDK
// operations it may reach.
type SDKUnresolved struct {
	Kind string // Unresolved*
	// Call names what is called: "store.TodoDB.Get", "reflect.Value.Call",
	// "manager.NewUploader".
	Call string
	// Service is the aws-sdk-go-v2 service its types name ("dynamodb"),
	// "" when none does.
	Service string
	// In names the Go func the call is in: "app.GetTodo", "(*app.Server).handle".
	In   string
	File string // as SDKUse.File
	Line int
	Col  int
}

// FuncKey is the node key of a package-level func: its import path and
// name.
func FuncKey(importPath, name string) string { return importPath + "." + name }

// Reach returns the SDK uses reachable from the nodes keys and from every
// package initializer, each once, in the order met, and the calls met on
// the way that the analysis cannot follow.
func (g *SDKGraph) Reach(keys []string) ([]*SDKUse, []*SDKUnresolved) {
	seen := map[string]bool{}
	queue := append(append([]string(nil), keys...), g.Inits...)
	var out []*SDKUse
	var unresolved []*SDKUnresolved
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k] {
			continue
		}
		seen[k] = true
		n := g.Nodes[k]
		if n == nil {
			continue
		}
		queue = append(queue, n.Refs...)
		out = append(out, n.Uses...)
		unresolved = append(unresolved, n.Unresolved...)
	}
	return out, unresolved
}

// Merge adds another module's graph.
func (g *SDKGraph) Merge(o *SDKGraph) {
	for k, n := range o.Nodes {
		g.Nodes[k] = n
	}
	g.Inits = append(g.Inits, o.Inits...)
}
