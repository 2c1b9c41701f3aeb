package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/internal/fakeaws"
)

// TestAWSExitStatus pins the AWS commands' exit statuses (testscript
// only tells success from failure): 2 for usage errors, an unknown stage
// included; 1 for AWS failures and missing configuration.
func TestAWSExitStatus(t *testing.T) {
	dir := t.TempDir()
	manifest := "version: 1\napp_name: hello\nhandlers: ./app\nroutes:\n  /:\n    GET: Index\nstages:\n  prod: {}\n"
	if err := os.WriteFile(filepath.Join(dir, "chalice.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := fakeaws.New(fakeaws.Options{})
	defer srv.Close()
	srv.AddStack(fakeaws.StackInfo{Name: "hello-prod", Status: "CREATE_COMPLETE",
		Outputs: map[string]string{"EndpointURL": "https://x/api/"}})
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	t.Setenv("AWS_REGION", "us-east-1")

	for _, tc := range []struct {
		name   string
		creds  bool
		args   []string
		status int
		stderr string // a line of stderr
		stdout string
		before func() // e.g. make the fake misbehave
	}{
		{"deploy unknown stage", true, []string{"deploy", "--stage", "prd"}, 2, `error: unknown stage "prd"`, "", nil},
		{"delete unknown stage", true, []string{"delete", "--stage", "prd"}, 2, `error: unknown stage "prd"`, "", nil},
		{"url unknown stage", true, []string{"url", "--stage", "prd"}, 2, `error: unknown stage "prd"`, "", nil},
		{"logs unknown stage", true, []string{"logs", "--stage", "prd"}, 2, `error: unknown stage "prd"`, "", nil},
		{"unknown stage before credentials", false, []string{"url", "--stage", "prd"}, 2, `error: unknown stage "prd"`, "", nil},
		{"argument", true, []string{"deploy", "out"}, 2, `chalc: deploy takes no arguments, got "out"`, "", nil},
		{"logs unknown function", true, []string{"logs", "--name", "nope"}, 2, `chalc: app hello has no function "nope"; its functions: api_handler`, "", nil},
		{"logs bad since", true, []string{"logs", "--since", "yesterday"}, 2, `chalc: --since "yesterday" is neither a duration (10m, 2h) nor a time (2026-01-02T15:04:05Z)`, "", nil},
		{"no credentials", false, []string{"url"}, 1, "chalc: no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`", "", nil},
		{"no credentials deploy", false, []string{"deploy"}, 1, "chalc: no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`", "", nil},
		{"no stack", true, []string{"url"}, 1, "chalc: stack hello-dev does not exist", "", nil},
		{"no stack hint", true, []string{"url", "--stage", "dev"}, 1, "  hint: run `chalc deploy --project " + dir + " --stage dev` to create it", "", nil},
		{"url", true, []string{"url", "--stage", "prod"}, 0, "", "https://x/api/\n", nil},
		{"delete nothing", true, []string{"delete"}, 0, "", "stack hello-dev does not exist: nothing to delete\n", nil},
		{"negative timeout", true, []string{"delete", "--timeout", "-1s"}, 2, "chalc: --timeout -1s is negative; give a duration (30m, 2h), or 0 to wait as long as it takes", "", nil},
		{"timed out", true, []string{"delete", "--stage", "prod", "--timeout", "1s"}, 1,
			"chalc: stopped following the delete of stack hello-prod: timed out after 1s waiting for CloudFormation DeleteStack", "",
			func() { srv.Inject("cloudformation.DeleteStack", fakeaws.Freeze, 0, 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.creds {
				t.Setenv("AWS_ACCESS_KEY_ID", "AKIDCHALCTEST")
				t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			} else {
				t.Setenv("AWS_ACCESS_KEY_ID", "")
				os.Unsetenv("AWS_ACCESS_KEY_ID")
				t.Setenv("AWS_SECRET_ACCESS_KEY", "")
				os.Unsetenv("AWS_SECRET_ACCESS_KEY")
			}
			if tc.before != nil {
				tc.before()
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"chalc", tc.args[0], "--project", dir}, tc.args[1:]...)
			start := time.Now()
			status := Main(args, &stdout, &stderr)
			if status != tc.status {
				t.Errorf("exit %d, want %d\nstderr:\n%s", status, tc.status, stderr.String())
			}
			if tc.stderr != "" && !strings.Contains("\n"+stderr.String(), "\n"+tc.stderr+"\n") {
				t.Errorf("stderr:\n%s\nwant the line\n%s", stderr.String(), tc.stderr)
			}
			if stdout.String() != tc.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tc.stdout)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "app", "chalc_gen.go")); err == nil {
		t.Error("a failed AWS command generated code")
	}
}
