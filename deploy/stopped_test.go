package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/chalc-dev/chalc/internal/fakeaws"
)

// returns runs f and fails the test if f has not returned after a
// minute: what these tests pin is that chalc cannot hang, and a hung
// test would only end at go test's own timeout, ten minutes later.
func returns(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("still waiting after a minute")
	}
}

// An endpoint that accepts requests and never answers fails each attempt
// after the request timeout: a NetworkError, not a hang.
func TestDeployRequestTimeout(t *testing.T) {
	srv := fakeaws.New(fakeaws.Options{})
	t.Cleanup(srv.Close)
	awsEnv(t, srv.URL, "us-west-2")
	c, err := Load(context.Background(), Config{RequestTimeout: 50 * time.Millisecond, MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	d := &Deployer{Clients: c, Poll: time.Millisecond}

	srv.Inject("cloudformation.DescribeStacks", fakeaws.Freeze, 0, -1)
	returns(t, func() { _, err = d.Deploy(context.Background(), input(t)) })
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("err %v (%T), want a *NetworkError", err, err)
	}
	if want := "no answer from CloudFormation in region us-west-2 within 50ms (DescribeStacks, 3 attempts)"; err.Error() != want {
		t.Errorf("err %q, want %q", err, want)
	}
	if n := len(srv.Find("cloudformation.DescribeStacks")); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	// S3: the timeout is on the wait for the answer once the request is
	// sent (an upload may take longer than it).
	srv.Heal()
	srv.Inject("s3.PutObject", fakeaws.Freeze, 0, -1)
	returns(t, func() { _, err = d.Deploy(context.Background(), input(t)) })
	if !errors.As(err, &ne) {
		t.Fatalf("err %v (%T), want a *NetworkError", err, err)
	}
	if want := "no answer from S3 in region us-west-2 (PutObject, 3 attempts)"; err.Error() != want {
		t.Errorf("err %q, want %q", err, want)
	}
	if c := ne.Cause(); !strings.HasSuffix(c, "timeout awaiting response headers") {
		t.Errorf("cause %q", c)
	}
}

// Deployer.Timeout bounds the whole deploy; when it passes, the error
// says how far the deploy got and what the stack was last seen doing.
func TestDeployTimeout(t *testing.T) {
	for _, tc := range []struct {
		name     string
		call     string // the request that hangs
		skip     int
		timeout  time.Duration
		progress Progress
		msg      string
		state    []string
	}{
		{"first request", "", 0, 500 * time.Millisecond, NotStarted,
			"deploy of stack petstore-dev stopped: timed out after 500ms waiting for CloudFormation DescribeStacks",
			[]string{"the stack was not changed"}},
		{"change set", "cloudformation.DescribeChangeSet", 0, 500 * time.Millisecond, NotStarted,
			"deploy of stack petstore-dev stopped: timed out after 500ms waiting for CloudFormation DescribeChangeSet",
			[]string{"the stack was not changed; change set chalc-20261126-120000 was created, not executed"}},
		{"execution", "cloudformation.ExecuteChangeSet", 0, time.Second, MaybeStarted,
			"stopped following the deploy of stack petstore-dev: timed out after 1s waiting for CloudFormation ExecuteChangeSet",
			[]string{"chalc asked CloudFormation to execute change set chalc-20261126-120000 and got no answer: the deploy may be running",
				"the stack's status since then is unknown"}},
		{"wait", "cloudformation.DescribeStacks", 2, time.Second, Started,
			"stopped following the deploy of stack petstore-dev: timed out after 1s waiting for CloudFormation DescribeStacks",
			[]string{"change set chalc-20261126-120000 was executed: CloudFormation carries on without chalc",
				"the stack's last known status is CREATE_IN_PROGRESS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, d, _ := setup(t, fakeaws.Options{})
			d.Timeout = tc.timeout
			srv.Inject(tc.call, fakeaws.Freeze, tc.skip, -1)
			var err error
			returns(t, func() { _, err = d.Deploy(context.Background(), input(t)) })
			var se *StoppedError
			if !errors.As(err, &se) {
				t.Fatalf("err %v (%T), want a *StoppedError", err, err)
			}
			if err.Error() != tc.msg {
				t.Errorf("err %q, want %q", err, tc.msg)
			}
			if se.Progress != tc.progress || se.Timeout != tc.timeout || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("progress %d, timeout %v, cause %v", se.Progress, se.Timeout, se.Err)
			}
			if got := se.State(); !slices.Equal(got, tc.state) {
				t.Errorf("state %q, want %q", got, tc.state)
			}
			if se.Region != "us-west-2" {
				t.Errorf("region %q", se.Region)
			}
		})
	}
}

// Polls absorb throttling: DefaultPollAttempts attempts each, with the
// SDK's backoff (made instant here by Config.MaxBackoff). Throttling
// that outlasts them stops the wait with the stack's state.
func TestDeployThrottled(t *testing.T) {
	t.Run("a few", func(t *testing.T) {
		srv, d, log := setup(t, fakeaws.Options{})
		n := DefaultPollAttempts - 1
		srv.Inject("cloudformation.DescribeStacks", fakeaws.Throttle, 1, n)      // the wait's first poll
		srv.Inject("cloudformation.DescribeStackEvents", fakeaws.Throttle, 1, n) // its first events
		srv.Inject("cloudformation.DescribeChangeSet", fakeaws.Throttle, 0, n)
		res, err := d.Deploy(context.Background(), input(t))
		if err != nil {
			t.Fatalf("%v\n%s", err, log)
		}
		if res.Status != "CREATE_COMPLETE" {
			t.Errorf("status %s", res.Status)
		}
		if got := len(srv.Find("cloudformation.DescribeStacks")); got < 1+n+1 {
			t.Errorf("%d DescribeStacks requests: the throttled ones were not retried", got)
		}
	})
	t.Run("persistent", func(t *testing.T) {
		srv, d, _ := setup(t, fakeaws.Options{})
		srv.Inject("cloudformation.DescribeStacks", fakeaws.Throttle, 2, -1) // from the wait's second poll
		_, err := d.Deploy(context.Background(), input(t))
		var se *StoppedError
		if !errors.As(err, &se) {
			t.Fatalf("err %v (%T), want a *StoppedError", err, err)
		}
		if want := "stopped following the deploy of stack petstore-dev: CloudFormation DescribeStacks: Throttling: Rate exceeded"; err.Error() != want {
			t.Errorf("err %q, want %q", err, want)
		}
		want := []string{"change set chalc-20261126-120000 was executed: CloudFormation carries on without chalc",
			"the stack's last known status is CREATE_IN_PROGRESS"}
		if got := se.State(); !slices.Equal(got, want) {
			t.Errorf("state %q, want %q", got, want)
		}
		if n := len(srv.Find("cloudformation.DescribeStacks")); n != 2+DefaultPollAttempts {
			t.Errorf("%d DescribeStacks requests, want %d", n, 2+DefaultPollAttempts)
		}
		if apiCode(err) != "Throttling" || se.Timeout != 0 {
			t.Errorf("cause %v, timeout %v", se.Err, se.Timeout)
		}
	})
	t.Run("AWS_MAX_ATTEMPTS", func(t *testing.T) {
		srv := fakeaws.New(fakeaws.Options{})
		t.Cleanup(srv.Close)
		awsEnv(t, srv.URL, "us-west-2")
		t.Setenv("AWS_MAX_ATTEMPTS", "2")
		c, err := Load(context.Background(), Config{MaxBackoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		d := &Deployer{Clients: c, Poll: time.Millisecond}
		srv.Inject("cloudformation.DescribeStacks", fakeaws.Throttle, 2, -1)
		_, err = d.Deploy(context.Background(), input(t))
		var se *StoppedError
		if !errors.As(err, &se) {
			t.Fatalf("err %v (%T), want a *StoppedError", err, err)
		}
		if n := len(srv.Find("cloudformation.DescribeStacks")); n != 2+2 {
			t.Errorf("%d DescribeStacks requests, want 4: the user's AWS_MAX_ATTEMPTS applies to polls", n)
		}
	})
	t.Run("before any change", func(t *testing.T) {
		srv, d, _ := setup(t, fakeaws.Options{})
		srv.Inject("cloudformation.DescribeStacks", fakeaws.Throttle, 0, -1)
		_, err := d.Deploy(context.Background(), input(t))
		var ae *AWSError
		if !errors.As(err, &ae) || err.Error() != "CloudFormation DescribeStacks: Throttling: Rate exceeded" {
			t.Fatalf("err %v (%T), want the *AWSError", err, err)
		}
		if n := len(srv.Find("cloudformation.DescribeStacks")); n != 3 {
			t.Errorf("%d DescribeStacks requests, want the SDK's 3", n)
		}
	})
}

func TestDeleteStopped(t *testing.T) {
	t.Run("throttled", func(t *testing.T) {
		srv, d, _ := setup(t, fakeaws.Options{})
		if _, err := d.Deploy(context.Background(), input(t)); err != nil {
			t.Fatal(err)
		}
		st, _ := srv.Stack("petstore-dev")
		srv.Inject("cloudformation.DescribeStacks", fakeaws.Throttle, 2, -1)
		_, err := d.Delete(context.Background(), "petstore-dev")
		var se *StoppedError
		if !errors.As(err, &se) {
			t.Fatalf("err %v (%T), want a *StoppedError", err, err)
		}
		if want := "stopped following the delete of stack petstore-dev: CloudFormation DescribeStacks: Throttling: Rate exceeded"; err.Error() != want {
			t.Errorf("err %q, want %q", err, want)
		}
		want := []string{"the deletion was started: CloudFormation carries on without chalc", "the stack's last known status is DELETE_IN_PROGRESS"}
		if got := se.State(); !slices.Equal(got, want) || se.StackID != st.ID {
			t.Errorf("state %q, want %q; stack ID %q", got, want, se.StackID)
		}
	})
	t.Run("no answer to DeleteStack", func(t *testing.T) {
		srv, d, _ := setup(t, fakeaws.Options{})
		if _, err := d.Deploy(context.Background(), input(t)); err != nil {
			t.Fatal(err)
		}
		d.Timeout = time.Second
		srv.Inject("cloudformation.DeleteStack", fakeaws.Freeze, 0, -1)
		var err error
		returns(t, func() { _, err = d.Delete(context.Background(), "petstore-dev") })
		var se *StoppedError
		if !errors.As(err, &se) || se.Progress != MaybeStarted {
			t.Fatalf("err %v (%T), want a *StoppedError, MaybeStarted", err, err)
		}
		if want := "chalc asked CloudFormation to delete the stack and got no answer: the deletion may be running"; se.State()[0] != want {
			t.Errorf("state %q", se.State())
		}
	})
}

// A credential provider that cannot reach AWS (SSO without a network)
// is said as a NetworkError is, not in the SDK's words.
func TestCredentialsNetworkError(t *testing.T) {
	transport := &url.Error{Op: "Get", URL: "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials",
		Err: errors.New("dial tcp: lookup portal.sso.eu-west-1.amazonaws.com: no such host")}
	sdkErr := fmt.Errorf("failed to refresh cached credentials, %w", &smithy.OperationError{
		ServiceID: "SSO", OperationName: "GetRoleCredentials",
		Err: &smithyhttp.ResponseError{Response: &smithyhttp.Response{}, Err: &smithyhttp.RequestSendError{Err: transport}},
	})
	cfg := aws.Config{Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, sdkErr
	})}
	err := checkCredentials(context.Background(), cfg)
	var ce *ConfigError
	var ne *NetworkError
	if !errors.As(err, &ce) || !errors.As(err, &ne) {
		t.Fatalf("err %v (%T), want a *ConfigError with a *NetworkError", err, err)
	}
	if want := "AWS credentials could not be loaded: cannot reach SSO (GetRoleCredentials failed before AWS answered)"; err.Error() != want {
		t.Errorf("err %q, want %q", err, want)
	}
	if ne.Cause() != transport.Error() {
		t.Errorf("cause %q, want %q", ne.Cause(), transport.Error())
	}
	if want := "check the network connection and any proxy (HTTPS_PROXY) setting"; ne.Hint() != want {
		t.Errorf("hint %q, want %q (the endpoint settings do not apply to credential providers)", ne.Hint(), want)
	}
}
