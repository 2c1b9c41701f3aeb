package compiler

import "github.com/chalc-dev/chalc/awsfacts"

// assignRoles decides each function's role (Function.Role).
//
//   - manage_iam_role false: none (the template names iam_role_arn).
//   - autogen_policy false: a role of its own, <Fn>Role, from its policy
//     file, as Chalice does (the API handler's is ApiHandlerRole, after
//     its name api_handler, as Chalice names it).
//   - autogen_policy true: the functions are grouped by the set of IAM
//     actions their SDK calls need (ActionSet), and each group shares one
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
	byset := map[string]*group{} // action set → the role its functions join
	for _, f := range fns {
		cfg := f.Config
		switch {
		case cfg == nil || !cfg.ManageIAMRole.V:
			f.Role = ""
		case !cfg.AutogenPolicy.V:
			f.Role = awsfacts.FunctionRoleID(f.Name) // claimed by logicalIDs
		default:
			set := ActionSet(f.SDK)
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
