package compiler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/stages"
)

// TestAssignRoles: functions with autogen_policy are grouped by the
// actions their SDK calls need; DefaultRole is the API handler's group
// (else the first autogen function's), any other group's role is named
// after its first function in registration order; policy files and
// manage_iam_role false keep their own semantics.
func TestAssignRoles(t *testing.T) {
	autogen := func() *stages.Function {
		return &stages.Function{ManageIAMRole: stages.Setting[bool]{V: true}, AutogenPolicy: stages.Setting[bool]{V: true}}
	}
	policyFile := func() *stages.Function {
		return &stages.Function{ManageIAMRole: stages.Setting[bool]{V: true}}
	}
	unmanaged := func() *stages.Function {
		return &stages.Function{IAMRoleARN: stages.Setting[string]{V: "arn:aws:iam::123456789012:role/x"}}
	}
	get := []*SDKAction{{Action: "s3:GetObject"}}
	query := []*SDKAction{{Action: "dynamodb:Query"}, {Action: "sns:Publish"}}
	fn := func(name string, cfg *stages.Function, sdk []*SDKAction) *Function {
		return &Function{Name: name, Kind: FuncPure, LogicalID: awsfacts.LogicalID(name), Config: cfg, SDK: sdk}
	}
	for _, tc := range []struct {
		name string
		api  *Function
		fns  []*Function
		want string // name=role, in order
	}{
		{
			// The review's case: one S3 call in a route, many functions
			// calling nothing, two on one handler.
			name: "API handler with an SDK call",
			api:  &Function{Name: "api_handler", Kind: FuncAPI, LogicalID: awsfacts.IDAPIHandler, Config: autogen(), SDK: get},
			fns: []*Function{
				fn("every_hour", autogen(), nil), fn("cleanup", autogen(), nil), fn("on_job", autogen(), nil),
				fn("thumbs", autogen(), get), fn("report", autogen(), query), fn("report_again", autogen(), query),
				fn("audit", policyFile(), get), fn("legacy", unmanaged(), nil), fn("nightly", autogen(), nil),
			},
			want: "api_handler=DefaultRole every_hour=EveryHourRole cleanup=EveryHourRole on_job=EveryHourRole " +
				"thumbs=DefaultRole report=ReportRole report_again=ReportRole audit=AuditRole legacy= nightly=EveryHourRole",
		},
		{
			name: "API handler calling nothing",
			api:  &Function{Name: "api_handler", Kind: FuncAPI, LogicalID: awsfacts.IDAPIHandler, Config: autogen()},
			fns:  []*Function{fn("a", autogen(), get), fn("b", autogen(), nil), fn("c", autogen(), get)},
			want: "api_handler=DefaultRole a=ARole b=DefaultRole c=ARole",
		},
		{
			// DefaultRole goes to the first autogen function's group.
			name: "API handler with a policy file",
			api:  &Function{Name: "api_handler", Kind: FuncAPI, LogicalID: awsfacts.IDAPIHandler, Config: policyFile(), SDK: get},
			fns:  []*Function{fn("legacy", unmanaged(), nil), fn("a", autogen(), query), fn("b", autogen(), nil), fn("c", autogen(), query)},
			want: "api_handler=ApiHandlerRole legacy= a=DefaultRole b=BRole c=DefaultRole",
		},
		{
			// A group past MaxFunctionsPerRole goes on in a role of its
			// own, named after its next function.
			name: "large group",
			fns: func() []*Function {
				var fns []*Function
				for i := range MaxFunctionsPerRole + 2 {
					fns = append(fns, fn(fmt.Sprintf("f%02d", i), autogen(), nil))
				}
				return fns
			}(),
			want: func() string {
				var s []string
				for i := range MaxFunctionsPerRole + 2 {
					role := "DefaultRole"
					if i >= MaxFunctionsPerRole {
						role = fmt.Sprintf("F%02dRole", MaxFunctionsPerRole)
					}
					s = append(s, fmt.Sprintf("f%02d=%s", i, role))
				}
				return strings.Join(s, " ")
			}(),
		},
		{
			// No analysis (no Go check): every set is empty.
			name: "no analysis",
			fns:  []*Function{fn("a", autogen(), nil), fn("b", autogen(), nil)},
			want: "a=DefaultRole b=DefaultRole",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &checker{app: &App{APIHandler: tc.api, Functions: tc.fns}, ids: map[string]idOwner{}}
			c.assignRoles()
			if c.ds.HasErrors() {
				t.Fatal(c.ds.Error())
			}
			var got []string
			for _, f := range c.allFunctions() {
				got = append(got, f.Name+"="+f.Role)
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("roles\n got: %s\nwant: %s", s, tc.want)
			}
			// Each group role is claimed once, with its log policy.
			for _, f := range c.allFunctions() {
				if f.Role == "" || f.Role == awsfacts.IDDefaultRole || !f.Config.AutogenPolicy.V {
					continue
				}
				if _, ok := c.ids[f.Role]; !ok {
					t.Errorf("%s not claimed", f.Role)
				}
				if _, ok := c.ids[awsfacts.RoleLogPolicyID(f.Role)]; !ok {
					t.Errorf("%s not claimed", awsfacts.RoleLogPolicyID(f.Role))
				}
			}
		})
	}
}
