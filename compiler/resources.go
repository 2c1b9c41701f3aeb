package compiler

// The resources of a function's SDK calls. The Go check traces the input
// field naming each call's resource (awsfacts.ResourceField: TableName,
// Bucket, QueueUrl...) to constants and os.Getenv calls; here the
// variables are read from the function's environment_variables in the
// compiled stage: a literal names the resource, an intrinsic function
// (!Ref MusicTable) a resource of the merge templates. What cannot be
// decided stays "*", with the reason (chalc policy shows it).

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
	"github.com/chalc-dev/chalc/stages"
)

// callResources are the resources a call needs its action on.
type callResources struct {
	arns []string // nil: "*"
	why  string
	// key: the resources are encrypted with a customer managed KMS key
	// (the KMS actions' resources).
	key *callResources
}

// useResources decides the resources of an SDK use in function f.
func (c *checker) useResources(f *Function, u *gomodel.SDKUse) callResources {
	field, kind, why := awsfacts.ResourceField(u.Service, u.Op)
	if field == "" {
		if why == "" {
			why = "the operation names no resource chalc scopes"
		}
		return callResources{why: why}
	}
	return c.paramResources(f, u, field, kind)
}

// paramResources decides the resources an input field of u names.
func (c *checker) paramResources(f *Function, u *gomodel.SDKUse, field string, kind awsfacts.ResourceKind) callResources {
	v := u.Params[field]
	switch {
	case v == nil:
		return callResources{why: "chalc does not see the operation's input here (a waiter, or the method used as a value)"}
	case v.Unknown != "":
		at := ""
		if v.At != nil {
			at = fmt.Sprintf(" (%s:%d:%d)", diag.DisplayPath(v.At.File), v.At.Line, v.At.Col)
		}
		return callResources{why: fmt.Sprintf("%s: %s%s", field, v.Unknown, at)}
	case v.Absent:
		return callResources{why: field + " is not set"}
	}
	out := callResources{arns: []string{}}
	var whys []string
	for _, s := range v.Const {
		arns, err := awsfacts.LiteralARNs(kind, s)
		if err != nil {
			return callResources{why: fmt.Sprintf("%s: %v", field, err)}
		}
		out.arns = append(out.arns, arns...)
		whys = append(whys, fmt.Sprintf("%q", s))
	}
	for _, name := range v.Env {
		r := c.envResources(f, kind, name)
		if r.arns == nil {
			r.why = field + ": " + r.why
			return r
		}
		out.arns = append(out.arns, r.arns...)
		whys = append(whys, r.why)
		if r.key != nil {
			if out.key == nil {
				out.key = &callResources{arns: []string{}}
			}
			if r.key.arns == nil {
				out.key.arns = nil
			} else if out.key.arns != nil {
				out.key.arns = append(out.key.arns, r.key.arns...)
			}
			out.key.why = joinWhy(out.key.why, r.key.why)
		}
	}
	slices.Sort(out.arns)
	out.arns = slices.Compact(out.arns)
	out.why = field + " = " + strings.Join(whys, " or ")
	return out
}

func joinWhy(a, b string) string {
	if a == "" || a == b {
		return b
	}
	return a + "; " + b
}

// envResources reads environment variable name of f for a resource of
// kind.
func (c *checker) envResources(f *Function, kind awsfacts.ResourceKind, name string) callResources {
	var kv *stages.KV
	for i := range f.Config.Environment {
		if f.Config.Environment[i].Key == name {
			kv = &f.Config.Environment[i]
		}
	}
	switch {
	case kv == nil:
		return callResources{why: fmt.Sprintf("$%s, which function %s's environment_variables do not set in stage %s", name, f.Name, c.app.Stage.Name)}
	case kv.Intrinsic == nil:
		arns, err := awsfacts.LiteralARNs(kind, kv.Value)
		if err != nil {
			return callResources{why: fmt.Sprintf("$%s: %v", name, err)}
		}
		return callResources{arns: arns, why: fmt.Sprintf("$%s (%q)", name, kv.Value)}
	}
	ref, ok := templateRef(kv.Intrinsic)
	if !ok {
		return callResources{why: fmt.Sprintf("$%s is an intrinsic function other than Ref or GetAtt of a resource", name)}
	}
	shown := "!Ref " + ref.ID
	if ref.Attr != "" {
		shown = "!GetAtt " + ref.ID + "." + ref.Attr
	}
	t := c.opts.Templates
	if t == nil {
		return callResources{why: fmt.Sprintf("$%s is %s, and the merge templates are not known (give them with --merge-template)", name, shown)}
	}
	typ, ok := t.resourceType(ref.ID)
	if !ok {
		return callResources{why: fmt.Sprintf("$%s is %s, which is not a resource of the merge templates", name, shown)}
	}
	ref.Type, ref.Props = typ, t.properties(ref.ID)
	arns, err := awsfacts.TemplateARNs(kind, ref)
	if err != nil {
		return callResources{why: fmt.Sprintf("$%s: %v", name, err)}
	}
	out := callResources{arns: arns, why: fmt.Sprintf("$%s (%s)", name, shown)}
	if key := awsfacts.KMSKey(typ, ref.Props); key != nil {
		out.key = keyResources(key, ref.ID)
	}
	return out
}

// templateRef reads {"Ref": X} and {"Fn::GetAtt": [X, A]} ("X.A").
func templateRef(v any) (awsfacts.TemplateResource, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return awsfacts.TemplateResource{}, false
	}
	if id, ok := m["Ref"].(string); ok && !strings.HasPrefix(id, "AWS::") {
		return awsfacts.TemplateResource{ID: id}, true
	}
	switch a := m["Fn::GetAtt"].(type) {
	case []any:
		if len(a) == 2 {
			id, ok1 := a[0].(string)
			attr, ok2 := a[1].(string)
			return awsfacts.TemplateResource{ID: id, Attr: attr}, ok1 && ok2
		}
	case string:
		id, attr, ok := strings.Cut(a, ".")
		return awsfacts.TemplateResource{ID: id, Attr: attr}, ok
	}
	return awsfacts.TemplateResource{}, false
}

// keyResources is the ARN of the KMS key a resource is encrypted with,
// as its template writes it.
func keyResources(key any, resource string) *callResources {
	why := resource + " is encrypted with a customer managed KMS key"
	if s, ok := key.(string); ok {
		switch {
		case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":key/"):
			return &callResources{arns: []string{s}, why: why}
		case !strings.Contains(s, "/") && !strings.Contains(s, ":") && !strings.Contains(s, "${"):
			return &callResources{arns: []string{"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/" + s}, why: why}
		}
		return &callResources{why: why + " named by " + s + ", not by its key ID or ARN"}
	}
	if ref, ok := templateRef(key); ok && (ref.Attr == "" || ref.Attr == "Arn") {
		return &callResources{arns: []string{"${" + ref.ID + ".Arn}"}, why: why + " (" + ref.ID + ")"}
	}
	return &callResources{why: why + " chalc cannot name"}
}

// unresolvedSite is a call the analysis cannot follow and the functions
// reaching it.
type unresolvedSite struct {
	u   *gomodel.SDKUnresolved
	fns []string
}

// unresolved lists the calls function f reaches that the analysis
// cannot follow; those a warning is due for (a generated role, and no
// extra_iam_actions of the service the call's types name) are added to
// sites.
func (c *checker) unresolved(f *Function, list []*gomodel.SDKUnresolved, autogen bool, sites map[string]*unresolvedSite) []SDKUnresolved {
	var out []SDKUnresolved
	seen := map[string]bool{}
	for _, u := range list {
		s := SDKUnresolved{File: u.File, Line: u.Line, Column: u.Col, Call: u.Call, In: u.In, Why: unresolvedWhy(u), Service: u.Service}
		pos := s.Position()
		if seen[pos+s.Call] {
			continue
		}
		seen[pos+s.Call] = true
		out = append(out, s)
		if !autogen || acknowledged(f, u.Service) {
			continue
		}
		site := sites[pos+"\x00"+s.Call]
		if site == nil {
			site = &unresolvedSite{u: u}
			sites[pos+"\x00"+s.Call] = site
		}
		site.fns = append(site.fns, f.Name)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.File < b.File || a.File == b.File && (a.Line < b.Line || a.Line == b.Line && a.Column < b.Column)
	})
	return out
}

// acknowledged: f's extra_iam_actions name an action of the service an
// unresolved call's types name (any action when they name none): the
// user has given what the call needs.
func acknowledged(f *Function, service string) bool {
	for _, a := range f.Config.ExtraIAMActions.V {
		if service == "" || awsfacts.ActionPrefix(a) == awsfacts.IAMPrefix(service) {
			return true
		}
	}
	return false
}

func unresolvedWhy(u *gomodel.SDKUnresolved) string {
	switch u.Kind {
	case gomodel.UnresolvedInterface:
		iface := u.Call[:strings.LastIndex(u.Call, ".")]
		return fmt.Sprintf("no type of the module implements %s, and its methods use %s types: its implementation is elsewhere", iface, u.Service)
	case gomodel.UnresolvedExternal:
		return fmt.Sprintf("it is handed an SDK client of %s, and chalc does not follow the calls other modules' code makes", u.Service)
	case gomodel.UnresolvedReflect:
		return "chalc does not follow calls made through reflection"
	case gomodel.UnresolvedPlugin:
		return "chalc does not follow code loaded from a plugin"
	}
	return "chalc cannot follow it"
}

// warnUnresolved warns at each call the analysis cannot follow.
func (c *checker) warnUnresolved(sites map[string]*unresolvedSite) {
	keys := make([]string, 0, len(sites))
	for k := range sites {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := sites[k]
		u := s.u
		what := "functions " + strings.Join(s.fns, ", ")
		if len(s.fns) == 1 {
			what = "function " + s.fns[0]
		}
		example := "dynamodb:GetItem"
		if u.Service != "" {
			example = awsfacts.IAMPrefix(u.Service) + ":<Action>"
		}
		d := c.ds.Warnf(diag.SDKUnresolved, c.goRange(u.File, u.Line, u.Col),
			"chalc cannot tell which AWS SDK operations %s reaches (in %s), so the role of %s may lack actions they need", u.Call, u.In, what)
		d.Hint("%s", unresolvedWhy(u))
		d.Hint("list the actions it needs in extra_iam_actions (e.g. [%s]) under lambda_functions.%s, or set autogen_policy: false and iam_policy_file", example, s.fns[0])
	}
}

// extraActionsUnused warns about extra_iam_actions on a function whose
// role chalc does not generate (once per place written).
func (c *checker) extraActionsUnused() {
	warned := map[string]bool{}
	for _, f := range c.allFunctions() {
		cfg := f.Config
		if cfg == nil || !cfg.ExtraIAMActions.Set || len(cfg.ExtraIAMActions.V) == 0 || cfg.ManageIAMRole.V && cfg.AutogenPolicy.V {
			continue
		}
		at := cfg.ExtraIAMActions.From
		if warned[at.String()] {
			continue
		}
		warned[at.String()] = true
		how := "its policy is its iam_policy_file"
		if !cfg.ManageIAMRole.V {
			how = "its role is iam_role_arn, which chalc does not manage"
		}
		c.ds.Warnf(diag.ExtraActionsUnused, at, "extra_iam_actions has no effect on function %s: %s", f.Name, how).
			Hint("put the actions in that policy, or set extra_iam_actions only where autogen_policy is true")
	}
}

// goRange is the range of a Go identifier at a byte column, with the
// file's source registered (when it is the project's) so that the
// diagnostic shows the line.
func (c *checker) goRange(file string, line, col int) diag.Range {
	name := diag.DisplayPath(file)
	r := diag.Range{Filename: name, Start: diag.Pos{Line: line, Column: col}}
	if c.set == nil || c.set.Sources == nil || !c.set.InProject(file) {
		return r
	}
	if _, ok := c.set.Sources[name]; !ok {
		src, err := os.ReadFile(file)
		if err != nil {
			return r
		}
		c.set.Sources[name] = src
	}
	text, ok := c.set.Sources.Line(name, line)
	if !ok || col < 1 || col-1 > len(text) {
		return r
	}
	r.Start.Column = utf8.RuneCountInString(text[:col-1]) + 1
	width := 0
	for _, ch := range text[col-1:] {
		if ch != '_' && !unicode.IsLetter(ch) && !unicode.IsDigit(ch) {
			break
		}
		width++
	}
	if width > 0 {
		r.End = diag.Pos{Line: line, Column: r.Start.Column + width}
	}
	return r
}
