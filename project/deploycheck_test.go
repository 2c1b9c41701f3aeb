package project

import (
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/sam"
)

// TestCheckTemplateDeploy: a template over CloudFormation's inline limit
// gets the `aws cloudformation deploy --s3-bucket` warning from chalc
// package, whose user runs that command, but not from chalc deploy,
// which uploads such a template itself; its diagnostics do not name
// chalc deploy's temporary directory either.
func TestCheckTemplateDeploy(t *testing.T) {
	set, ds := manifest.Parsed("chalice.yaml", largeManifest(80))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	app, cds := compiler.Compile(set, compiler.Options{})
	if app == nil {
		t.Fatal(cds)
	}
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	pretty, _ := cfnjson.EncodeJSON(v, false)
	compact, _ := cfnjson.EncodeJSON(v, true)
	if len(compact) <= awsfacts.MaxInlineBytes {
		t.Fatalf("the test needs a template over %d bytes compact; it is %d", awsfacts.MaxInlineBytes, len(compact))
	}
	inline := func(ds diag.Diagnostics) bool {
		for _, d := range ds {
			if strings.Contains(d.Message, "takes inline") {
				return true
			}
		}
		return false
	}
	pds := checkTemplate(v, "out/sam.json", len(pretty), len(compact), nil, false)
	if !inline(pds) {
		t.Errorf("chalc package: want the inline-size warning, got\n%s", sizeRender(pds))
	}
	dds := checkTemplate(v, "/tmp/chalc-deploy-1/sam.json", len(pretty), len(compact), nil, true)
	if inline(dds) {
		t.Errorf("chalc deploy: want no inline-size warning, got\n%s", sizeRender(dds))
	}
	for _, d := range dds {
		if strings.Contains(d.Subject.Filename, "chalc-deploy-") {
			t.Errorf("chalc deploy: a diagnostic names the temporary template: %s", sizeRender(diag.Diagnostics{d}))
		}
	}
}
