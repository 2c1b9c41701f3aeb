package gocheck

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// TestSDKFlow checks the SDK-call analysis on testdata/flow, one
// exported func per case: what each reaches (calls through the module's
// interfaces, method values, closures, funcs held by vars), the calls it
// cannot follow, and where the resource fields' values come from.
func TestSDKFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a module with the go command")
	}
	dir, err := filepath.Abs("testdata/flow/app")
	if err != nil {
		t.Fatal(err)
	}
	res := check(t, dir, t.TempDir())
	g := res.SDK
	init, initUnres := g.Reach(nil)
	if len(init) != 0 || len(initUnres) != 0 {
		t.Fatalf("package initialization reaches %v %v, want nothing", init, initUnres)
	}
	tests := []struct {
		fn         string
		uses       []string // "svc.Op Field=value..."
		unresolved []string // "kind call svc in"
	}{
		{fn: "ViaInterface", uses: []string{"dynamodb.GetItem TableName=env:TABLE", "s3.HeadObject Bucket=const:cache-bucket"}},
		{fn: "MethodValue", uses: []string{"dynamodb.GetItem TableName=env:TABLE", "s3.HeadObject Bucket=const:cache-bucket"}},
		{fn: "ConcreteMethodValue", uses: []string{"s3.PutObject Bucket=env:BUCKET"}},
		{fn: "Closure", uses: []string{"s3.DeleteObject Bucket=const:const-bucket"}},
		{fn: "ViaVar", uses: []string{"dynamodb.DeleteItem TableName=env:DELETE_TABLE"}},
		{fn: "NotViaVar"},
		{fn: "Unresolved", unresolved: []string{"interface app.Remote.Fetch s3 app.Unresolved"}},
		{fn: "Logs"},
		{fn: "Reflect", uses: []string{"dynamodb.DeleteItem TableName=env:DELETE_TABLE"}, unresolved: []string{"reflect reflect.Value.Call  app.Reflect"}},
		{fn: "Rekognition", uses: []string{"rekognition.DetectLabels Image.S3Object=set Image.S3Object.Bucket=env:PHOTOS"}},
		{fn: "RekognitionBytes", uses: []string{"rekognition.DetectLabels Image.S3Object=absent Image.S3Object.Bucket=absent"}},
		{fn: "TwoSources", uses: []string{"dynamodb.Query TableName=env:T_A,T_B"}},
		{fn: "Computed", uses: []string{"dynamodb.UpdateItem TableName=unknown(it is the result of fmt.Sprintf@app/values.go:25:86)"}},
		{fn: "FieldSetLater", uses: []string{"dynamodb.DescribeTable TableName=const:later"}},
		{fn: "Unset", uses: []string{"dynamodb.Scan TableName=absent"}},
		{fn: "Decoded", uses: []string{"dynamodb.BatchGetItem", "dynamodb.PutItem TableName=unknown(Table: a config is handed by pointer to code chalc does not follow here@app/values.go:49:50)"}},
		{fn: "ThroughPointer", uses: []string{"dynamodb.DeleteTable TableName=unknown(pointed: its address is taken here, and the module writes through a pointer at app/values.go:62:23@app/values.go:66:6)"}},
	}
	for _, tt := range tests {
		uses, unres := g.Reach([]string{gomodel.FuncKey("example.com/flow/app", tt.fn)})
		var got []string
		for _, u := range uses {
			got = append(got, describeUse(t, u, dir))
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.uses) {
			t.Errorf("%s reaches\n  %s\nwant\n  %s", tt.fn, strings.Join(got, "\n  "), strings.Join(tt.uses, "\n  "))
		}
		var gotUnres []string
		for _, u := range unres {
			gotUnres = append(gotUnres, fmt.Sprintf("%s %s %s %s", u.Kind, u.Call, u.Service, u.In))
		}
		if !slices.Equal(gotUnres, tt.unresolved) {
			t.Errorf("%s: unresolved %q, want %q", tt.fn, gotUnres, tt.unresolved)
		}
	}
}

func describeUse(t *testing.T, u *gomodel.SDKUse, dir string) string {
	s := u.Service + "." + u.Op
	var paths []string
	for p := range u.Params {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		v := u.Params[p]
		var val string
		switch {
		case v.Unknown != "":
			at := ""
			if v.At != nil {
				rel, _ := filepath.Rel(filepath.Dir(dir), v.At.File)
				at = fmt.Sprintf("@%s:%d:%d", filepath.ToSlash(rel), v.At.Line, v.At.Col)
			}
			val = "unknown(" + strings.ReplaceAll(v.Unknown, filepath.Dir(dir)+string(filepath.Separator), "") + at + ")"
		case v.Absent:
			val = "absent"
		case len(v.Env) > 0:
			val = "env:" + strings.Join(v.Env, ",")
		case len(v.Const) > 0:
			val = "const:" + strings.Join(v.Const, ",")
		default:
			val = "set"
		}
		s += " " + p + "=" + val
	}
	return s
}
