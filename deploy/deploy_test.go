package deploy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/internal/syncbuf"

	"github.com/chalc-dev/chalc/internal/fakeaws"
)

// awsEnv points the standard AWS configuration chain at url with static
// credentials, and hides the machine's own AWS settings.
func awsEnv(t *testing.T, url, region string) {
	t.Helper()
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	if url != "" {
		t.Setenv("AWS_ENDPOINT_URL", url)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDCHALCTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	if region != "" {
		t.Setenv("AWS_REGION", region)
	}
}

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// setup starts a fake AWS and a Deployer whose clients come from Load
// (so AWS_ENDPOINT_URL is what points them at the fake), retrying
// without waiting.
func setup(t *testing.T, opts fakeaws.Options) (*fakeaws.Server, *Deployer, *bytes.Buffer) {
	t.Helper()
	srv := fakeaws.New(opts)
	t.Cleanup(srv.Close)
	awsEnv(t, srv.URL, "us-west-2")
	c, err := Load(context.Background(), Config{MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	return srv, &Deployer{Clients: c, Log: &log, Poll: time.Millisecond, Now: func() time.Time { return testNow }}, &log
}

func golden(t *testing.T, app, stage string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "golden", app, stage+".sam.json"))
	if err != nil {
		t.Fatal(err)
	}
	return decodeTemplate(t, string(b))
}

func decodeTemplate(t *testing.T, text string) map[string]any {
	t.Helper()
	v, err := cfnjson.Decode([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

func input(t *testing.T) Input {
	return Input{App: "petstore", StackName: "petstore-dev", Template: golden(t, "petstore", "dev"), Zip: []byte("zip v1")}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func one(t *testing.T, srv *fakeaws.Server, call string) fakeaws.Request {
	t.Helper()
	rs := srv.Find(call)
	if len(rs) != 1 {
		t.Fatalf("%d %s requests, want 1; calls: %q", len(rs), call, srv.Calls())
	}
	return rs[0]
}

// eventLines are the log's stack event lines.
func eventLines(log string) []string {
	var out []string
	for l := range strings.Lines(log) {
		if strings.HasPrefix(l, "2026-") {
			out = append(out, strings.TrimSuffix(l, "\n"))
		}
	}
	return out
}

// checkEvents: every event printed once, oldest first (the fake's clock
// ticks a second per event), from first to last.
func checkEvents(t *testing.T, lines []string, first, last string) {
	t.Helper()
	if len(lines) == 0 {
		t.Fatal("no event lines")
	}
	for i := 1; i < len(lines); i++ {
		if lines[i][:20] <= lines[i-1][:20] {
			t.Errorf("events out of order or repeated:\n%s\n%s", lines[i-1], lines[i])
		}
	}
	if got := lines[0][21:]; got != first {
		t.Errorf("first event %q, want %q", got, first)
	}
	if got := lines[len(lines)-1][21:]; got != last {
		t.Errorf("last event %q, want %q", got, last)
	}
}

func templateOf(t *testing.T, r fakeaws.Request) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(r.Param("TemplateBody")), &v); err != nil {
		t.Fatalf("TemplateBody: %v", err)
	}
	return v
}

func prop(tmpl map[string]any, id, name string) any {
	r, _ := tmpl["Resources"].(map[string]any)[id].(map[string]any)
	p, _ := r["Properties"].(map[string]any)
	return p[name]
}

func outputKeys(outs []Output) []string {
	var ks []string
	for _, o := range outs {
		ks = append(ks, o.Key)
	}
	return ks
}

const bucketName = "chalc-deploy-123456789012-us-west-2"

func TestDeployCreate(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{EventsPageSize: 2})
	in := input(t)
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, log)
	}

	// The calls up to the execution, in order; then polls.
	calls := srv.Calls()
	want := []string{
		"cloudformation.DescribeStacks", // does the stack exist? (no: CREATE)
		"sts.GetCallerIdentity",         // the account, for the bucket's name
		"s3.HeadBucket", "s3.CreateBucket",
		"s3.HeadObject", "s3.PutObject",
		"cloudformation.CreateChangeSet",
		"cloudformation.DescribeChangeSet", "cloudformation.DescribeChangeSet",
		"cloudformation.DescribeStackEvents", // the newest event before execution
		"cloudformation.ExecuteChangeSet",
	}
	if !slices.Equal(calls[:len(want)], want) {
		t.Fatalf("calls:\n%q\nwant them to start with\n%q", calls, want)
	}
	for _, c := range calls[len(want):] {
		if c != "cloudformation.DescribeStacks" && c != "cloudformation.DescribeStackEvents" {
			t.Errorf("unexpected call %s while waiting", c)
		}
	}
	for _, r := range srv.Requests() {
		if r.AccessKey != "AKIDCHALCTEST" || r.Region != "us-west-2" {
			t.Errorf("%s.%s signed for %s in %q", r.Service, r.Op, r.AccessKey, r.Region)
		}
	}

	// The bucket: checked with its expected owner, created in the region.
	hb := one(t, srv, "s3.HeadBucket")
	if hb.Path != "/"+bucketName || hb.Header.Get("X-Amz-Expected-Bucket-Owner") != "123456789012" {
		t.Errorf("HeadBucket %s owner %q", hb.Path, hb.Header.Get("X-Amz-Expected-Bucket-Owner"))
	}
	if cb := one(t, srv, "s3.CreateBucket"); !strings.Contains(string(cb.Body), "<LocationConstraint>us-west-2</LocationConstraint>") {
		t.Errorf("CreateBucket body %s", cb.Body)
	}
	// The zip under its SHA-256, which S3 checks.
	key := "chalc/petstore/" + sha(in.Zip) + ".zip"
	po := one(t, srv, "s3.PutObject")
	if po.Path != "/"+bucketName+"/"+key {
		t.Errorf("PutObject path %s", po.Path)
	}
	if po.Header.Get("X-Amz-Checksum-Sha256") == "" || po.Header.Get("Content-Type") != "application/zip" {
		t.Errorf("PutObject headers %v", po.Header)
	}
	if got, _ := srv.Object(bucketName, key); string(got) != "zip v1" {
		t.Errorf("uploaded %q", got)
	}

	// The change set: CREATE, both capabilities, the template inline
	// with its code in S3.
	cs := one(t, srv, "cloudformation.CreateChangeSet")
	if cs.Param("StackName") != "petstore-dev" || cs.Param("ChangeSetType") != "CREATE" || cs.Param("ChangeSetName") != "chalc-20261126-120000" {
		t.Errorf("CreateChangeSet %v", cs.Params)
	}
	if caps := cs.List("Capabilities"); !slices.Equal(caps, []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}) {
		t.Errorf("Capabilities %q", caps)
	}
	if cs.Param("TemplateURL") != "" {
		t.Errorf("TemplateURL %q for a small template", cs.Param("TemplateURL"))
	}
	tmpl := templateOf(t, cs)
	for _, fn := range []string{"APIHandler", "Report"} {
		if got := prop(tmpl, fn, "CodeUri"); got != "s3://"+bucketName+"/"+key {
			t.Errorf("%s CodeUri %v", fn, got)
		}
	}
	if strings.Contains(cs.Param("TemplateBody"), "./deployment.zip") {
		t.Error("a local CodeUri is left")
	}
	csID := srv.Find("cloudformation.DescribeChangeSet")[0].Param("ChangeSetName")
	if !strings.HasPrefix(csID, "arn:aws:cloudformation:us-west-2:123456789012:changeSet/chalc-20261126-120000/") ||
		one(t, srv, "cloudformation.ExecuteChangeSet").Param("ChangeSetName") != csID {
		t.Errorf("change set polled and executed by %q", csID)
	}

	// Events: the execution's only, each once, oldest first.
	lines := eventLines(log.String())
	checkEvents(t, lines, "petstore-dev AWS::CloudFormation::Stack CREATE_IN_PROGRESS User Initiated",
		"petstore-dev AWS::CloudFormation::Stack CREATE_COMPLETE")
	if strings.Contains(log.String(), "REVIEW_IN_PROGRESS") {
		t.Error("the change set's REVIEW_IN_PROGRESS event is printed")
	}
	if len(lines) != 20 { // the stack's two, three per resource
		t.Errorf("%d event lines, want 20:\n%s", len(lines), log)
	}

	if !res.Created || res.NoChanges || res.Status != "CREATE_COMPLETE" || res.Bucket != bucketName {
		t.Errorf("result %+v", res)
	}
	if got := outputKeys(res.Outputs); !slices.Equal(got, []string{"EndpointURL", "APIHandlerArn", "APIHandlerName", "RestAPIId"}) {
		t.Errorf("outputs %q", got)
	}
	if res.Outputs[0].Value != "https://abcdef1234.execute-api.us-west-2.amazonaws.com/api/" {
		t.Errorf("EndpointURL %q", res.Outputs[0].Value)
	}
	if st, _ := srv.Stack("petstore-dev"); st.Status != "CREATE_COMPLETE" {
		t.Errorf("stack is %s", st.Status)
	}
}

// withTimeout sets Report's Timeout in a template.
func withTimeout(t *testing.T, tmpl map[string]any, timeout int) map[string]any {
	t.Helper()
	v := reencode(t, tmpl)
	v["Resources"].(map[string]any)["Report"].(map[string]any)["Properties"].(map[string]any)["Timeout"] = timeout
	return v
}

// reencode is a deep copy of a template.
func reencode(t *testing.T, tmpl map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return decodeTemplate(t, string(b))
}

func TestDeployUpdate(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{})
	ctx := context.Background()
	in := input(t)
	if _, err := d.Deploy(ctx, in); err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	log.Reset()

	// Same code, another timeout: nothing uploaded, one resource updated.
	in.Template = withTimeout(t, in.Template, 99)
	res, err := d.Deploy(ctx, in)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if n := len(srv.Find("s3.PutObject")) + len(srv.Find("s3.CreateBucket")); n != 0 {
		t.Errorf("%d uploads or bucket creations; calls %q", n, srv.Calls())
	}
	if !strings.Contains(log.String(), "chalc: deployment.zip is already in s3://"+bucketName+"/chalc/petstore/"+sha(in.Zip)+".zip") {
		t.Errorf("log:\n%s", log)
	}
	cs := one(t, srv, "cloudformation.CreateChangeSet")
	if cs.Param("ChangeSetType") != "UPDATE" {
		t.Errorf("ChangeSetType %q", cs.Param("ChangeSetType"))
	}
	lines := eventLines(log.String())
	checkEvents(t, lines, "petstore-dev AWS::CloudFormation::Stack UPDATE_IN_PROGRESS User Initiated",
		"petstore-dev AWS::CloudFormation::Stack UPDATE_COMPLETE")
	want := []string{
		"petstore-dev AWS::CloudFormation::Stack UPDATE_IN_PROGRESS User Initiated",
		"Report AWS::Serverless::Function UPDATE_IN_PROGRESS",
		"Report AWS::Serverless::Function UPDATE_COMPLETE",
		"petstore-dev AWS::CloudFormation::Stack UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
		"petstore-dev AWS::CloudFormation::Stack UPDATE_COMPLETE",
	}
	var got []string
	for _, l := range lines {
		got = append(got, l[21:])
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Created || res.NoChanges || res.Status != "UPDATE_COMPLETE" || res.Outputs[0].Key != "EndpointURL" {
		t.Errorf("result %+v", res)
	}

	// New code: a new key, uploaded; both functions point at it.
	srv.Reset()
	in.Zip = []byte("zip v2")
	if _, err := d.Deploy(ctx, in); err != nil {
		t.Fatal(err)
	}
	key := "chalc/petstore/" + sha(in.Zip) + ".zip"
	if po := one(t, srv, "s3.PutObject"); po.Path != "/"+bucketName+"/"+key {
		t.Errorf("PutObject %s", po.Path)
	}
	tmpl := templateOf(t, one(t, srv, "cloudformation.CreateChangeSet"))
	if prop(tmpl, "APIHandler", "CodeUri") != "s3://"+bucketName+"/"+key || prop(tmpl, "Report", "CodeUri") != "s3://"+bucketName+"/"+key {
		t.Errorf("CodeUri not updated")
	}
}

func TestDeployNoChanges(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{})
	ctx := context.Background()
	if _, err := d.Deploy(ctx, input(t)); err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	log.Reset()
	res, err := d.Deploy(ctx, input(t))
	if err != nil {
		t.Fatalf("no changes is success, got %v", err)
	}
	if !res.NoChanges || res.Created || res.Status != "CREATE_COMPLETE" || len(res.Outputs) != 4 {
		t.Errorf("result %+v", res)
	}
	want := []string{
		"cloudformation.DescribeStacks", "sts.GetCallerIdentity", "s3.HeadBucket", "s3.HeadObject",
		"cloudformation.CreateChangeSet", "cloudformation.DescribeChangeSet", "cloudformation.DescribeChangeSet",
		"cloudformation.DeleteChangeSet",
	}
	if got := srv.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls:\n%q\nwant\n%q", got, want)
	}
	if del := one(t, srv, "cloudformation.DeleteChangeSet"); !strings.Contains(del.Param("ChangeSetName"), ":changeSet/chalc-") {
		t.Errorf("DeleteChangeSet %v", del.Params)
	}
	if !strings.Contains(log.String(), "chalc: no changes: stack petstore-dev is up to date") {
		t.Errorf("log:\n%s", log)
	}
}

func TestDeployCreateFails(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{})
	ctx := context.Background()
	srv.Fail("DefaultRoleLogPolicy", `Resource handler returned message: "Access Denied (Service: Iam, Status Code: 403)"`)
	_, err := d.Deploy(ctx, input(t))
	var fe *FailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err %v (%T), want *FailedError\n%s", err, err, log)
	}
	if err.Error() != "deploy of stack petstore-dev failed: ROLLBACK_COMPLETE" || !fe.NeedsDelete() {
		t.Errorf("err %q, NeedsDelete %v", err, fe.NeedsDelete())
	}
	if len(fe.Failed) != 1 || fe.Failed[0].LogicalID != "DefaultRoleLogPolicy" || fe.Failed[0].Status != "CREATE_FAILED" ||
		fe.Failed[0].Reason != `Resource handler returned message: "Access Denied (Service: Iam, Status Code: 403)"` {
		t.Errorf("failed %+v", fe.Failed)
	}
	checkEvents(t, eventLines(log.String()), "petstore-dev AWS::CloudFormation::Stack CREATE_IN_PROGRESS User Initiated",
		"petstore-dev AWS::CloudFormation::Stack ROLLBACK_COMPLETE")
	if !strings.Contains(log.String(), "ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [DefaultRoleLogPolicy].") {
		t.Errorf("log:\n%s", log)
	}

	// Deploying again stops at once: the stack must be deleted first.
	srv.Reset()
	_, err = d.Deploy(ctx, input(t))
	var se *StackStateError
	if !errors.As(err, &se) || !se.NeedsDelete() || se.Status != "ROLLBACK_COMPLETE" {
		t.Fatalf("err %v, want a *StackStateError needing delete", err)
	}
	if !strings.Contains(err.Error(), "stack petstore-dev is ROLLBACK_COMPLETE: its creation failed") {
		t.Errorf("err %q", err)
	}
	if got := srv.Calls(); !slices.Equal(got, []string{"cloudformation.DescribeStacks"}) {
		t.Errorf("calls %q, want only DescribeStacks (nothing uploaded)", got)
	}

	// Once deleted, it is created again.
	if _, err := d.Delete(ctx, "petstore-dev"); err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	res, err := d.Deploy(ctx, input(t))
	if err != nil || !res.Created || res.Status != "CREATE_COMPLETE" {
		t.Fatalf("redeploy: %+v, %v", res, err)
	}
	if one(t, srv, "cloudformation.CreateChangeSet").Param("ChangeSetType") != "CREATE" {
		t.Error("not a CREATE change set")
	}
}

func TestDeployUpdateFails(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{})
	ctx := context.Background()
	in := input(t)
	if _, err := d.Deploy(ctx, in); err != nil {
		t.Fatal(err)
	}
	before, _ := srv.Stack("petstore-dev")
	log.Reset()
	srv.Fail("Report", "Resource handler returned message: \"Memory size is invalid\"")
	in.Template = withTimeout(t, in.Template, 99)
	_, err := d.Deploy(ctx, in)
	var fe *FailedError
	if !errors.As(err, &fe) || fe.Status != "UPDATE_ROLLBACK_COMPLETE" || fe.NeedsDelete() {
		t.Fatalf("err %v", err)
	}
	if len(fe.Failed) != 1 || fe.Failed[0].String() != "2026-11-26T10:00:24Z Report AWS::Serverless::Function UPDATE_FAILED Resource handler returned message: \"Memory size is invalid\"" {
		t.Errorf("failed %v", fe.Failed)
	}
	checkEvents(t, eventLines(log.String()), "petstore-dev AWS::CloudFormation::Stack UPDATE_IN_PROGRESS User Initiated",
		"petstore-dev AWS::CloudFormation::Stack UPDATE_ROLLBACK_COMPLETE")
	after, _ := srv.Stack("petstore-dev")
	if after.Status != "UPDATE_ROLLBACK_COMPLETE" || !slices.Equal(slices.Sorted(mapsKeys(after.Outputs)), slices.Sorted(mapsKeys(before.Outputs))) {
		t.Errorf("stack after rollback: %+v", after)
	}
	// An UPDATE_ROLLBACK_COMPLETE stack can be updated.
	if _, err := d.Deploy(ctx, input(t)); err != nil {
		t.Errorf("deploy after a rolled back update: %v", err)
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// bigTemplate adds topics to the template until its compact form is over
// CloudFormation's inline limit.
func bigTemplate(t *testing.T, tmpl map[string]any) map[string]any {
	t.Helper()
	v := reencode(t, tmpl)
	res := v["Resources"].(map[string]any)
	for i := range 400 {
		res["Topic"+strings.Repeat("X", 80)+string(rune('A'+i%26))+string(rune('A'+i/26))] = map[string]any{
			"Type": "AWS::SNS::Topic", "Properties": map[string]any{"DisplayName": strings.Repeat("d", 40)}}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) <= MaxTemplateBody {
		t.Fatalf("template of %d bytes is not big", len(b))
	}
	return v
}

func TestDeployLargeTemplate(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{StepsPerPoll: 100})
	in := input(t)
	in.Template = bigTemplate(t, in.Template)
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	cs := one(t, srv, "cloudformation.CreateChangeSet")
	if cs.Param("TemplateBody") != "" {
		t.Error("a large template is sent inline")
	}
	puts := srv.Find("s3.PutObject")
	if len(puts) != 2 {
		t.Fatalf("%d PutObject, want the zip and the template", len(puts))
	}
	tkey := strings.TrimPrefix(puts[1].Path, "/"+bucketName+"/")
	body, _ := srv.Object(bucketName, tkey)
	if tkey != "chalc/petstore/"+sha(body)+".template" || puts[1].Header.Get("Content-Type") != "application/json" {
		t.Errorf("template key %s, content type %s", tkey, puts[1].Header.Get("Content-Type"))
	}
	wantURL := "https://" + bucketName + ".s3.us-west-2.amazonaws.com/" + tkey
	if cs.Param("TemplateURL") != wantURL || res.TemplateURL != wantURL {
		t.Errorf("TemplateURL %q, want %q", cs.Param("TemplateURL"), wantURL)
	}
	if !strings.Contains(string(body), `"CodeUri":"s3://`+bucketName+`/chalc/petstore/`+sha(in.Zip)+`.zip"`) {
		t.Error("the uploaded template's CodeUri is not rewritten")
	}
}

func TestDeployBucketFlag(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	srv.AddBucket("my-artifacts", "")
	in := input(t)
	in.Bucket = "my-artifacts"
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range srv.Calls() {
		if c == "sts.GetCallerIdentity" || c == "s3.HeadBucket" || c == "s3.CreateBucket" {
			t.Errorf("%s with --bucket", c)
		}
	}
	key := "chalc/petstore/" + sha(in.Zip) + ".zip"
	po := one(t, srv, "s3.PutObject")
	if po.Path != "/my-artifacts/"+key || po.Header.Get("X-Amz-Expected-Bucket-Owner") != "" {
		t.Errorf("PutObject %s %v", po.Path, po.Header)
	}
	if res.Bucket != "my-artifacts" || prop(templateOf(t, one(t, srv, "cloudformation.CreateChangeSet")), "APIHandler", "CodeUri") != "s3://my-artifacts/"+key {
		t.Error("CodeUri not in my-artifacts")
	}

	in.Bucket, in.StackName = "no-such-bucket", "petstore-other"
	_, err = d.Deploy(context.Background(), in)
	if err == nil || err.Error() != "S3 PutObject: NoSuchBucket: The specified bucket does not exist" {
		t.Errorf("missing bucket: %v", err)
	}
}

func TestDefaultBucketOfAnotherAccount(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	srv.AddBucket(DefaultBucket("123456789012", "us-west-2"), "999999999999")
	_, err := d.Deploy(context.Background(), input(t))
	want := "bucket chalc-deploy-123456789012-us-west-2 exists but does not belong to account 123456789012 (or this identity may not use it): pass --bucket"
	if err == nil || err.Error() != want {
		t.Fatalf("err %v", err)
	}
	for _, c := range srv.Calls() {
		if c == "s3.CreateBucket" || c == "s3.PutObject" || c == "cloudformation.CreateChangeSet" {
			t.Errorf("%s after the bucket check failed", c)
		}
	}
}

func TestDeployReviewInProgress(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	// An earlier create whose change set was never executed.
	srv.AddStack(fakeaws.StackInfo{Name: "petstore-dev", Status: "REVIEW_IN_PROGRESS"})
	res, err := d.Deploy(context.Background(), input(t))
	if err != nil {
		t.Fatal(err)
	}
	if one(t, srv, "cloudformation.CreateChangeSet").Param("ChangeSetType") != "CREATE" || !res.Created || res.Status != "CREATE_COMPLETE" {
		t.Errorf("result %+v", res)
	}
}

func TestDeployBusyStack(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	srv.AddStack(fakeaws.StackInfo{Name: "petstore-dev", Status: "UPDATE_IN_PROGRESS"})
	_, err := d.Deploy(context.Background(), input(t))
	if err == nil || err.Error() != "stack petstore-dev is UPDATE_IN_PROGRESS: another operation is running; wait for it to finish" {
		t.Fatalf("err %v", err)
	}
}

func TestDeployLayer(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{StepsPerPoll: 100})
	in := Input{App: "internal_api", StackName: "internal-api-dev", Template: golden(t, "internal_api", "dev"),
		Zip: []byte("note"), Layer: []byte("bootstrap")}
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	tmpl := templateOf(t, one(t, srv, "cloudformation.CreateChangeSet"))
	code := "s3://" + bucketName + "/chalc/internal_api/" + sha(in.Zip) + ".zip"
	layer := "s3://" + bucketName + "/chalc/internal_api/" + sha(in.Layer) + ".zip"
	if prop(tmpl, "APIHandler", "CodeUri") != code || prop(tmpl, "ManagedLayer", "ContentUri") != layer {
		t.Errorf("CodeUri %v, ContentUri %v", prop(tmpl, "APIHandler", "CodeUri"), prop(tmpl, "ManagedLayer", "ContentUri"))
	}
	if n := len(srv.Find("s3.PutObject")); n != 2 {
		t.Errorf("%d uploads, want 2", n)
	}
}

func TestDeployChangeSetFails(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	in := input(t)
	v := reencode(t, in.Template)
	v["Resources"].(map[string]any)["Report"].(map[string]any)["Properties"].(map[string]any)["CodeUri"] = "s3://elsewhere/missing.zip"
	in.Template = v
	_, err := d.Deploy(context.Background(), in)
	var ce *ChangeSetError
	if !errors.As(err, &ce) || ce.Status != "FAILED" {
		t.Fatalf("err %v", err)
	}
	if want := "change set chalc-20261126-120000 of stack petstore-dev failed: fakeaws: CodeUri of Report names s3://elsewhere/missing.zip, which was not uploaded"; err.Error() != want {
		t.Errorf("err %q", err)
	}
	if len(srv.Find("cloudformation.ExecuteChangeSet")) != 0 {
		t.Error("a failed change set was executed")
	}
}

func TestRewriteTemplate(t *testing.T) {
	tmpl := `{"Resources": {
		"A": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip", "MemorySize": 128}},
		"B": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": {"Bucket": "b", "Key": "k"}}},
		"C": {"Type": "AWS::Serverless::Function", "Properties": {"InlineCode": "x"}},
		"L": {"Type": "AWS::Serverless::LayerVersion", "Properties": {"ContentUri": "./layer-deployment.zip"}},
		"Big": {"Type": "AWS::SQS::Queue", "Properties": {"N": 12345678901234567890}}}}`
	got, err := rewriteTemplate(decodeTemplate(t, tmpl), "s3://b/code.zip", "s3://b/layer.zip")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Resources":{"A":{"Properties":{"CodeUri":"s3://b/code.zip","MemorySize":128},"Type":"AWS::Serverless::Function"},` +
		`"B":{"Properties":{"CodeUri":{"Bucket":"b","Key":"k"}},"Type":"AWS::Serverless::Function"},` +
		`"Big":{"Properties":{"N":12345678901234567890},"Type":"AWS::SQS::Queue"},` +
		`"C":{"Properties":{"InlineCode":"x"},"Type":"AWS::Serverless::Function"},` +
		`"L":{"Properties":{"ContentUri":"s3://b/layer.zip"},"Type":"AWS::Serverless::LayerVersion"}}}` + "\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	for _, tc := range []struct{ tmpl, layer, want string }{
		{`{"Resources":{"F":{"Type":"AWS::Serverless::Function","Properties":{"CodeUri":"./other.zip"}}}}`, "",
			`resource F: CodeUri "./other.zip" is a local path; chalc deploy uploads only the packages it builds (use an s3:// URI)`},
		{`{"Resources":{"L":{"Type":"AWS::Serverless::LayerVersion","Properties":{"ContentUri":"./layer-deployment.zip"}}}}`, "",
			`resource L: ContentUri "./layer-deployment.zip" is a local path; chalc deploy uploads only the packages it builds (use an s3:// URI)`},
		{`{"Resources":{"S":{"Type":"AWS::Serverless::StateMachine","Properties":{"DefinitionUri":"sm.json"}}}}`, "",
			`resource S: DefinitionUri "sm.json" is a local path; chalc deploy uploads only the packages it builds (use an s3:// URI)`},
	} {
		if _, err := rewriteTemplate(decodeTemplate(t, tc.tmpl), "s3://b/code.zip", tc.layer); err == nil || err.Error() != tc.want {
			t.Errorf("%s: err %v, want %s", tc.tmpl, err, tc.want)
		}
	}
}

func TestDelete(t *testing.T) {
	srv, d, log := setup(t, fakeaws.Options{EventsPageSize: 3})
	ctx := context.Background()
	if _, err := d.Deploy(ctx, input(t)); err != nil {
		t.Fatal(err)
	}
	st, _ := srv.Stack("petstore-dev")
	srv.Reset()
	log.Reset()
	res, err := d.Delete(ctx, "petstore-dev")
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if res.Status != "DELETE_COMPLETE" {
		t.Errorf("status %s", res.Status)
	}
	calls := srv.Calls()
	want := []string{"cloudformation.DescribeStacks", "cloudformation.DescribeStackEvents", "cloudformation.DeleteStack"}
	if !slices.Equal(calls[:3], want) {
		t.Errorf("calls %q", calls)
	}
	// By ID: a deleted stack cannot be described by name.
	if ds := one(t, srv, "cloudformation.DeleteStack"); ds.Param("StackName") != st.ID {
		t.Errorf("DeleteStack %v", ds.Params)
	}
	for _, r := range srv.Find("cloudformation.DescribeStacks")[1:] {
		if r.Param("StackName") != st.ID {
			t.Errorf("polled DescribeStacks by %q", r.Param("StackName"))
		}
	}
	checkEvents(t, eventLines(log.String()), "petstore-dev AWS::CloudFormation::Stack DELETE_IN_PROGRESS User Initiated",
		"petstore-dev AWS::CloudFormation::Stack DELETE_COMPLETE")
	if _, ok := srv.Stack("petstore-dev"); ok {
		if st, _ := srv.Stack("petstore-dev"); st.Status != "DELETE_COMPLETE" {
			t.Errorf("stack still there: %+v", st)
		}
	}

	_, err = d.Delete(ctx, "petstore-dev")
	var nf *StackNotFoundError
	if !errors.As(err, &nf) || err.Error() != "stack petstore-dev does not exist" {
		t.Errorf("second delete: %v", err)
	}
}

func TestDeleteFails(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	ctx := context.Background()
	if _, err := d.Deploy(ctx, input(t)); err != nil {
		t.Fatal(err)
	}
	srv.Fail("RestAPI", "The REST API is in use")
	_, err := d.Delete(ctx, "petstore-dev")
	var fe *FailedError
	if !errors.As(err, &fe) || err.Error() != "delete of stack petstore-dev failed: DELETE_FAILED" {
		t.Fatalf("err %v", err)
	}
	if len(fe.Failed) != 2 || fe.Failed[0].LogicalID != "RestAPI" || fe.Failed[0].Reason != "The REST API is in use" ||
		fe.Failed[1].LogicalID != "petstore-dev" {
		t.Errorf("failed %+v", fe.Failed)
	}
	// A DELETE_FAILED stack is deleted again before a deploy.
	_, err = d.Deploy(ctx, input(t))
	var se *StackStateError
	if !errors.As(err, &se) || !se.NeedsDelete() {
		t.Errorf("deploy of a DELETE_FAILED stack: %v", err)
	}
}

func TestStackOutputs(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	ctx := context.Background()
	_, err := d.Stack(ctx, "petstore-dev")
	var nf *StackNotFoundError
	if !errors.As(err, &nf) || err.Error() != "stack petstore-dev does not exist" {
		t.Fatalf("err %v", err)
	}
	if r := one(t, srv, "cloudformation.DescribeStacks"); r.Param("StackName") != "petstore-dev" {
		t.Errorf("DescribeStacks %v", r.Params)
	}
	srv.AddStack(fakeaws.StackInfo{Name: "petstore-dev", Status: "UPDATE_COMPLETE", Outputs: map[string]string{
		"RestAPIId": "abc", "APIHandlerArn": "arn:x", "EndpointURL": "https://abc/api/", "WebsocketConnectEndpointURL": "wss://w/api/"}})
	st, err := d.Stack(ctx, "petstore-dev")
	if err != nil {
		t.Fatal(err)
	}
	if got := outputKeys(st.Outputs); !slices.Equal(got, []string{"EndpointURL", "WebsocketConnectEndpointURL", "APIHandlerArn", "RestAPIId"}) {
		t.Errorf("outputs %q", got)
	}
	if st.Status != "UPDATE_COMPLETE" || st.Outputs[0].Value != "https://abc/api/" {
		t.Errorf("stack %+v", st)
	}
}

const group = "/aws/lambda/petstore-dev-APIHandler-FAKE1234"

func logsSetup(t *testing.T) (*fakeaws.Server, *Deployer, *bytes.Buffer) {
	srv, d, log := setup(t, fakeaws.Options{LogsPageSize: 2})
	srv.AddStack(fakeaws.StackInfo{Name: "petstore-dev", Status: "CREATE_COMPLETE",
		Resources: map[string]string{"APIHandler": "AWS::Lambda::Function", "Report": "AWS::Lambda::Function"}})
	at := func(min, ms int) time.Time {
		return testNow.Add(time.Duration(min)*time.Minute + time.Duration(ms)*time.Millisecond)
	}
	srv.AddLogEvents(group,
		fakeaws.LogEvent{Time: at(-30, 0), Message: "too old\n"},
		fakeaws.LogEvent{Time: at(-9, 0), Message: "START RequestId: 1\n"},
		fakeaws.LogEvent{Time: at(-9, 5), Message: "petstore - ERROR - boom\n"},
		fakeaws.LogEvent{Time: at(-9, 9), Message: "END RequestId: 1\n"},
		fakeaws.LogEvent{Time: at(-1, 0), Message: "START RequestId: 2\n"},
	)
	return srv, d, log
}

func TestLogs(t *testing.T) {
	srv, d, _ := logsSetup(t)
	var out bytes.Buffer
	err := d.Logs(context.Background(), LogsInput{StackName: "petstore-dev", LogicalID: "APIHandler",
		Since: testNow.Add(-10 * time.Minute), Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-11-26T11:51:00.000Z START RequestId: 1\n" +
		"2026-11-26T11:51:00.005Z petstore - ERROR - boom\n" +
		"2026-11-26T11:51:00.009Z END RequestId: 1\n" +
		"2026-11-26T11:59:00.000Z START RequestId: 2\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	dr := one(t, srv, "cloudformation.DescribeStackResource")
	if dr.Param("StackName") != "petstore-dev" || dr.Param("LogicalResourceId") != "APIHandler" {
		t.Errorf("DescribeStackResource %v", dr.Params)
	}
	reqs := srv.Find("logs.FilterLogEvents")
	if len(reqs) != 2 {
		t.Fatalf("%d FilterLogEvents, want 2 pages", len(reqs))
	}
	since := float64(testNow.Add(-10 * time.Minute).UnixMilli())
	for i, r := range reqs {
		j := r.JSON()
		if j["logGroupName"] != group || j["startTime"] != since {
			t.Errorf("request %d: %v", i, j)
		}
		if r.Header.Get("X-Amz-Target") != "Logs_20140328.FilterLogEvents" {
			t.Errorf("target %q", r.Header.Get("X-Amz-Target"))
		}
	}
	if reqs[0].JSON()["nextToken"] != nil || reqs[1].JSON()["nextToken"] != "page-2" {
		t.Errorf("tokens %v, %v", reqs[0].JSON()["nextToken"], reqs[1].JSON()["nextToken"])
	}
}

func TestLogsErrors(t *testing.T) {
	srv, d, log := logsSetup(t)
	ctx := context.Background()
	var out bytes.Buffer
	err := d.Logs(ctx, LogsInput{StackName: "petstore-prod", LogicalID: "APIHandler", Out: &out})
	var nf *StackNotFoundError
	if !errors.As(err, &nf) || err.Error() != "stack petstore-prod does not exist" {
		t.Errorf("missing stack: %v", err)
	}
	err = d.Logs(ctx, LogsInput{StackName: "petstore-dev", LogicalID: "Nightly", Out: &out})
	var rnf *ResourceNotFoundError
	if !errors.As(err, &rnf) || err.Error() != "stack petstore-dev has no resource Nightly" {
		t.Errorf("missing resource: %v", err)
	}
	// A function that never ran has no log group yet: not an error.
	err = d.Logs(ctx, LogsInput{StackName: "petstore-dev", LogicalID: "Report", Since: testNow, Out: &out})
	if err != nil || out.Len() != 0 {
		t.Errorf("no log group: %v, %q", err, out.String())
	}
	if !strings.Contains(log.String(), "chalc: no logs yet: log group /aws/lambda/petstore-dev-Report-FAKE1234 does not exist (the function has not run)") {
		t.Errorf("log: %s", log)
	}
	_ = srv
}

func TestLogsFollow(t *testing.T) {
	srv, d, _ := logsSetup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncbuf.Buffer
	done := make(chan error)
	go func() {
		done <- d.Logs(ctx, LogsInput{StackName: "petstore-dev", LogicalID: "APIHandler",
			Since: testNow.Add(-10 * time.Minute), Follow: true, Out: &out})
	}()
	waitFor := func(s string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), s) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in\n%s", s, out.String())
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitFor("START RequestId: 2")
	// A new event at the same millisecond as the last one printed, and a
	// later one.
	srv.AddLogEvents(group,
		fakeaws.LogEvent{Time: testNow.Add(-time.Minute), Message: "same millisecond\n"},
		fakeaws.LogEvent{Time: testNow.Add(time.Second), Message: "END RequestId: 2\n"})
	waitFor("END RequestId: 2")
	// Later polls start at the newest event printed.
	newest := float64(testNow.Add(time.Second).UnixMilli())
	deadline := time.Now().Add(10 * time.Second)
	for {
		reqs := srv.Find("logs.FilterLogEvents")
		if reqs[len(reqs)-1].JSON()["startTime"] == newest {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no poll from the newest event; last startTime %v", reqs[len(reqs)-1].JSON()["startTime"])
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("follow ends without error when interrupted, got %v", err)
	}
	for _, m := range []string{"START RequestId: 1", "START RequestId: 2", "same millisecond", "END RequestId: 2"} {
		if n := strings.Count(out.String(), m); n != 1 {
			t.Errorf("%q printed %d times:\n%s", m, n, out.String())
		}
	}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	t.Run("no credentials", func(t *testing.T) {
		awsEnv(t, "", "us-east-1")
		os.Unsetenv("AWS_ACCESS_KEY_ID")
		os.Unsetenv("AWS_SECRET_ACCESS_KEY")
		_, err := Load(ctx, Config{})
		var ce *ConfigError
		if !errors.As(err, &ce) || err.Error() != NoCredentialsMessage {
			t.Errorf("err %v", err)
		}
	})
	t.Run("no region", func(t *testing.T) {
		awsEnv(t, "", "")
		_, err := Load(ctx, Config{})
		if err == nil || err.Error() != NoRegionMessage {
			t.Errorf("err %v", err)
		}
		if c, err := Load(ctx, Config{Region: "eu-central-1"}); err != nil || c.Region != "eu-central-1" {
			t.Errorf("--region: %v", err)
		}
	})
	t.Run("unknown profile", func(t *testing.T) {
		awsEnv(t, "", "us-east-1")
		_, err := Load(ctx, Config{Profile: "nope"})
		if err == nil || err.Error() != `AWS profile "nope" is not in ~/.aws/config or ~/.aws/credentials` {
			t.Errorf("err %v", err)
		}
	})
	t.Run("profile", func(t *testing.T) {
		srv := fakeaws.New(fakeaws.Options{})
		defer srv.Close()
		awsEnv(t, srv.URL, "")
		os.Unsetenv("AWS_ACCESS_KEY_ID")
		os.Unsetenv("AWS_SECRET_ACCESS_KEY")
		os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[profile ci]\nregion = eu-west-1\n"), 0o600)
		os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte("[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n"), 0o600)
		c, err := Load(ctx, Config{Profile: "ci"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Region != "eu-west-1" {
			t.Errorf("region %q", c.Region)
		}
		(&Deployer{Clients: c}).Stack(ctx, "x")
		if r := one(t, srv, "cloudformation.DescribeStacks"); r.AccessKey != "AKIDPROFILE" || r.Region != "eu-west-1" {
			t.Errorf("signed by %s for %s", r.AccessKey, r.Region)
		}
	})
	t.Run("per-service endpoint", func(t *testing.T) {
		srv := fakeaws.New(fakeaws.Options{})
		defer srv.Close()
		awsEnv(t, "", "us-east-1")
		t.Setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", srv.URL)
		c, err := Load(ctx, Config{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = (&Deployer{Clients: c}).Stack(ctx, "petstore-dev")
		var nf *StackNotFoundError
		if !errors.As(err, &nf) || len(srv.Calls()) != 1 {
			t.Errorf("err %v, calls %q", err, srv.Calls())
		}
	})
}

func TestAWSErrorIsOneLine(t *testing.T) {
	srv, d, _ := setup(t, fakeaws.Options{})
	_ = srv
	in := input(t)
	in.Bucket = "missing-bucket"
	_, err := d.Deploy(context.Background(), in)
	var ae *AWSError
	if !errors.As(err, &ae) {
		t.Fatalf("err %v (%T)", err, err)
	}
	// The zip's HEAD is a 404 (no bucket, no object), so the PUT says why.
	if err.Error() != "S3 PutObject: NoSuchBucket: The specified bucket does not exist" {
		t.Errorf("err %q", err)
	}
}

// A request that gets no answer (here a closed port) is a NetworkError:
// what could not be reached, in which region, and the transport's error
// as the cause, without the SDK's retry wrapping.
func TestNetworkError(t *testing.T) {
	srv := fakeaws.New(fakeaws.Options{})
	url := srv.URL
	srv.Close() // nothing listens there any more
	awsEnv(t, url, "eu-west-1")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	c, err := Load(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&Deployer{Clients: c}).Stack(context.Background(), "petstore-dev")
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("err %v (%T), want a *NetworkError", err, err)
	}
	if want := "cannot reach CloudFormation in region eu-west-1 (DescribeStacks failed before AWS answered)"; err.Error() != want {
		t.Errorf("err %q, want %q", err, want)
	}
	if c := ne.Cause(); !strings.Contains(c, "connection refused") || strings.Contains(c, "request send failed") {
		t.Errorf("cause %q: want the transport's error alone", c)
	}
	if !strings.Contains(ne.Hint(), "eu-west-1") {
		t.Errorf("hint %q does not name the region", ne.Hint())
	}
}
