package sam_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/manifest"
)

// TestGroupRoles: functions on one generated role get one role resource
// holding all their statements and log groups; sam emits a role per
// Function.Role, whatever the number of functions on it.
func TestGroupRoles(t *testing.T) {
	app := compile(t, `version: 1
app_name: roles
handlers: ./app
routes:
  /photos: {GET: ListPhotos}
functions:
  tick:
    handler: Tick
    schedule: rate(1 hour)
  on_job:
    handler: OnJob
    sqs: {queue: jobs}
  report:
    handler: Report
  again:
    handler: Report
  legacy:
    handler: Legacy
lambda_functions:
  legacy:
    manage_iam_role: false
    iam_role_arn: "arn:aws:iam::123456789012:role/legacy"
`)
	// What compiler.assignRoles makes of this SDK analysis (see
	// compiler's TestAssignRoles): the API handler's group, the group
	// calling nothing, the group calling dynamodb:Query.
	get := []*compiler.SDKAction{{Action: "s3:GetObject"}}
	query := []*compiler.SDKAction{{Action: "dynamodb:Query"}}
	app.APIHandler.SDK, app.APIHandler.Role = get, awsfacts.IDDefaultRole
	byName := map[string]*compiler.Function{}
	for _, f := range app.Functions {
		byName[f.Name] = f
	}
	byName["tick"].Role = "TickRole"
	byName["on_job"].Role = "TickRole"
	byName["report"].SDK, byName["report"].Role = query, "ReportRole"
	byName["again"].SDK, byName["again"].Role = query, "ReportRole"
	res := resources(t, app)
	if got, want := ofType(res, "AWS::IAM::Role"), []string{"DefaultRole", "ReportRole", "TickRole"}; !reflect.DeepEqual(got, want) {
		t.Errorf("roles %v, want %v", got, want)
	}
	role := func(fn string) any { return props(t, res, fn)["Role"] }
	for fn, want := range map[string]any{
		"APIHandler": map[string]any{"Fn::GetAtt": []any{"DefaultRole", "Arn"}},
		"Tick":       map[string]any{"Fn::GetAtt": []any{"TickRole", "Arn"}},
		"OnJob":      map[string]any{"Fn::GetAtt": []any{"TickRole", "Arn"}},
		"Report":     map[string]any{"Fn::GetAtt": []any{"ReportRole", "Arn"}},
		"Again":      map[string]any{"Fn::GetAtt": []any{"ReportRole", "Arn"}},
		"Legacy":     "arn:aws:iam::123456789012:role/legacy",
	} {
		if got := role(fn); !reflect.DeepEqual(got, want) {
			t.Errorf("%s Role = %v, want %v", fn, got, want)
		}
	}
	// TickRole: both functions' log groups, on_job's queue, no SDK action.
	logs := props(t, res, "TickRoleLogPolicy")["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)["Resource"].([]any)
	if len(logs) != 2 || !strings.Contains(logs[0].(map[string]any)["Fn::Sub"].(string), "${Tick}:*") ||
		!strings.Contains(logs[1].(map[string]any)["Fn::Sub"].(string), "${OnJob}:*") {
		t.Errorf("TickRole log groups = %v, want Tick's and OnJob's", logs)
	}
	st := props(t, res, "TickRole")["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	if len(st) != 1 || !reflect.DeepEqual(st[0].(map[string]any)["Action"], []any{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}) {
		t.Errorf("TickRole statements = %v, want on_job's queue only", st)
	}
	st = props(t, res, "ReportRole")["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	if len(st) != 1 || !reflect.DeepEqual(st[0].(map[string]any)["Action"], []any{"dynamodb:Query"}) {
		t.Errorf("ReportRole statements = %v, want dynamodb:Query", st)
	}
}

// TestLogStatements: a role allows each of its functions its own log
// group and that group's streams, by exact name (the group's ARN with
// ":*", not a prefix that also covers every function whose name starts
// with it), and CreateLogGroup only where Lambda creates the group: a
// function with log_retention_in_days has its group in the template.
func TestLogStatements(t *testing.T) {
	app := compile(t, `version: 1
app_name: logs
handlers: ./app
routes:
  /: {GET: Index}
functions:
  tick:
    handler: Tick
    schedule: rate(1 hour)
  kept:
    handler: Kept
    schedule: rate(1 day)
lambda_functions:
  kept:
    log_retention_in_days: 14
`)
	res := resources(t, app)
	arn := func(fn string) any {
		return map[string]any{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${" + fn + "}:*"}
	}
	want := []any{
		map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": []any{arn("Tick"), arn("APIHandler")}},
		map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": []any{arn("Kept")}},
	}
	got := props(t, res, "DefaultRoleLogPolicy")["PolicyDocument"].(map[string]any)["Statement"]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultRoleLogPolicy statements\n got: %v\nwant: %v", got, want)
	}
	if _, ok := res["KeptLogGroup"]; !ok {
		t.Error("no KeptLogGroup: the statement without CreateLogGroup needs it")
	}
}

// TestLargeRoleSplit: past compiler.MaxFunctionsPerRole functions a group
// continues on a role named after its next function, so that every role
// still names each log group exactly and stays within IAM's size limit
// (the statement once widened to every Lambda log group of the account).
func TestLargeRoleSplit(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\napp_name: many\nhandlers: ./app\nfunctions:\n")
	n := 2*compiler.MaxFunctionsPerRole + 1
	for i := range n {
		fmt.Fprintf(&b, "  f%03d: {handler: F}\n", i)
	}
	res := resources(t, compile(t, b.String()))
	first := fmt.Sprintf("F%03dRole", compiler.MaxFunctionsPerRole)
	second := fmt.Sprintf("F%03dRole", 2*compiler.MaxFunctionsPerRole)
	if got, want := ofType(res, "AWS::IAM::Role"), []string{"DefaultRole", first, second}; !reflect.DeepEqual(got, want) {
		t.Fatalf("roles %v, want %v", got, want)
	}
	total := 0
	for _, role := range []string{"DefaultRole", first, second} {
		st := props(t, res, role+"LogPolicy")["PolicyDocument"].(map[string]any)["Statement"].([]any)
		groups := st[0].(map[string]any)["Resource"].([]any)
		for _, r := range groups {
			s := r.(map[string]any)["Fn::Sub"].(string)
			if strings.Contains(s, "/aws/lambda/*") || !strings.HasSuffix(s, "}:*") {
				t.Errorf("%s names %s, want one function's group", role, s)
			}
			total++
		}
		if len(groups) > compiler.MaxFunctionsPerRole {
			t.Errorf("%s has %d log groups, more than %d", role, len(groups), compiler.MaxFunctionsPerRole)
		}
	}
	if total != n {
		t.Errorf("%d log groups in all, want %d", total, n)
	}
	role := func(fn string) any { return props(t, res, fn)["Role"] }
	if got := role("F049"); !reflect.DeepEqual(got, map[string]any{"Fn::GetAtt": []any{"DefaultRole", "Arn"}}) {
		t.Errorf("F049 Role = %v, want DefaultRole", got)
	}
	if got := role("F050"); !reflect.DeepEqual(got, map[string]any{"Fn::GetAtt": []any{first, "Arn"}}) {
		t.Errorf("F050 Role = %v, want %s", got, first)
	}
}

// TestInvokePermissions: API Gateway may invoke the API handler for any
// method of the API, a builtin authorizer only as an authorizer of that
// API (<api>/authorizers/<id>), not as a method.
func TestInvokePermissions(t *testing.T) {
	res := resources(t, compile(t, `version: 1
app_name: perms
handlers: ./app
authorizers:
  jwt: {type: builtin, handler: CheckToken}
routes:
  /: {GET: {handler: Index, authorizer: jwt}}
`))
	for id, want := range map[string]string{
		"APIHandlerInvokePermission": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestAPI}/*",
		"JwtInvokePermission":        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestAPI}/authorizers/*",
	} {
		if got := props(t, res, id)["SourceArn"]; !reflect.DeepEqual(got, map[string]any{"Fn::Sub": want}) {
			t.Errorf("%s SourceArn = %v, want %s", id, got, want)
		}
	}
}

// TestAPIHandlerPolicyFileRole: with autogen_policy false the API
// handler's role has Chalice's logical ID, ApiHandlerRole (from its
// function name api_handler), so a stack moved from Chalice keeps it.
func TestAPIHandlerPolicyFileRole(t *testing.T) {
	dir := t.TempDir()
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`
	if err := os.WriteFile(filepath.Join(dir, "api-policy.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	set, ds := manifest.Parsed(filepath.Join(dir, "chalice.yaml"), []byte(`version: 1
app_name: own
handlers: ./app
routes:
  /: {GET: Index}
lambda_functions:
  api_handler:
    autogen_policy: false
    iam_policy_file: api-policy.json
`))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	app, cds := compiler.Compile(set, compiler.Options{})
	if app == nil || cds.HasErrors() {
		t.Fatal(cds)
	}
	res := resources(t, app)
	if got := ofType(res, "AWS::IAM::Role"); !reflect.DeepEqual(got, []string{"ApiHandlerRole"}) {
		t.Fatalf("roles %v, want [ApiHandlerRole]", got)
	}
	if got := props(t, res, "APIHandler")["Role"]; !reflect.DeepEqual(got, map[string]any{"Fn::GetAtt": []any{"ApiHandlerRole", "Arn"}}) {
		t.Errorf("APIHandler Role = %v", got)
	}
	policies := props(t, res, "ApiHandlerRole")["Policies"].([]any)
	if name := policies[0].(map[string]any)["PolicyName"]; name != "ApiHandlerRolePolicy" {
		t.Errorf("PolicyName = %v, want ApiHandlerRolePolicy", name)
	}
}
