package compiler

import (
	"slices"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// Stage values. What a manifest writes with placeholders (${env:NAME},
// ${stage}, ${app_name}) has a value per stage: a trigger, a route's
// CORS, an authorizer (sites, here), and configuration values (expanded
// by stages.Resolve). The passes before build the model from the text
// as written, without checking it; stageValues then, for every stage,
// expands each site and checks the result — reporting a mistake once,
// with what the placeholders expanded to and the stages it affects —
// and leaves the model holding the packaged stage's values.
//
// Which stages: a placeholder that does not expand is an error in every
// stage, whatever the command (chalc_gen.go holds every stage's CORS,
// and a name set in dev but not in prod is a mistake wherever it is
// found); the shape of the expanded values is checked in the stages the
// compile checks (Options.CheckStages and Stage), as the config rules.

// stageSite is a part of the app whose values differ per stage.
type stageSite struct {
	// function is whose environment ${env:NAME} reads.
	function  string
	templates []*manifest.Template
	// apply computes the site's value in one stage, sets it in the model
	// and checks it (into c.ds).
	apply func(x *siteExpander)
}

// siteExpander expands templates in one stage's scope.
type siteExpander struct {
	c          *checker
	stage      *stages.Stage
	scope      stages.Scope
	unresolved []stages.Unresolved
	values     map[*manifest.Template]string // what each template expanded to
	// broken: a template has syntax errors (reported as such).
	broken bool
}

// expand returns t's value, or its text as written when it does not
// expand (then the site's checks are not reported for the stage).
func (x *siteExpander) expand(t *manifest.Template) string {
	if len(t.Errors) > 0 {
		x.broken = true
		return t.Text
	}
	v, un := stages.Expand(t, x.scope)
	if len(un) > 0 {
		x.unresolved = append(x.unresolved, un...)
		return t.Text
	}
	x.values[t] = v
	return v
}

// number reads a number field's expanded text.
func (x *siteExpander) number(v manifest.Value[int], text string) (int, bool) {
	if _, ok := x.values[v.Template]; !ok {
		return 0, false // not expanded: reported as such
	}
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		x.c.ds.Errorf(diag.SchemaType, v.Range, "%q must expand to a whole number, not %q", v.Template.Text, text).
			Hint("set the environment variable to a number, such as \"300\"")
		return 0, false
	}
	return n, true
}

// addSite registers a part of the app that takes stage values.
func (c *checker) addSite(function string, ts []*manifest.Template, apply func(*siteExpander)) {
	c.sites = append(c.sites, &stageSite{function: function, templates: ts, apply: apply})
}

// stageValue compiles src, a trigger of function, with compile: at once
// when it takes no stage values, else in every stage (the model is built
// from the text as written in the meantime, unchecked).
func stageValue[T any](c *checker, function string, src *T, compile func(*T)) {
	if src == nil {
		return
	}
	ts := manifest.Templates(src)
	if len(ts) == 0 {
		compile(src)
		return
	}
	c.quietly(func() { compile(src) })
	c.addSite(function, ts, func(x *siteExpander) { compile(manifest.ExpandCopy(src, x.expand, x.number)) })
}

// quietly runs fn and drops what it reports.
func (c *checker) quietly(fn func()) {
	n := len(c.ds)
	fn()
	c.ds = c.ds[:n]
}

// cloudWatch compiles a cloudwatch_event trigger: its pattern's strings
// take stage values.
func (c *checker) cloudWatch(fn *Function, ce *manifest.CloudWatchEvent) {
	fn.CloudWatch = &CloudWatch{EventPattern: ce.EventPattern.V}
	if m, ok := ce.EventPattern.V.(map[string]any); ok && len(m) == 0 {
		c.ds.Errorf(diag.EventPattern, ce.EventPattern.Range, "event_pattern cannot be empty").
			Hint("match on at least one field, e.g. {source: [aws.ec2]}")
	}
	if len(ce.Strings) == 0 {
		return
	}
	var ts []*manifest.Template
	for _, s := range ce.Strings {
		ts = append(ts, s.Template)
	}
	c.addSite(fn.Name, ts, func(x *siteExpander) {
		p := copyJSON(ce.EventPattern.V)
		for _, s := range ce.Strings {
			setPath(p, s.Path, x.expand(s.Template))
		}
		fn.CloudWatch = &CloudWatch{EventPattern: p}
	})
}

// copyJSON deep-copies a JSON-compatible value.
func copyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = copyJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyJSON(e)
		}
		return out
	}
	return v
}

// setPath sets the value at path (keys and list indexes) of v.
func setPath(v any, path []any, val any) {
	for i, p := range path {
		last := i == len(path)-1
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			if last {
				m[k] = val
				return
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return
			}
			if last {
				l[k] = val
				return
			}
			v = l[k]
		}
	}
}

// stageValues expands every site in every stage, checks the values of
// the stages checked, reports what does not expand, and leaves the model
// with the packaged stage's values.
func (c *checker) stageValues(checked []*stages.Stage) {
	isChecked := map[string]bool{}
	for _, st := range checked {
		isChecked[st.Name] = true
	}
	s3Templated := false
	for _, f := range c.app.Functions {
		for _, s := range c.sites {
			if f.S3 != nil && s.function == f.Name {
				s3Templated = true
			}
		}
	}
	var unresolved []stages.Unresolved
	var g stageGroups
	usesDefaults := c.app.NeedsS3Notify() || c.app.APIHandler == nil && len(c.app.Functions) == 0
	for _, st := range c.app.Stages {
		unresolved = append(unresolved, st.Unresolved...)
		if usesDefaults {
			unresolved = append(unresolved, st.DefaultsUnresolved...)
		}
		if isChecked[st.Name] {
			for _, e := range st.Expanded {
				n := len(c.ds)
				c.checkExpanded(e)
				g.add(c.take(n), st.Name, map[*manifest.Template]string{e.Value.Template: e.Value.V})
			}
		}
		values := map[*manifest.Template]string{}
		broken := false
		for _, site := range c.sites {
			x := c.applySite(site, st)
			unresolved = append(unresolved, x.unresolved...)
			found := c.take(x.mark)
			for t, v := range x.values {
				values[t] = v
			}
			if len(x.unresolved) > 0 || x.broken {
				broken = true
				continue // what does not expand is the error
			}
			if isChecked[st.Name] {
				g.add(found, st.Name, x.values)
			}
		}
		// Checks between functions, on the stage's values.
		if s3Templated && isChecked[st.Name] && !broken {
			n := len(c.ds)
			c.s3Overlaps()
			g.add(c.take(n), st.Name, values)
		}
	}
	// The model holds the packaged stage's values.
	for _, site := range c.sites {
		x := c.applySite(site, c.app.Stage)
		c.take(x.mark)
	}
	if !s3Templated {
		c.s3Overlaps()
	}
	c.ds = append(c.ds, g.diagnostics()...)
	c.reportUnresolved(unresolved)
}

// applied is a site applied in a stage, with the length c.ds had before
// (what the site reported follows).
type applied struct {
	*siteExpander
	mark int
}

func (c *checker) applySite(site *stageSite, st *stages.Stage) applied {
	x := &siteExpander{c: c, stage: st, scope: st.Scope(site.function), values: map[*manifest.Template]string{}}
	n := len(c.ds)
	site.apply(x)
	return applied{x, n}
}

// take removes and returns what was reported after c.ds had n entries.
func (c *checker) take(n int) diag.Diagnostics {
	found := append(diag.Diagnostics(nil), c.ds[n:]...)
	c.ds = c.ds[:n]
	return found
}

// checkExpanded checks the shape of a configuration value a stage
// expanded, as configValues checks the values written plainly.
func (c *checker) checkExpanded(e stages.Expanded) {
	v := e.Value
	switch e.Key {
	case "layers":
		c.arn(v, "lambda", "layer:", "a Lambda layer version")
	case "subnet_ids":
		c.resourceID(v, subnetID, "a subnet ID", "subnet-0123456789abcdef0")
	case "security_group_ids":
		c.resourceID(v, sgID, "a security group ID", "sg-0123456789abcdef0")
	case "api_gateway_endpoint_vpce":
		c.resourceID(v, vpceID, "a VPC endpoint ID", "vpce-0123456789abcdef0")
	case "certificate_arn":
		c.arn(v, "acm", "certificate/", "an ACM certificate")
	case "tags":
		c.tagValue(e.Name, v, "Lambda")
	case "domain_tags":
		c.tagValue(e.Name, v, "API Gateway")
	}
}

// stageGroups collects what the stages' checks found: one diagnostic per
// mistake, noting what its placeholders expanded to in each stage.
type stageGroups struct {
	order []string
	by    map[string]*stageGroup
}

type stageGroup struct {
	d      *diag.Diagnostic
	stages []string
	// values: template → expanded value → stages.
	values map[*manifest.Template]map[string][]string
	torder []*manifest.Template
}

func (g *stageGroups) add(ds diag.Diagnostics, stage string, values map[*manifest.Template]string) {
	if g.by == nil {
		g.by = map[string]*stageGroup{}
	}
	for _, d := range ds {
		k := d.Subject.String() + "\x00" + d.Message
		e, ok := g.by[k]
		if !ok {
			e = &stageGroup{d: d, values: map[*manifest.Template]map[string][]string{}}
			g.by[k] = e
			g.order = append(g.order, k)
		}
		if !slices.Contains(e.stages, stage) {
			e.stages = append(e.stages, stage)
		}
		// The templates the diagnostic is about: those it points at.
		for t, v := range values {
			if t.At.Filename != d.Subject.Filename || t.At.Start != d.Subject.Start {
				continue
			}
			if e.values[t] == nil {
				e.values[t] = map[string][]string{}
				e.torder = append(e.torder, t)
			}
			if !slices.Contains(e.values[t][v], stage) {
				e.values[t][v] = append(e.values[t][v], stage)
			}
		}
	}
}

func (g *stageGroups) diagnostics() diag.Diagnostics {
	var ds diag.Diagnostics
	for _, k := range g.order {
		e := g.by[k]
		for _, t := range e.torder {
			vals := make([]string, 0, len(e.values[t]))
			for v := range e.values[t] {
				vals = append(vals, v)
			}
			slices.SortFunc(vals, func(a, b string) int { return strings.Compare(e.values[t][a][0], e.values[t][b][0]) })
			for _, v := range vals {
				e.d.Note(diag.Range{}, "in %s, %q is %q", stageList(e.values[t][v]), t.Text, v)
			}
		}
		ds = append(ds, e.d)
	}
	return ds
}

// stageList names stages for messages: "stage dev", "stages dev, prod".
func stageList(names []string) string {
	if len(names) == 1 {
		return "stage " + names[0]
	}
	return "stages " + strings.Join(names, ", ")
}

// reportUnresolved reports each placeholder that does not expand, once,
// with the stages where it does not and the stages where it does.
func (c *checker) reportUnresolved(un []stages.Unresolved) {
	type group struct {
		part      manifest.Part
		missing   []string // stages
		functions []string
		intrinsic *stages.KV
	}
	var order []string
	groups := map[string]*group{}
	for _, u := range un {
		k := u.Part.At.String() + "\x00" + u.Part.Written
		g := groups[k]
		if g == nil {
			g = &group{part: u.Part}
			groups[k] = g
			order = append(order, k)
		}
		if !slices.Contains(g.missing, u.Stage) {
			g.missing = append(g.missing, u.Stage)
		}
		if u.Function != "" && !slices.Contains(g.functions, u.Function) {
			g.functions = append(g.functions, u.Function)
		}
		if u.Intrinsic != nil && g.intrinsic == nil {
			g.intrinsic = u.Intrinsic
		}
	}
	byStage := map[string]*stages.Stage{}
	var all []string
	for _, st := range c.app.Stages {
		byStage[st.Name] = st
		all = append(all, st.Name)
	}
	for _, k := range order {
		g := groups[k]
		name := g.part.Text
		slices.SortFunc(g.missing, func(a, b string) int { return slices.Index(all, a) - slices.Index(all, b) })
		if g.intrinsic != nil {
			d := c.ds.Errorf(diag.EnvIntrinsic, g.part.At, "%s cannot be expanded in %s: %s is a CloudFormation intrinsic function there, whose value is known only when the stack deploys",
				g.part.Written, stageList(g.missing), name).
				Note(g.intrinsic.From, "%s is set here", name)
			d.Hint("a placeholder takes a string: give %s a plain value in %s, or name the resource with bucket_resource, topic_resource, queue_resource or stream_resource", name, stageList(g.missing))
			continue
		}
		var set []string
		for _, s := range all {
			if !slices.Contains(g.missing, s) {
				set = append(set, s)
			}
		}
		whose := ""
		if len(g.functions) > 0 {
			whose = " for " + strings.Join(g.functions, ", ")
		}
		var d *diag.Diagnostic
		if len(set) == 0 {
			d = c.ds.Errorf(diag.PlaceholderUndefined, g.part.At, "environment variable %s is not set%s in any stage (%s)", name, whose, strings.Join(g.missing, ", "))
		} else {
			d = c.ds.Errorf(diag.PlaceholderUndefined, g.part.At, "environment variable %s is not set%s in %s; it is set in %s", name, whose, stageList(g.missing), stageList(set))
			// Where it is set, once per place.
			seen := map[string]bool{}
			for _, s := range set {
				for _, fn := range append(g.functions, "") {
					for _, kv := range byStage[s].Scope(fn).Env {
						if kv.Key == name && !seen[kv.From.String()] {
							seen[kv.From.String()] = true
							d.Note(kv.From, "%s is set here (%s)", name, stageList([]string{s}))
						}
					}
				}
			}
		}
		// A near name set in a stage that lacks it is likelier a typo.
		var names []string
		for _, s := range g.missing {
			for _, fn := range append(g.functions, "") {
				for _, kv := range byStage[s].Scope(fn).Env {
					if !slices.Contains(names, kv.Key) {
						names = append(names, kv.Key)
					}
				}
			}
		}
		if s := suggest.Closest(name, names); s != "" {
			d.Hint("did you mean ${env:%s}?", s)
		}
		if len(set) == 0 {
			d.Hint("set %s under environment_variables: at the top level for every stage, or in each stage's", name)
		} else {
			d.Hint("set %s under stages.%s.environment_variables (or at the top level, for every stage)", name, g.missing[0])
		}
	}
}
