package sam_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/compiler"
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
	if len(logs) != 2 || !strings.Contains(logs[0].(map[string]any)["Fn::Sub"].(string), "${Tick}") ||
		!strings.Contains(logs[1].(map[string]any)["Fn::Sub"].(string), "${OnJob}") {
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
