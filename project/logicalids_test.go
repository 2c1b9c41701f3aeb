package project

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/sam"
	"github.com/chalc-dev/chalc/stages"
)

// TestParityLogicalIDs compares every logical ID of each Chalice
// reference case (resources, the event entries of each function, outputs)
// with the port's: a stack moved from Chalice to chalc must keep every
// resource. The only differences allowed are the documented ones
// (docs/decisions.md), listed in chalcOnlyIDs.
func TestParityLogicalIDs(t *testing.T) {
	for _, pc := range parityCases {
		t.Run(pc.app, func(t *testing.T) {
			c, err := Check(Options{Dir: filepath.Join("..", "testdata", "apps", pc.app), CacheDir: testCache(t)})
			if err != nil || c.App == nil || c.Diagnostics.HasErrors() {
				t.Fatalf("the port does not compile: %v %v", err, c.Diagnostics)
			}
			v, err := sam.Generate(c.App)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := readReference(t, filepath.Join("..", "testdata", "chalice-reference", pc.ref, "sam.json"))
			got := templateIDs(jsonValue(t, v))
			ref := templateIDs(want)
			for id := range got {
				if !ref[id] && !chalcOnlyID(id) {
					t.Errorf("%s: only in chalc", id)
				}
			}
			for id := range ref {
				if !got[id] {
					t.Errorf("%s: only in Chalice", id)
				}
			}
		})
	}
}

// chalcOnlyID reports the logical IDs chalc adds on purpose:
// <Role>LogPolicy holds a generated role's logs statement, scoped to its
// functions' log groups (outside the role: inside, it would be a cycle).
func chalcOnlyID(id string) bool {
	rest, ok := strings.CutPrefix(id, "Resources.")
	return ok && strings.HasSuffix(rest, "RoleLogPolicy") && !strings.Contains(rest, ".")
}

// templateIDs lists a template's logical IDs: Resources.<id>,
// Resources.<fn>.Events.<id>, Outputs.<id>.
func templateIDs(tmpl map[string]any) map[string]bool {
	ids := map[string]bool{}
	for id, r := range jsonObject(tmpl["Resources"]) {
		ids["Resources."+id] = true
		for ev := range jsonObject(jsonObject(jsonObject(r)["Properties"])["Events"]) {
			ids["Resources."+id+".Events."+ev] = true
		}
	}
	for id := range jsonObject(tmpl["Outputs"]) {
		ids["Outputs."+id] = true
	}
	return ids
}

// TestChaliceLogicalIDs checks, in every example app, the IDs of each
// resource Chalice would also generate for the same functions against
// Chalice's rule (SEMANTICS: to_cfn_resource_name of the internal
// resource name), computed here independently of awsfacts. Documented
// exceptions: the API handler is APIHandler (Chalice renames ApiHandler
// too) and its log group APIHandlerLogGroup (Chalice's ApiHandlerLogGroup
// names the function as ${ApiHandler}, which dangles after that rename, so
// no Chalice stack has it); a generated role other than DefaultRole is
// chalc's (one per group of functions calling the same AWS operations).
func TestChaliceLogicalIDs(t *testing.T) {
	apps, err := filepath.Glob("../testdata/apps/*/chalice.yaml")
	if err != nil || len(apps) == 0 {
		t.Fatalf("no example apps found: %v", err)
	}
	for _, m := range apps {
		dir := filepath.Dir(m)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			c, err := Check(Options{Dir: dir, CacheDir: testCache(t)})
			if err != nil || c.App == nil || c.Diagnostics.HasErrors() {
				t.Fatalf("does not compile: %v %v", err, c.Diagnostics)
			}
			for _, st := range stages.Names(c.App.Manifest) {
				t.Run(st, func(t *testing.T) {
					cs, err := Check(Options{Dir: dir, Stage: st, CacheDir: testCache(t)})
					if err != nil || cs.App == nil || cs.Diagnostics.HasErrors() {
						t.Fatalf("stage %s does not compile: %v %v", st, err, cs.Diagnostics)
					}
					checkChaliceIDs(t, cs.App)
				})
			}
		})
	}
}

func checkChaliceIDs(t *testing.T, app *compiler.App) {
	t.Helper()
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	have := templateIDs(jsonValue(t, v))
	var want []string
	fns := app.Functions
	if app.APIHandler != nil {
		fns = append([]*compiler.Function{app.APIHandler}, fns...)
	}
	for _, f := range fns {
		fnID := chaliceCfnName(f.Name)
		if f.Kind == compiler.FuncAPI {
			fnID = "APIHandler"
		}
		want = append(want, "Resources."+fnID)
		cfg := f.Config
		if cfg.ManageIAMRole.V && !cfg.AutogenPolicy.V {
			want = append(want, "Resources."+chaliceCfnName(f.Name+"_role"))
		}
		if cfg.LogRetentionInDays.Set && f.Kind != compiler.FuncAPI {
			want = append(want, "Resources."+chaliceCfnName(f.Name+"-log-group"))
		}
		if suffix := chaliceEventSuffix[f.Kind]; suffix != "" {
			want = append(want, "Resources."+fnID+".Events."+chaliceCfnName(f.Name+suffix))
		}
		if f.Kind == compiler.FuncAuthorizer {
			want = append(want, "Resources."+fnID+"InvokePermission")
		}
	}
	sort.Strings(want)
	for _, id := range want {
		if !have[id] {
			t.Errorf("%s: Chalice's logical ID, missing from chalc's template", id)
		}
	}
}

// chaliceEventSuffix is the suffix Chalice adds to a function's name to
// name its event entry (an S3 trigger is not packaged by Chalice).
var chaliceEventSuffix = map[compiler.FunctionKind]string{
	compiler.FuncSchedule:   "-event",
	compiler.FuncCloudWatch: "-event",
	compiler.FuncSNS:        "-sns-subscription",
	compiler.FuncSQS:        "-sqs-event-source",
	compiler.FuncKinesis:    "-kinesis-event-source",
	compiler.FuncDynamoDB:   "-dynamodb-event-source",
}

// chaliceCfnName is Chalice's to_cfn_resource_name as SEMANTICS states
// it: split on "-", drop empty parts, upper-case each part's first
// character and join; the same with "_"; then delete everything outside
// [A-Za-z0-9].
func chaliceCfnName(name string) string {
	for _, sep := range []string{"-", "_"} {
		var parts []string
		for _, p := range strings.Split(name, sep) {
			if p == "" {
				continue
			}
			r := []rune(p)
			r[0] = unicode.ToUpper(r[0])
			parts = append(parts, string(r))
		}
		name = strings.Join(parts, "")
	}
	return strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, name)
}
