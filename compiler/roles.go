package compiler

import (
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
)

// assignRoles decides each function's role (Function.Role).
//
//   - manage_iam_role false: none (the template names iam_role_arn).
//   - autogen_policy false: a role of its own, <Fn>Role, from its policy
//     file, as Chalice does (the API handler's is ApiHandlerRole, after
//     its name api_handler, as Chalice names it).
//   - autogen_policy true: the functions are grouped by the IAM actions
//     their SDK calls need and the resources they need them on
//     (PolicyKey), and each group shares one
//     generated role. The group of the API handler, when it is on an
//     autogen role, else that of the first such function in registration
//     order (functions:, builtin authorizers, websocket handlers,
//     blueprints), is DefaultRole, Chalice's name. Every other group's
//     role is named after its first function in that order, <Fn>Role, the
//     name Chalice gives a function's own role. So no function is allowed
//     an SDK action its code does not call, functions calling the same
//     operations share one role (all those calling none share one), and
//     the names depend only on the manifest's order and the code. When
//     the analysis did not run (no Go check), every set is empty and they
//     all share DefaultRole. A group of more than MaxFunctionsPerRole
//     functions is split, in order, into roles of at most that many.
//
// A group's role statements are DefaultRole's kind: the event sources,
// VPC, X-Ray and websocket permissions of the functions on it and their
// SDK actions (sam/iam.go), its log groups in <Role>LogPolicy.
//
// The group roles are claimed as logical IDs, with their log policies,
// so they cannot clash with a function's resources.
func (c *checker) assignRoles() {
	fns := c.allFunctions() // the API handler first
	type group struct {
		role string
		size int
	}
	byset := map[string]*group{} // policy key → the role its functions join
	for _, f := range fns {
		cfg := f.Config
		switch {
		case cfg == nil || !cfg.ManageIAMRole.V:
			f.Role = ""
		case !cfg.AutogenPolicy.V:
			f.Role = awsfacts.FunctionRoleID(f.Name) // claimed by logicalIDs
		default:
			set := PolicyKey(f.SDK)
			if g, ok := byset[set]; ok && g.size < MaxFunctionsPerRole {
				f.Role = g.role
				g.size++
				continue
			}
			if len(byset) == 0 {
				f.Role = awsfacts.IDDefaultRole // claimed by logicalIDs
			} else {
				f.Role = awsfacts.FunctionRoleID(f.Name)
				what := "the API handler"
				if f.Kind != FuncAPI {
					what = "function \"" + f.Name + "\""
				}
				c.claimID(f.Role, what+"'s role (shared by the functions calling the same AWS SDK operations)", f.At)
				c.claimID(awsfacts.RoleLogPolicyID(f.Role), what+"'s role log policy", f.At)
			}
			byset[set] = &group{role: f.Role, size: 1}
		}
	}
}

// MaxFunctionsPerRole is how many functions share one generated role at
// most. A role's log policy names each function's log group (about 125
// characters an ARN once resolved) and its statements each event source,
// and IAM caps a role's inline policies at awsfacts.MaxRolePolicies
// characters in all: the functions past this many of a group start
// another role, named after its first function, so that every function
// still gets only its own log group.
const MaxFunctionsPerRole = 50

// Estimated lengths of what a deployed policy resolves ${...} to: the
// longest partition, region and account ID, a resource's physical name
// (CloudFormation's stack-LogicalID-RANDOM) and an ARN.
var resolvedLengths = strings.NewReplacer(
	"${AWS::Partition}", "aws-us-gov", "${AWS::Region}", "ap-southeast-2", "${AWS::AccountId}", "123456789012")

// estimatePolicies is an upper estimate of the characters of a generated
// role's policies (IAM counts them without whitespace): each function's
// log group (about 140 characters a statement entry once resolved), the
// statements of event sources, VPC, X-Ray and websockets (at most ~1,500
// together), and the SDK statements as sam writes them (one per service
// prefix and set of resources, sam/iam.go), their ${...} resolved.
func estimatePolicies(fns []*Function) int {
	size := 1500 + 140*len(fns)
	seen := map[string]bool{}
	groups := map[string]bool{}
	for _, f := range fns {
		for _, a := range f.SDK {
			if seen[a.Key()] {
				continue
			}
			seen[a.Key()] = true
			size += len(a.Action) + 3
			group := awsfacts.ActionPrefix(a.Action) + "|" + a.PassedTo + "|" + strings.Join(a.Resources, ",")
			if groups[group] {
				continue
			}
			groups[group] = true
			size += 60 + len(a.PassedTo)
			for _, r := range a.Resources {
				r = resolvedLengths.Replace(r)
				// A resource's name or ARN: up to 128 characters.
				for strings.Contains(r, "${") {
					i := strings.Index(r, "${")
					j := strings.Index(r[i:], "}")
					if j < 0 {
						break
					}
					r = r[:i] + strings.Repeat("x", 128) + r[i+j+1:]
				}
				size += len(r) + 3
			}
		}
	}
	return size
}

// checkRoleSizes reports a generated role whose policies would exceed
// IAM's limit on a role's inline policies.
func (c *checker) checkRoleSizes() {
	byRole := map[string][]*Function{}
	var order []string
	for _, f := range c.allFunctions() {
		if f.Role == "" || f.Config == nil || !f.Config.AutogenPolicy.V {
			continue
		}
		if _, ok := byRole[f.Role]; !ok {
			order = append(order, f.Role)
		}
		byRole[f.Role] = append(byRole[f.Role], f)
	}
	for _, role := range order {
		fns := byRole[role]
		if n := estimatePolicies(fns); n > awsfacts.MaxRolePolicies {
			f := fns[0]
			c.ds.Errorf(diag.RolePolicySize, f.At, "the generated role %s of function %s would hold about %d characters of policies, more than IAM's %d", role, f.Name, n, awsfacts.MaxRolePolicies).
				Note(diag.Range{}, "its functions' AWS SDK calls need %d actions", len(f.SDK)).
				Hint("move some of its work into another function, or write its policy with autogen_policy: false and iam_policy_file")
		}
	}
}
