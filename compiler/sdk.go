package compiler

import (
	"slices"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
)

// needsSDKAnalysis: some function's role is chalc's, so its SDK calls
// are analysed (with autogen_policy they make its policy; with a policy
// file, chalc policy still shows them).
func (c *checker) needsSDKAnalysis() bool {
	for _, f := range c.allFunctions() {
		if f.Config != nil && f.Config.ManageIAMRole.V {
			return true
		}
	}
	return false
}

// sdkActions fills Function.SDK and SDKUnresolved, from the graph of the
// handlers' SDK calls, for every function whose role chalc manages, and
// warns about the calls it cannot follow (once per call site, naming
// every function that reaches it).
func (c *checker) sdkActions(g *gomodel.SDKGraph) {
	warned := map[string]bool{}
	unresolved := map[string]*unresolvedSite{}
	for _, f := range c.allFunctions() {
		if f.Config == nil || !f.Config.ManageIAMRole.V {
			continue
		}
		uses, unres := g.Reach(c.entryPoints(f))
		autogen := f.Config.AutogenPolicy.V
		f.SDK = c.functionActions(f, uses, autogen, warned)
		f.SDKUnresolved = c.unresolved(f, unres, autogen, unresolved)
	}
	c.warnUnresolved(unresolved)
	c.sdkDone = true
}

// extraActions gives the functions on generated roles their
// extra_iam_actions when the analysis did not run.
func (c *checker) extraActions() {
	if c.sdkDone {
		return
	}
	for _, f := range c.allFunctions() {
		if f.Config != nil && f.Config.ManageIAMRole.V && len(f.Config.ExtraIAMActions.V) > 0 {
			f.SDK = c.functionActions(f, nil, false, nil)
		}
	}
}

// entryPoints are the node keys a function starts from: its handler(s)
// and the middleware that wraps its kind.
func (c *checker) entryPoints(f *Function) []string {
	var keys []string
	add := func(ref *HandlerRef) {
		if ref != nil && ref.Package != nil && ref.Package.ImportPath != "" && ref.Name != "" {
			keys = append(keys, gomodel.FuncKey(ref.Package.ImportPath, ref.Name))
		}
	}
	if f.Kind == FuncAPI {
		for _, r := range c.app.Routes {
			add(&r.Handler)
		}
	} else {
		add(f.Handler)
	}
	if kind := middlewareKind(f.Kind); kind != "" {
		for _, m := range c.app.Middleware {
			if m.EventType == kind || m.EventType == "all" {
				add(&m.Handler)
			}
		}
	}
	return keys
}

// middlewareKind is the middleware event_type that wraps functions of
// kind k ("" for builtin authorizers, which have none).
func middlewareKind(k FunctionKind) string {
	switch k {
	case FuncAPI, FuncURL:
		return "http"
	case FuncPure:
		return "pure_lambda"
	case FuncSchedule:
		return "scheduled"
	case FuncAuthorizer:
		return ""
	}
	return string(k)
}

// functionActions maps the SDK operations reachable from a function to
// IAM actions, each with the resources its calls need (resources.go),
// adds the actions those calls depend on, and the function's
// extra_iam_actions.
func (c *checker) functionActions(f *Function, uses []*gomodel.SDKUse, warn bool, warned map[string]bool) []*SDKAction {
	acts := actionSet{}
	for _, u := range uses {
		call := SDKCall{File: u.File, Line: u.Line, Column: u.Col, Call: u.Call}
		actions, ok := awsfacts.IAMActions(u.Service, u.Op)
		if !ok {
			if pos := call.Position(); warn && !warned[pos] {
				warned[pos] = true
				c.ds.Warnf(diag.SDKUnmapped, c.goRange(u.File, u.Line, u.Col),
					"chalc cannot tell which IAM action %s needs, so the generated role does not allow it", u.Call).
					Hint("%s", awsfacts.UnmappedReason(u.Service)).
					Hint("list the actions in extra_iam_actions under lambda_functions.%s, or set autogen_policy: false and iam_policy_file for this function to write its policy yourself", f.Name)
			}
			continue
		}
		res := c.useResources(f, u)
		for _, a := range actions {
			call.Resources, call.Why = res.arns, res.why
			acts.add(a, "", call)
			// Encrypted with a customer managed key: its KMS actions.
			if res.key != nil {
				for _, k := range awsfacts.KMSActions(a) {
					kc := call
					kc.Resources, kc.Why = res.key.arns, res.key.why
					acts.add(k, "", kc)
				}
			}
		}
		for _, d := range awsfacts.DependentActions(u.Service, u.Op) {
			if d.When != "" {
				if v := u.Params[d.When]; v != nil && v.Absent {
					continue
				}
			}
			dc := call
			dc.Why = d.Why
			if d.Resource != "" {
				r := c.paramResources(f, u, d.Resource, d.Kind)
				dc.Resources, dc.Why = r.arns, d.Why+"; "+r.why
			}
			for _, a := range d.Actions {
				acts.add(a, d.PassedTo, dc)
			}
		}
	}
	for _, item := range f.Config.ExtraIAMActions.Written {
		if item.V == "" {
			continue
		}
		a := acts.get(item.V, "")
		a.Resources = nil
		if !a.Extra {
			a.Extra, a.ExtraAt = true, item.At()
		}
	}
	return acts.sorted()
}

// actionSet collects a function's actions.
type actionSet map[string]*SDKAction // by action and PassedTo

func (s actionSet) get(action, passedTo string) *SDKAction {
	k := action + "|" + passedTo
	a := s[k]
	if a == nil {
		a = &SDKAction{Action: action, PassedTo: passedTo, Resources: []string{}}
		s[k] = a
	}
	return a
}

// add records that call needs action (on call.Resources: "*" when nil).
func (s actionSet) add(action, passedTo string, call SDKCall) {
	a := s.get(action, passedTo)
	if !slices.ContainsFunc(a.Calls, func(c SDKCall) bool { return c.Compare(call) == 0 }) {
		a.Calls = append(a.Calls, call)
	}
	if a.Extra {
		return
	}
	if call.Resources == nil {
		a.Resources = nil
	} else if a.Resources != nil {
		a.Resources = append(a.Resources, call.Resources...)
	}
}

func (s actionSet) sorted() []*SDKAction {
	out := make([]*SDKAction, 0, len(s))
	for _, a := range s {
		slices.SortFunc(a.Calls, SDKCall.Compare)
		if a.Resources != nil {
			slices.Sort(a.Resources)
			a.Resources = slices.Compact(a.Resources)
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Action < out[j].Action || out[i].Action == out[j].Action && out[i].PassedTo < out[j].PassedTo
	})
	return out
}

// PolicyKey is what decides a function's SDK statements: two functions
// need the same policy when their keys are equal.
func PolicyKey(actions []*SDKAction) string {
	keys := make([]string, len(actions))
	for i, a := range actions {
		keys[i] = a.Key()
	}
	return strings.Join(keys, " ")
}
