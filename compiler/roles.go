package compiler

// assignRoles decides each function's role (Function.Role).
//
//   - manage_iam_role false: none (the template names iam_role_arn).
//   - autogen_policy false: a role of its own, <Fn>Role, from its policy
//     file, as Chalice does.
//   - autogen_policy true: DefaultRole's SDK action set is the API
//     handler's when the API handler is on an autogen role, else that of
//     the first such function in registration order (functions:, builtin
//     authorizers, websocket handlers, blueprints). A function whose set
//     equals it shares DefaultRole; any other gets <Fn>Role, with the
//     same kind of statements as DefaultRole but only for itself (its log
//     group in <Fn>RoleLogPolicy, its event source, VPC, X-Ray, websocket)
//     plus its own SDK actions. So no function is allowed an SDK action
//     its code does not call, and functions that call the same operations
//     share one role. When the analysis did not run (no Go check), every
//     set is empty and they all share DefaultRole.
//
// The roles of their own are claimed as logical IDs, with their log
// policies, so they cannot clash with a function's resources.
func (c *checker) assignRoles() {
	fns := c.allFunctions() // the API handler first
	defaultSet, haveDefault := "", false
	for _, f := range fns {
		if cfg := f.Config; cfg != nil && cfg.ManageIAMRole.V && cfg.AutogenPolicy.V {
			defaultSet, haveDefault = ActionSet(f.SDK), true
			break
		}
	}
	for _, f := range fns {
		cfg := f.Config
		switch {
		case cfg == nil || !cfg.ManageIAMRole.V:
			f.Role = ""
		case !cfg.AutogenPolicy.V:
			f.Role = RoleID(f.LogicalID) // claimed by logicalIDs
		case haveDefault && ActionSet(f.SDK) == defaultSet:
			f.Role = IDDefaultRole
		default:
			f.Role = RoleID(f.LogicalID)
			what := "the API handler"
			if f.Kind != FuncAPI {
				what = "function \"" + f.Name + "\""
			}
			c.claimID(f.Role, what+"'s role (its AWS SDK calls differ from DefaultRole's)", f.At)
			c.claimID(RoleLogPolicyID(f.Role), what+"'s role log policy", f.At)
		}
	}
}
