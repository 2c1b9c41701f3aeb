package stages

import "github.com/chalc-dev/chalc/manifest"

// Stage values: the placeholders of manifest.Template, expanded for one
// stage. ${env:NAME} is the variable as the function the field belongs
// to sees it in that stage: its merged environment_variables, which is
// what os.environ holds when Chalice imports app.py for that function.
// A field of a function (its trigger, layers, VPC ids, tags) uses the
// function's; a field of the REST API (CORS, authorizers) api_handler's;
// a field of the stage itself (custom domains, VPC endpoints) the
// stage's (top level and stages.S: what a function without a
// lambda_functions entry gets).

// Scope is what a template is expanded in.
type Scope struct {
	Stage   string
	AppName string
	// Function is the function whose environment ${env:...} reads (""
	// for the stage's own).
	Function string
	Env      []KV
}

// Scope returns the scope of function's fields in st; an unknown or empty
// function name gives the stage's own (Defaults).
func (st *Stage) Scope(function string) Scope {
	sc := Scope{Stage: st.Name, AppName: st.AppName, Function: function}
	if f := st.Functions[function]; f != nil {
		sc.Env = f.Environment
	} else if st.Defaults != nil {
		sc.Function = ""
		sc.Env = st.Defaults.Environment
	}
	return sc
}

// Unresolved is a placeholder a stage cannot expand: its variable is not
// set for the function, or is set to an intrinsic function (known only
// once deployed).
type Unresolved struct {
	Part     manifest.Part
	Template *manifest.Template
	Stage    string
	Function string // "" for the stage's own environment
	// Intrinsic is set when the variable is an intrinsic: where it is.
	Intrinsic *KV
}

// Expand returns t's value in sc, and the placeholders sc cannot expand
// (then the value is not usable). A template with syntax errors expands
// to its text as written and nothing is reported here: the manifest's
// check reports the errors.
func Expand(t *manifest.Template, sc Scope) (string, []Unresolved) {
	if len(t.Errors) > 0 {
		return t.Text, nil
	}
	var un []Unresolved
	v, _ := t.Expand(func(p manifest.Part) (string, bool) {
		switch p.Kind {
		case manifest.StageName:
			return sc.Stage, true
		case manifest.AppName:
			return sc.AppName, true
		}
		for i := range sc.Env {
			if kv := sc.Env[i]; kv.Key == p.Text {
				if kv.Intrinsic != nil {
					un = append(un, Unresolved{Part: p, Template: t, Stage: sc.Stage, Function: sc.Function, Intrinsic: &sc.Env[i]})
					return "", false
				}
				return kv.Value, true
			}
		}
		un = append(un, Unresolved{Part: p, Template: t, Stage: sc.Stage, Function: sc.Function})
		return "", false
	})
	return v, un
}

// Expanded is a configuration value that came from a template, as one
// stage expanded it: the compiler checks its shape stage by stage.
type Expanded struct {
	// Key is the manifest key the value belongs to: layers, subnet_ids,
	// security_group_ids, api_gateway_endpoint_vpce, tags (a function's),
	// domain_tags (a custom domain's), domain_name or certificate_arn.
	Key string
	// Name is the tag's key, for tags.
	Name string
	// Value holds the expanded text in V and the written value's
	// positions and Template.
	Value    manifest.Value[string]
	Function string // "" for a stage-level value
}

// expander expands the configuration of one stage, recording what it
// expanded and what it could not.
type expander struct {
	st *Stage
	// defaults: expanding Defaults, whose failures count only where it is
	// used (DefaultsUnresolved).
	defaults bool
}

// value expands v (unchanged when it is not templated) for function's
// scope; key names it for the checks.
func (e *expander) value(v manifest.Value[string], key, name, function string) string {
	if v.Template == nil || len(v.Template.Errors) > 0 {
		return v.V // a template with errors: reported as such
	}
	out, un := Expand(v.Template, e.st.Scope(function))
	if len(un) > 0 {
		// Not usable: the text as written stands in (checks skip it,
		// and the compiler reports what is missing).
		if e.defaults {
			e.st.DefaultsUnresolved = append(e.st.DefaultsUnresolved, un...)
		} else {
			e.st.Unresolved = append(e.st.Unresolved, un...)
		}
		return v.V
	}
	ev := v
	ev.V = out
	e.st.Expanded = append(e.st.Expanded, Expanded{Key: key, Name: name, Value: ev, Function: function})
	return out
}

// list expands the items of l written with templates.
func (e *expander) list(l *List, key, function string) {
	for i, it := range l.Written {
		if it.Template != nil && i < len(l.V) {
			l.V[i] = e.value(it, key, "", function)
		}
	}
}

// kvs expands the tag values written with templates.
func (e *expander) kvs(kvs []KV, key, function string) {
	for i, kv := range kvs {
		if kv.Template != nil {
			v := manifest.Value[string]{V: kv.Value, Set: true, Range: kv.From, Template: kv.Template}
			kvs[i].Value = e.value(v, key, kv.Key, function)
		}
	}
}

// domain returns a copy of d with its templated fields expanded in the
// stage's own scope (nil for nil).
func (e *expander) domain(d *manifest.Domain) *manifest.Domain {
	if d == nil {
		return nil
	}
	cp := *d
	cp.DomainName.V = e.value(d.DomainName, "domain_name", "", "")
	cp.CertificateARN.V = e.value(d.CertificateARN, "certificate_arn", "", "")
	cp.Tags.Entries = append([]manifest.Entry(nil), d.Tags.Entries...)
	for i, en := range cp.Tags.Entries {
		cp.Tags.Entries[i].Value.V = e.value(en.Value, "domain_tags", en.Key.V, "")
	}
	return &cp
}

// expand fills the stage's templated configuration values in place.
func (e *expander) expand() {
	st := e.st
	e.list(&st.EndpointVPCE, "api_gateway_endpoint_vpce", "")
	st.APICustomDomain = e.domain(st.APICustomDomain)
	st.WebsocketCustomDomain = e.domain(st.WebsocketCustomDomain)
	function := func(f *Function) {
		e.list(&f.Layers, "layers", f.Name)
		e.list(&f.SubnetIDs, "subnet_ids", f.Name)
		e.list(&f.SecurityGroupIDs, "security_group_ids", f.Name)
		e.kvs(f.Tags, "tags", f.Name)
	}
	for _, name := range st.Order {
		function(st.Functions[name])
	}
	if st.Defaults != nil {
		e.defaults = true
		function(st.Defaults)
		e.defaults = false
	}
}
