package sam

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/chalc-dev/chalc/compiler"
)

// PolicyDocument is an IAM policy document.
type PolicyDocument struct {
	Version   string
	Statement []Statement
}

// Statement is one IAM statement. Sids are never random (Chalice's are):
// the template must be byte-stable.
type Statement struct {
	Sid       string `json:",omitempty"`
	Effect    string
	Principal any `json:",omitempty"`
	Action    any
	Resource  any `json:",omitempty"`
	Condition any `json:",omitempty"`
}

// IDDefaultRoleLogPolicy holds the managed role's logs statement. It is
// apart from DefaultRole because it names the functions' log groups, and
// the functions depend on the role: inside the role it would be a cycle.
// Every other generated role has its own, <Fn>RoleLogPolicy.
const IDDefaultRoleLogPolicy = awsfacts.IDDefaultRole + "LogPolicy"

func trustPolicy() PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
		Sid: "", Effect: "Allow", Principal: map[string]string{"Service": "lambda.amazonaws.com"}, Action: "sts:AssumeRole",
	}}}
}

// policyBuilder collects the functions of each managed role: a
// generated role (DefaultRole, or <Fn>Role of a group of functions calling
// the same AWS SDK operations) or the role of a function with a policy
// file (autogen_policy false). compiler.assignRoles decides which
// (Function.Role).
type policyBuilder struct {
	app   *compiler.App
	order []string                        // role IDs, by their first function
	fns   map[string][]*compiler.Function // role ID → its functions, in order
}

func newPolicyBuilder(app *compiler.App) *policyBuilder {
	return &policyBuilder{app: app, fns: map[string][]*compiler.Function{}}
}

// roleFor returns the Role property of f and records what its role needs.
func (p *policyBuilder) roleFor(f *compiler.Function) (string, error) {
	cfg := f.Config
	if !cfg.ManageIAMRole.V {
		return cfg.IAMRoleARN.V, nil
	}
	role := f.Role
	if role == "" { // an App not built by compiler.Compile
		role = awsfacts.IDDefaultRole
		if !cfg.AutogenPolicy.V {
			role = awsfacts.FunctionRoleID(f.Name)
		}
	}
	if _, ok := p.fns[role]; !ok {
		p.order = append(p.order, role)
	}
	p.fns[role] = append(p.fns[role], f)
	return getAtt(role, "Arn"), nil
}

// emit writes the managed roles: a policy file's as it is, a generated
// one with its log policy.
func (p *policyBuilder) emit(t *cloudformation.Template) error {
	for _, id := range p.order {
		fns := p.fns[id]
		if f := fns[0]; !f.Config.AutogenPolicy.V {
			if f.PolicyDocument == nil {
				return fmt.Errorf("the policy file of function %s was not read", f.Name)
			}
			t.Resources[id] = &iam.Role{
				AssumeRolePolicyDocument: trustPolicy(),
				Policies:                 []iam.Role_Policy{{PolicyName: id + "Policy", PolicyDocument: f.PolicyDocument}},
			}
			continue
		}
		p.emitRole(t, id, fns)
	}
	return nil
}

// emitRole writes a generated role for fns: its statements inline
// (<id>Policy) and the logs statement in <id>LogPolicy.
func (p *policyBuilder) emitRole(t *cloudformation.Template, id string, fns []*compiler.Function) {
	role := &iam.Role{AssumeRolePolicyDocument: trustPolicy()}
	if st := p.statements(fns); len(st) > 0 {
		role.Policies = []iam.Role_Policy{{
			PolicyName:     id + "Policy",
			PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: st},
		}}
	}
	t.Resources[id] = role
	logID := awsfacts.RoleLogPolicyID(id)
	t.Resources[logID] = &iam.RolePolicy{
		RoleName:       ref(id),
		PolicyName:     logID,
		PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: logStatements(fns)},
	}
}

// logStatements allow each function to write its own log group and no
// other: one ARN per function, log-group:/aws/lambda/<function>:*, the
// form CloudWatch Logs matches for CreateLogGroup and CreateLogStream
// (the group's ARN with ":*") and for PutLogEvents (its streams,
// log-group:<group>:log-stream:<stream>). CreateLogGroup only for the
// functions whose group Lambda creates on first use: a function with
// log_retention_in_days has <Fn>LogGroup in the template, and Lambda
// creating that group first (an event arriving between the function's
// creation and its group's) would fail the deploy.
// compiler.MaxFunctionsPerRole keeps the list within IAM's size limit.
func logStatements(fns []*compiler.Function) []Statement {
	var create, write []string
	for _, f := range fns {
		arn := sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${" + f.LogicalID + "}:*")
		if f.Config.LogRetentionInDays.Set {
			write = append(write, arn)
		} else {
			create = append(create, arn)
		}
	}
	var out []Statement
	if len(create) > 0 {
		out = append(out, Statement{Effect: "Allow", Action: []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, Resource: create})
	}
	if len(write) > 0 {
		out = append(out, Statement{Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: write})
	}
	return out
}

// statements: one statement per event-source kind used (resources
// scoped to the sources), then VPC networking and X-Ray when a function on
// the role needs them, websocket ManageConnections, then the actions the
// functions' aws-sdk-go-v2 calls need (sdkStatements).
func (p *policyBuilder) statements(fns []*compiler.Function) []Statement {
	var sqs, kin, ddb, tables []string
	vpc, xray := false, false
	var sdk []*compiler.SDKAction
	for _, f := range fns {
		switch {
		case f.SQS != nil:
			sqs = appendUnique(sqs, sqsARN(f.SQS))
		case f.Kinesis != nil:
			kin = appendUnique(kin, kinesisARN(f.Kinesis))
		case f.DynamoDB != nil:
			ddb = appendUnique(ddb, dynamoDBStreamARN(f.DynamoDB))
			if t := dynamoDBTableStreams(f.DynamoDB); t != "" {
				tables = appendUnique(tables, t)
			}
		}
		vpc = vpc || (len(f.Config.SubnetIDs.V) > 0 && len(f.Config.SecurityGroupIDs.V) > 0)
		xray = xray || f.Config.XRay.V
		sdk = append(sdk, f.SDK...)
	}
	var out []Statement
	if len(sqs) > 0 {
		out = append(out, Statement{Effect: "Allow", Action: slices.Clone(awsfacts.EventSourceActions(awsfacts.TriggerSQS)), Resource: sqs})
	}
	if len(kin) > 0 {
		out = append(out, Statement{Effect: "Allow", Action: slices.Clone(awsfacts.EventSourceActions(awsfacts.TriggerKinesis)), Resource: kin})
	}
	if len(ddb) > 0 {
		// dynamodb:ListStreams acts on a table's streams, not on one
		// stream: it gets its own statement scoped to the tables.
		onStream := slices.DeleteFunc(slices.Clone(awsfacts.EventSourceActions(awsfacts.TriggerDynamoDB)),
			func(a string) bool { return a == "dynamodb:ListStreams" })
		out = append(out,
			Statement{Effect: "Allow", Action: onStream, Resource: ddb},
			Statement{Effect: "Allow", Action: []string{"dynamodb:ListStreams"}, Resource: tables})
	}
	if vpc {
		out = append(out, Statement{Effect: "Allow", Action: []string{"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface", "ec2:DeleteNetworkInterface"}, Resource: "*"})
	}
	if xray {
		out = append(out, Statement{Effect: "Allow", Action: []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, Resource: "*"})
	}
	if p.app.Websocket != nil {
		// Handlers answer websocket clients through the management API.
		out = append(out, Statement{Effect: "Allow", Action: []string{"execute-api:ManageConnections"},
			Resource: sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + awsfacts.IDWebsocketAPI + "}/*")})
	}
	return append(out, sdkStatements(sdk)...)
}

// sdkStatements turns the actions found by the SDK call analysis (with
// their dependent actions and the functions' extra_iam_actions) into
// statements: one per IAM service prefix and set of resources (prefixes
// sorted, then "*" before scoped sets; actions sorted and unique). A
// resource is an ARN pattern, written as Fn::Sub when it names the stack's
// values (${AWS::Region}, ${MusicTable}). iam:PassRole is allowed only
// towards the service the calls pass the role to (iam:PassedToService).
func sdkStatements(actions []*compiler.SDKAction) []Statement {
	type group struct {
		prefix, passedTo, resKey string
		resources                []string // nil: "*"
		actions                  []string
	}
	groups := map[string]*group{}
	for _, a := range actions {
		res := "*"
		if a.Resources != nil {
			res = strings.Join(a.Resources, "\x00")
		}
		g := &group{prefix: awsfacts.ActionPrefix(a.Action), passedTo: a.PassedTo, resKey: res, resources: a.Resources}
		k := g.prefix + "\x00" + g.passedTo + "\x00" + res
		if have, ok := groups[k]; ok {
			g = have
		} else {
			groups[k] = g
		}
		g.actions = appendUnique(g.actions, a.Action)
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		sort.Strings(g.actions)
		list = append(list, g)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.prefix != b.prefix {
			return a.prefix < b.prefix
		}
		if (a.resources == nil) != (b.resources == nil) {
			return a.resources == nil
		}
		if a.resKey != b.resKey {
			return a.resKey < b.resKey
		}
		return a.passedTo < b.passedTo
	})
	var out []Statement
	for _, g := range list {
		st := Statement{Effect: "Allow", Action: g.actions, Resource: "*"}
		if g.resources != nil {
			res := make([]string, len(g.resources))
			for i, r := range g.resources {
				res[i] = resourceValue(r)
			}
			st.Resource = res
			if len(res) == 1 {
				st.Resource = res[0]
			}
		}
		if g.passedTo != "" {
			st.Condition = map[string]any{"StringEquals": map[string]any{"iam:PassedToService": g.passedTo}}
		}
		out = append(out, st)
	}
	return out
}

var (
	wholeRef    = regexp.MustCompile(`^\$\{([A-Za-z0-9]+)\}$`)
	wholeGetAtt = regexp.MustCompile(`^\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}$`)
)

// resourceValue writes an ARN pattern: as it is, as Ref or GetAtt when
// it is one resource's value, else as Fn::Sub.
func resourceValue(r string) string {
	if m := wholeRef.FindStringSubmatch(r); m != nil && !strings.HasPrefix(m[1], "AWS") {
		return ref(m[1])
	}
	if m := wholeGetAtt.FindStringSubmatch(r); m != nil {
		return getAtt(m[1], m[2])
	}
	if strings.Contains(r, "${") {
		return sub(r)
	}
	return r
}

func appendUnique(list []string, s string) []string {
	for _, o := range list {
		if o == s {
			return list
		}
	}
	return append(list, s)
}
