package stages

import (
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

// Defaults, as Chalice's (SEMANTICS.md (ii)); architecture as Lambda's.
const (
	DefaultStage           = "dev"
	DefaultAPIStage        = "api"
	DefaultEndpointType    = "EDGE"
	DefaultMemorySize      = 128
	DefaultTimeout         = 60
	DefaultArchitecture    = "x86_64"
	DefaultLogLevel        = "ERROR"
	DefaultLogLevelOnDebug = "DEBUG"
	// DefaultAPIKind: routes are served by a REST API (API Gateway v1),
	// as Chalice's; APIKindHTTP is an HTTP API (API Gateway v2).
	DefaultAPIKind = APIKindREST
	APIKindREST    = "rest"
	APIKindHTTP    = "http"
)

// Setting is a resolved value and the place it came from (zero Range for a
// default).
type Setting[T any] struct {
	V    T
	Set  bool // set by the manifest (false: the default applies)
	From diag.Range
}

// List is a resolved list of strings (layers, VPC ids, vpce ids).
type List struct {
	V    []string
	Set  bool
	From diag.Range
	// Written are the items as the manifest writes them (V has them
	// expanded for the stage).
	Written []manifest.Value[string]
	// Scalar: written as a single string (api_gateway_endpoint_vpce keeps
	// its shape in the resource policy, as Chalice does).
	Scalar bool
}

// KV is one merged environment variable or tag.
type KV struct {
	Key   string
	Value string
	From  diag.Range
	// Template is the tag value's template (Value is then expanded).
	Template *manifest.Template
	// Intrinsic is an environment variable's intrinsic function (plain
	// JSON values), when it is one: Value is then "".
	Intrinsic any
}

// Stage is the effective configuration of one stage.
type Stage struct {
	Name string
	// AppName is the manifest's app_name (${app_name}).
	AppName string

	// APIKind is what serves the routes in this stage: APIKindREST or
	// APIKindHTTP (api_kind).
	APIKind Setting[string]
	// APIAccessLog: the HTTP API writes an access log (api_access_log).
	APIAccessLog           Setting[bool]
	Debug                  Setting[bool]
	LogLevel               Setting[string]
	Architecture           Setting[string]
	AutomaticLayer         Setting[bool]
	APIGatewayStage        Setting[string]
	EndpointType           Setting[string]
	EndpointVPCE           List
	PolicyFile             Setting[string]
	MinimumCompressionSize Setting[int]
	APICustomDomain        *manifest.Domain
	WebsocketCustomDomain  *manifest.Domain

	// Functions holds each function's effective config, keyed by name.
	Functions map[string]*Function
	// Order lists the function names as given to Resolve.
	Order []string
	// Defaults is the config a function without lambda_functions entries
	// gets; config rules are checked on it when the app has no functions.
	Defaults *Function

	// Expanded lists the configuration values that came from templates,
	// as this stage expanded them; Unresolved the placeholders it could
	// not expand (values.go). Both are the compiler's to report.
	Expanded   []Expanded
	Unresolved []Unresolved
	// DefaultsUnresolved are Defaults' placeholders that do not expand:
	// mistakes only where Defaults is used (chalc's own S3 notification
	// handler takes its tags; an app without functions is checked on it).
	DefaultsUnresolved []Unresolved
}

// HTTPAPI reports whether the stage serves its routes through an HTTP API
// (api_kind: http).
func (s *Stage) HTTPAPI() bool { return s.APIKind.V == APIKindHTTP }

// Function is the effective per-function configuration.
type Function struct {
	Name string

	Environment         []KV // merged, in first-set order
	Tags                []KV
	MemorySize          Setting[int]
	Timeout             Setting[int]
	Layers              List
	ReservedConcurrency Setting[int] // omitted from the template when !Set
	SubnetIDs           List
	SecurityGroupIDs    List
	ManageIAMRole       Setting[bool]
	IAMRoleARN          Setting[string]
	AutogenPolicy       Setting[bool]
	IAMPolicyFile       Setting[string]
	ExtraIAMActions     List
	XRay                Setting[bool]
	LogRetentionInDays  Setting[int] // no log group when !Set
}

// Names returns the stages a manifest declares: dev first, then the keys of
// stages: in document order.
func Names(m *manifest.Manifest) []string {
	names := []string{DefaultStage}
	for _, s := range m.Stages {
		if s.Name.V != DefaultStage {
			names = append(names, s.Name.V)
		}
	}
	return names
}

func findStage(m *manifest.Manifest, name string) *manifest.Stage {
	for _, s := range m.Stages {
		if s.Name.V == name {
			return s
		}
	}
	return nil
}

func findFunction(fcs []*manifest.FunctionConfig, name string) *manifest.FunctionConfig {
	for _, f := range fcs {
		if f.Name.V == name {
			return f
		}
	}
	return nil
}

// layers returns the configs to search, most specific first, for function
// fn in stage st (nil entries for absent layers are skipped).
func layers(m *manifest.Manifest, st *manifest.Stage, fn string) []*manifest.Config {
	var out []*manifest.Config
	if st != nil {
		if f := findFunction(st.LambdaFunctions, fn); f != nil {
			out = append(out, &f.Config)
		}
		out = append(out, &st.Config)
	}
	if f := findFunction(m.LambdaFunctions, fn); f != nil {
		out = append(out, &f.Config)
	}
	return append(out, &m.Config)
}

func stageLayers(m *manifest.Manifest, st *manifest.Stage) []*manifest.Config {
	if st != nil {
		return []*manifest.Config{&st.Config, &m.Config}
	}
	return []*manifest.Config{&m.Config}
}

// first returns the first set value among layers, else def.
func first[T any](ls []*manifest.Config, get func(*manifest.Config) manifest.Value[T], def T) Setting[T] {
	for _, c := range ls {
		if v := get(c); v.Set {
			return Setting[T]{V: v.V, Set: true, From: v.At()}
		}
	}
	return Setting[T]{V: def}
}

func firstList(ls []*manifest.Config, get func(*manifest.Config) manifest.List) List {
	for _, c := range ls {
		if v := get(c); v.Set {
			return List{V: v.Strings(), Set: true, From: v.Range, Scalar: v.Scalar, Written: v.Items}
		}
	}
	return List{}
}

// merge folds maps lowest layer first (ls is most specific first).
func merge(ls []*manifest.Config, get func(*manifest.Config) manifest.Map) []KV {
	var out []KV
	idx := map[string]int{}
	for i := len(ls) - 1; i >= 0; i-- {
		for _, e := range get(ls[i]).Entries {
			if !e.Value.Set && e.Intrinsic == nil {
				continue // not a string: the schema reports it
			}
			kv := KV{Key: e.Key.V, Value: e.Value.V, From: e.Value.Range, Template: e.Value.Template, Intrinsic: e.Intrinsic}
			if j, ok := idx[kv.Key]; ok {
				out[j] = kv
				continue
			}
			idx[kv.Key] = len(out)
			out = append(out, kv)
		}
	}
	return out
}

// Resolve computes the effective configuration of stage for the functions
// named (api_handler, functions: keys, builtin authorizers, websocket_*,
// with blueprint prefixes applied). It reports an unknown stage; the
// config rules are in Check.
func Resolve(m *manifest.Manifest, stage string, functions []string) (*Stage, diag.Diagnostics) {
	var ds diag.Diagnostics
	st := findStage(m, stage)
	if st == nil && stage != DefaultStage {
		d := ds.Errorf(diag.UnknownStage, diag.Range{}, "unknown stage %q", stage)
		names := Names(m)
		if s := Suggest(stage, names); s != "" {
			d.Hint("did you mean %q?", s)
		}
		d.Hint("the manifest declares: %s", joinQuoted(names))
		return nil, ds
	}
	sl := stageLayers(m, st)
	out := &Stage{
		Name:                   stage,
		AppName:                m.AppName.V,
		APIKind:                first(sl, func(c *manifest.Config) manifest.Value[string] { return c.APIKind }, DefaultAPIKind),
		APIAccessLog:           first(sl, func(c *manifest.Config) manifest.Value[bool] { return c.APIAccessLog }, false),
		Debug:                  first(sl, func(c *manifest.Config) manifest.Value[bool] { return c.Debug }, false),
		LogLevel:               first(sl, func(c *manifest.Config) manifest.Value[string] { return c.LogLevel }, ""),
		Architecture:           first(sl, func(c *manifest.Config) manifest.Value[string] { return c.Architecture }, DefaultArchitecture),
		AutomaticLayer:         first(sl, func(c *manifest.Config) manifest.Value[bool] { return c.AutomaticLayer }, false),
		APIGatewayStage:        first(sl, func(c *manifest.Config) manifest.Value[string] { return c.APIGatewayStage }, DefaultAPIStage),
		EndpointType:           first(sl, func(c *manifest.Config) manifest.Value[string] { return c.APIGatewayEndpointType }, DefaultEndpointType),
		EndpointVPCE:           firstList(sl, func(c *manifest.Config) manifest.List { return c.APIGatewayEndpointVPCE }),
		PolicyFile:             first(sl, func(c *manifest.Config) manifest.Value[string] { return c.APIGatewayPolicyFile }, ""),
		MinimumCompressionSize: first(sl, func(c *manifest.Config) manifest.Value[int] { return c.MinimumCompressionSize }, 0),
		Functions:              map[string]*Function{},
		Order:                  functions,
	}
	if !out.LogLevel.Set {
		out.LogLevel.V = DefaultLogLevel
		if out.Debug.V {
			out.LogLevel.V = DefaultLogLevelOnDebug
		}
	}
	for _, c := range sl {
		if c.APIGatewayCustomDomain != nil {
			out.APICustomDomain = c.APIGatewayCustomDomain
			break
		}
	}
	for _, c := range sl {
		if c.WebsocketAPICustomDomain != nil {
			out.WebsocketCustomDomain = c.WebsocketAPICustomDomain
			break
		}
	}
	for _, name := range functions {
		out.Functions[name] = resolveFunction(layers(m, st, name), name)
	}
	out.Defaults = resolveFunction(stageLayers(m, st), "")
	(&expander{st: out}).expand()
	return out, ds
}

func resolveFunction(ls []*manifest.Config, name string) *Function {
	return &Function{
		Name:                name,
		Environment:         merge(ls, func(c *manifest.Config) manifest.Map { return c.EnvironmentVariables }),
		Tags:                merge(ls, func(c *manifest.Config) manifest.Map { return c.Tags }),
		MemorySize:          first(ls, func(c *manifest.Config) manifest.Value[int] { return c.LambdaMemorySize }, DefaultMemorySize),
		Timeout:             first(ls, func(c *manifest.Config) manifest.Value[int] { return c.LambdaTimeout }, DefaultTimeout),
		Layers:              firstList(ls, func(c *manifest.Config) manifest.List { return c.Layers }),
		ReservedConcurrency: first(ls, func(c *manifest.Config) manifest.Value[int] { return c.ReservedConcurrency }, 0),
		SubnetIDs:           firstList(ls, func(c *manifest.Config) manifest.List { return c.SubnetIDs }),
		SecurityGroupIDs:    firstList(ls, func(c *manifest.Config) manifest.List { return c.SecurityGroupIDs }),
		ManageIAMRole:       first(ls, func(c *manifest.Config) manifest.Value[bool] { return c.ManageIAMRole }, true),
		IAMRoleARN:          first(ls, func(c *manifest.Config) manifest.Value[string] { return c.IAMRoleARN }, ""),
		AutogenPolicy:       first(ls, func(c *manifest.Config) manifest.Value[bool] { return c.AutogenPolicy }, true),
		IAMPolicyFile:       first(ls, func(c *manifest.Config) manifest.Value[string] { return c.IAMPolicyFile }, ""),
		ExtraIAMActions:     firstList(ls, func(c *manifest.Config) manifest.List { return c.ExtraIAMActions }),
		XRay:                first(ls, func(c *manifest.Config) manifest.Value[bool] { return c.XRay }, false),
		LogRetentionInDays:  first(ls, func(c *manifest.Config) manifest.Value[int] { return c.LogRetentionInDays }, 0),
	}
}
