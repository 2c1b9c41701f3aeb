package project

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/sam"
)

// Role is one IAM role of a checked app, as `chalc policy` shows it.
type Role struct {
	// ID is the role's logical ID (DefaultRole, <Fn>Role); "" for a role
	// chalc does not manage, named by ARN.
	ID  string
	ARN string
	// Functions are the functions on the role: api_handler first, then
	// in registration order.
	Functions []string
	// PolicyFile is where the policy of an autogen_policy: false role
	// comes from (absolute).
	PolicyFile string
	// Actions are the IAM actions the functions' aws-sdk-go-v2 calls
	// need, each with every call needing it (for a policy-file role: what
	// the analysis found, which the file may or may not allow).
	Actions []*compiler.SDKAction
	// Unresolved are the calls the analysis cannot follow that the
	// functions reach.
	Unresolved []compiler.SDKUnresolved
	// Documents maps each policy of the role (inline, and its log policy)
	// by name to its document as the template holds it.
	Documents map[string]any
}

// Policy returns the app's roles in order: by the first function on
// each (api_handler first).
func Policy(c *Checked) ([]*Role, error) {
	app := c.App
	if app == nil {
		return nil, errors.New("the project has errors")
	}
	value, err := sam.Generate(app)
	if err != nil {
		return nil, err
	}
	resources, _ := value["Resources"].(map[string]any)
	var fns []*compiler.Function
	if app.APIHandler != nil {
		fns = append(fns, app.APIHandler)
	}
	fns = append(fns, app.Functions...)
	var roles []*Role
	byKey := map[string]*Role{}
	for _, f := range fns {
		key := f.Role
		if key == "" {
			key = "arn " + f.Config.IAMRoleARN.V
		}
		r := byKey[key]
		if r == nil {
			r = &Role{ID: f.Role, PolicyFile: f.PolicyFile}
			if f.Role == "" {
				r.ARN = f.Config.IAMRoleARN.V
			} else {
				r.Documents = roleDocuments(resources, f.Role)
			}
			byKey[key] = r
			roles = append(roles, r)
		}
		r.Functions = append(r.Functions, f.Name)
		r.Actions = mergeActions(r.Actions, f.SDK)
		for _, u := range f.SDKUnresolved {
			if !slices.Contains(r.Unresolved, u) {
				r.Unresolved = append(r.Unresolved, u)
			}
		}
	}
	for _, r := range roles {
		slices.SortFunc(r.Unresolved, func(a, b compiler.SDKUnresolved) int {
			return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), strings.Compare(a.Call, b.Call))
		})
	}
	return roles, nil
}

// roleDocuments collects the policies of role id from the template.
func roleDocuments(resources map[string]any, id string) map[string]any {
	docs := map[string]any{}
	props := func(id string) map[string]any {
		r, _ := resources[id].(map[string]any)
		p, _ := r["Properties"].(map[string]any)
		return p
	}
	if p := props(id); p != nil {
		list, _ := p["Policies"].([]any)
		for _, e := range list {
			if pol, ok := e.(map[string]any); ok {
				docs[fmt.Sprint(pol["PolicyName"])] = pol["PolicyDocument"]
			}
		}
	}
	if p := props(awsfacts.RoleLogPolicyID(id)); p != nil {
		docs[fmt.Sprint(p["PolicyName"])] = p["PolicyDocument"]
	}
	return docs
}

// mergeActions adds the actions of b to a: the union of the calls,
// sorted by position, and of the resources.
func mergeActions(a, b []*compiler.SDKAction) []*compiler.SDKAction {
	idx := map[string]*compiler.SDKAction{}
	for _, x := range a {
		idx[x.Action+"|"+x.PassedTo] = x
	}
	for _, y := range b {
		x := idx[y.Action+"|"+y.PassedTo]
		if x == nil {
			x = &compiler.SDKAction{Action: y.Action, PassedTo: y.PassedTo, Resources: slices.Clone(y.Resources), Extra: y.Extra, ExtraAt: y.ExtraAt}
			idx[y.Action+"|"+y.PassedTo] = x
			a = append(a, x)
		} else if x.Resources != nil {
			if y.Resources == nil {
				x.Resources = nil
			} else {
				x.Resources = append(x.Resources, y.Resources...)
				slices.Sort(x.Resources)
				x.Resources = slices.Compact(x.Resources)
			}
		}
		for _, call := range y.Calls {
			if !slices.ContainsFunc(x.Calls, func(c compiler.SDKCall) bool { return c.Compare(call) == 0 }) {
				x.Calls = append(x.Calls, call)
			}
		}
		slices.SortFunc(x.Calls, compiler.SDKCall.Compare)
	}
	sort.Slice(a, func(i, j int) bool {
		return a[i].Action < a[j].Action || a[i].Action == a[j].Action && a[i].PassedTo < a[j].PassedTo
	})
	return a
}
