package compiler

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/gocheck"
	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/golden"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// TestInvalidManifests checks every testdata/manifests/invalid/*.yaml
// against its .golden file: the exact diagnostics chalc prints, every
// stage's configuration checked (as `chalc validate` does). Go handlers
// are type-checked only for the go_* cases, whose handler packages live in
// a directory of the same name (in this module, or in a module of their
// own); every other case is about the manifest alone. A file's first
// comment line says what it tests.
func TestInvalidManifests(t *testing.T) {
	dir, err := filepath.Abs("../testdata/manifests/invalid")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cases, _ := filepath.Glob("*.yaml")
	if len(cases) == 0 {
		t.Fatal("no invalid cases")
	}
	for _, file := range cases {
		name := strings.TrimSuffix(file, ".yaml")
		t.Run(name, func(t *testing.T) {
			got := renderDiagnostics(file, "", strings.HasPrefix(name, "go_"))
			golden.Check(t, filepath.Join(dir, name+".golden"), []byte(got))
			if !strings.Contains(got, ": error: ") {
				t.Errorf("%s is in invalid/ but reports no error:\n%s", file, got)
			}
		})
	}
}

// TestValidManifests: the valid examples compile without diagnostics.
func TestValidManifests(t *testing.T) {
	dir, err := filepath.Abs("../testdata/manifests/valid")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cases, _ := filepath.Glob("*.yaml")
	for _, file := range cases {
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			if got := renderDiagnostics(file, "", false); got != "" {
				t.Errorf("unexpected diagnostics:\n%s", got)
			}
		})
	}
}

// renderDiagnostics loads and compiles a manifest (every stage checked,
// the Go handlers too when goCheck is set, without a cache) and renders
// its diagnostics as the CLI prints them.
func renderDiagnostics(file, stage string, goCheck bool) string {
	set, ds := manifest.Load(file)
	var checks gomodel.Checks
	if goCheck {
		checks = gomodel.Handlers | gomodel.RuntimeModules
	}
	if set.Root != nil && set.Root.Root != nil {
		names := stages.Names(set.Decode())
		_, cds := Compile(set, Options{Stage: stage, CheckStages: names, Go: checks, GoCheck: gocheck.Check})
		ds = append(ds, cds...)
	}
	ds = ds.Sorted()
	for _, d := range ds {
		// Every diagnostic says what kind of problem it is.
		if _, ok := d.Code.Info(); !ok {
			panic(fmt.Sprintf("%s: diagnostic without a catalog code (%q): %s", file, d.Code, d.Error()))
		}
	}
	var b strings.Builder
	diag.Fprint(&b, set.Sources, ds)
	if len(ds) > 0 {
		b.WriteString(diag.Summary(ds) + "\n")
	}
	return b.String()
}
