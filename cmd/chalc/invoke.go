package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v3"

	"github.com/chalc-dev/chalc/internal/userinput"
	"github.com/chalc-dev/chalc/local"
	"github.com/chalc-dev/chalc/project"
)

// maxEvent is the largest event chalc invoke sends: Lambda's limit on a
// synchronous invocation's payload.
const maxEvent = 6 << 20

func invokeCommand(stageFlag func(string) *cli.StringFlag, projectFlag cli.Flag, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "invoke",
		Usage:     "run one function locally on an event and print its result",
		UsageText: "chalc invoke [--event FILE|-] [--stage S] [--progress] [--project DIR] NAME",
		Description: "Runs the function NAME (a key of functions:, an authorizer, websocket_connect/_message/_disconnect)\n" +
			"as Lambda would: built for this machine like `chalc local` (and cached: an unchanged project is\n" +
			"not built again), with the stage's environment variables. The event is the JSON in FILE (- for\n" +
			"standard input), or without --event a sample of the function's trigger in AWS's shape (a schedule\n" +
			"fires; an SQS function gets a batch of two messages from its queue...).\n\n" +
			"The result is printed as JSON on stdout (a batch response for report_batch_item_failures), the\n" +
			"function's logs on stderr. When the function returns an error, Lambda's error payload\n" +
			"{\"errorMessage\", \"errorType\"} is printed on stdout and the exit status is 1.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "event", Usage: "a JSON event file, - for standard input (default: a sample of the function's trigger)", TakesFile: true},
			stageFlag("the stage whose settings and environment to run with (default dev)"),
			progressFlag(),
			projectFlag,
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return invokeCmd(ctx, cmd, stdout, stderr)
		},
	}
}

func invokeCmd(ctx context.Context, cmd *cli.Command, stdout, stderr io.Writer) error {
	if cmd.Args().Len() != 1 {
		return fmt.Errorf("invoke needs one argument, the function's name (e.g. chalc invoke every_hour)")
	}
	name := cmd.Args().First()
	var event []byte
	if path := cmd.String("event"); path != "" {
		var err error
		display := path
		if path == "-" {
			display = "standard input"
			event, err = io.ReadAll(io.LimitReader(os.Stdin, maxEvent+1))
			if err == nil && len(event) > maxEvent {
				err = fmt.Errorf("over %s, Lambda's limit for an event", userinput.Bytes(maxEvent))
			}
		} else {
			event, err = userinput.ReadFile(path, maxEvent)
		}
		if err != nil {
			fmt.Fprintf(stderr, "chalc: reading the event from %s: %v\n", display, err)
			return exitCode(exitProblems)
		}
		if err := local.ValidEvent(event); err != nil {
			fmt.Fprintf(stderr, "%s:%v\n  hint: the event must be one JSON value, as Lambda receives it\n", display, err)
			return exitCode(exitProblems)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := options(cmd, stderr)
	err := local.Invoke(ctx, local.InvokeOptions{Project: opts, Function: name, Event: event, Stdout: stdout, Stderr: stderr},
		func(c *project.Checked) { printDiagnostics(stderr, c.Sources(), c.Diagnostics) })
	var ue *project.UsageError
	var unknown *local.UnknownFunctionError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, local.ErrFunctionFailed), errors.Is(err, local.ErrProblems):
		return exitCode(exitProblems)
	case errors.As(err, &ue):
		printDiagnostics(stderr, nil, ue.Diagnostics)
		return exitCode(exitUsage)
	case errors.As(err, &unknown):
		return &usageError{cmd: cmd.FullName(), err: err}
	}
	fmt.Fprintf(stderr, "chalc: %v\n", err)
	return exitCode(exitProblems)
}
