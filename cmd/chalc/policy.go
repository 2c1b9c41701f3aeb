package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/urfave/cli/v3"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/project"
)

// policyCommand is `chalc policy`.
func policyCommand(stageFlag func(string) *cli.StringFlag, projectFlag cli.Flag, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "policy",
		Usage:     "print the IAM roles chalc generates, with the source line behind each action",
		UsageText: "chalc policy [--stage S] [--project DIR]",
		Description: "For each role: the functions on it and each IAM action their aws-sdk-go-v2 calls need,\n" +
			"with every call that needs it (file:line:col); then the roles' policy documents as JSON,\n" +
			"as the template holds them. Calls through your own interfaces are not followed: when the\n" +
			"analysis misses one, give the function autogen_policy: false and an iam_policy_file.",
		Flags: []cli.Flag{stageFlag("the stage whose roles to print (default dev)"), projectFlag},
		Action: func(_ context.Context, cmd *cli.Command) error {
			return policyCmd(cmd, stdout, stderr)
		},
	}
}

func policyCmd(cmd *cli.Command, stdout, stderr io.Writer) error {
	if err := noArgs(cmd); err != nil {
		return err
	}
	opts := options(cmd, stderr)
	c, err := check(opts, stderr)
	if err != nil {
		return err
	}
	roles, err := project.Policy(c)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	fmt.Fprint(stdout, formatRoles(roles))
	docs := map[string]any{}
	for _, r := range roles {
		if r.ID != "" {
			docs[r.ID] = r.Documents
		}
	}
	out, err := cfnjson.EncodeJSON(docs, false)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	fmt.Fprintf(stdout, "\nPolicy documents:\n%s", out)
	return nil
}

// formatRoles renders the roles, one action per line with its calls in
// aligned columns.
func formatRoles(roles []*project.Role) string {
	type row struct{ action, pos, call string }
	wa, wp := 0, 0
	rows := make([][]row, len(roles))
	for i, r := range roles {
		for _, a := range r.Actions {
			for j, c := range a.Calls {
				x := row{pos: c.Position(), call: c.Call}
				if j == 0 {
					x.action = a.Action
				}
				wa, wp = max(wa, len(x.action)), max(wp, len(x.pos))
				rows[i] = append(rows[i], x)
			}
		}
	}
	var b strings.Builder
	for i, r := range roles {
		fns := strings.Join(r.Functions, ", ")
		switch {
		case r.ID == "":
			fmt.Fprintf(&b, "%s (%s): iam_role_arn, not managed by chalc\n", r.ARN, fns)
			continue
		case r.PolicyFile != "":
			fmt.Fprintf(&b, "%s (%s): from %s; the analysis found:\n", r.ID, fns, filepath.ToSlash(diag.DisplayPath(r.PolicyFile)))
		default:
			fmt.Fprintf(&b, "%s (%s)\n", r.ID, fns)
		}
		if len(rows[i]) == 0 {
			b.WriteString("  no AWS SDK calls\n")
		}
		for _, x := range rows[i] {
			fmt.Fprintf(&b, "  %-*s  %-*s  %s\n", wa, x.action, wp, x.pos, x.call)
		}
	}
	return b.String()
}
