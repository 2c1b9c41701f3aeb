package sam_test

import (
	"sort"
	"testing"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/sam"
)

// compile checks an in-memory manifest without the Go check: handlers
// are not loaded, so no function has SDK actions and all autogen
// functions are on DefaultRole.
func compile(t *testing.T, yaml string) *compiler.App {
	t.Helper()
	set, ds := manifest.Parsed("chalice.yaml", []byte(yaml))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	app, cds := compiler.Compile(set, compiler.Options{})
	if app == nil {
		t.Fatal(cds)
	}
	return app
}

// resources generates app's template and returns its plain Resources.
func resources(t *testing.T, app *compiler.App) map[string]any {
	t.Helper()
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	return v["Resources"].(map[string]any)
}

func props(t *testing.T, res map[string]any, id string) map[string]any {
	t.Helper()
	r, ok := res[id].(map[string]any)
	if !ok {
		t.Fatalf("no resource %s", id)
	}
	p, _ := r["Properties"].(map[string]any)
	return p
}

func dependsOn(res map[string]any, id string) []string {
	r, _ := res[id].(map[string]any)
	list, _ := r["DependsOn"].([]any)
	var out []string
	for _, e := range list {
		out = append(out, e.(string))
	}
	return out
}

func ofType(res map[string]any, typ string) []string {
	var out []string
	for id, r := range res {
		if r.(map[string]any)["Type"] == typ {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
