package project

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/sam"
)

// parityCases pairs each port in testdata/apps with the Chalice 1.33.0
// reference case it ports (testdata/chalice-reference/<ref>: app.py,
// .chalice/config.json and the sam.json `chalice package` wrote).
var parityCases = []struct {
	app, ref string
}{
	{app: "chalice_routes", ref: "routes"},
	{app: "chalice_routes_global_cors", ref: "routes_global_cors"},
	{app: "chalice_pure_lambda", ref: "pure_lambda"},
	{app: "chalice_schedules", ref: "schedules"},
	{app: "chalice_event_sources", ref: "event_sources"},
}

// TestParity compiles each port (dev stage) and compares its template with
// what Chalice wrote for the original, structurally (key order does not
// matter, list order does). The differences chalc makes on purpose are
// normalised first, by normalizeDeliberate, which also checks that chalc's
// side of each has exactly the intended form; any other difference fails
// the test with its JSON path.
func TestParity(t *testing.T) {
	for _, pc := range parityCases {
		t.Run(pc.app, func(t *testing.T) {
			c, err := Check(Options{Dir: filepath.Join("..", "testdata", "apps", pc.app), CacheDir: testCache(t)})
			if err != nil {
				t.Fatal(err)
			}
			if c.App == nil || c.Diagnostics.HasErrors() {
				var b strings.Builder
				diag.Fprint(&b, c.Sources(), c.Diagnostics)
				t.Fatalf("the port has errors:\n%s", b.String())
			}
			v, err := sam.Generate(c.App)
			if err != nil {
				t.Fatal(err)
			}
			got := jsonValue(t, v)
			want, order := readReference(t, filepath.Join("..", "testdata", "chalice-reference", pc.ref, "sam.json"))

			normalizeDeliberate(t, c.App, got, want, order)

			var diffs []string
			diffJSON("", got, want, &diffs)
			if len(diffs) > 0 {
				t.Errorf("%d difference(s) from Chalice's template that are not deliberate (chalc vs Chalice):\n  %s",
					len(diffs), strings.Join(diffs, "\n  "))
			}
		})
	}
}

// normalizeDeliberate rewrites chalc's template (got) and Chalice's (want)
// so that the differences chalc makes on purpose disappear. It is the one
// place that lists them; each step first checks that chalc's side has
// exactly the intended shape (t.Errorf otherwise), so a normalisation never
// hides a wrong value. Everything it does not touch must be identical.
//
//  1. Runtime: chalc ships a Go executable, "provided.al2023" (sam.Runtime);
//     Chalice writes the host Python's runtime ("python3.11").
//  2. Handler: chalc sets it to the function's name ("api_handler" for the
//     REST handler), which the bootstrap reads from _HANDLER to pick the
//     function; Chalice writes a Python import path ("app.app",
//     "app.<python function>").
//  3. Tags: chalc tags "chalc: stage=<stage>:app=<app_name>" with no tool
//     version, so upgrading chalc rewrites no golden (MANIFEST "Output");
//     Chalice tags "aws-chalice: version=1.33.0:stage=<stage>:app=<app_name>".
//     Stage and app must agree; other tags are compared.
//  4. Architectures: chalc always states [<architecture>] (x86_64 by
//     default, Lambda's own default); Chalice has no architecture setting.
//  5. RestAPI EndpointConfiguration: chalc writes SAM's documented object
//     {"Type": "EDGE"} (goformation's type), Chalice the plain string
//     "EDGE"; SAM reads both the same (FACTS.md).
//  6. Logs permissions: Chalice puts {logs:CreateLogGroup,
//     CreateLogStream, PutLogEvents on arn:*:logs:*:*:*} first in
//     DefaultRole's inline policy. chalc scopes them to each function's own
//     log group and its streams (one ARN log-group:/aws/lambda/${Fn}:*,
//     CreateLogGroup only for the groups Lambda creates) in a separate
//     AWS::IAM::RolePolicy, DefaultRoleLogPolicy (inside the role it would
//     be a dependency cycle: the functions depend on the role). When
//     nothing else is left, chalc's DefaultRole has no Policies at all.
//  7. Event-source statements: Chalice allows them on "*"; chalc scopes
//     them to the sources the functions read (the Queue / Stream of their
//     events, in order), and takes the actions from the Lambda developer
//     guide's list for each event source: Kinesis gets DescribeStream,
//     DescribeStreamSummary, GetRecords, GetShardIterator, ListShards,
//     SubscribeToShard (Chalice: GetRecords, GetShardIterator,
//     DescribeStream, ListStreams); DynamoDB streams get DescribeStream,
//     GetRecords, GetShardIterator on the streams, and ListStreams in a
//     second statement on their tables' streams (table/T/stream/*). SQS
//     keeps Chalice's three actions.
//  8. Trust policy: chalc omits Chalice's empty "Sid": "" (Sids are
//     optional; chalc never writes an empty or random one).
//  9. Lambda permissions' SourceArn: chalc writes a plain Fn::Sub naming
//     ${RestAPI}; Chalice a Fn::Sub with a variable map
//     {RestAPIId: {Ref: RestAPI}}. Same value, except a builtin
//     authorizer's: chalc allows ${RestAPI}/authorizers/* (API Gateway
//     invokes an authorizer as <api>/authorizers/<id>), Chalice the whole
//     API (${RestAPIId}/*).
//  10. Schedule Description: chalc emits the schedule's description;
//     Chalice drops it (a listed Chalice bug, SEMANTICS "Upstream bugs").
//  11. Empty Outputs: Chalice's base template always has "Outputs": {};
//     chalc writes no Outputs section when there is nothing to output
//     (goformation's omitempty). CloudFormation and SAM read an absent and
//     an empty section alike, and a merge template's Outputs are added
//     either way. Incidental (goformation's doing), harmless, and not yet
//     documented as a difference.
//
// wantOrder lists Chalice's resources in the order of its file.
func normalizeDeliberate(t *testing.T, app *compiler.App, got, want map[string]any, wantOrder []string) {
	t.Helper()
	gotRes, wantRes := jsonObject(got["Resources"]), jsonObject(want["Resources"])

	names := map[string]*compiler.Function{}
	for _, f := range app.Functions {
		names[f.LogicalID] = f
	}
	if app.APIHandler != nil {
		names[app.APIHandler.LogicalID] = app.APIHandler
	}
	onDefaultRole := map[string]bool{} // chalc's functions whose Role is DefaultRole
	for _, id := range sortedJSONKeys(gotRes) {
		r := jsonObject(gotRes[id])
		if r["Type"] != "AWS::Serverless::Function" {
			continue
		}
		p := jsonObject(r["Properties"])
		wp := jsonObject(jsonObject(wantRes[id])["Properties"])
		f := names[id]
		if f == nil {
			t.Errorf("Resources.%s: a function the compiled app does not have", id)
			continue
		}
		// 1. Runtime.
		if p["Runtime"] != sam.Runtime {
			t.Errorf("Resources.%s.Properties.Runtime = %v, want %s", id, p["Runtime"], sam.Runtime)
		}
		delete(p, "Runtime")
		if wp != nil && strings.HasPrefix(fmt.Sprint(wp["Runtime"]), "python3.") {
			delete(wp, "Runtime")
		}
		// 2. Handler.
		if p["Handler"] != f.Name {
			t.Errorf("Resources.%s.Properties.Handler = %v, want the function name %q", id, p["Handler"], f.Name)
		}
		delete(p, "Handler")
		if wp != nil && strings.HasPrefix(fmt.Sprint(wp["Handler"]), "app.") {
			delete(wp, "Handler")
		}
		// 3. Tags.
		tags := jsonObject(p["Tags"])
		wantTag := fmt.Sprintf("stage=%s:app=%s", app.Stage.Name, app.Name)
		if tags[sam.TagKey] != wantTag {
			t.Errorf("Resources.%s.Properties.Tags.%s = %v, want %q", id, sam.TagKey, tags[sam.TagKey], wantTag)
		}
		delete(tags, sam.TagKey)
		if wtags := jsonObject(wp["Tags"]); wtags != nil {
			if v, _ := wtags["aws-chalice"].(string); chaliceTagVersion.ReplaceAllString(v, "") == wantTag {
				delete(wtags, "aws-chalice")
			}
		}
		// 4. Architectures.
		arch := []any{app.Stage.Architecture.V}
		if !sameJSON(p["Architectures"], arch) {
			t.Errorf("Resources.%s.Properties.Architectures = %v, want %v", id, p["Architectures"], arch)
		}
		delete(p, "Architectures")
		// 10. Schedule Description.
		for evID, ev := range jsonObject(p["Events"]) {
			e := jsonObject(ev)
			if e["Type"] != "Schedule" {
				continue
			}
			ep := jsonObject(e["Properties"])
			if d, ok := ep["Description"]; ok {
				if f.Schedule == nil || d != f.Schedule.Description {
					t.Errorf("Resources.%s.Properties.Events.%s.Properties.Description = %v, want the manifest's description", id, evID, d)
				}
				delete(ep, "Description")
			}
		}
		onDefaultRole[id] = isGetAtt(p["Role"], "DefaultRole")
	}

	// 5. EndpointConfiguration.
	if api := jsonObject(jsonObject(gotRes["RestAPI"])["Properties"]); api != nil {
		ec := jsonObject(api["EndpointConfiguration"])
		if len(ec) != 1 || ec["Type"] == nil {
			t.Errorf("Resources.RestAPI.Properties.EndpointConfiguration = %v, want {Type: <endpoint type>}", api["EndpointConfiguration"])
		} else {
			api["EndpointConfiguration"] = ec["Type"]
		}
	}

	// 6. Logs permissions.
	lp := jsonObject(gotRes[sam.IDDefaultRoleLogPolicy])
	if lp != nil {
		// Every function on DefaultRole, in chalc's emission order
		// (functions:, then api_handler).
		var order []string
		for _, f := range app.Functions {
			if onDefaultRole[f.LogicalID] {
				order = append(order, f.LogicalID)
			}
		}
		if app.APIHandler != nil && onDefaultRole[app.APIHandler.LogicalID] {
			order = append(order, app.APIHandler.LogicalID)
		}
		// One statement for the groups Lambda creates, one without
		// CreateLogGroup for those the template creates.
		var create, write []any
		for _, id := range order {
			g := map[string]any{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${" + id + "}:*"}
			if names[id].Config.LogRetentionInDays.Set {
				write = append(write, g)
			} else {
				create = append(create, g)
			}
		}
		var statements []any
		if len(create) > 0 {
			statements = append(statements, map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": create,
			})
		}
		if len(write) > 0 {
			statements = append(statements, map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": write,
			})
		}
		wantLP := map[string]any{
			"Type": "AWS::IAM::RolePolicy",
			"Properties": map[string]any{
				"RoleName":   map[string]any{"Ref": "DefaultRole"},
				"PolicyName": "DefaultRoleLogPolicy",
				"PolicyDocument": map[string]any{
					"Version":   "2012-10-17",
					"Statement": statements,
				},
			},
		}
		var d []string
		diffJSON("Resources.DefaultRoleLogPolicy", lp, wantLP, &d)
		for _, s := range d {
			t.Errorf("%s (chalc vs intended)", s)
		}
		delete(gotRes, sam.IDDefaultRoleLogPolicy)
	}
	chaliceLogs := map[string]any{
		"Effect":   "Allow",
		"Action":   []any{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": "arn:*:logs:*:*:*",
	}
	// Chalice's logs statement goes only if chalc has its replacement.
	if role := jsonObject(jsonObject(wantRes["DefaultRole"])["Properties"]); role != nil && lp != nil {
		policies := jsonArray(role["Policies"])
		if len(policies) == 1 {
			doc := jsonObject(jsonObject(policies[0])["PolicyDocument"])
			st := jsonArray(doc["Statement"])
			var d []string
			if len(st) > 0 {
				diffJSON("", st[0], chaliceLogs, &d)
			}
			if len(st) > 0 && len(d) == 0 {
				st = st[1:]
				// 7. Event-source statements, rewritten as chalc scopes them.
				st = scopeEventSourceStatements(st, wantRes, wantOrder)
				doc["Statement"] = st
				if len(st) == 0 {
					delete(role, "Policies")
				}
			}
		}
	}

	// 8. Trust policy Sid.
	for _, r := range wantRes {
		if jsonObject(r)["Type"] != "AWS::IAM::Role" {
			continue
		}
		doc := jsonObject(jsonObject(jsonObject(r)["Properties"])["AssumeRolePolicyDocument"])
		for _, s := range jsonArray(doc["Statement"]) {
			if sid, ok := jsonObject(s)["Sid"]; ok && sid == "" {
				delete(jsonObject(s), "Sid")
			}
		}
	}

	// 9. SourceArn of Lambda permissions.
	for id, r := range gotRes {
		if jsonObject(r)["Type"] != "AWS::Lambda::Permission" {
			continue
		}
		p := jsonObject(jsonObject(r)["Properties"])
		sub, ok := jsonObject(p["SourceArn"])["Fn::Sub"].(string)
		if !ok || strings.Contains(sub, "RestAPIId") {
			t.Errorf("Resources.%s.Properties.SourceArn = %v, want a plain Fn::Sub naming ${RestAPI}", id, p["SourceArn"])
			continue
		}
		// A builtin authorizer's: the API's authorizers only.
		if _, authorizer := jsonObject(p["FunctionName"])["Fn::GetAtt"]; authorizer {
			if rest, ok := strings.CutSuffix(sub, "}/authorizers/*"); ok {
				p["SourceArn"] = map[string]any{"Fn::Sub": rest + "}/*"}
			} else {
				t.Errorf("Resources.%s.Properties.SourceArn = %v, want the API's authorizers (${RestAPI}/authorizers/*)", id, sub)
			}
		}
	}
	for _, r := range wantRes {
		if jsonObject(r)["Type"] != "AWS::Lambda::Permission" {
			continue
		}
		p := jsonObject(jsonObject(r)["Properties"])
		if s, ok := inlineSubRefs(p["SourceArn"]); ok {
			p["SourceArn"] = s
		}
	}

	// 11. Empty Outputs.
	if _, ok := got["Outputs"]; !ok {
		if o, ok := want["Outputs"]; ok && len(jsonObject(o)) == 0 {
			delete(want, "Outputs")
		}
	}
}

// scopeEventSourceStatements replaces Chalice's event-source statements
// (on "*") with the statements chalc writes: the same kinds in the same
// order, scoped to the sources the template's events read (difference 7).
// The sources come from Chalice's own template, so chalc's scoping is
// checked against Chalice's events.
func scopeEventSourceStatements(statements []any, resources map[string]any, order []string) []any {
	sources := map[string][]any{} // event Type -> Queue/Stream values, in order
	for _, id := range order {
		for _, ev := range jsonObject(jsonObject(jsonObject(resources[id])["Properties"])["Events"]) {
			e := jsonObject(ev)
			ep := jsonObject(e["Properties"])
			src := ep["Queue"]
			if src == nil {
				src = ep["Stream"]
			}
			typ, _ := e["Type"].(string)
			if src != nil && !slices.ContainsFunc(sources[typ], func(o any) bool { return sameJSON(o, src) }) {
				sources[typ] = append(sources[typ], src)
			}
		}
	}
	actions := func(a ...string) []any {
		out := make([]any, len(a))
		for i, s := range a {
			out[i] = s
		}
		return out
	}
	stmt := func(resource any, a ...string) any {
		return map[string]any{"Effect": "Allow", "Action": actions(a...), "Resource": resource}
	}
	tableStreams := func(streams any) any {
		var out []any
		list, _ := streams.([]any)
		for _, a := range list {
			if arn, ok := a.(string); ok {
				if i := strings.Index(arn, "/stream/"); i > 0 {
					out = append(out, arn[:i]+"/stream/*")
				}
			}
		}
		return out
	}
	var out []any
	for _, s := range statements {
		st := jsonObject(s)
		if st["Resource"] != "*" {
			out = append(out, s)
			continue
		}
		switch {
		case sameJSON(st["Action"], actions("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")):
			out = append(out, stmt(sources["SQS"], "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"))
		case sameJSON(st["Action"], actions("kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams")):
			out = append(out, stmt(sources["Kinesis"], "kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
				"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard"))
		case sameJSON(st["Action"], actions("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams")):
			out = append(out,
				stmt(sources["DynamoDB"], "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
				stmt(tableStreams(sources["DynamoDB"]), "dynamodb:ListStreams"))
		default:
			out = append(out, s)
		}
	}
	return out
}

// inlineSubRefs turns {"Fn::Sub": [s, {"V": {"Ref": "X"}}]} into
// {"Fn::Sub": s'} with each ${V} replaced by ${X}: the same value.
func inlineSubRefs(v any) (any, bool) {
	args := jsonArray(jsonObject(v)["Fn::Sub"])
	if len(args) != 2 {
		return nil, false
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, false
	}
	for name, val := range jsonObject(args[1]) {
		ref, ok := jsonObject(val)["Ref"].(string)
		if !ok || len(jsonObject(val)) != 1 {
			return nil, false
		}
		s = strings.ReplaceAll(s, "${"+name+"}", "${"+ref+"}")
	}
	return map[string]any{"Fn::Sub": s}, true
}

func sameJSON(a, b any) bool {
	var d []string
	diffJSON("", a, b, &d)
	return len(d) == 0
}

func isGetAtt(v any, id string) bool {
	ga := jsonArray(jsonObject(v)["Fn::GetAtt"])
	return len(ga) == 2 && ga[0] == id && ga[1] == "Arn"
}

// diffJSON appends to out one line per difference between two decoded
// JSON values: "<path>: chalc <a>, Chalice <b>".
func diffJSON(path string, a, b any, out *[]string) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range av {
			keys[k] = true
		}
		for k := range bv {
			keys[k] = true
		}
		for _, k := range sortedJSONKeys(keys) {
			p := jsonPathJoin(path, k)
			x, inA := av[k]
			y, inB := bv[k]
			switch {
			case !inB:
				*out = append(*out, fmt.Sprintf("%s: only in chalc: %s", p, compactJSON(x)))
			case !inA:
				*out = append(*out, fmt.Sprintf("%s: only in Chalice: %s", p, compactJSON(y)))
			default:
				diffJSON(p, x, y, out)
			}
		}
		return
	case []any:
		bv, ok := b.([]any)
		if !ok {
			break
		}
		if len(av) != len(bv) {
			*out = append(*out, fmt.Sprintf("%s: chalc %s, Chalice %s", jsonPathOrRoot(path), compactJSON(a), compactJSON(b)))
			return
		}
		for i := range av {
			diffJSON(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i], out)
		}
		return
	default:
		if fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) && a == b {
			return
		}
	}
	*out = append(*out, fmt.Sprintf("%s: chalc %s, Chalice %s", jsonPathOrRoot(path), compactJSON(a), compactJSON(b)))
}

// chaliceTagVersion is the version part of Chalice's aws-chalice tag.
var chaliceTagVersion = regexp.MustCompile(`^version=[0-9.]+:`)

var jsonPlainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func jsonPathJoin(path, key string) string {
	if !jsonPlainKey.MatchString(key) {
		return fmt.Sprintf("%s[%q]", path, key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func jsonPathOrRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}

func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(buf.String())
}

func jsonObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func jsonArray(v any) []any {
	l, _ := v.([]any)
	return l
}

func sortedJSONKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// jsonValue re-decodes v so that both sides hold the same Go types
// (map[string]any, []any, json.Number, string, bool, nil).
func jsonValue(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, b)
}

// readReference reads a reference template and the logical IDs of its
// resources in file order (Chalice's emission order), which the decoded
// map loses.
func readReference(t *testing.T, path string) (map[string]any, []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Resources json.RawMessage }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var order []string
	dec := json.NewDecoder(bytes.NewReader(doc.Resources))
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		default:
			// At depth 1 every value is an object, so strings are keys.
			if s, ok := tok.(string); ok && depth == 1 {
				order = append(order, s)
			}
		}
	}
	return decodeJSON(t, b), order
}

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
