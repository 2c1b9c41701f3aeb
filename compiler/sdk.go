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

// sdkActions fills Function.SDK, from the graph of the handlers' SDK
// calls, for every function whose role chalc manages.
func (c *checker) sdkActions(g *gomodel.SDKGraph) {
	warned := map[string]bool{}
	for _, f := range c.allFunctions() {
		if f.Config == nil || !f.Config.ManageIAMRole.V {
			continue
		}
		f.SDK = c.functionActions(g, c.entryPoints(f), f.Config.AutogenPolicy.V, warned)
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

// functionActions maps the SDK operations reachable from keys (and every
// package initializer) to IAM actions.
func (c *checker) functionActions(g *gomodel.SDKGraph, keys []string, warn bool, warned map[string]bool) []*SDKAction {
	byAction := map[string]*SDKAction{}
	for _, u := range g.Reach(keys) {
		call := SDKCall{File: u.File, Line: u.Line, Column: u.Col, Call: u.Call}
		actions, ok := awsfacts.IAMActions(u.Service, u.Op)
		if !ok {
			if pos := call.Position(); warn && !warned[pos] {
				warned[pos] = true
				c.ds.Warnf(diag.SDKUnmapped, diag.Range{Filename: diag.DisplayPath(u.File), Start: diag.Pos{Line: u.Line, Column: u.Col}},
					"chalc cannot tell which IAM action %s needs, so the generated role does not allow it", u.Call).
					Hint("%s", awsfacts.UnmappedReason(u.Service)).
					Hint("set autogen_policy: false and iam_policy_file for this function to write its policy yourself")
			}
			continue
		}
		for _, a := range actions {
			sa := byAction[a]
			if sa == nil {
				sa = &SDKAction{Action: a}
				byAction[a] = sa
			}
			if !slices.Contains(sa.Calls, call) {
				sa.Calls = append(sa.Calls, call)
			}
		}
	}
	out := make([]*SDKAction, 0, len(byAction))
	for _, a := range byAction {
		slices.SortFunc(a.Calls, SDKCall.Compare)
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// ActionSet is the sorted action names of a function's SDK needs, joined
// by spaces: two functions need the same policy when their sets are equal.
func ActionSet(actions []*SDKAction) string {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.Action
	}
	return strings.Join(names, " ")
}
