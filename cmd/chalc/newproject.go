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

var projectName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// newProject scaffolds NAME/: chalice.yaml, go.mod, a handlers package
// with one route and one pure function, a test using the test client, a
// README and .gitignore. It then generates chalc_gen.go and tidies
// go.mod, so `chalc package out/` and `go test ./...` work with no edits.
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
	progress := progressTo(cmd, stderr)
	req, err := chalcRequirement(ctx, Version(), cmd.String("chalc-source"), progress)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		if cmd.IsSet("chalc-source") {
			return exitCode(exitUsage)
		}
		return exitCode(exitProblems)
	}
	files := map[string]string{
		"chalice.yaml":         strings.ReplaceAll(scaffoldManifest, "NAME", name),
		"chalice.schema.json":  string(schema.JSON()), // for editor completion
		"go.mod":               scaffoldGoMod(name, req),
		"README.md":            scaffoldReadme(name, req),
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
	say(progress, fmt.Sprintf("go mod tidy in %s (the first time, it downloads the modules chalc's runtime uses)", name))
	tidy := exec.CommandContext(ctx, "go", "mod", "tidy")
	tidy.Dir = name
	if out, err := tidy.CombinedOutput(); err != nil {
		fmt.Fprintf(stderr, "chalc: go mod tidy failed in %s:\n%s\n", name, out)
		return exitCode(exitProblems)
	}
	say(progress, "checking chalice.yaml and the Go handlers")
	c, err := check(project.Options{Dir: name}, stderr)
	if err != nil {
		return err
	}
	if _, err := project.Generate(c); err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	fmt.Fprintf(stdout, "created %s/\n", name)
	if req.Replace != "" {
		fmt.Fprintf(stdout, "\n%s/go.mod replaces %s with %s: %s (%s/README.md says how to repoint it)\n",
			name, chalcModule, req.Replace, req.Why, name)
	}
	fmt.Fprintf(stdout, "\n  cd %s\n  go test ./...\n  chalc package out/\n", name)
	return nil
}

// scaffoldGoMod is the new project's go.mod; `go mod tidy` completes it
// (and keeps the comment, which modfile attaches to the replace line).
func scaffoldGoMod(name string, req requirement) string {
	s := fmt.Sprintf("module example.com/%s\n\ngo 1.26\n\nrequire %s %s\n", strings.ToLower(name), chalcModule, req.Version)
	if req.Replace != "" {
		s += fmt.Sprintf("\n// chalc from its source on this machine, not from the module proxy (see\n"+
			"// README.md). The path is absolute: after moving it, or on another machine, run\n"+
			"//   go mod edit -replace %s=/path/to/chalc\n"+
			"replace %s => %s\n", chalcModule, chalcModule, req.Replace)
	}
	return s
}

// scaffoldReadme is the new project's README: the commands, and where
// its chalc comes from when it is a local checkout.
func scaffoldReadme(name string, req requirement) string {
	s := strings.ReplaceAll(readmeCommands, "NAME", name)
	if req.Replace != "" {
		s += fmt.Sprintf(readmeSource, req.Why, chalcModule, req.Replace, chalcModule)
	}
	return s
}

const readmeCommands = "# NAME\n\n" +
	"A chalc app: `chalice.yaml` declares the routes and functions, `app/` holds the Go\n" +
	"handlers they name.\n\n" +
	"```\n" +
	"go test ./...          # the handlers, run as Lambda and API Gateway would\n" +
	"go generate ./...      # rewrite app/chalc_gen.go after changing chalice.yaml (chalc generate)\n" +
	"chalc validate         # check chalice.yaml and the handlers' signatures\n" +
	"chalc local            # the REST API on http://127.0.0.1:8000\n" +
	"chalc package out/     # out/sam.json (the SAM template) and out/deployment.zip\n" +
	"chalc deploy           # or package and deploy in one step\n" +
	"```\n"

const readmeSource = "\n## chalc's source\n\n" +
	"`go.mod` requires chalc from a checkout on this machine, not from the module proxy\n" +
	"(%s):\n\n" +
	"```\nreplace %s => %s\n```\n\n" +
	"The path is absolute. After moving that checkout, or on another machine, point the\n" +
	"project at a chalc checkout there:\n\n" +
	"```\ngo mod edit -replace %s=/path/to/chalc\ngo mod tidy\n```\n\n" +
	"(`chalc new-project --chalc-source DIR NAME` names the checkout for a new project.)\n"

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

// chalc_gen.go (func App) is generated from ../chalice.yaml: after
// changing it, run ` + "`go generate ./...`" + ` (chalc must be on PATH).
//
//go:generate chalc generate --project ..

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
