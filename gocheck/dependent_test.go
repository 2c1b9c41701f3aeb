package gocheck

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
)

// TestDependentInputPaths checks every entry of awsfacts' dependent-action
// table against the SDK: a module (testdata/dependent's go.mod and go.sum)
// calls each operation, and the analysis must find each input field the
// entry names (When and Resource) in the operation's input type.
func TestDependentInputPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a module with the go command")
	}
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join("testdata", "dependent", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, f), string(b))
	}
	var src strings.Builder
	src.WriteString("package dependent\n\nimport (\n\t\"context\"\n")
	ops := awsfacts.DependentOperations()
	svcs := map[string]bool{}
	for _, op := range ops {
		svc, _, _ := strings.Cut(op, ".")
		svcs[svc] = true
	}
	for _, svc := range slicesSorted(svcs) {
		fmt.Fprintf(&src, "\t\"github.com/aws/aws-sdk-go-v2/service/%s\"\n", svc)
	}
	src.WriteString(")\n")
	for i, op := range ops {
		svc, name, _ := strings.Cut(op, ".")
		fmt.Fprintf(&src, "\nfunc F%d(ctx context.Context, c *%s.Client) { c.%s(ctx, &%s.%sInput{}) }\n", i, svc, name, svc, name)
	}
	writeFile(t, filepath.Join(dir, "dependent.go"), src.String())
	res := check(t, dir, t.TempDir())
	for i, op := range ops {
		svc, name, _ := strings.Cut(op, ".")
		t.Run(op, func(t *testing.T) {
			uses, _ := res.SDK.Reach([]string{gomodel.FuncKey("example.com/dependent", fmt.Sprintf("F%d", i))})
			if len(uses) != 1 || uses[0].Service != svc || uses[0].Op != name {
				t.Fatalf("uses %v, want %s", uses, op)
			}
			for _, d := range awsfacts.DependentActions(svc, name) {
				for _, path := range []string{d.When, d.Resource} {
					if path == "" {
						continue
					}
					if v := uses[0].Params[path]; v == nil || !v.Absent {
						t.Errorf("%s: input field %s not found in %sInput (the analysis saw %v)", op, path, name, v)
					}
				}
			}
		})
	}
}

func slicesSorted(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
