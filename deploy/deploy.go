package deploy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// DefaultPoll is how often CloudFormation and CloudWatch Logs are polled.
const DefaultPoll = 2 * time.Second

// DefaultTimeout is how long chalc's CLI lets a deploy or delete take by
// default: the AWS CLI's stack waiters give up after an hour too (120
// polls, 30 s apart). A stack with a CloudFront distribution (an
// edge-optimized custom domain) can take half of that.
const DefaultTimeout = time.Hour

// Deployer runs chalc's AWS commands.
type Deployer struct {
	*Clients
	// Log receives progress: uploads, the change set, and one line per
	// stack event. nil discards it.
	Log io.Writer
	// Poll is the wait between two polls; 0 means DefaultPoll.
	Poll time.Duration
	// Now is the clock (change set names, logs' start time); nil means
	// time.Now.
	Now func() time.Time
	// Timeout bounds Deploy and Delete, from their first request to the
	// end of the wait; 0 means none. When it passes they return a
	// *StoppedError.
	Timeout time.Duration
}

// Input is what Deploy deploys: project.Package's output.
type Input struct {
	// App is the app's name; S3 keys are chalc/<App>/<sha256>.zip.
	App string
	// StackName is the stack to create or update.
	StackName string
	// Bucket receives the packages; "" means chalc's bucket for the
	// account and region, chalc-deploy-<account>-<region>, created when
	// missing.
	Bucket string
	// Template is the SAM template as plain JSON values (cfnjson), whose
	// functions' CodeUri is awsfacts.CodeURI (and layer's ContentUri
	// awsfacts.LayerURI). Deploy changes those in place.
	Template map[string]any
	// Zip is deployment.zip; Layer is layer-deployment.zip (nil without
	// automatic_layer).
	Zip, Layer []byte
}

// Result is a deployed stack.
type Result struct {
	StackName, StackID string
	// Status is the stack's status at the end (CREATE_COMPLETE,
	// UPDATE_COMPLETE, or the unchanged status when NoChanges).
	Status string
	// Created is set when the stack was created rather than updated.
	Created bool
	// NoChanges is set when the template and code were already deployed.
	NoChanges bool
	// Bucket holds the uploaded packages; TemplateURL is set when the
	// template was too large to pass inline.
	Bucket, TemplateURL string
	// Outputs are the stack's outputs, EndpointURL first.
	Outputs []Output
}

// Output is one of a stack's outputs.
type Output struct {
	Key, Value, Description string
}

// Stack is a stack as DescribeStacks reports it.
type Stack struct {
	Name, ID     string
	Status       string
	StatusReason string
	Outputs      []Output
}

// Event is a stack event.
type Event struct {
	Time                  time.Time
	LogicalID, Type       string
	Status, Reason        string
	PhysicalID, StackName string
}

// String is the event's progress line:
// <time> <logical id> <resource type> <status> <reason>.
func (e Event) String() string {
	s := e.Time.UTC().Format(time.RFC3339) + " " + e.LogicalID + " " + e.Type + " " + e.Status
	if e.Reason != "" {
		s += " " + strings.ReplaceAll(e.Reason, "\n", " ")
	}
	return s
}

// StackNotFoundError: the stack does not exist.
type StackNotFoundError struct{ StackName string }

func (e *StackNotFoundError) Error() string { return "stack " + e.StackName + " does not exist" }

// StackStateError: the stack's status does not allow the operation.
type StackStateError struct {
	StackName, Status, Reason string
}

// NeedsDelete reports whether the stack must be deleted before it can be
// deployed (a failed creation left it in ROLLBACK_COMPLETE, or a failed
// deletion in DELETE_FAILED).
func (e *StackStateError) NeedsDelete() bool {
	switch e.Status {
	case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED":
		return true
	}
	return false
}

func (e *StackStateError) Error() string {
	switch {
	case e.NeedsDelete() && strings.HasPrefix(e.Status, "ROLLBACK"):
		return fmt.Sprintf("stack %s is %s: its creation failed, and CloudFormation cannot update a stack that was never created; delete it, then deploy again", e.StackName, e.Status)
	case e.NeedsDelete():
		return fmt.Sprintf("stack %s is %s: delete it again, then deploy", e.StackName, e.Status)
	case e.Status == "UPDATE_ROLLBACK_FAILED":
		return fmt.Sprintf("stack %s is UPDATE_ROLLBACK_FAILED: finish its rollback first (aws cloudformation continue-update-rollback --stack-name %s)", e.StackName, e.StackName)
	case strings.HasSuffix(e.Status, "_IN_PROGRESS"):
		return fmt.Sprintf("stack %s is %s: another operation is running; wait for it to finish", e.StackName, e.Status)
	}
	return fmt.Sprintf("stack %s is %s", e.StackName, e.Status)
}

// ChangeSetError: CloudFormation could not make the change set (a
// template or SAM transform error, a missing capability...).
type ChangeSetError struct {
	StackName, ChangeSet, Status, Reason string
}

func (e *ChangeSetError) Error() string {
	return fmt.Sprintf("change set %s of stack %s failed: %s", e.ChangeSet, e.StackName, e.Reason)
}

// FailedError: the stack operation ran and failed.
type FailedError struct {
	// Operation is "deploy" or "delete".
	Operation    string
	StackName    string
	Status       string // the final status (ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_FAILED...)
	StatusReason string
	// Failed are the events of this operation whose status ends in
	// _FAILED, oldest first: the resources that failed and why.
	Failed []Event
}

func (e *FailedError) Error() string {
	return fmt.Sprintf("%s of stack %s failed: %s", e.Operation, e.StackName, e.Status)
}

// NeedsDelete reports whether the stack must be deleted before the next
// deploy (its creation failed).
func (e *FailedError) NeedsDelete() bool {
	return (&StackStateError{Status: e.Status}).NeedsDelete()
}

// Progress is how far a deploy or delete got in CloudFormation.
type Progress int

const (
	// NotStarted: the stack was not changed (a change set may have been
	// created).
	NotStarted Progress = iota
	// MaybeStarted: the request that starts the operation
	// (ExecuteChangeSet, DeleteStack) got no answer, so it may be
	// running.
	MaybeStarted
	// Started: CloudFormation accepted the operation and carries it on.
	Started
)

// StoppedError: chalc stopped a deploy or delete before its end, so the
// outcome is not known: the deadline passed (Deployer.Timeout), ctx was
// canceled (Ctrl-C), or, once the operation had started, following the
// stack failed (AWS kept throttling the polls, the network went away).
// Whatever CloudFormation was asked to do, it carries on.
type StoppedError struct {
	// Operation is "deploy" or "delete".
	Operation          string
	StackName, StackID string
	Region             string
	// ChangeSet is the change set's name, once it was created.
	ChangeSet string
	Progress  Progress
	// Status is the stack's status at the last poll since the operation
	// started; "" when no poll has answered since.
	Status string
	// Timeout is the deadline that passed (0 when that is not why).
	Timeout time.Duration
	// Err is why: the failed request's error, or the context's.
	Err error
}

func (e *StoppedError) Error() string {
	if e.Progress == NotStarted {
		return fmt.Sprintf("%s of stack %s stopped: %s", e.Operation, e.StackName, e.reason())
	}
	return fmt.Sprintf("stopped following the %s of stack %s: %s", e.Operation, e.StackName, e.reason())
}

func (e *StoppedError) Unwrap() error { return e.Err }

func (e *StoppedError) reason() string {
	var oe *smithy.OperationError
	request := ""
	if errors.As(e.Err, &oe) {
		request = " waiting for " + oe.Service() + " " + oe.Operation()
	}
	switch {
	case e.Timeout > 0:
		return "timed out after " + shortDuration(e.Timeout) + request
	case errors.Is(e.Err, context.Canceled):
		return "interrupted"
	case errors.Is(e.Err, context.DeadlineExceeded):
		return "timed out" + request
	}
	return e.Err.Error()
}

// State says, in sentences, what CloudFormation was left doing.
func (e *StoppedError) State() []string {
	if e.Progress == NotStarted {
		s := "the stack was not changed"
		if e.ChangeSet != "" {
			s += "; change set " + e.ChangeSet + " was created, not executed"
		}
		return []string{s}
	}
	var out []string
	switch {
	case e.Operation == "deploy" && e.Progress == MaybeStarted:
		out = append(out, "chalc asked CloudFormation to execute change set "+e.ChangeSet+" and got no answer: the deploy may be running")
	case e.Operation == "deploy":
		out = append(out, "change set "+e.ChangeSet+" was executed: CloudFormation carries on without chalc")
	case e.Progress == MaybeStarted:
		out = append(out, "chalc asked CloudFormation to delete the stack and got no answer: the deletion may be running")
	default:
		out = append(out, "the deletion was started: CloudFormation carries on without chalc")
	}
	if e.Status != "" {
		out = append(out, "the stack's last known status is "+e.Status)
	} else {
		out = append(out, "the stack's status since then is unknown")
	}
	return out
}

// shortDuration is d without Go's trailing zero units: 1h, 30m, 1m30s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// errTimedOut is the cause of the context Deployer.Timeout ends, to tell
// it from the caller's.
var errTimedOut = errors.New("the Deployer's Timeout passed")

// bounded is ctx with the Deployer's deadline.
func (d *Deployer) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if d.Timeout > 0 {
		return context.WithTimeoutCause(ctx, d.Timeout, errTimedOut)
	}
	return context.WithCancel(ctx)
}

// stopped turns err, the end of an operation that was bounded by ctx,
// into a *StoppedError when chalc gave up on it: ctx is done, or the
// operation had started and following it failed. The operation's own
// outcomes (a failed stack, a change set CloudFormation refused, AWS
// errors before any change) pass through.
func (d *Deployer) stopped(ctx context.Context, e *StoppedError, err error) error {
	var fe *FailedError
	if err == nil || errors.As(err, &fe) || ctx.Err() == nil && e.Progress == NotStarted {
		return err
	}
	e.Err = err
	if errors.Is(context.Cause(ctx), errTimedOut) {
		e.Timeout = d.Timeout
	}
	return e
}

// pollOpts make a poll's request use the Clients' PollAttempts.
func (d *Deployer) pollOpts() []func(*cloudformation.Options) {
	if d.Clients == nil || d.PollAttempts == 0 {
		return nil
	}
	n := d.PollAttempts
	return []func(*cloudformation.Options){func(o *cloudformation.Options) { o.RetryMaxAttempts = n }}
}

func (d *Deployer) logf(format string, args ...any) {
	if d.Log != nil {
		fmt.Fprintf(d.Log, format+"\n", args...)
	}
}

func (d *Deployer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// sleep waits one poll interval, or until ctx is done.
func (d *Deployer) sleep(ctx context.Context) error {
	p := d.Poll
	if p <= 0 {
		p = DefaultPoll
	}
	t := time.NewTimer(p)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Capabilities are what chalc's templates need: IAM roles and the SAM
// transform.
var Capabilities = []types.Capability{types.CapabilityCapabilityIam, types.CapabilityCapabilityAutoExpand}

// Deploy creates or updates the stack through a change set and waits for
// it. An empty change set is success (Result.NoChanges). When chalc
// gives up before the end (Timeout, ctx canceled, or the polls failing
// once the change set was executed) the error is a *StoppedError.
func (d *Deployer) Deploy(ctx context.Context, in Input) (*Result, error) {
	ctx, cancel := d.bounded(ctx)
	defer cancel()
	stop := &StoppedError{Operation: "deploy", StackName: in.StackName, Region: d.Region}
	res, err := d.deploy(ctx, in, stop)
	return res, d.stopped(ctx, stop, err)
}

func (d *Deployer) deploy(ctx context.Context, in Input, stop *StoppedError) (*Result, error) {
	// The stack first: a stack that cannot be updated stops here, before
	// anything is uploaded.
	st, err := d.Stack(ctx, in.StackName)
	if err != nil {
		var nf *StackNotFoundError
		if !errors.As(err, &nf) {
			return nil, err
		}
		st = nil
	}
	create := st == nil || st.Status == "REVIEW_IN_PROGRESS"
	if st != nil && !create {
		se := &StackStateError{StackName: in.StackName, Status: st.Status, Reason: st.StatusReason}
		if se.NeedsDelete() || st.Status == "UPDATE_ROLLBACK_FAILED" || strings.HasSuffix(st.Status, "_IN_PROGRESS") {
			return nil, se
		}
	}

	bucket, owner, err := d.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	res := &Result{StackName: in.StackName, Bucket: bucket, Created: create}
	codeKey, sum := objectKey(in.App, in.Zip, ".zip")
	if err := d.upload(ctx, bucket, owner, codeKey, sum, in.Zip, "deployment.zip", "application/zip"); err != nil {
		return nil, err
	}
	var layerURI string
	if in.Layer != nil {
		layerKey, sum := objectKey(in.App, in.Layer, ".zip")
		if err := d.upload(ctx, bucket, owner, layerKey, sum, in.Layer, "layer-deployment.zip", "application/zip"); err != nil {
			return nil, err
		}
		layerURI = "s3://" + bucket + "/" + layerKey
	}
	body, err := rewriteTemplate(in.Template, "s3://"+bucket+"/"+codeKey, layerURI)
	if err != nil {
		return nil, err
	}

	changeType := types.ChangeSetTypeUpdate
	if create {
		changeType = types.ChangeSetTypeCreate
	}
	name := "chalc-" + d.now().UTC().Format("20060102-150405")
	csIn := &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(in.StackName),
		ChangeSetName: aws.String(name),
		ChangeSetType: changeType,
		Capabilities:  Capabilities,
		Description:   aws.String("chalc deploy"),
	}
	if len(body) <= MaxTemplateBody {
		csIn.TemplateBody = aws.String(string(body))
	} else {
		key, sum := objectKey(in.App, body, ".template")
		if err := d.upload(ctx, bucket, owner, key, sum, body, "the template", "application/json"); err != nil {
			return nil, err
		}
		res.TemplateURL = templateURL(bucket, d.Region, key)
		csIn.TemplateURL = aws.String(res.TemplateURL)
	}
	d.logf("chalc: creating change set %s (%s) of stack %s", name, changeType, in.StackName)
	created, err := d.CloudFormation.CreateChangeSet(ctx, csIn)
	if err != nil {
		return nil, d.awsErr(err)
	}
	csID, stackID := aws.ToString(created.Id), aws.ToString(created.StackId)
	res.StackID = stackID
	stop.ChangeSet, stop.StackID = name, stackID
	cs, err := d.waitChangeSet(ctx, csID)
	if err != nil {
		return nil, err
	}
	if cs.Status == types.ChangeSetStatusFailed {
		reason := aws.ToString(cs.StatusReason)
		if !noChanges(reason) {
			return nil, &ChangeSetError{StackName: in.StackName, ChangeSet: name, Status: string(cs.Status), Reason: reason}
		}
		d.logf("chalc: no changes: stack %s is up to date", in.StackName)
		if _, err := d.CloudFormation.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(csID)}); err != nil {
			return nil, d.awsErr(err)
		}
		res.NoChanges, res.Created = true, false
		if st != nil {
			res.Status, res.Outputs = st.Status, st.Outputs
		}
		return res, nil
	}

	f := &follower{d: d, stackID: stackID, seen: map[string]bool{}, status: &stop.Status}
	if err := f.markLatest(ctx); err != nil {
		return nil, err
	}
	d.logf("chalc: executing change set %s", name)
	if err := d.start(ctx, stop, func() error {
		_, err := d.CloudFormation.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: aws.String(csID)})
		return err
	}); err != nil {
		return nil, err
	}
	final, err := f.wait(ctx)
	if err != nil {
		return nil, err
	}
	res.Status, res.Outputs = final.Status, final.Outputs
	switch final.Status {
	case "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE":
		return res, nil
	}
	return nil, &FailedError{Operation: "deploy", StackName: in.StackName, Status: final.Status,
		StatusReason: final.StatusReason, Failed: f.failed()}
}

// start sends the request that starts a stack operation and records in
// stop how far it got: an answer from AWS, success or error, says
// whether it started; no answer leaves it MaybeStarted.
func (d *Deployer) start(ctx context.Context, stop *StoppedError, send func() error) error {
	stop.Progress = MaybeStarted
	err := send()
	var ae smithy.APIError
	switch {
	case err == nil:
		stop.Progress = Started
	case errors.As(err, &ae):
		stop.Progress = NotStarted
	}
	return d.awsErr(err)
}

// noChanges reports whether a FAILED change set's reason says it was
// empty (CloudFormation's two wordings).
func noChanges(reason string) bool {
	return strings.Contains(reason, "didn't contain changes") || strings.Contains(reason, "No updates are to be performed")
}

// templateURL is the https URL CloudFormation reads an uploaded template
// from.
func templateURL(bucket, region, key string) string {
	domain := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		domain = "amazonaws.com.cn"
	}
	return "https://" + bucket + ".s3." + region + "." + domain + "/" + key
}

// waitChangeSet polls the change set until CloudFormation has made it
// (CREATE_COMPLETE) or given up (FAILED).
func (d *Deployer) waitChangeSet(ctx context.Context, id string) (*cloudformation.DescribeChangeSetOutput, error) {
	for {
		cs, err := d.CloudFormation.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(id)}, d.pollOpts()...)
		if err != nil {
			return nil, d.awsErr(err)
		}
		switch cs.Status {
		case types.ChangeSetStatusCreateComplete, types.ChangeSetStatusFailed:
			return cs, nil
		}
		if err := d.sleep(ctx); err != nil {
			return nil, err
		}
	}
}

// Stack describes the stack (name or ID); a *StackNotFoundError when
// there is none.
func (d *Deployer) Stack(ctx context.Context, name string) (*Stack, error) {
	return d.stack(ctx, name)
}

func (d *Deployer) stack(ctx context.Context, name string, opts ...func(*cloudformation.Options)) (*Stack, error) {
	out, err := d.CloudFormation.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)}, opts...)
	if err != nil {
		if isStackMissing(err) {
			return nil, &StackNotFoundError{StackName: name}
		}
		return nil, d.awsErr(err)
	}
	if len(out.Stacks) == 0 {
		return nil, &StackNotFoundError{StackName: name}
	}
	s := out.Stacks[0]
	st := &Stack{
		Name:         aws.ToString(s.StackName),
		ID:           aws.ToString(s.StackId),
		Status:       string(s.StackStatus),
		StatusReason: aws.ToString(s.StackStatusReason),
	}
	for _, o := range s.Outputs {
		st.Outputs = append(st.Outputs, Output{Key: aws.ToString(o.OutputKey), Value: aws.ToString(o.OutputValue), Description: aws.ToString(o.Description)})
	}
	sortOutputs(st.Outputs)
	return st, nil
}

// isStackMissing: CloudFormation answers a missing stack with a
// ValidationError ("Stack with id X does not exist", "Stack 'X' does not
// exist").
func isStackMissing(err error) bool {
	m := apiMessage(err)
	return apiCode(err) == "ValidationError" && strings.HasPrefix(m, "Stack") && strings.Contains(m, "does not exist")
}

// sortOutputs puts EndpointURL first, then WebsocketConnectEndpointURL,
// then the others by key.
func sortOutputs(outs []Output) {
	rank := func(k string) int {
		switch k {
		case "EndpointURL":
			return 0
		case "WebsocketConnectEndpointURL":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(outs, func(a, b Output) int {
		if c := cmp.Compare(rank(a.Key), rank(b.Key)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// Delete deletes the stack and waits until it is gone. When chalc gives
// up before the end the error is a *StoppedError, as for Deploy.
func (d *Deployer) Delete(ctx context.Context, name string) (*Result, error) {
	ctx, cancel := d.bounded(ctx)
	defer cancel()
	stop := &StoppedError{Operation: "delete", StackName: name, Region: d.Region}
	res, err := d.delete(ctx, name, stop)
	return res, d.stopped(ctx, stop, err)
}

func (d *Deployer) delete(ctx context.Context, name string, stop *StoppedError) (*Result, error) {
	st, err := d.Stack(ctx, name)
	if err != nil {
		return nil, err
	}
	stop.StackID = st.ID
	if strings.HasSuffix(st.Status, "_IN_PROGRESS") && st.Status != "REVIEW_IN_PROGRESS" && st.Status != "DELETE_IN_PROGRESS" {
		return nil, &StackStateError{StackName: name, Status: st.Status}
	}
	f := &follower{d: d, stackID: st.ID, seen: map[string]bool{}, status: &stop.Status}
	if err := f.markLatest(ctx); err != nil {
		return nil, err
	}
	d.logf("chalc: deleting stack %s", name)
	if err := d.start(ctx, stop, func() error {
		_, err := d.CloudFormation.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(st.ID)})
		return err
	}); err != nil {
		return nil, err
	}
	final, err := f.wait(ctx)
	if err != nil {
		return nil, err
	}
	if final.Status != "DELETE_COMPLETE" {
		return nil, &FailedError{Operation: "delete", StackName: name, Status: final.Status,
			StatusReason: final.StatusReason, Failed: f.failed()}
	}
	return &Result{StackName: name, StackID: st.ID, Status: final.Status}, nil
}

// follower prints a stack's new events while an operation runs.
type follower struct {
	d       *Deployer
	stackID string
	// mark is the newest event before the operation: it and older
	// events are not this operation's.
	mark   string
	seen   map[string]bool
	events []Event // this operation's, oldest first
	// status receives the stack's status at each poll.
	status *string
}

// markLatest remembers the stack's newest event.
func (f *follower) markLatest(ctx context.Context) error {
	out, err := f.d.CloudFormation.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(f.stackID)}, f.d.pollOpts()...)
	if err != nil {
		return f.d.awsErr(err)
	}
	if len(out.StackEvents) > 0 {
		f.mark = aws.ToString(out.StackEvents[0].EventId)
	}
	return nil
}

// poll prints the events that appeared since the last poll, oldest
// first. CloudFormation lists events newest first, so pages are read
// until an event already seen (or the mark).
func (f *follower) poll(ctx context.Context) error {
	var fresh []types.StackEvent
	var token *string
pages:
	for {
		out, err := f.d.CloudFormation.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(f.stackID), NextToken: token}, f.d.pollOpts()...)
		if err != nil {
			return f.d.awsErr(err)
		}
		for _, e := range out.StackEvents {
			id := aws.ToString(e.EventId)
			if id == f.mark || f.seen[id] {
				break pages
			}
			fresh = append(fresh, e)
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		token = out.NextToken
	}
	for i := len(fresh) - 1; i >= 0; i-- {
		e := fresh[i]
		f.seen[aws.ToString(e.EventId)] = true
		ev := Event{
			Time:       aws.ToTime(e.Timestamp),
			LogicalID:  aws.ToString(e.LogicalResourceId),
			Type:       aws.ToString(e.ResourceType),
			Status:     string(e.ResourceStatus),
			Reason:     aws.ToString(e.ResourceStatusReason),
			PhysicalID: aws.ToString(e.PhysicalResourceId),
			StackName:  aws.ToString(e.StackName),
		}
		f.events = append(f.events, ev)
		f.d.logf("%s", ev)
	}
	return nil
}

// wait polls until the stack's status is no longer *_IN_PROGRESS,
// printing its events, and returns the final stack.
func (f *follower) wait(ctx context.Context) (*Stack, error) {
	for {
		st, err := f.d.stack(ctx, f.stackID, f.d.pollOpts()...)
		if err != nil {
			return nil, err
		}
		*f.status = st.Status
		if err := f.poll(ctx); err != nil {
			return nil, err
		}
		if !strings.HasSuffix(st.Status, "_IN_PROGRESS") {
			return st, nil
		}
		if err := f.d.sleep(ctx); err != nil {
			return nil, err
		}
	}
}

// failed are the operation's events whose status ends in _FAILED.
func (f *follower) failed() []Event {
	var out []Event
	for _, e := range f.events {
		if strings.HasSuffix(e.Status, "_FAILED") {
			out = append(out, e)
		}
	}
	return out
}
