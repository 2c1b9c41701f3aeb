package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/urfave/cli/v3"

	"github.com/chalc-dev/chalc/apidoc"
	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/local"
	"github.com/chalc-dev/chalc/project"
	"github.com/chalc-dev/chalc/schema"
)

// Exit statuses.
const (
	exitOK       = 0
	exitProblems = 1 // manifest errors, build failures
	exitUsage    = 2 // bad flags or arguments, unknown stage
)

// exitCode is returned by actions that have already printed their
// problems, so nothing is printed twice.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// Main runs chalc with args (args[0] is the program name) and returns the
// exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	err := app.Run(context.Background(), args)
	// `chalc help packag`: urfave/cli's own wording, "No help topic".
	if topic, ok := strings.CutPrefix(fmt.Sprint(err), "No help topic for '"); ok {
		topic, _, _ = strings.Cut(topic, "'")
		err = unknownCommandError(app, topic)
	}
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "%s: %v\n", ue.cmd, ue.err)
		fmt.Fprintf(stderr, "Run `%s --help` for usage.\n", ue.cmd)
		return exitUsage
	}
	fmt.Fprintf(stderr, "chalc: %v\n", err)
	fmt.Fprintln(stderr, "Run `chalc --help` for usage.")
	return exitUsage
}

// usageError is a command line the parser rejected (an unknown flag, a
// flag without its value), reported on one line with the command's name
// instead of urfave/cli's help page followed by the error.
type usageError struct {
	cmd string // "chalc package"
	err error
}

func (e *usageError) Error() string { return e.cmd + ": " + e.err.Error() }

// onUsageError makes a parse error a usageError, with the flag the user
// probably meant when the flag is unknown.
func onUsageError(_ context.Context, cmd *cli.Command, err error, _ bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		msg = "unknown flag --" + name
		var names []string
		for _, f := range cmd.VisibleFlags() {
			for _, n := range f.Names() {
				if len(n) > 1 {
					names = append(names, n)
				}
			}
		}
		if s := suggest.Closest(name, names); s != "" {
			msg += "; did you mean --" + s + "?"
		}
		err = errors.New(msg)
	}
	// A flag's Validator says what is wrong with the flag itself
	// ("--stage needs a stage name..."): urfave/cli's prefix repeats it.
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if _, why, ok := strings.Cut(rest, ": "); ok && strings.HasPrefix(why, "--") {
			err = errors.New(why)
		}
	}
	return &usageError{cmd: cmd.FullName(), err: err}
}

// unknownCommand is the root's action: with no command it shows the
// help; with an argument that names no command it says so (urfave/cli
// would say "No help topic"), with the command the user probably meant.
func unknownCommand(_ context.Context, cmd *cli.Command) error {
	if cmd.Args().Len() == 0 {
		return cli.ShowRootCommandHelp(cmd)
	}
	return unknownCommandError(cmd, cmd.Args().First())
}

func unknownCommandError(cmd *cli.Command, got string) error {
	var names []string
	for _, c := range cmd.VisibleCommands() {
		names = append(names, c.Names()...)
	}
	msg := fmt.Sprintf("unknown command %q", got)
	if s := suggest.Closest(got, names); s != "" {
		msg += fmt.Sprintf("; did you mean `chalc %s`?", s)
	} else if s := prefixOf(got, names); s != "" {
		msg += fmt.Sprintf("; did you mean `chalc %s`?", s)
	}
	return errors.New(msg)
}

// prefixOf is the only name that starts with got ("" if none or several).
func prefixOf(got string, names []string) string {
	found := ""
	for _, n := range names {
		if strings.HasPrefix(n, got) {
			if found != "" {
				return ""
			}
			found = n
		}
	}
	return found
}

func newApp(stdout, stderr io.Writer) *cli.Command {
	app := commands(stdout, stderr)
	app.Action = unknownCommand
	app.OnUsageError = onUsageError
	for _, c := range app.Commands {
		c.OnUsageError = onUsageError
	}
	return app
}

func commands(stdout, stderr io.Writer) *cli.Command {
	projectFlag := &cli.StringFlag{Name: "project", Value: ".", Usage: "the project directory, holding chalice.yaml", TakesFile: true}
	return &cli.Command{
		Name:      "chalc",
		Usage:     "compile a chalice.yaml serverless app into a SAM template and a Lambda package",
		UsageText: "chalc COMMAND [options]",
		Description: "chalc reads chalice.yaml (routes, functions, event sources, stages) and the Go handlers it names,\n" +
			"checks both, and writes a deployable AWS SAM template plus deployment.zip:\n\n" +
			"   chalc validate                    check the manifest and handlers\n" +
			"   chalc local                       serve the REST API on http://127.0.0.1:8000\n" +
			"   chalc invoke NAME                 run one function on an event (or a sample of its trigger)\n" +
			"   chalc package out/                write out/sam.json and out/deployment.zip\n" +
			"   aws cloudformation package ...    then deploy as the package command prints\n" +
			"   chalc deploy                      or package and deploy in one step (also delete, url, logs)",
		Version:        Version(),
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(context.Context, *cli.Command, error) {},
		Suggest:        true,
		// Global, so every command that loads the project takes it.
		Flags: []cli.Flag{&cli.BoolFlag{Name: "allow-outside-project",
			Usage: "let paths in chalice.yaml (handlers, blueprints, policy files) lead outside the project directory"}},
		Commands: []*cli.Command{
			{
				Name:      "validate",
				Usage:     "check chalice.yaml and the Go handlers it names",
				UsageText: "chalc validate [--stage S] [--merge-template FILE]... [--project DIR]",
				Description: "Reports every problem at once, as file:line:col with the fix. Without --stage the\n" +
					"configuration of every stage is checked. With the merge templates you package with,\n" +
					"what chalice.yaml names in them (bucket_resource, topic_resource..., an environment\n" +
					"variable's !Ref) is checked too.",
				Flags: []cli.Flag{stageFlag("check only this stage's configuration"), projectFlag,
					&cli.StringSliceFlag{Name: "merge-template", Usage: "a template you package with: check what chalice.yaml names in it (repeatable)", TakesFile: true}},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return validate(cmd, stdout, stderr)
				},
			},
			{
				Name:      "generate",
				Usage:     "write chalc_gen.go (func App() *chalice.App) into the handlers package",
				UsageText: "chalc generate [--check] [--project DIR]",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "check", Usage: "do not write; fail if chalc_gen.go is missing or stale (for CI)"},
					projectFlag,
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return generate(cmd, stdout, stderr)
				},
			},
			{
				Name:      "package",
				Usage:     "write OUT/sam.json and OUT/deployment.zip",
				UsageText: "chalc package [--stage S] [--template-format json|yaml] [--merge-template FILE]... [--progress] [--project DIR] OUT",
				Description: "Builds the bootstrap for Lambda and writes the SAM template and the deployment package\n" +
					"into OUT, then prints the aws cloudformation commands that deploy them.",
				Flags: []cli.Flag{
					stageFlag("the stage to package (default dev)"),
					&cli.StringFlag{Name: "template-format", Value: "json", Usage: "json or yaml"},
					&cli.BoolFlag{Name: "compact", Usage: "write minified JSON (written anyway when indented JSON would be over CloudFormation's 1 MB)"},
					&cli.StringSliceFlag{Name: "merge-template", Usage: "a JSON or YAML template merged onto the generated one (repeatable, applied in order)", TakesFile: true},
					progressFlag(),
					projectFlag,
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return packageCmd(ctx, cmd, stdout, stderr)
				},
			},
			policyCommand(stageFlag, projectFlag, stdout, stderr),
			{
				Name:      "generate-models",
				Usage:     "print the REST API's swagger 2.0 (or OpenAPI 3.0.3) document",
				UsageText: "chalc generate-models [--stage S] [--openapi3] [--project DIR] > api.json",
				Description: "Prints the API the template deploys as a swagger 2.0 document, without API Gateway's\n" +
					"x-amazon-apigateway-* extensions and CloudFormation intrinsics. With --openapi3, an OpenAPI 3.0.3\n" +
					"document with the stage's servers, request bodies, error responses and security schemes.",
				Flags: []cli.Flag{
					stageFlag("the stage to describe (default dev)"),
					&cli.BoolFlag{Name: "openapi3", Usage: "print OpenAPI 3.0.3 instead of swagger 2.0"},
					projectFlag,
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return generateModels(cmd, stdout, stderr)
				},
			},
			{
				Name:      "generate-sdk",
				Usage:     "write a JavaScript client of the REST API (with TypeScript typings) into OUT",
				UsageText: "chalc generate-sdk [--stage S] [--sdk-type javascript] [--project DIR] OUT",
				Description: "Writes OUT/apig-client.js (an ES module using the global fetch, one method per route),\n" +
					"OUT/apig-client.d.ts and OUT/README.md, generated from the routes: no deployed API is needed.",
				Flags: []cli.Flag{
					stageFlag("the stage to describe (default dev)"),
					&cli.StringFlag{Name: "sdk-type", Value: "javascript", Usage: "the kind of client: " + strings.Join(apidoc.SDKTypes, ", ")},
					projectFlag,
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return generateSDK(cmd, stdout, stderr)
				},
			},
			{
				Name:      "local",
				Usage:     "serve the REST API on a local HTTP server, rebuilt when the sources change",
				UsageText: "chalc local [--stage S] [--host 127.0.0.1] [--port 8000] [--auth FILE] [--claim NAME=VALUE]... [--principal ID] [--project DIR]",
				Description: "Builds the handlers for this machine and serves the REST API as API Gateway would:\n" +
					"the same routing, CORS preflight, binary bodies, and builtin authorizers (run for real).\n" +
					"The websocket API (if any) is on the same port (ws://HOST:PORT/), and the functions answer\n" +
					"Lambda's Invoke API (POST /2015-03-31/functions/NAME/invocations).\n\n" +
					"iam, cognito_user_pool and custom authorizers run in AWS, not here: their routes run as if\n" +
					"the caller were authorized, with what --auth FILE says each authorizer answers (a JSON object\n" +
					"keyed by authorizer name: {\"users\": {\"claims\": {...}}, \"iam\": {\"identity\": {...}},\n" +
					"\"external\": {\"principalId\": \"p-1\", \"context\": {...}}}), else --claim (Cognito claims) and\n" +
					"--principal (custom authorizers' principalId). api_key_required is not enforced.\n" +
					"The stage's environment variables are applied. Each request is logged to stderr.\n\n" +
					"chalc watches chalice.yaml, its blueprints and the handler packages; on a change it\n" +
					"checks the project again (errors are printed and the running server keeps serving),\n" +
					"rebuilds and restarts the server on the same port. Ctrl-C stops it.",
				Flags: []cli.Flag{
					stageFlag("the stage whose settings and environment to serve (default dev)"),
					&cli.StringFlag{Name: "host", Value: local.DefaultHost, Usage: "the address to listen on (0.0.0.0 for every interface)"},
					&cli.IntFlag{Name: "port", Value: local.DefaultPort, Usage: "the port to listen on (0 picks a free one)"},
					&cli.StringFlag{Name: "auth", Usage: "a JSON file: what each iam, cognito_user_pool or custom authorizer answers, by name", TakesFile: true},
					&cli.StringSliceFlag{Name: "claim", Usage: "NAME=VALUE, a claim of the caller on routes behind cognito_user_pool authorizers (repeatable)"},
					&cli.StringFlag{Name: "principal", Usage: "the principalId custom authorizers answer"},
					projectFlag,
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return localCmd(ctx, cmd, stdout, stderr)
				},
			},
			invokeCommand(stageFlag, projectFlag, stdout, stderr),
			deployCommand(stdout, stderr),
			deleteCommand(stdout, stderr),
			urlCommand(stdout, stderr),
			logsCommand(stdout, stderr),
			{
				Name:      "schema",
				Usage:     "print the JSON Schema of chalice.yaml (for editor completion)",
				UsageText: "chalc schema > chalice.schema.json",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					if cmd.Args().Len() > 0 {
						return fmt.Errorf("schema takes no arguments")
					}
					_, err := stdout.Write(schema.JSON())
					return err
				},
			},
			{
				Name:      "new-project",
				Usage:     "create a new chalc project in directory NAME",
				UsageText: "chalc new-project [--chalc-source DIR] [--progress] NAME",
				Description: "Writes NAME/ with chalice.yaml, go.mod, a handlers package, its test, a README and .gitignore;\n" +
					"`go test ./...` and `chalc package out/` work in it as written. The project requires this\n" +
					"chalc's version when the go command can download it; otherwise (a development build, a\n" +
					"commit nobody pushed) its go.mod replaces chalc with the checkout chalc was built from,\n" +
					"an absolute path: --chalc-source (or CHALC_SOURCE) names another.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "chalc-source", Usage: "a chalc checkout for the project's go.mod to use (default: the one chalc was built from, when its version cannot be downloaded)", TakesFile: true},
					progressFlag(),
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return newProject(ctx, cmd, stdout, stderr)
				},
			},
		},
	}
}

// stageFlag is --stage of every command that takes one. An empty value
// is a mistake (an unset variable in a script: --stage "$STAGE"), not "every
// stage" or the default: a usage error.
func stageFlag(usage string) *cli.StringFlag {
	return &cli.StringFlag{Name: "stage", Usage: usage, Validator: func(s string) error {
		if s == "" {
			return errors.New("--stage needs a stage name, got an empty one (leave the flag out for the default)")
		}
		return nil
	}}
}

// printDiagnostics renders ds on w, with a summary line.
func printDiagnostics(w io.Writer, src diag.Sources, ds diag.Diagnostics) {
	if len(ds) == 0 {
		return
	}
	diag.Fprint(w, src, ds)
	fmt.Fprintf(w, "%s\n", diag.Summary(ds))
}

func options(cmd *cli.Command, stderr io.Writer) project.Options {
	return project.Options{
		Dir:                 cmd.String("project"),
		Stage:               cmd.String("stage"),
		AllowOutsideProject: cmd.Bool("allow-outside-project"),
		Progress:            progressTo(cmd, stderr),
	}
}

// progressFlag is the flag of the commands with slow steps (a build, go
// mod tidy); progressTo reads it. (A new one per command: a flag holds
// its parsed value.)
func progressFlag() cli.Flag {
	return &cli.BoolFlag{Name: "progress", Usage: "say what each slow step does (default: when stderr is a terminal)"}
}

// progressTo returns where cmd's progress lines go: stderr when it is a
// terminal or --progress is given (--progress=false silences a terminal),
// else nil (quiet: logs and scripts get the result, not the steps).
func progressTo(cmd *cli.Command, stderr io.Writer) func(string) {
	on := isTerminal(stderr)
	if cmd.IsSet("progress") {
		on = cmd.Bool("progress")
	}
	if !on {
		return nil
	}
	return func(s string) { fmt.Fprintf(stderr, "chalc: %s\n", s) }
}

// say reports one step to progress, if any.
func say(progress func(string), step string) {
	if progress != nil {
		progress(step)
	}
}

// isTerminal reports whether w is a terminal: a character device other
// than the null device (portable, and enough to tell a person from a log
// file or a pipe).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// check loads and checks the project, printing problems; it returns a
// non-nil error (an exitCode) when the command must stop.
func check(opts project.Options, stderr io.Writer) (*project.Checked, error) {
	c, err := project.Check(opts)
	var ue *project.UsageError
	if errors.As(err, &ue) {
		printDiagnostics(stderr, nil, ue.Diagnostics)
		return nil, exitCode(exitUsage)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return nil, exitCode(exitProblems)
	}
	printDiagnostics(stderr, c.Sources(), c.Diagnostics)
	if c.Diagnostics.HasErrors() {
		return c, exitCode(exitProblems)
	}
	return c, nil
}

// packageReported runs project.Package for package and deploy, printing
// its problems or warnings; the error it returns is the exit code.
func packageReported(ctx context.Context, c *project.Checked, popts project.PackageOptions, opts project.Options, stderr io.Writer) (*project.Packaged, error) {
	p, err := project.Package(ctx, c, popts, opts)
	var probs *project.Problems
	if errors.As(err, &probs) {
		printDiagnostics(stderr, probs.Sources, probs.Diagnostics)
		return nil, exitCode(exitProblems)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return nil, exitCode(exitProblems)
	}
	if p.Warnings != nil {
		printDiagnostics(stderr, p.Warnings.Sources, p.Warnings.Diagnostics)
	}
	return p, nil
}

func noArgs(cmd *cli.Command) error {
	if cmd.Args().Len() > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", cmd.Name, cmd.Args().First())
	}
	return nil
}

func validate(cmd *cli.Command, stdout, stderr io.Writer) error {
	if err := noArgs(cmd); err != nil {
		return err
	}
	opts := options(cmd, stderr)
	opts.AllStages = opts.Stage == ""
	opts.Templates, opts.MergeTemplates = true, cmd.StringSlice("merge-template")
	c, err := check(opts, stderr)
	if err != nil {
		return err
	}
	// A check writes nothing; it says when chalc_gen.go is behind.
	if current, path, err := project.GenerateCheck(c); err == nil && !current {
		fmt.Fprintf(stderr, "chalc: %s is not current: run `chalc generate` (go test and go build use it as it is)\n", diag.DisplayPath(path))
	}
	app := c.App
	var stageNames []string
	for _, s := range app.Stages {
		stageNames = append(stageNames, s.Name)
	}
	checked := "stages " + strings.Join(stageNames, ", ")
	if opts.Stage != "" {
		checked = "stage " + opts.Stage
	}
	fmt.Fprintf(stdout, "%s: ok: app %s, %s, %s (%s)\n", displayManifest(opts.Dir), app.Name,
		count(len(app.Routes), "route"), count(len(app.Functions), "other function"), checked)
	return nil
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func displayManifest(dir string) string {
	return filepath.ToSlash(filepath.Join(dir, project.ManifestName))
}

func generate(cmd *cli.Command, stdout, stderr io.Writer) error {
	if err := noArgs(cmd); err != nil {
		return err
	}
	opts := options(cmd, stderr)
	// chalc_gen.go must exist before `go mod tidy` can record the runtime
	// it imports, and its content does not depend on the module: a module
	// that lacks the runtime does not stop generate.
	opts.SkipGo = gomodel.RuntimeModules
	c, err := check(opts, stderr)
	if err != nil {
		return err
	}
	if cmd.Bool("check") {
		current, path, err := project.GenerateCheck(c)
		if err != nil {
			fmt.Fprintf(stderr, "chalc: %v\n", err)
			return exitCode(exitProblems)
		}
		if !current {
			fmt.Fprintf(stderr, "%s: error: %s is missing or stale\n  hint: run `chalc generate` and commit the result\n", rel(path), filepath.Base(path))
			return exitCode(exitProblems)
		}
		fmt.Fprintf(stdout, "%s is up to date\n", rel(path))
		return nil
	}
	changed, err := project.Generate(c)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	_, path, _ := project.GenerateCheck(c)
	if changed {
		fmt.Fprintf(stdout, "wrote %s\n", rel(path))
	} else {
		fmt.Fprintf(stdout, "%s is up to date\n", rel(path))
	}
	// What chalc_gen.go imports must be in go.mod and go.sum: record it
	// as `go mod tidy` would, and say so.
	changes, err := project.RecordRuntimeModules(context.Background(), c)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	for _, ch := range changes {
		fmt.Fprintf(stdout, "%s\n", ch)
	}
	return nil
}

func packageCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	if cmd.Args().Len() != 1 {
		return fmt.Errorf("package needs one argument, the output directory (e.g. chalc package out/)")
	}
	format := cmd.String("template-format")
	if format != "json" && format != "yaml" {
		return fmt.Errorf("--template-format must be json or yaml, not %q", format)
	}
	if format == "yaml" && cmd.Bool("compact") {
		return fmt.Errorf("--compact writes minified JSON; it does not apply to --template-format yaml")
	}
	out := cmd.Args().First()
	if err := project.CheckOutDir(cmd.String("project"), out); err != nil {
		return &usageError{cmd: cmd.FullName(), err: err}
	}
	opts := options(cmd, stderr)
	opts.Templates, opts.MergeTemplates = true, cmd.StringSlice("merge-template")
	say(opts.Progress, "checking chalice.yaml and the Go handlers")
	c, err := check(opts, stderr)
	if err != nil {
		return err
	}
	p, err := packageReported(ctx, c, project.PackageOptions{Out: out, Format: format, Compact: cmd.Bool("compact")}, opts, stderr)
	if err != nil {
		return err
	}
	if p.Minified {
		fmt.Fprintf(stderr, "chalc: note: wrote %s minified (%d bytes): indented it is %d bytes, over the %d CloudFormation accepts\n",
			filepath.ToSlash(p.TemplatePath), len(p.Template), p.PrettySize, awsfacts.MaxTemplateBytes)
	}
	for _, k := range p.Kept {
		fmt.Fprintf(stderr, "chalc: note: left %s, which is not part of this package: chalc did not write it, or it changed since\n", filepath.ToSlash(k))
	}
	tmpl := filepath.ToSlash(p.TemplatePath)
	packaged := filepath.ToSlash(filepath.Join(out, "packaged."+format))
	if p.LayerPath != "" {
		fmt.Fprintf(stdout, "wrote %s, %s and %s\n\n", tmpl, filepath.ToSlash(p.ZipPath), filepath.ToSlash(p.LayerPath))
	} else {
		fmt.Fprintf(stdout, "wrote %s and %s\n\n", tmpl, filepath.ToSlash(p.ZipPath))
	}
	// The stack chalc deploy would use; when CloudFormation would refuse
	// it (an app_name starting with a digit), a placeholder.
	stack, bad := defaultStack(c)
	if bad != nil {
		stack = "STACK_NAME"
	}
	fmt.Fprintf(stdout, "Deploy with:\n\n")
	fmt.Fprintf(stdout, "  aws cloudformation package --template-file %s --s3-bucket BUCKET --output-template-file %s\n", tmpl, packaged)
	fmt.Fprintf(stdout, "  aws cloudformation deploy --template-file %s --stack-name %s --s3-bucket BUCKET --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND\n",
		packaged, stack)
	return nil
}

func localCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	if err := noArgs(cmd); err != nil {
		return err
	}
	port := cmd.Int("port")
	if port < 0 || port > 65535 {
		return fmt.Errorf("--port must be between 0 and 65535, not %d", port)
	}
	auth := local.Auth{File: cmd.String("auth"), Principal: cmd.String("principal")}
	for _, kv := range cmd.StringSlice("claim") {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return fmt.Errorf("--claim takes NAME=VALUE, not %q", kv)
		}
		if auth.Claims == nil {
			auth.Claims = map[string]string{}
		}
		auth.Claims[name] = value
	}
	ln, err := local.Listen(cmd.String("host"), port)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		var le *local.ListenError
		if errors.As(err, &le) {
			fmt.Fprintf(stderr, "  hint: %s\n", le.Hint())
		}
		return exitCode(exitProblems)
	}
	defer ln.Close()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := options(cmd, stderr)
	err = local.Run(ctx, ln, local.Options{
		Project: opts,
		Stdout:  stdout,
		Stderr:  stderr,
		Report:  func(src diag.Sources, ds diag.Diagnostics) { printDiagnostics(stderr, src, ds) },
		Auth:    auth,
	})
	var ue *project.UsageError
	var ae *local.AuthError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		fmt.Fprintf(stderr, "%v\n", ae)
		if ae.Hint != "" {
			fmt.Fprintf(stderr, "  hint: %s\n", ae.Hint)
		}
		return exitCode(exitProblems)
	case errors.As(err, &ue):
		printDiagnostics(stderr, nil, ue.Diagnostics)
		return exitCode(exitUsage)
	case errors.Is(err, local.ErrProblems):
		return exitCode(exitProblems)
	}
	fmt.Fprintf(stderr, "chalc: %v\n", err)
	return exitCode(exitProblems)
}

func generateModels(cmd *cli.Command, stdout, stderr io.Writer) error {
	if err := noArgs(cmd); err != nil {
		return err
	}
	c, err := check(options(cmd, stderr), stderr)
	if err != nil {
		return err
	}
	doc, err := project.Models(c, cmd.Bool("openapi3"))
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	_, err = stdout.Write(doc)
	return err
}

func generateSDK(cmd *cli.Command, stdout, stderr io.Writer) error {
	if cmd.Args().Len() != 1 {
		return fmt.Errorf("generate-sdk needs one argument, the output directory (e.g. chalc generate-sdk --sdk-type javascript sdk/)")
	}
	if err := apidoc.CheckSDKType(cmd.String("sdk-type")); err != nil {
		return err
	}
	if err := project.CheckOutDir(cmd.String("project"), cmd.Args().First()); err != nil {
		return &usageError{cmd: cmd.FullName(), err: err}
	}
	c, err := check(options(cmd, stderr), stderr)
	if err != nil {
		return err
	}
	paths, err := project.SDK(c, cmd.String("sdk-type"), cmd.Args().First())
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	for i, p := range paths {
		paths[i] = filepath.ToSlash(p)
	}
	fmt.Fprintf(stdout, "wrote %s\n", strings.Join(paths, ", "))
	return nil
}

func rel(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(path)
}
