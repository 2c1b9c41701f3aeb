package main

// The AWS commands: deploy, delete, url and logs. The work is package
// deploy's; this file maps flags to it and its errors to messages and
// exit statuses (1 for AWS failures, 2 for usage errors).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/urfave/cli/v3"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/deploy"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/project"
)

// awsFlags are the flags every AWS command takes.
func awsFlags(stageUsage string) []cli.Flag {
	return []cli.Flag{
		stageFlag(stageUsage),
		&cli.StringFlag{Name: "stack-name", Usage: "the CloudFormation stack (default <app_name>-<stage>, each _ made -)", Validator: validStackName},
		&cli.StringFlag{Name: "profile", Usage: "the AWS profile (default: AWS_PROFILE, else the default chain)"},
		&cli.StringFlag{Name: "region", Usage: "the AWS region (default: AWS_REGION, else the profile's)"},
		&cli.StringFlag{Name: "project", Value: ".", Usage: "the project directory, holding chalice.yaml", TakesFile: true},
	}
}

// timeoutFlag bounds deploy's and delete's AWS work.
func timeoutFlag() cli.Flag {
	return &cli.DurationFlag{Name: "timeout", Value: deploy.DefaultTimeout,
		Usage: "how long the AWS work, waiting for the stack included, may take before chalc stops following it (0: no limit)"}
}

func deployCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "deploy",
		Usage:     "package the app and create or update its CloudFormation stack",
		UsageText: "chalc deploy [--stage S] [--stack-name N] [--bucket B] [--merge-template FILE]... [--timeout 1h] [--profile P] [--region R] [--progress] [--project DIR]",
		Description: "Packages the stage as `chalc package` does, uploads deployment.zip to S3 under its SHA-256\n" +
			"(skipped when already there), then creates or updates the stack <app_name>-<stage> through a\n" +
			"change set (CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND), prints each stack event as it happens and,\n" +
			"at the end, the stack's outputs (EndpointURL first) on stdout. Nothing is kept locally: the\n" +
			"stack is the state. Without --bucket, chalc uses chalc-deploy-<account>-<region>, created\n" +
			"when missing. Credentials and region come from the standard AWS chain. After --timeout\n" +
			"(default 1h, counted once the package is built) chalc stops, says what the stack was doing\n" +
			"and how to follow it, and exits 1.",
		Flags: append(awsFlags("the stage to deploy (default dev)"),
			&cli.StringFlag{Name: "bucket", Usage: "the S3 bucket for the packages (default chalc-deploy-<account>-<region>)"},
			&cli.StringSliceFlag{Name: "merge-template", Usage: "a JSON or YAML template merged onto the generated one (repeatable, applied in order)", TakesFile: true},
			timeoutFlag(),
			progressFlag(),
		),
		Action: func(ctx context.Context, cmd *cli.Command) error { return deployCmd(ctx, cmd, stdout, stderr) },
	}
}

func deleteCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "delete",
		Usage:     "delete the stage's CloudFormation stack",
		UsageText: "chalc delete [--stage S] [--stack-name N] [--timeout 1h] [--profile P] [--region R] [--project DIR]",
		Description: "Deletes the stack and waits, printing its events. A stack that does not exist is not an\n" +
			"error. The packages stay in the S3 bucket.",
		Flags:  append(awsFlags("the stage whose stack to delete (default dev)"), timeoutFlag()),
		Action: func(ctx context.Context, cmd *cli.Command) error { return deleteCmd(ctx, cmd, stdout, stderr) },
	}
}

func urlCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "url",
		Usage:     "print the deployed API's URL (and the websocket URL, and the function URLs)",
		UsageText: "chalc url [--name FUNCTION] [--stage S] [--stack-name N] [--profile P] [--region R] [--project DIR]",
		Description: "Prints the stack's EndpointURL (the REST or HTTP API), WebsocketConnectEndpointURL and\n" +
			"the URL of each function with url:, one a line. --name prints the URL of that function only.",
		Flags: append(awsFlags("the stage (default dev)"),
			&cli.StringFlag{Name: "name", Usage: "a function with a function URL (url:), as named in chalice.yaml: print its URL only"}),
		Action: func(ctx context.Context, cmd *cli.Command) error { return urlCmd(ctx, cmd, stdout, stderr) },
	}
}

func logsCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "logs",
		Usage:     "print a deployed function's CloudWatch Logs",
		UsageText: "chalc logs [--name FUNCTION] [--since 10m] [--follow] [--stage S] [--stack-name N] [--profile P] [--region R] [--project DIR]",
		Description: "Finds the function in the stack and prints its log events, one line each:\n" +
			"<time> <message>. --follow keeps polling until Ctrl-C.",
		Flags: append(awsFlags("the stage (default dev)"),
			&cli.StringFlag{Name: "name", Value: awsfacts.APIHandlerFunctionName, Usage: "the function, as named in chalice.yaml (api_handler is the REST API's)"},
			&cli.StringFlag{Name: "since", Value: "10m", Usage: "how far back: a duration (10m, 2h) or a time (2026-01-02T15:04:05Z)"},
			&cli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Usage: "keep printing new events"},
		),
		Action: func(ctx context.Context, cmd *cli.Command) error { return logsCmd(ctx, cmd, stdout, stderr) },
	}
}

// awsTarget checks the project enough to name its stack (the manifest
// and the stage, not the Go handlers: an unknown stage is a usage error
// before anything else), then loads the AWS configuration, failing
// before any work when credentials or the region are missing.
func awsTarget(ctx context.Context, cmd *cli.Command, stderr io.Writer) (*project.Checked, string, *deploy.Deployer, error) {
	c, stack, err := stackOf(cmd, stderr)
	if err != nil {
		return nil, "", nil, err
	}
	d, err := deployer(ctx, cmd, stderr)
	return c, stack, d, err
}

// stackOf checks the manifest and the stage and names the stack.
func stackOf(cmd *cli.Command, stderr io.Writer) (*project.Checked, string, error) {
	if err := noArgs(cmd); err != nil {
		return nil, "", err
	}
	opts := options(cmd, stderr)
	opts.SkipGo = gomodel.All
	c, err := project.Check(opts)
	var ue *project.UsageError
	switch {
	case errors.As(err, &ue):
		printDiagnostics(stderr, nil, ue.Diagnostics)
		return nil, "", exitCode(exitUsage)
	case err != nil:
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return nil, "", exitCode(exitProblems)
	case c.Diagnostics.HasErrors():
		printDiagnostics(stderr, c.Sources(), c.Diagnostics)
		return nil, "", exitCode(exitProblems)
	}
	if cmd.IsSet("stack-name") {
		return c, cmd.String("stack-name"), nil // checked by validStackName
	}
	stack, d := defaultStack(c)
	if d != nil {
		printDiagnostics(stderr, c.Sources(), diag.Diagnostics{d})
		return nil, "", exitCode(exitUsage)
	}
	return c, stack, nil
}

// defaultStack is the stack of the checked stage when --stack-name is not
// given (compiler.DefaultStackName), or the error at app_name saying why
// CloudFormation would refuse it.
func defaultStack(c *project.Checked) (string, *diag.Diagnostic) {
	stack := compiler.DefaultStackName(c.App.Name, c.App.Stage.Name)
	problem := compiler.StackNameProblem(stack)
	if problem == "" {
		return stack, nil
	}
	return stack, diag.Errorf(diag.StackName, c.App.Manifest.AppName.At(),
		"the default stack name %s, from app_name and stage %s, is not a CloudFormation stack name: %s", stack, c.App.Stage.Name, problem).
		Hint("pass --stack-name NAME (a letter, then letters, digits and hyphens, at most %d characters), or rename the app", awsfacts.MaxStackName)
}

// validStackName checks --stack-name: a name CloudFormation refuses would
// fail only after the package is built and uploaded.
func validStackName(s string) error {
	if problem := compiler.StackNameProblem(s); problem != "" {
		return fmt.Errorf("--stack-name %q is not a CloudFormation stack name: %s", s, problem)
	}
	return nil
}

// deployer loads the AWS configuration (credentials and region checked).
func deployer(ctx context.Context, cmd *cli.Command, stderr io.Writer) (*deploy.Deployer, error) {
	if cmd.Duration("timeout") < 0 {
		return nil, fmt.Errorf("--timeout %s is negative; give a duration (30m, 2h), or 0 to wait as long as it takes", cmd.Duration("timeout"))
	}
	cfg := deploy.Config{Profile: cmd.String("profile"), Region: cmd.String("region")}
	// For tests: the longest wait between two attempts of a request.
	if b, err := time.ParseDuration(os.Getenv("CHALC_RETRY_BACKOFF")); err == nil && b > 0 {
		cfg.MaxBackoff = b
	}
	clients, err := deploy.Load(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		var ne *deploy.NetworkError
		if errors.As(err, &ne) {
			printNetworkError(stderr, ne)
		}
		return nil, exitCode(exitProblems)
	}
	d := &deploy.Deployer{Clients: clients, Log: stderr, Timeout: cmd.Duration("timeout")}
	// For tests and the impatient: how often CloudFormation is polled.
	if p, err := time.ParseDuration(os.Getenv("CHALC_POLL_INTERVAL")); err == nil && p > 0 {
		d.Poll = p
	}
	return d, nil
}

func printNetworkError(stderr io.Writer, ne *deploy.NetworkError) {
	fmt.Fprintf(stderr, "  hint: %s\n", ne.Hint())
	fmt.Fprintf(stderr, "  note: %s\n", ne.Cause())
}

// followCommand is the AWS CLI command that shows the stack's status, for
// an operation chalc stopped following.
func followCommand(cmd *cli.Command, e *deploy.StoppedError) string {
	stack := e.StackName
	if e.Operation == "delete" && e.StackID != "" {
		stack = e.StackID // a deleted stack is found by ID only
	}
	s := "aws cloudformation describe-stacks --stack-name " + stack
	if e.Region != "" {
		s += " --region " + e.Region
	}
	if cmd.IsSet("profile") {
		s += " --profile " + cmd.String("profile")
	}
	return s
}

// again is the command line that reruns chalc with another command on
// the same stack (for hints).
func again(cmd *cli.Command, command string) string {
	s := "chalc " + command
	for _, f := range []string{"project", "stage", "stack-name", "profile", "region"} {
		if cmd.IsSet(f) {
			s += " --" + f + " " + cmd.String(f)
		}
	}
	return s
}

// awsFailure prints an AWS command's failure: the cause on one line, then
// what failed and what to do.
func awsFailure(cmd *cli.Command, stderr io.Writer, err error) error {
	fmt.Fprintf(stderr, "chalc: %v\n", err)
	var (
		fe   *deploy.FailedError
		se   *deploy.StackStateError
		nf   *deploy.StackNotFoundError
		ne   *deploy.NetworkError
		stop *deploy.StoppedError
	)
	switch {
	case errors.As(err, &stop):
		// Never leave the user unsure what the stack is doing.
		for _, s := range stop.State() {
			fmt.Fprintf(stderr, "  note: %s\n", s)
		}
		if errors.As(err, &ne) {
			fmt.Fprintf(stderr, "  note: %s\n", ne.Cause())
		}
		if stop.Progress == deploy.NotStarted {
			break
		}
		fmt.Fprintf(stderr, "  hint: follow it with `%s`", followCommand(cmd, stop))
		if stop.Operation == "deploy" {
			fmt.Fprintf(stderr, "; once it is complete, `%s` prints the outputs", again(cmd, "url"))
		}
		fmt.Fprintln(stderr)
	case errors.As(err, &ne):
		printNetworkError(stderr, ne)
	case errors.As(err, &fe):
		if len(fe.Failed) > 0 {
			fmt.Fprintf(stderr, "  failed resources:\n")
		}
		for _, e := range fe.Failed {
			reason := e.Reason
			if reason == "" {
				reason = "(no reason given)"
			}
			fmt.Fprintf(stderr, "    %s %s (%s): %s\n", e.Status, e.LogicalID, e.Type, reason)
		}
		if fe.NeedsDelete() {
			fmt.Fprintf(stderr, "  hint: a stack whose creation failed cannot be updated; run `%s`, then deploy again\n", again(cmd, "delete"))
		}
	case errors.As(err, &se) && se.NeedsDelete():
		fmt.Fprintf(stderr, "  hint: run `%s`, then `%s`\n", again(cmd, "delete"), again(cmd, "deploy"))
	case errors.As(err, &nf):
		fmt.Fprintf(stderr, "  hint: run `%s` to create it\n", again(cmd, "deploy"))
	}
	return exitCode(exitProblems)
}

func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

func deployCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	_, stack, d, err := awsTarget(ctx, cmd, stderr)
	if err != nil {
		return err
	}
	opts := options(cmd, stderr)
	opts.Templates, opts.MergeTemplates = true, cmd.StringSlice("merge-template")
	say(opts.Progress, "checking chalice.yaml and the Go handlers")
	c, err := check(opts, stderr) // now with the Go handlers
	if err != nil {
		return err
	}
	out, err := os.MkdirTemp("", "chalc-deploy-")
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	defer os.RemoveAll(out)
	p, err := packageReported(ctx, c, project.PackageOptions{Out: out, Format: "json", Deploy: true}, opts, stderr)
	if err != nil {
		return err
	}
	var layer []byte
	if p.LayerPath != "" {
		if layer, err = os.ReadFile(p.LayerPath); err != nil {
			fmt.Fprintf(stderr, "chalc: %v\n", err)
			return exitCode(exitProblems)
		}
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	res, err := d.Deploy(ctx, deploy.Input{App: c.App.Name, StackName: stack, Bucket: cmd.String("bucket"),
		Template: p.Value, Zip: p.Zip, Layer: layer})
	if err != nil {
		return awsFailure(cmd, stderr, err)
	}
	if !res.NoChanges {
		fmt.Fprintf(stderr, "chalc: stack %s is %s\n", res.StackName, res.Status)
	}
	for _, o := range res.Outputs {
		fmt.Fprintf(stdout, "%s: %s\n", o.Key, o.Value)
	}
	return nil
}

func deleteCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	_, stack, d, err := awsTarget(ctx, cmd, stderr)
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	_, err = d.Delete(ctx, stack)
	var nf *deploy.StackNotFoundError
	if errors.As(err, &nf) {
		fmt.Fprintf(stdout, "stack %s does not exist: nothing to delete\n", stack)
		return nil
	}
	if err != nil {
		return awsFailure(cmd, stderr, err)
	}
	fmt.Fprintf(stdout, "deleted stack %s\n", stack)
	return nil
}

func urlCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	c, stack, err := stackOf(cmd, stderr)
	if err != nil {
		return err
	}
	// The function URLs' outputs, <Fn>Url, in registration order.
	var urlKeys []string
	var urlNames []string
	for _, f := range c.App.Functions {
		if f.URL != nil {
			urlKeys = append(urlKeys, awsfacts.FunctionURLID(f.LogicalID))
			urlNames = append(urlNames, f.Name)
		}
	}
	name := cmd.String("name")
	if name != "" {
		i := slices.Index(urlNames, name)
		if i < 0 {
			hint := "the app has no function with url:"
			if len(urlNames) > 0 {
				hint = "the functions with a function URL: " + strings.Join(urlNames, ", ")
			}
			return fmt.Errorf("function %q of app %s has no function URL (url:); %s", name, c.App.Name, hint)
		}
		urlKeys = urlKeys[i : i+1]
	}
	d, err := deployer(ctx, cmd, stderr)
	if err != nil {
		return err
	}
	st, err := d.Stack(ctx, stack)
	if err != nil {
		return awsFailure(cmd, stderr, err)
	}
	outputs := map[string]string{}
	for _, o := range st.Outputs {
		outputs[o.Key] = o.Value
	}
	var keys []string
	if name == "" {
		keys = append(keys, "EndpointURL", "WebsocketConnectEndpointURL")
	}
	printed := false
	for _, k := range append(keys, urlKeys...) {
		if v, ok := outputs[k]; ok {
			fmt.Fprintln(stdout, v)
			printed = true
		}
	}
	switch {
	case !printed && name != "":
		fmt.Fprintf(stderr, "chalc: stack %s (%s) has no %s output: deploy the stage again (`%s`)\n", stack, st.Status, urlKeys[0], again(cmd, "deploy"))
		return exitCode(exitProblems)
	case !printed:
		fmt.Fprintf(stderr, "chalc: stack %s (%s) has no EndpointURL output: the app has no API, websocket API or function URL, or it was never deployed\n", stack, st.Status)
		return exitCode(exitProblems)
	}
	return nil
}

func logsCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	since, err := parseSince(cmd.String("since"), time.Now())
	if err != nil {
		return err
	}
	c, stack, err := stackOf(cmd, stderr)
	if err != nil {
		return err
	}
	name := cmd.String("name")
	id, ok := functionID(c.App, name)
	if !ok {
		return fmt.Errorf("app %s has no function %q; its functions: %s", c.App.Name, name, strings.Join(functionNames(c.App), ", "))
	}
	d, err := deployer(ctx, cmd, stderr)
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	err = d.Logs(ctx, deploy.LogsInput{StackName: stack, LogicalID: id, Since: since, Follow: cmd.Bool("follow"), Out: stdout})
	var rnf *deploy.ResourceNotFoundError
	if errors.As(err, &rnf) {
		fmt.Fprintf(stderr, "chalc: function %s is not in stack %s\n  hint: run `%s` to deploy it\n", name, stack, again(cmd, "deploy"))
		return exitCode(exitProblems)
	}
	if err != nil {
		return awsFailure(cmd, stderr, err)
	}
	return nil
}

// parseSince reads --since: a duration back from now, or a time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q is neither a duration (10m, 2h) nor a time (2026-01-02T15:04:05Z)", s)
}

// functionID is the logical ID of the app's function name.
func functionID(app *compiler.App, name string) (string, bool) {
	if app.APIHandler != nil && app.APIHandler.Name == name {
		return app.APIHandler.LogicalID, true
	}
	for _, f := range app.Functions {
		if f.Name == name {
			return f.LogicalID, true
		}
	}
	return "", false
}

func functionNames(app *compiler.App) []string {
	var names []string
	if app.APIHandler != nil {
		names = append(names, app.APIHandler.Name)
	}
	for _, f := range app.Functions {
		names = append(names, f.Name)
	}
	if len(names) == 0 {
		names = []string{"(none)"}
	}
	return names
}
