package sam

import (
	"fmt"
	"os"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/manifest"
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
}

// IDDefaultRoleLogPolicy holds the managed role's logs statement. It is
// apart from DefaultRole because it names the functions' log groups, and
// the functions depend on the role: inside the role it would be a cycle.
const IDDefaultRoleLogPolicy = "DefaultRoleLogPolicy"

// maxScopedLogGroups keeps DefaultRoleLogPolicy well under IAM's inline
// policy size limit (about 100 characters per function).
const maxScopedLogGroups = 50

func trustPolicy() PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
		Sid: "", Effect: "Allow", Principal: map[string]string{"Service": "lambda.amazonaws.com"}, Action: "sts:AssumeRole",
	}}}
}

// policyBuilder collects what the shared DefaultRole must allow.
type policyBuilder struct {
	app     *compiler.App
	shared  []*compiler.Function // functions on DefaultRole, in order
	fileRol map[string]bool
	t       *cloudformation.Template
}

func newPolicyBuilder(app *compiler.App) *policyBuilder {
	return &policyBuilder{app: app, fileRol: map[string]bool{}}
}

// roleFor returns the Role property of f and records what its role needs.
func (p *policyBuilder) roleFor(f *compiler.Function) (string, error) {
	cfg := f.Config
	if !cfg.ManageIAMRole.V {
		return cfg.IAMRoleARN.V, nil
	}
	if cfg.AutogenPolicy.V {
		p.shared = append(p.shared, f)
		return cloudformation.GetAtt(compiler.IDDefaultRole, "Arn"), nil
	}
	p.fileRol[f.LogicalID] = true
	return cloudformation.GetAtt(compiler.RoleID(f.LogicalID), "Arn"), nil
}

// emit writes DefaultRole, its log policy and the per-function roles.
func (p *policyBuilder) emit(t *cloudformation.Template) error {
	for _, f := range p.allFunctions() {
		if !p.fileRol[f.LogicalID] {
			continue
		}
		doc, err := p.policyFile(f)
		if err != nil {
			return err
		}
		id := compiler.RoleID(f.LogicalID)
		t.Resources[id] = &iam.Role{
			AssumeRolePolicyDocument: trustPolicy(),
			Policies:                 []iam.Role_Policy{{PolicyName: id + "Policy", PolicyDocument: doc}},
		}
	}
	if len(p.shared) == 0 {
		return nil
	}
	role := &iam.Role{AssumeRolePolicyDocument: trustPolicy()}
	if st := p.sharedStatements(); len(st) > 0 {
		role.Policies = []iam.Role_Policy{{
			PolicyName:     compiler.IDDefaultRole + "Policy",
			PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: st},
		}}
	}
	t.Resources[compiler.IDDefaultRole] = role
	// One ARN per function: "<group>*" covers the group and its streams.
	// IAM caps a role's inline policies at 10,240 characters, so past
	// maxScopedLogGroups functions the statement names the Lambda log
	// groups of this account and region instead.
	var logs []string
	if len(p.shared) > maxScopedLogGroups {
		logs = []string{cloudformation.Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/*")}
	} else {
		for _, f := range p.shared {
			logs = append(logs, cloudformation.Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${"+f.LogicalID+"}*"))
		}
	}
	t.Resources[IDDefaultRoleLogPolicy] = &iam.RolePolicy{
		RoleName:   cloudformation.Ref(compiler.IDDefaultRole),
		PolicyName: IDDefaultRoleLogPolicy,
		PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: logs,
		}}},
	}
	return nil
}

func (p *policyBuilder) allFunctions() []*compiler.Function {
	var out []*compiler.Function
	out = append(out, p.app.Functions...)
	if p.app.APIHandler != nil {
		out = append(out, p.app.APIHandler)
	}
	return out
}

// sharedStatements: one statement per event-source kind used (resources
// scoped to the sources), then VPC networking and X-Ray when a function on
// the role needs them.
func (p *policyBuilder) sharedStatements() []Statement {
	var sqs, kin, ddb []string
	vpc, xray := false, false
	for _, f := range p.shared {
		switch {
		case f.SQS != nil:
			sqs = appendUnique(sqs, sqsARN(f.SQS))
		case f.Kinesis != nil:
			kin = appendUnique(kin, kinesisARN(f.Kinesis))
		case f.DynamoDB != nil:
			ddb = appendUnique(ddb, f.DynamoDB.StreamARN)
		}
		vpc = vpc || (len(f.Config.SubnetIDs.V) > 0 && len(f.Config.SecurityGroupIDs.V) > 0)
		xray = xray || f.Config.XRay.V
	}
	var out []Statement
	if len(sqs) > 0 {
		out = append(out, Statement{Effect: "Allow", Action: []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}, Resource: sqs})
	}
	if len(kin) > 0 {
		out = append(out, Statement{Effect: "Allow", Action: []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard"}, Resource: kin})
	}
	if len(ddb) > 0 {
		var tables []string
		for _, arn := range ddb {
			if i := strings.Index(arn, "/stream/"); i > 0 {
				tables = appendUnique(tables, arn[:i]+"/stream/*")
			}
		}
		out = append(out,
			Statement{Effect: "Allow", Action: []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}, Resource: ddb},
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
			Resource: cloudformation.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + compiler.IDWebsocketAPI + "}/*")})
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, o := range list {
		if o == s {
			return list
		}
	}
	return append(list, s)
}

// policyFile reads the policy document of a function with
// autogen_policy: false: iam_policy_file, else .chalice/policy-<stage>.json,
// relative to the manifest.
func (p *policyBuilder) policyFile(f *compiler.Function) (any, error) {
	name := f.Config.IAMPolicyFile.V
	if name == "" {
		name = ".chalice/policy-" + p.app.Stage.Name + ".json"
	}
	path := manifest.ResolvePath(p.app.Manifest.Doc, name)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("policy file %s: %w", manifest.DisplayPath(path), err)
	}
	return readJSONFile(path)
}
