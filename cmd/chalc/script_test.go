package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/chalc-dev/chalc/internal/golden"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"chalc": func() { os.Exit(Main(os.Args, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the CLI end to end: each testdata/script/*.txtar is a
// scenario (commands, then the files it works on and the output it
// expects). CHALC_UPDATE=1 rewrites expected output inside the archives.
func TestScript(t *testing.T) {
	src, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	for _, k := range []string{"GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN", "GONOSUMDB", "GOPRIVATE", "GOINSECURE", "GONOPROXY"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		goEnv[k] = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       golden.Update(),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			// Scripts point example modules at this checkout
			// (go mod edit -replace ...=$CHALC_SOURCE) and new-project
			// finds it the same way.
			env.Setenv("CHALC_SOURCE", src)
			env.Setenv("CHALC_CACHE", filepath.Join(env.WorkDir, ".cache", "chalc"))
			return nil
		},
	})
}
