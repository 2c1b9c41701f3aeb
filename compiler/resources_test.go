package compiler

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
	"github.com/chalc-dev/chalc/manifest"
)

// fakeGo answers the Go check with a package of pure-lambda handlers
// (func(ctx, name string) (string, error)) named by handlers and an SDK
// graph in which handler h makes uses[h] and unresolved[h].
func fakeGo(uses map[string][]*gomodel.SDKUse, unresolved map[string][]*gomodel.SDKUnresolved) func(gomodel.Request) (*gomodel.Result, diag.Diagnostics) {
	return func(req gomodel.Request) (*gomodel.Result, diag.Diagnostics) {
		pkg := &gomodel.Package{ImportPath: "example.com/x/app", Name: "app", Funcs: map[string]*gomodel.Func{}}
		g := &gomodel.SDKGraph{Nodes: map[string]*gomodel.SDKNode{}}
		names := map[string]bool{}
		for h := range uses {
			names[h] = true
		}
		for h := range unresolved {
			names[h] = true
		}
		for h := range names {
			pkg.Funcs[h] = &gomodel.Func{Name: h, Params: []string{"context.Context", "string"}, ParamNames: []string{"ctx", "name"},
				Results: []string{"string", "error"}, Signature: "func(ctx context.Context, name string) (string, error)"}
			g.Nodes[gomodel.FuncKey(pkg.ImportPath, h)] = &gomodel.SDKNode{Uses: uses[h], Unresolved: unresolved[h]}
		}
		res := &gomodel.Result{Packages: make([]*gomodel.Package, len(req.Packages)), SDK: g}
		for i := range req.Packages {
			res.Packages[i] = pkg
		}
		return res, nil
	}
}

func compileWith(t *testing.T, src string, templates map[string]any, goCheck func(gomodel.Request) (*gomodel.Result, diag.Diagnostics)) (*App, diag.Diagnostics) {
	t.Helper()
	set, pds := manifest.Parsed("chalice.yaml", []byte(src))
	if pds.HasErrors() {
		t.Fatal(pds)
	}
	opts := Options{Go: gomodel.Handlers | gomodel.SDKCalls, GoCheck: goCheck}
	if templates != nil {
		opts.Templates = &MergeTemplates{Value: templates, Names: []string{"resources.yaml"}, KeyAt: func(...string) diag.Range { return diag.Range{} }}
	}
	return Compile(set, opts)
}

func use(svc, op string, line int, params map[string]*gomodel.SDKValue) *gomodel.SDKUse {
	return &gomodel.SDKUse{Service: svc, Op: op, Call: svc + ".Client." + op, File: "/p/app/app.go", Line: line, Col: 2, Params: params}
}

func env(names ...string) *gomodel.SDKValue { return &gomodel.SDKValue{Env: names} }

// describeSDK writes a function's actions: "action resources | why".
func describeSDK(f *Function) []string {
	var out []string
	for _, a := range f.SDK {
		res := "*"
		if a.Resources != nil {
			res = strings.Join(a.Resources, ",")
		}
		if a.PassedTo != "" {
			res += " to " + a.PassedTo
		}
		var whys []string
		for _, c := range a.Calls {
			whys = append(whys, c.Why)
		}
		if a.Extra {
			whys = append(whys, "extra")
		}
		out = append(out, a.Action+" "+res+" | "+strings.Join(whys, "; "))
	}
	return out
}

func byName(app *App) map[string]*Function {
	m := map[string]*Function{}
	for _, f := range app.Functions {
		m[f.Name] = f
	}
	return m
}

// TestSDKResources: the resources of each function's actions come from
// its own environment, so functions calling the same operations on
// different tables get different roles.
func TestSDKResources(t *testing.T) {
	src := `version: 1
app_name: res
handlers: ./app
functions:
  a: {handler: Get}
  b: {handler: Get}
  c: {handler: Get}
  refd: {handler: Get}
  ssm: {handler: Param}
  photo: {handler: Photo}
  bytes: {handler: Bytes}
environment_variables: {TABLE: one}
lambda_functions:
  b: {environment_variables: {TABLE: two}}
  refd: {environment_variables: {TABLE: !Ref Music}}
`
	uses := map[string][]*gomodel.SDKUse{
		"Get":   {use("dynamodb", "GetItem", 10, map[string]*gomodel.SDKValue{"TableName": env("TABLE")})},
		"Param": {use("ssm", "GetParameter", 20, map[string]*gomodel.SDKValue{"Name": {Unknown: "it is the result of fmt.Sprintf", At: &gomodel.SDKPos{File: "/p/app/app.go", Line: 19, Col: 3}}})},
		"Photo": {use("rekognition", "DetectLabels", 30, map[string]*gomodel.SDKValue{"Image.S3Object": {}, "Image.S3Object.Bucket": {Const: []string{"photos"}}})},
		"Bytes": {use("rekognition", "DetectLabels", 40, map[string]*gomodel.SDKValue{"Image.S3Object": {Absent: true}, "Image.S3Object.Bucket": {Absent: true}})},
	}
	tmpl := map[string]any{"Resources": map[string]any{"Music": map[string]any{"Type": "AWS::DynamoDB::Table"}}}
	app, ds := compileWith(t, src, tmpl, fakeGo(uses, nil))
	if app == nil || len(ds) > 0 {
		t.Fatal(ds)
	}
	fns := byName(app)
	const table = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"
	want := map[string][]string{
		"a":    {"dynamodb:GetItem " + table + "one," + table + "one/index/* | TableName = $TABLE (\"one\")"},
		"b":    {"dynamodb:GetItem " + table + "two," + table + "two/index/* | TableName = $TABLE (\"two\")"},
		"c":    {"dynamodb:GetItem " + table + "one," + table + "one/index/* | TableName = $TABLE (\"one\")"},
		"refd": {"dynamodb:GetItem " + table + "${Music}," + table + "${Music}/index/* | TableName = $TABLE (!Ref Music)"},
		"ssm":  {"ssm:GetParameter * | Name: it is the result of fmt.Sprintf (/p/app/app.go:19:3)"},
		"photo": {
			"rekognition:DetectLabels * | the operation names no resource chalc scopes",
			"s3:GetObject arn:${AWS::Partition}:s3:::photos,arn:${AWS::Partition}:s3:::photos/* | Rekognition reads the S3 object Image.S3Object names with the caller's permissions; Image.S3Object.Bucket = \"photos\"",
		},
		"bytes": {"rekognition:DetectLabels * | the operation names no resource chalc scopes"},
	}
	for name, w := range want {
		if got := describeSDK(fns[name]); !slices.Equal(got, w) {
			t.Errorf("%s:\n got %q\nwant %q", name, got, w)
		}
	}
	if fns["a"].Role != fns["c"].Role || fns["a"].Role == fns["b"].Role || fns["refd"].Role == fns["a"].Role {
		t.Errorf("roles: a %s, b %s, c %s, refd %s", fns["a"].Role, fns["b"].Role, fns["c"].Role, fns["refd"].Role)
	}

	// Without the merge templates, or naming what is not a table, the
	// statement stays on "*" and says why.
	for _, tt := range []struct {
		tmpl map[string]any
		why  string
	}{
		{nil, "TableName: $TABLE is !Ref Music, and the merge templates are not known (give them with --merge-template)"},
		{map[string]any{"Resources": map[string]any{"Music": map[string]any{"Type": "AWS::S3::Bucket"}}}, "TableName: $TABLE: !Ref Music (AWS::S3::Bucket) is not a table chalc knows"},
	} {
		app, ds := compileWith(t, src, tt.tmpl, fakeGo(uses, nil))
		if app == nil {
			t.Fatal(ds)
		}
		got := describeSDK(byName(app)["refd"])
		if len(got) != 1 || !strings.HasPrefix(got[0], "dynamodb:GetItem * | "+tt.why) {
			t.Errorf("refd: %q, want the reason %q", got, tt.why)
		}
	}
}

// TestSDKUnresolvedWarnings: a call the analysis cannot follow warns once,
// at the call, naming the functions whose role may lack actions; a
// function whose extra_iam_actions name the call's service is not named.
func TestSDKUnresolvedWarnings(t *testing.T) {
	src := `version: 1
app_name: unres
handlers: ./app
functions:
  a: {handler: Get}
  b: {handler: Get}
  c: {handler: Get}
  d: {handler: Reflect}
  own: {handler: Get}
lambda_functions:
  b: {extra_iam_actions: ["dynamodb:GetItem"]}
  c: {extra_iam_actions: ["s3:GetObject"]}
  d: {extra_iam_actions: ["s3:GetObject"]}
  own: {manage_iam_role: false, iam_role_arn: "arn:aws:iam::123456789012:role/own", extra_iam_actions: ["s3:GetObject"]}
`
	unres := map[string][]*gomodel.SDKUnresolved{
		"Get":     {{Kind: gomodel.UnresolvedInterface, Call: "app.DB.Get", Service: "dynamodb", In: "app.Get", File: "/p/app/app.go", Line: 7, Col: 9}},
		"Reflect": {{Kind: gomodel.UnresolvedReflect, Call: "reflect.Value.Call", In: "app.Reflect", File: "/p/app/app.go", Line: 12, Col: 4}},
	}
	app, ds := compileWith(t, src, nil, fakeGo(nil, unres))
	var got []string
	for _, d := range ds {
		line := fmt.Sprintf("%s %s: %s", d.Code, d.Subject, d.Message)
		for _, h := range d.Hints {
			line += " | " + h
		}
		got = append(got, line)
	}
	want := []string{
		"sdk-unresolved /p/app/app.go:7:9: chalc cannot tell which AWS SDK operations app.DB.Get reaches (in app.Get), so the role of functions a, c may lack actions they need" +
			" | no type of the module implements app.DB, and its methods use dynamodb types: its implementation is elsewhere" +
			" | list the actions it needs in extra_iam_actions (e.g. [dynamodb:<Action>]) under lambda_functions.a, or set autogen_policy: false and iam_policy_file",
		"extra-iam-actions-unused chalice.yaml:14:104: extra_iam_actions has no effect on function own: its role is iam_role_arn, which chalc does not manage" +
			" | put the actions in that policy, or set extra_iam_actions only where autogen_policy is true",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n got %q\nwant %q", got, want)
	}
	if app != nil {
		fns := byName(app)
		if len(fns["d"].SDKUnresolved) != 1 || fns["d"].SDKUnresolved[0].Why != "chalc does not follow calls made through reflection" {
			t.Errorf("d's unresolved calls: %+v", fns["d"].SDKUnresolved)
		}
		if got := describeSDK(fns["b"]); !slices.Equal(got, []string{"dynamodb:GetItem * | extra"}) {
			t.Errorf("b: %q", got)
		}
	}
}

// TestRolePolicySize: a role whose policies would pass IAM's limit is an
// error at its first function.
func TestRolePolicySize(t *testing.T) {
	var uses []*gomodel.SDKUse
	for i := range 120 {
		uses = append(uses, use("dynamodb", fmt.Sprintf("Op%03d", i), i+1, map[string]*gomodel.SDKValue{"TableName": {Const: []string{fmt.Sprintf("table-%03d", i)}}}))
	}
	src := "version: 1\napp_name: big\nhandlers: ./app\nfunctions:\n  big: {handler: Big}\n  small: {handler: Small}\n"
	app, ds := compileWith(t, src, nil, fakeGo(map[string][]*gomodel.SDKUse{"Big": uses, "Small": uses[:10]}, nil))
	if app != nil || len(ds) != 1 || ds[0].Code != diag.RolePolicySize || !strings.Contains(ds[0].Message, "the generated role DefaultRole of function big would hold about") {
		t.Fatalf("diagnostics: %v", ds)
	}
	if n := estimatePolicies([]*Function{{SDK: []*SDKAction{{Action: "s3:GetObject"}}}}); n > 2000 {
		t.Errorf("one action estimated at %d characters", n)
	}
}
