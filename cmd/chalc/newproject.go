package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/chalc-dev/chalc/project"
	"github.com/chalc-dev/chalc/schema"
)

const chalcModule = "github.com/chalc-dev/chalc"

var projectName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// newProject scaffolds NAME/: chalice.yaml, go.mod, a handlers package
// with one route and one pure function, a test using the test client, and
// .gitignore. It then generates chalc_gen.go and tidies go.mod, so
// `chalc package out/` and `go test ./...` work with no edits.
func newProject(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	if cmd.Args().Len() != 1 {
		return fmt.Errorf("new-project needs one argument, the project name")
	}
	name := cmd.Args().First()
	if !projectName.MatchString(name) {
		return fmt.Errorf("project name %q may only hold letters, digits, \"_\" and \"-\"", name)
	}
	if _, err := os.Stat(name); err == nil {
		fmt.Fprintf(stderr, "chalc: %s already exists; choose another name or remove it\n", name)
		return exitCode(exitProblems)
	}
	require, replace, err := chalcRequirement()
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	goMod := fmt.Sprintf("module example.com/%s\n\ngo 1.26\n\nrequire %s %s\n", strings.ToLower(name), chalcModule, require)
	if replace != "" {
		goMod += fmt.Sprintf("\n// chalc is not published: use the source chalc was built from.\nreplace %s => %s\n", chalcModule, replace)
	}
	files := map[string]string{
		"chalice.yaml":         strings.ReplaceAll(scaffoldManifest, "NAME", name),
		"chalice.schema.json":  string(schema.JSON()), // for editor completion
		"go.mod":               goMod,
		".gitignore":           "out/\n",
		"app/handlers.go":      scaffoldHandlers,
		"app/handlers_test.go": scaffoldTest,
	}
	for path, content := range files {
		full := filepath.Join(name, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			return err
		}
	}
	tidy := exec.CommandContext(ctx, "go", "mod", "tidy")
	tidy.Dir = name
	if out, err := tidy.CombinedOutput(); err != nil {
		fmt.Fprintf(stderr, "chalc: go mod tidy failed in %s:\n%s\n", name, out)
		return exitCode(exitProblems)
	}
	c, err := check(project.Options{Dir: name}, stderr)
	if err != nil {
		return err
	}
	if _, err := project.Generate(c); err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	fmt.Fprintf(stdout, "created %s/\n\n  cd %s\n  go test ./...\n  chalc package out/\n", name, name)
	return nil
}

// chalcRequirement returns the version of chalc a new project requires and,
// when this chalc is not a published version, the local source to replace
// it with ($CHALC_SOURCE, else the checkout `make build` recorded).
func chalcRequirement() (version, replace string, err error) {
	if v := Version(); v != "dev" {
		return v, "", nil
	}
	src := os.Getenv("CHALC_SOURCE")
	if src == "" {
		src = sourceDir
	}
	if src == "" {
		return "", "", fmt.Errorf("this chalc is a development build and does not know its source; " +
			"set CHALC_SOURCE to the chalc checkout (or build chalc with `make build`)")
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return "", "", err
	}
	if b, err := os.ReadFile(filepath.Join(abs, "go.mod")); err != nil || !strings.Contains(string(b), "module "+chalcModule) {
		return "", "", fmt.Errorf("%s is not the chalc source (no go.mod for %s)", abs, chalcModule)
	}
	return "v0.0.0", abs, nil
}

const scaffoldManifest = `# yaml-language-server: $schema=./chalice.schema.json
version: 1
app_name: NAME
handlers: ./app

routes:
  /:
    GET: Index
  /hello/{name}:
    GET: Hello

functions:
  report:
    handler: Report

architecture: arm64

stages:
  dev:
    environment_variables:
      GREETING: hello
`

const scaffoldHandlers = `// Package app holds the handlers chalice.yaml names.
package app

import (
	"context"
	"os"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Index answers GET /.
func Index() (map[string]string, error) {
	return map[string]string{"hello": "world"}, nil
}

// Hello greets name.
func Hello(req *chalice.Request, name string) (map[string]string, error) {
	if name == "nobody" {
		return nil, &chalice.NotFoundError{Message: "no such person"}
	}
	return map[string]string{"message": os.Getenv("GREETING") + ", " + name}, nil
}

// ReportInput is what the report function is invoked with.
type ReportInput struct {
	Items []int ` + "`json:\"items\"`" + `
}

// Report is a pure Lambda function: it sums the items it is given.
func Report(ctx context.Context, in ReportInput) (map[string]int, error) {
	sum := 0
	for _, n := range in.Items {
		sum += n
	}
	return map[string]int{"sum": sum}, nil
}
`

const scaffoldTest = `package app

import (
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// The test client runs the handlers as Lambda and API Gateway would, with
// the dev stage's environment variables (chalicetest.Stage picks another).

func TestIndex(t *testing.T) {
	c := chalicetest.New(t, App())
	resp := c.HTTP.Get("/")
	if resp.StatusCode != 200 || resp.String() != ` + "`{\"hello\":\"world\"}`" + ` {
		t.Errorf("GET / = %d %s", resp.StatusCode, resp)
	}
}

func TestHello(t *testing.T) {
	c := chalicetest.New(t, App())
	var got map[string]string
	resp := c.HTTP.Get("/hello/Ada")
	if err := resp.JSON(&got); err != nil || got["message"] != "hello, Ada" {
		t.Errorf("GET /hello/Ada = %d %s", resp.StatusCode, resp)
	}
	if resp := c.HTTP.Get("/hello/nobody"); resp.StatusCode != 404 {
		t.Errorf("GET /hello/nobody = %d %s", resp.StatusCode, resp)
	}
}

func TestReport(t *testing.T) {
	c := chalicetest.New(t, App())
	res, err := c.Lambda.Invoke("report", ReportInput{Items: []int{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if res.String() != ` + "`{\"sum\":6}`" + ` {
		t.Errorf("report = %s", res)
	}
}
`
