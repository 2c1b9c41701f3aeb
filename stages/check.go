package stages

import (
	"fmt"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/manifest"
)

// Suggest returns the closest of names to got, or "".
func Suggest(got string, names []string) string { return suggest.Closest(got, names) }

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// CheckNames reports lambda_functions entries (top level and per stage)
// that name no function of the app. A blueprint that could not be loaded
// (reported already) may declare any function its name_prefix allows, so
// entries that might be its functions are not reported: one mistake is one
// error.
func CheckNames(m *manifest.Manifest, functions []string) diag.Diagnostics {
	var ds diag.Diagnostics
	known := map[string]bool{}
	for _, f := range functions {
		known[f] = true
	}
	var unloaded []string // name prefixes of blueprints not loaded
	for _, b := range m.Blueprints {
		if b.Fragment == nil || b.Fragment.Doc == nil || b.Fragment.Doc.Root == nil {
			unloaded = append(unloaded, b.NamePrefix.V)
		}
	}
	mightBeUnloaded := func(name string) bool {
		for _, p := range unloaded {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
	check := func(fcs []*manifest.FunctionConfig) {
		for _, fc := range fcs {
			if known[fc.Name.V] || mightBeUnloaded(fc.Name.V) {
				continue
			}
			d := ds.Errorf(diag.UnknownFunction, fc.Name.Key, "lambda_functions entry %q names no function of this app", fc.Name.V)
			if s := Suggest(fc.Name.V, functions); s != "" {
				d.Hint("did you mean %q?", s)
			} else if len(functions) > 0 {
				d.Hint("the app's functions are %s", joinQuoted(functions))
			}
			if fc.Name.V == "api_handler" {
				d.Hints = []string{"api_handler exists only when the app has routes"}
			}
		}
	}
	check(m.LambdaFunctions)
	for _, st := range m.Stages {
		check(st.LambdaFunctions)
	}
	return ds
}

// Grouped collects one diagnostic per key, noting the functions and
// stages it applies to: a mistake made once, in a top-level setting or a
// shared file, is one error, not one per function and stage. Check groups
// by position and message; the compiler groups policy file problems with
// it too, so that both notes read alike. The zero value is ready to use.
type Grouped struct {
	order []string
	by    map[string]*groupEntry
}

type groupEntry struct {
	d         *diag.Diagnostic
	functions []string
	stages    []string
}

func addUnique(list []string, s string) []string {
	for _, o := range list {
		if o == s {
			return list
		}
	}
	return append(list, s)
}

// Get returns the diagnostic added under key, or nil.
func (g *Grouped) Get(key string) *diag.Diagnostic {
	if e := g.by[key]; e != nil {
		return e.d
	}
	return nil
}

// Add records that the diagnostic under key applies to function ("" for
// none) in stage, and returns that diagnostic: d when key is new, else the
// one added first (d is then dropped).
func (g *Grouped) Add(key string, d *diag.Diagnostic, function, stage string) *diag.Diagnostic {
	if g.by == nil {
		g.by = map[string]*groupEntry{}
	}
	e, ok := g.by[key]
	if !ok {
		e = &groupEntry{d: d}
		g.by[key] = e
		g.order = append(g.order, key)
	}
	if function != "" {
		e.functions = addUnique(e.functions, function)
	}
	e.stages = addUnique(e.stages, stage)
	return e.d
}

// add groups d by its position and message.
func (g *Grouped) add(d *diag.Diagnostic, function, stage string) {
	g.Add(d.Subject.String()+"\x00"+d.Message, d, function, stage)
}

// Diagnostics returns the diagnostics in the order their keys were first
// added, each with a note of what it applies to: "applies to f, g in
// stages dev, prod". One that applies to no function names whole instead
// ("applies to the REST API in stage dev"), or only the stages when whole
// is "" ("applies to stage dev").
func (g *Grouped) Diagnostics(whole string) diag.Diagnostics {
	var ds diag.Diagnostics
	for _, k := range g.order {
		e := g.by[k]
		where := "stage " + e.stages[0]
		if len(e.stages) > 1 {
			where = "stages " + strings.Join(e.stages, ", ")
		}
		what := whole
		if len(e.functions) > 0 {
			what = strings.Join(e.functions, ", ")
		}
		if what != "" {
			e.d.Note(diag.Range{}, "applies to %s in %s", what, where)
		} else {
			e.d.Note(diag.Range{}, "applies to %s", where)
		}
		ds = append(ds, e.d)
	}
	return ds
}

// Check reports the rules that depend on effective configuration, for
// every function of every stage given: both VPC lists or neither,
// manage_iam_role false needs iam_role_arn, and the PRIVATE endpoint
// rules. Where a value is set decides where the error points; one mistake
// is one error, noting the functions and stages it affects.
func Check(sts ...*Stage) diag.Diagnostics {
	var g Grouped
	for _, st := range sts {
		check(&g, st)
	}
	return g.Diagnostics("")
}

func check(g *Grouped, st *Stage) {
	fns := make([]*Function, 0, len(st.Order))
	for _, name := range st.Order {
		fns = append(fns, st.Functions[name])
	}
	if len(fns) == 0 && st.Defaults != nil {
		fns = append(fns, st.Defaults) // no functions: check the layers themselves
	}
	for _, f := range fns {
		sub, sg := len(f.SubnetIDs.V) > 0, len(f.SecurityGroupIDs.V) > 0
		switch {
		case sub && !sg:
			g.add(diag.Errorf(diag.VPCConfig, f.SubnetIDs.From, "subnet_ids is set but security_group_ids is not").
				Hint("a function in a VPC needs both subnet_ids and security_group_ids; set both, or neither"), f.Name, st.Name)
		case sg && !sub:
			g.add(diag.Errorf(diag.VPCConfig, f.SecurityGroupIDs.From, "security_group_ids is set but subnet_ids is not").
				Hint("a function in a VPC needs both subnet_ids and security_group_ids; set both, or neither"), f.Name, st.Name)
		}
		if f.ManageIAMRole.Set && !f.ManageIAMRole.V && f.IAMRoleARN.V == "" {
			g.add(diag.Errorf(diag.IAMRole, f.ManageIAMRole.From, "manage_iam_role is false but no iam_role_arn is given").
				Hint("add iam_role_arn: \"arn:aws:iam::123456789012:role/NAME\" next to it, or remove manage_iam_role"), f.Name, st.Name)
		}
	}
	if st.HTTPAPI() {
		checkHTTPAPI(g, st)
		return // HTTP APIs are regional: the endpoint rules below are REST's
	}
	if st.APIAccessLog.V {
		g.add(diag.Errorf(diag.APIKind, st.APIAccessLog.From, "api_access_log needs an HTTP API (api_kind: http); this stage serves its routes as a REST API").
			Hint("set api_kind: http for the stage, or remove api_access_log (a REST API's access logs need an account-wide CloudWatch role chalc does not manage)"), "", st.Name)
	}
	checkEdgeCertificate(g, st)
	private := st.EndpointType.V == "PRIVATE"
	hasVPCE, hasPolicy := len(st.EndpointVPCE.V) > 0, st.PolicyFile.V != ""
	switch {
	case private && !hasVPCE && !hasPolicy:
		g.add(diag.Errorf(diag.Endpoint, st.EndpointType.From, "a PRIVATE endpoint needs api_gateway_endpoint_vpce or api_gateway_policy_file").
			Hint("add api_gateway_endpoint_vpce: vpce-0123456789abcdef0 to allow calls from that VPC endpoint"), "", st.Name)
	case private && hasVPCE && hasPolicy:
		g.add(diag.Errorf(diag.Endpoint, st.PolicyFile.From, "api_gateway_policy_file and api_gateway_endpoint_vpce cannot both be set").
			Hint("the policy file replaces the policy chalc writes for the VPC endpoint: keep one"), "", st.Name)
	case !private && hasVPCE:
		g.add(diag.Errorf(diag.Endpoint, st.EndpointVPCE.From, "api_gateway_endpoint_vpce needs api_gateway_endpoint_type: PRIVATE").
			Hint("set api_gateway_endpoint_type: PRIVATE (it is %s here), or remove the VPC endpoint", st.EndpointType.V), "", st.Name)
	}
}

// checkEdgeCertificate: an edge-optimized REST API's custom domain is
// served through CloudFront, which takes ACM certificates from us-east-1
// only. (A REGIONAL domain needs its certificate in the stack's region,
// which is not known before deploying.)
func checkEdgeCertificate(g *Grouped, st *Stage) {
	d := st.APICustomDomain
	if d == nil || st.EndpointType.V != "EDGE" || !d.CertificateARN.Set || d.CertificateARN.Tagged {
		return
	}
	parts := strings.SplitN(d.CertificateARN.V, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "acm" || parts[3] == "" || parts[3] == "us-east-1" {
		return // not an ACM ARN (reported elsewhere), or another partition
	}
	de := diag.Errorf(diag.Certificate, d.CertificateARN.Range, "the certificate of an EDGE endpoint's custom domain must be in us-east-1, not %s", parts[3]).
		Hint("request or import the certificate in us-east-1 (CloudFront serves edge-optimized domains), or set api_gateway_endpoint_type: REGIONAL to use a certificate of the stack's region")
	if st.EndpointType.Set {
		de.Note(st.EndpointType.From, "the endpoint type is set here")
	}
	g.add(de, "", st.Name)
}

// checkHTTPAPI reports the settings a stage serving its routes as an
// HTTP API (api_kind: http) cannot have: HTTP APIs are regional only,
// without private endpoints, resource policies, compression or TLS 1.0.
// Each is an error at its key, noting the stages it applies to, rather
// than a setting the template silently drops.
func checkHTTPAPI(g *Grouped, st *Stage) {
	kindNote := func(d *diag.Diagnostic) *diag.Diagnostic {
		if st.APIKind.Set {
			d.Note(st.APIKind.From, "api_kind: http is set here")
		}
		return d
	}
	add := func(at diag.Range, msg, hint string) {
		g.add(kindNote(diag.Errorf(diag.APIKind, at, "%s", msg).Hint("%s", hint)), "", st.Name)
	}
	switch {
	case st.EndpointType.Set && st.EndpointType.V == "PRIVATE":
		add(st.EndpointType.From, "an HTTP API (api_kind: http) has no PRIVATE endpoint",
			"keep api_kind: rest for a private API, or remove api_gateway_endpoint_type (HTTP APIs are regional)")
	case st.EndpointType.Set && st.EndpointType.V == "EDGE":
		add(st.EndpointType.From, "an HTTP API (api_kind: http) has no EDGE endpoint: HTTP APIs are regional",
			"remove api_gateway_endpoint_type (or write REGIONAL), or put CloudFront in front of the API yourself")
	}
	if len(st.EndpointVPCE.V) > 0 {
		add(st.EndpointVPCE.From, "an HTTP API (api_kind: http) cannot be limited to VPC endpoints",
			"keep api_kind: rest with api_gateway_endpoint_type: PRIVATE, or remove api_gateway_endpoint_vpce")
	}
	if st.PolicyFile.V != "" {
		add(st.PolicyFile.From, "an HTTP API (api_kind: http) has no resource policy",
			"use an iam, jwt or builtin authorizer on the routes instead, or keep api_kind: rest")
	}
	if st.MinimumCompressionSize.Set {
		add(st.MinimumCompressionSize.From, "an HTTP API (api_kind: http) does not compress responses",
			"remove minimum_compression_size, or compress in the handler (Content-Encoding)")
	}
	if d := st.APICustomDomain; d != nil && d.TLSVersion.Set && d.TLSVersion.V != "TLS_1_2" {
		add(d.TLSVersion.Range, fmt.Sprintf("an HTTP API's custom domain takes only TLS_1_2, not %s", d.TLSVersion.V),
			"write tls_version: TLS_1_2, or remove it")
	}
}
