package stages

import (
	"fmt"
	"testing"

	"github.com/chalc-dev/chalc/manifest"
)

// TestStageValues: a configuration value written with placeholders is
// expanded in the environment of the function it belongs to, as merged
// for the stage (a lambda_functions entry of the stage winning), or in
// the stage's own for stage-level values; what does not expand is
// recorded with the function and the stage.
func TestStageValues(t *testing.T) {
	src := `version: 1
app_name: shop
layers: ["arn:aws:lambda:us-east-1:123456789012:layer:${env:LAYER}"]
tags: {stage: "${stage}", app: "${app_name}", owner: "${env:OWNER}"}
environment_variables: {LAYER: "deps:1", OWNER: web}
lambda_functions:
  report: {environment_variables: {LAYER: "report:7"}}
stages:
  prod:
    api_gateway_custom_domain: {domain_name: "api.${env:DOMAIN}", certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/x"}
    environment_variables: {DOMAIN: example.com}
    lambda_functions:
      report: {environment_variables: {OWNER: !Ref Team}}
`
	set, ds := manifest.Parsed("chalice.yaml", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	m := set.Decode()
	for _, c := range []struct {
		stage, fn, layer, tags string
		unresolved             string
	}{
		{"dev", "api_handler", "arn:aws:lambda:us-east-1:123456789012:layer:deps:1", "[dev shop web]", ""},
		{"dev", "report", "arn:aws:lambda:us-east-1:123456789012:layer:report:7", "[dev shop web]", ""},
		{"prod", "report", "arn:aws:lambda:us-east-1:123456789012:layer:report:7", "[prod shop ${env:OWNER}]",
			"${env:OWNER} for report in prod (an intrinsic)"},
	} {
		st, rds := Resolve(m, c.stage, []string{"api_handler", "report"})
		if rds.HasErrors() {
			t.Fatal(rds)
		}
		f := st.Functions[c.fn]
		var tags []string
		for _, kv := range f.Tags {
			tags = append(tags, kv.Value)
		}
		if f.Layers.V[0] != c.layer || fmt.Sprint(tags) != c.tags {
			t.Errorf("%s %s: layer %q tags %v", c.stage, c.fn, f.Layers.V[0], tags)
		}
		var un string
		for _, u := range st.Unresolved {
			un = fmt.Sprintf("%s for %s in %s", u.Part.Written, u.Function, u.Stage)
			if u.Intrinsic != nil {
				un += " (an intrinsic)"
			}
		}
		if un != c.unresolved {
			t.Errorf("%s: unresolved %q, want %q", c.stage, un, c.unresolved)
		}
		if c.stage == "prod" && st.APICustomDomain.DomainName.V != "api.example.com" {
			t.Errorf("domain %q", st.APICustomDomain.DomainName.V)
		}
	}
	// The written values are untouched: every stage expands its own.
	if v := m.Config.Layers.Items[0].V; v != "arn:aws:lambda:us-east-1:123456789012:layer:${env:LAYER}" {
		t.Errorf("the manifest's value changed: %q", v)
	}
}
