package docs

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/chalc-dev/chalc"

// goList runs `go list` in the module and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
	}
	return strings.Fields(string(out))
}

// deps are the dependencies of pkgs (a pattern relative to the module).
func deps(t *testing.T, pkgs string) []string {
	return goList(t, "-deps", "-f", "{{.ImportPath}}", "./"+pkgs)
}

// TestImportRules enforces the rules of architecture.md.
func TestImportRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	forbid := func(pkgs string, bad func(dep string) bool, why string) {
		t.Helper()
		for _, d := range deps(t, pkgs) {
			if bad(d) {
				t.Errorf("%s depends on %s: %s", pkgs, d, why)
			}
		}
	}
	own := func(d string) bool { return strings.HasPrefix(d, module+"/") }

	forbid("runtime/...", func(d string) bool {
		return own(d) && !strings.HasPrefix(d, module+"/runtime/") && d != module+"/internal/jsonquote"
	}, "the runtime imports nothing of the compile side")
	forbid("compiler", func(d string) bool {
		return d == "os/exec" || strings.HasPrefix(d, "golang.org/x/tools/") || d == module+"/gocheck"
	}, "the compiler neither loads Go code nor runs the go command")
	forbid("gocheck/...", func(d string) bool { return d == module+"/compiler" }, "gocheck never imports the compiler")
	for _, p := range []string{"deploy", "apidoc"} {
		forbid(p, func(d string) bool { return strings.HasPrefix(d, "github.com/awslabs/goformation") },
			"templates reach it as plain JSON values")
	}
	for _, imp := range goList(t, "-f", `{{join .Imports "\n"}}`, "./cmd/chalc") {
		if strings.HasPrefix(imp, "github.com/awslabs/goformation") || imp == module+"/sam" {
			t.Errorf("cmd/chalc imports %s: the CLI reaches templates through project", imp)
		}
	}
	for _, leaf := range []string{"awsfacts", "diag"} {
		std := goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./"+leaf)
		for _, d := range std {
			if d != module+"/"+leaf {
				t.Errorf("%s depends on %s: it imports only the standard library", leaf, d)
			}
		}
	}
	// Only sam (and the test oracle internal/samschema) imports goformation.
	for _, line := range goList(t, "-f", `{{.ImportPath}}:{{join .Imports ","}}`, "./...") {
		pkg, imps, _ := strings.Cut(line, ":")
		if pkg == module+"/sam" || pkg == module+"/internal/samschema" {
			continue
		}
		if strings.Contains(imps, "github.com/awslabs/goformation") {
			t.Errorf("%s imports goformation; only sam builds goformation templates", pkg)
		}
	}
}
