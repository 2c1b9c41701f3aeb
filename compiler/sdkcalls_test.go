package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/gocheck"
	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// policyAppWant is every IAM action each function of testdata/apps/policy
// needs, with the calls needing it (file:line:col relative to the app, and
// what is called). It pins the analysis: calls in handlers, through an
// interface with an SDK operation's signature, in a method and a func of
// another module-local package (internal/store), in a package the
// handlers reach only through it (internal/notify), through a func value
// (store.Publish passed to withRetry), paginators, a waiter, a presigned
// request, http and sqs middleware, and a package initializer (every
// function's).
var policyAppWant = map[string]struct {
	role  string
	calls []string
}{
	"api_handler": {"DefaultRole", []string{
		"dynamodb:PutItem internal/store/store.go:42:17 dynamodb.Client.PutItem",
		"s3:GetObject app/photos.go:44:24 app.objectHeader.HeadObject",
		"s3:GetObject app/photos.go:47:24 s3.Client.GetObject",
		"s3:ListBucket app/photos.go:29:10 s3.NewListObjectsV2Paginator",
		"s3:PutObject internal/store/store.go:39:20 s3.Client.PutObject",
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
		"sqs:SendMessage app/middleware.go:38:18 sqs.Client.SendMessage",
	}},
	"refresh": {"DefaultRole", []string{
		"dynamodb:PutItem internal/store/store.go:42:17 dynamodb.Client.PutItem",
		"s3:GetObject app/photos.go:44:24 app.objectHeader.HeadObject",
		"s3:GetObject app/photos.go:47:24 s3.Client.GetObject",
		"s3:ListBucket app/photos.go:29:10 s3.NewListObjectsV2Paginator",
		"s3:PutObject internal/store/store.go:39:20 s3.Client.PutObject",
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
		"sqs:SendMessage app/middleware.go:38:18 sqs.Client.SendMessage",
	}},
	"report": {"ReportRole", []string{
		"dynamodb:Query internal/store/store.go:50:16 dynamodb.NewQueryPaginator",
		"s3:GetObject internal/store/store.go:73:40 s3.PresignClient.PresignGetObject",
		"sns:Publish internal/notify/notify.go:17:19 sns.Client.Publish",
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
	}},
	"on_job": {"OnJobRole", []string{
		"dynamodb:DescribeTable app/functions.go:73:16 dynamodb.NewTableExistsWaiter",
		"dynamodb:GetItem app/middleware.go:47:25 dynamodb.Client.GetItem",
		"sqs:DeleteMessage app/functions.go:81:18 sqs.Client.DeleteMessageBatch",
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
	}},
	"ping": {"PingRole", []string{
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
	}},
	// The same handler, so the same operations: ping's role is shared.
	"pong": {"PingRole", []string{
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
	}},
	// A policy-file role: the analysis runs (chalc policy shows it), the
	// role's policy is the file's.
	"audit": {"AuditRole", []string{
		"s3:GetObject app/functions.go:90:24 s3.Client.GetObject",
		"sqs:GetQueueUrl app/middleware.go:21:20 sqs.Client.GetQueueUrl",
	}},
}

// TestSDKActionsPolicyApp compiles testdata/apps/policy (Go check and SDK
// call analysis included) and checks each function's actions, the calls
// behind them and its role; a second compile must come from the cache
// and agree.
func TestSDKActionsPolicyApp(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the app with the go command")
	}
	dir, err := filepath.Abs("../testdata/apps/policy")
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	for run, name := range []string{"cold", "cached"} {
		set, ds := manifest.Load(filepath.Join(dir, "chalice.yaml"))
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		start := time.Now()
		app, ds := Compile(set, Options{CacheDir: cache, Go: gomodel.All, GoCheck: gocheck.Check})
		t.Logf("%s compile: %v", name, time.Since(start))
		if app == nil || len(ds) > 0 {
			var b strings.Builder
			diag.Fprint(&b, set.Sources, ds)
			t.Fatalf("unexpected diagnostics:\n%s", b.String())
		}
		fns := append([]*Function{app.APIHandler}, app.Functions...)
		if len(fns) != len(policyAppWant) {
			t.Errorf("%d functions, want %d", len(fns), len(policyAppWant))
		}
		for _, f := range fns {
			want, ok := policyAppWant[f.Name]
			if !ok {
				t.Errorf("unexpected function %s", f.Name)
				continue
			}
			var got []string
			for _, a := range f.SDK {
				for _, c := range a.Calls {
					rel, err := filepath.Rel(dir, c.File)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, fmt.Sprintf("%s %s:%d:%d %s", a.Action, filepath.ToSlash(rel), c.Line, c.Column, c.Call))
				}
			}
			if !slices.Equal(got, want.calls) {
				t.Errorf("%s (%s run): SDK actions\n got: %s\nwant: %s", f.Name, name, strings.Join(got, "\n      "), strings.Join(want.calls, "\n      "))
			}
			if f.Role != want.role {
				t.Errorf("%s: role %s, want %s", f.Name, f.Role, want.role)
			}
		}
		audit := fns[len(fns)-1]
		if audit.PolicyFile != filepath.Join(dir, "policy-audit.json") || audit.PolicyDocument == nil {
			t.Errorf("audit's policy file not read: %q %v", audit.PolicyFile, audit.PolicyDocument)
		}
		if run == 0 {
			// One entry holds the type-check and the analysis: one load
			// of the module serves both.
			entries, _ := os.ReadDir(filepath.Join(cache, "gocheck"))
			if len(entries) != 1 {
				t.Errorf("the Go check cache holds %d entries, want 1", len(entries))
			}
		}
	}
}

// TestSDKRoleLogicalIDClash: a role of its own is a generated logical ID
// like any other, so a function whose name makes the same ID is an error.
func TestSDKRoleLogicalIDClash(t *testing.T) {
	cfg := func() *stages.Function {
		return &stages.Function{ManageIAMRole: stages.Setting[bool]{V: true}, AutogenPolicy: stages.Setting[bool]{V: true}}
	}
	api := &Function{Name: "api_handler", Kind: FuncAPI, LogicalID: awsfacts.IDAPIHandler, Config: cfg(),
		SDK: []*SDKAction{{Action: "s3:GetObject"}}}
	ping := &Function{Name: "ping", Kind: FuncPure, LogicalID: "Ping", Config: cfg(),
		At: diag.Range{Filename: "chalice.yaml", Start: diag.Pos{Line: 9, Column: 3}}}
	other := &Function{Name: "ping_role_log_policy", Kind: FuncPure, LogicalID: "PingRoleLogPolicy", Config: cfg(),
		SDK: []*SDKAction{{Action: "s3:GetObject"}}}
	c := &checker{app: &App{APIHandler: api, Functions: []*Function{ping, other}}, ids: map[string]idOwner{}}
	c.claimID(other.LogicalID, `function "ping_role_log_policy"`, diag.Range{})
	c.assignRoles()
	if api.Role != awsfacts.IDDefaultRole || other.Role != awsfacts.IDDefaultRole || ping.Role != "PingRole" {
		t.Errorf("roles: api_handler %s, ping %s, ping_role_log_policy %s", api.Role, ping.Role, other.Role)
	}
	if got := c.ds.Error(); !strings.Contains(got, `function "ping"'s role log policy gets the logical ID PingRoleLogPolicy, which function "ping_role_log_policy" already has`) {
		t.Errorf("no clash reported: %s", got)
	}
}
