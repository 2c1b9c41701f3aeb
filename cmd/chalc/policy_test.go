package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/golden"
	"github.com/chalc-dev/chalc/project"
	"github.com/chalc-dev/chalc/stages"
)

// TestPolicyGoldens runs chalc policy on the example apps that show the
// SDK-call analysis (with their resources.yaml as merge template, as
// package would) in each stage and compares the output with
// golden/<app>/<stage>.policy.txt.
func TestPolicyGoldens(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the apps with the go command")
	}
	cache := t.TempDir()
	for _, name := range []string{"policy", "todo", "unresolved"} {
		dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "apps", name))
		if err != nil {
			t.Fatal(err)
		}
		goldenDir, err := filepath.Abs(filepath.Join("..", "..", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			t.Chdir(dir) // paths as a user in the app's directory sees them
			var merges []string
			if _, err := os.Stat("resources.yaml"); err == nil {
				merges = []string{"resources.yaml"}
			}
			opts := project.Options{Dir: ".", CacheDir: cache, Templates: true, MergeTemplates: merges}
			c, err := project.Check(opts)
			if err != nil || c.App == nil {
				t.Fatalf("%v %v", err, c.Diagnostics)
			}
			for _, st := range stages.Names(c.App.Manifest) {
				opts.Stage = st
				cs, err := project.Check(opts)
				if err != nil || cs.App == nil {
					t.Fatalf("%v %v", err, cs.Diagnostics)
				}
				text, err := policyText(cs)
				if err != nil {
					t.Fatal(err)
				}
				var warnings strings.Builder
				diag.Fprint(&warnings, cs.Sources(), cs.Diagnostics)
				if warnings.Len() > 0 {
					text = "Warnings:\n" + warnings.String() + "\n" + text
				}
				golden.Check(t, filepath.Join(goldenDir, st+".policy.txt"), []byte(text))
			}
		})
	}
}
