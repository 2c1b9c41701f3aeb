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
		UsageText: "chalc policy [--stage S] [--merge-template FILE]... [--project DIR]",
		Description: "For each role: the functions on it and each IAM action their aws-sdk-go-v2 calls need,\n" +
			"with every call that needs it (file:line:col), what it is called on (the input field naming\n" +
			"its resource, and the environment variable or constant it comes from) or why that is \"*\",\n" +
			"and the calls the analysis cannot follow (marked ?); then the roles' policy documents as\n" +
			"JSON, as the template holds them. Give the merge templates the app is packaged with, so\n" +
			"that variables naming their resources (!Ref MusicTable) scope the statements.",
		Flags: []cli.Flag{stageFlag("the stage whose roles to print (default dev)"),
			&cli.StringSliceFlag{Name: "merge-template", Usage: "a template you package with, whose resources environment variables name (repeatable)", TakesFile: true},
			projectFlag},
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
	opts.Templates, opts.MergeTemplates = true, cmd.StringSlice("merge-template")
	c, err := check(opts, stderr)
	if err != nil {
		return err
	}
	text, err := policyText(c)
	if err != nil {
		fmt.Fprintf(stderr, "chalc: %v\n", err)
		return exitCode(exitProblems)
	}
	fmt.Fprint(stdout, text)
	return nil
}

// policyText is what chalc policy prints of a checked app.
func policyText(c *project.Checked) (string, error) {
	roles, err := project.Policy(c)
	if err != nil {
		return "", err
	}
	docs := map[string]any{}
	for _, r := range roles {
		if r.ID != "" {
			docs[r.ID] = r.Documents
		}
	}
	out, err := cfnjson.EncodeJSON(docs, false)
	if err != nil {
		return "", err
	}
	return formatRoles(roles) + "\nPolicy documents:\n" + string(out), nil
}

// formatRoles renders the roles: one line per IAM action and call
// needing it, in aligned columns (the action, where, what is called, and
// what it is called on or why that is "*"), the extra_iam_actions, then
// the calls the analysis cannot follow, marked "?".
func formatRoles(roles []*project.Role) string {
	type row struct{ action, pos, call, why string }
	wa, wp, wc := 0, 0, 0
	rows := make([][]row, len(roles))
	for i, r := range roles {
		for _, a := range r.Actions {
			name := a.Action
			if a.PassedTo != "" {
				name += " (to " + a.PassedTo + ")"
			}
			first := true
			for _, c := range a.Calls {
				x := row{pos: c.Position(), call: c.Call, why: c.Why}
				if c.Resources == nil {
					x.why = "*: " + c.Why
				}
				if first {
					x.action = name
					first = false
				}
				rows[i] = append(rows[i], x)
			}
			if a.Extra {
				x := row{pos: a.ExtraAt.String(), call: "extra_iam_actions", why: "*"}
				if first {
					x.action = name
				}
				rows[i] = append(rows[i], x)
			}
		}
		for _, u := range r.Unresolved {
			rows[i] = append(rows[i], row{action: "?", pos: u.Position(), call: u.Call, why: "in " + u.In + ": " + u.Why})
		}
		for _, x := range rows[i] {
			wa, wp, wc = max(wa, len(x.action)), max(wp, len(x.pos)), max(wc, len(x.call))
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
			fmt.Fprintf(&b, "  %-*s  %-*s  %-*s  %s\n", wa, x.action, wp, x.pos, wc, x.call, x.why)
		}
	}
	return b.String()
}
