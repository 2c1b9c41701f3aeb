package stages

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/manifest"
)

// layer names, most specific first, as the precedence rule lists them.
var layerNames = []string{"stage_fn", "stage", "top_fn", "top"}

// perFunctionKeys: each key's YAML value at layer i, and how to read the
// resolved value as a string.
var perFunctionKeys = []struct {
	key     string
	value   func(layer int) string
	get     func(*Function) string
	deflt   string
	resolve func(layer int) string // the expected resolved value
}{
	{key: "lambda_memory_size", value: func(i int) string { return fmt.Sprint(256 * (i + 1)) },
		get: func(f *Function) string { return fmt.Sprint(f.MemorySize.V) }, deflt: "128"},
	{key: "lambda_timeout", value: func(i int) string { return fmt.Sprint(10 * (i + 1)) },
		get: func(f *Function) string { return fmt.Sprint(f.Timeout.V) }, deflt: "60"},
	{key: "layers", value: func(i int) string {
		return fmt.Sprintf("[\"arn:aws:lambda:us-east-1:123456789012:layer:l%d:1\"]", i)
	}, resolve: func(i int) string { return fmt.Sprintf("[arn:aws:lambda:us-east-1:123456789012:layer:l%d:1]", i) },
		get: func(f *Function) string { return fmt.Sprint(f.Layers.V) }, deflt: "[]"},
	{key: "reserved_concurrency", value: func(i int) string { return fmt.Sprint(i) },
		get: func(f *Function) string { return fmt.Sprint(f.ReservedConcurrency.V, f.ReservedConcurrency.Set) }, deflt: "0 false",
		resolve: func(i int) string { return fmt.Sprint(i, true) }},
	{key: "subnet_ids", value: func(i int) string { return fmt.Sprintf("[subnet-%d]", i) },
		get: func(f *Function) string { return fmt.Sprint(f.SubnetIDs.V) }, deflt: "[]",
		resolve: func(i int) string { return fmt.Sprintf("[subnet-%d]", i) }},
	{key: "security_group_ids", value: func(i int) string { return fmt.Sprintf("[sg-%d]", i) },
		get: func(f *Function) string { return fmt.Sprint(f.SecurityGroupIDs.V) }, deflt: "[]",
		resolve: func(i int) string { return fmt.Sprintf("[sg-%d]", i) }},
	{key: "manage_iam_role", value: func(i int) string { return fmt.Sprint(i%2 == 1) },
		get: func(f *Function) string { return fmt.Sprint(f.ManageIAMRole.V) }, deflt: "true"},
	{key: "iam_role_arn", value: func(i int) string { return fmt.Sprintf("arn:aws:iam::123456789012:role/r%d", i) },
		get: func(f *Function) string { return f.IAMRoleARN.V }, deflt: ""},
	{key: "autogen_policy", value: func(i int) string { return fmt.Sprint(i%2 == 1) },
		get: func(f *Function) string { return fmt.Sprint(f.AutogenPolicy.V) }, deflt: "true"},
	{key: "iam_policy_file", value: func(i int) string { return fmt.Sprintf("p%d.json", i) },
		get: func(f *Function) string { return f.IAMPolicyFile.V }, deflt: ""},
	{key: "xray", value: func(i int) string { return fmt.Sprint(i%2 == 0) },
		get: func(f *Function) string { return fmt.Sprint(f.XRay.V) }, deflt: "false"},
	{key: "log_retention_in_days", value: func(i int) string { return []string{"1", "3", "5", "7"}[i] },
		get: func(f *Function) string { return fmt.Sprint(f.LogRetentionInDays.V) }, deflt: "0"},
}

// manifestWith writes key: value at the layers in mask (bit i = layer i).
func manifestWith(key string, value func(int) string, mask int) string {
	at := func(i int) string {
		if mask&(1<<i) == 0 {
			return ""
		}
		return key + ": " + value(i)
	}
	var b strings.Builder
	b.WriteString("version: 1\napp_name: t\n")
	if s := at(3); s != "" {
		b.WriteString(s + "\n")
	}
	b.WriteString("lambda_functions:\n  fn:\n")
	if s := at(2); s != "" {
		b.WriteString("    " + s + "\n")
	} else {
		b.WriteString("    {}\n")
	}
	b.WriteString("stages:\n  prod:\n")
	if s := at(1); s != "" {
		b.WriteString("    " + s + "\n")
	}
	b.WriteString("    lambda_functions:\n      fn:\n")
	if s := at(0); s != "" {
		b.WriteString("        " + s + "\n")
	} else {
		b.WriteString("        {}\n")
	}
	return b.String()
}

func decode(t *testing.T, src string) *manifest.Manifest {
	t.Helper()
	set, ds := manifest.Parsed("chalice.yaml", []byte(src))
	if ds.HasErrors() {
		t.Fatalf("parse: %v\n%s", ds, src)
	}
	return set.Decode()
}

// TestPrecedence sets every per-function key at every combination of the
// four layers and checks that the most specific one wins, in the stage
// (prod) and — where the stage layers do not apply — in dev.
func TestPrecedence(t *testing.T) {
	for _, k := range perFunctionKeys {
		for mask := 0; mask < 16; mask++ {
			src := manifestWith(k.key, k.value, mask)
			m := decode(t, src)
			for _, stage := range []string{"prod", "dev"} {
				st, ds := Resolve(m, stage, []string{"fn", "other"})
				if ds.HasErrors() {
					t.Fatal(ds)
				}
				want := k.deflt
				for i := range layerNames {
					if stage == "dev" && i < 2 {
						continue // dev has no stage layers in this manifest
					}
					if mask&(1<<i) != 0 {
						if k.resolve != nil {
							want = k.resolve(i)
						} else {
							want = k.value(i)
						}
						break
					}
				}
				if got := k.get(st.Functions["fn"]); got != want {
					t.Errorf("%s, layers %s, stage %s: got %s, want %s\n%s", k.key, layersOf(mask), stage, got, want, src)
				}
				// "other" has no lambda_functions entries: only top/stage apply.
				wantOther := k.deflt
				for _, i := range []int{1, 3} {
					if stage == "dev" && i == 1 {
						continue
					}
					if mask&(1<<i) != 0 {
						if k.resolve != nil {
							wantOther = k.resolve(i)
						} else {
							wantOther = k.value(i)
						}
						break
					}
				}
				if got := k.get(st.Functions["other"]); got != wantOther {
					t.Errorf("%s for another function, layers %s, stage %s: got %s, want %s", k.key, layersOf(mask), stage, got, wantOther)
				}
			}
		}
	}
}

func layersOf(mask int) string {
	var s []string
	for i, n := range layerNames {
		if mask&(1<<i) != 0 {
			s = append(s, n)
		}
	}
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, "+")
}

// TestFalsyValuesWin: [], 0, false and "" count as set (Chalice's
// "not None" rule).
func TestFalsyValuesWin(t *testing.T) {
	m := decode(t, `version: 1
app_name: t
layers: ["arn:aws:lambda:us-east-1:123456789012:layer:a:1"]
xray: true
reserved_concurrency: 5
stages:
  prod:
    lambda_functions:
      fn:
        layers: []
        xray: false
        reserved_concurrency: 0
`)
	st, _ := Resolve(m, "prod", []string{"fn"})
	f := st.Functions["fn"]
	if len(f.Layers.V) != 0 || !f.Layers.Set {
		t.Errorf("layers: %v (set %v), want [] set", f.Layers.V, f.Layers.Set)
	}
	if f.XRay.V {
		t.Error("xray: want false")
	}
	if f.ReservedConcurrency.V != 0 || !f.ReservedConcurrency.Set {
		t.Errorf("reserved_concurrency = %v set %v, want 0 set", f.ReservedConcurrency.V, f.ReservedConcurrency.Set)
	}
}

// TestMerge: environment_variables and tags merge lowest layer first —
// top, top_fn, stage, stage_fn — the more specific key winning; the
// top-level lambda_functions entry is merged (unlike Chalice).
func TestMerge(t *testing.T) {
	for _, key := range []string{"environment_variables", "tags"} {
		m := decode(t, strings.ReplaceAll(`version: 1
app_name: t
KEY: {A: top, B: top, C: top, D: top}
lambda_functions:
  fn:
    KEY: {B: top_fn, C: top_fn, E: top_fn}
stages:
  prod:
    KEY: {C: stage, D: stage, F: stage}
    lambda_functions:
      fn:
        KEY: {D: stage_fn, G: stage_fn}
`, "KEY", key))
		get := func(f *Function) []KV {
			if key == "tags" {
				return f.Tags
			}
			return f.Environment
		}
		for _, tc := range []struct {
			stage, fn string
			want      map[string]string
		}{
			{"prod", "fn", map[string]string{"A": "top", "B": "top_fn", "C": "stage", "D": "stage_fn", "E": "top_fn", "F": "stage", "G": "stage_fn"}},
			{"prod", "other", map[string]string{"A": "top", "B": "top", "C": "stage", "D": "stage", "F": "stage"}},
			{"dev", "fn", map[string]string{"A": "top", "B": "top_fn", "C": "top_fn", "D": "top", "E": "top_fn"}},
			{"dev", "other", map[string]string{"A": "top", "B": "top", "C": "top", "D": "top"}},
		} {
			st, _ := Resolve(m, tc.stage, []string{"fn", "other"})
			got := map[string]string{}
			for _, kv := range get(st.Functions[tc.fn]) {
				got[kv.Key] = kv.Value
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s %s/%s: got %v, want %v", key, tc.stage, tc.fn, got, tc.want)
			}
		}
	}
}

// TestPerStageKeys: per-stage keys come from the stage, else the top
// level, else Chalice's defaults; log_level defaults to DEBUG with debug.
func TestPerStageKeys(t *testing.T) {
	m := decode(t, `version: 1
app_name: t
api_gateway_stage: top
architecture: arm64
stages:
  prod:
    api_gateway_stage: v1
    api_gateway_endpoint_type: REGIONAL
    debug: true
  qa:
    log_level: INFO
    minimum_compression_size: 0
`)
	cases := []struct {
		stage                         string
		apiStage, endpoint, arch, log string
		debug, compressionSet         bool
	}{
		{"dev", "top", "EDGE", "arm64", "ERROR", false, false},
		{"prod", "v1", "REGIONAL", "arm64", "DEBUG", true, false},
		{"qa", "top", "EDGE", "arm64", "INFO", false, true},
	}
	for _, c := range cases {
		st, ds := Resolve(m, c.stage, nil)
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		got := []any{st.APIGatewayStage.V, st.EndpointType.V, st.Architecture.V, st.LogLevel.V, st.Debug.V, st.MinimumCompressionSize.Set}
		want := []any{c.apiStage, c.endpoint, c.arch, c.log, c.debug, c.compressionSet}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("stage %s: got %v, want %v", c.stage, got, want)
		}
	}
	m2 := decode(t, "version: 1\napp_name: t\n")
	st, _ := Resolve(m2, "dev", []string{"fn"})
	f := st.Functions["fn"]
	if st.APIGatewayStage.V != "api" || st.EndpointType.V != "EDGE" || st.Architecture.V != "x86_64" ||
		f.MemorySize.V != 128 || f.Timeout.V != 60 || !f.ManageIAMRole.V || !f.AutogenPolicy.V || f.XRay.V {
		t.Errorf("defaults wrong: %+v %+v", st, f)
	}
}

// TestUnknownStage: an undeclared stage is an error with a suggestion.
func TestUnknownStage(t *testing.T) {
	m := decode(t, "version: 1\napp_name: t\nstages:\n  prod: {}\n")
	_, ds := Resolve(m, "prd", nil)
	if len(ds) != 1 || ds[0].Message != `unknown stage "prd"` || ds[0].Hints[0] != `did you mean "prod"?` {
		t.Errorf("got %v %v", ds, ds[0].Hints)
	}
}

// TestProvenance: a resolved value points at the line that set it.
func TestProvenance(t *testing.T) {
	m := decode(t, manifestWith("lambda_timeout", func(i int) string { return fmt.Sprint(i + 1) }, 0b0110))
	st, _ := Resolve(m, "prod", []string{"fn"})
	if from := st.Functions["fn"].Timeout.From; from.Start.Line != 8 {
		t.Errorf("lambda_timeout from line %d, want 8 (the stage's value)", from.Start.Line)
	}
}

// TestAnchors: aliases and merge keys resolve before precedence applies.
func TestAnchors(t *testing.T) {
	set, ds := manifest.Load("../testdata/manifests/valid/anchors.yaml")
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	st, _ := Resolve(set.Decode(), "prod", []string{"report", "nightly"})
	n := st.Functions["nightly"]
	if n.MemorySize.V != 256 || n.Timeout.V != 90 {
		t.Errorf("nightly: memory %d timeout %d, want 256 (merged from *small) and 90", n.MemorySize.V, n.Timeout.V)
	}
	if r := st.Functions["report"]; r.Timeout.V != 30 || len(r.Tags) != 1 || r.Tags[0].Value != "web" {
		t.Errorf("report: timeout %d tags %v", r.Timeout.V, r.Tags)
	}
}
