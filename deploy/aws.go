package deploy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// CloudFormationAPI is the part of CloudFormation chalc uses.
type CloudFormationAPI interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error)
	DescribeStackResource(context.Context, *cloudformation.DescribeStackResourceInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceOutput, error)
	CreateChangeSet(context.Context, *cloudformation.CreateChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error)
	DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error)
	ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error)
	DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error)
}

// S3API is the part of S3 chalc uses: the deployment bucket and its
// objects.
type S3API interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	CreateBucket(context.Context, *s3.CreateBucketInput, ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// STSAPI finds the account, for the default bucket's name.
type STSAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// LogsAPI reads a function's CloudWatch Logs.
type LogsAPI interface {
	FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
}

// Clients are the AWS services chalc talks to, in one region.
type Clients struct {
	CloudFormation CloudFormationAPI
	S3             S3API
	STS            STSAPI
	CloudWatchLogs LogsAPI
	Region         string
	// PollAttempts is how many attempts the SDK makes of a request that
	// polls CloudFormation while chalc waits (0: the client's own).
	PollAttempts int
}

// Config selects the credentials and the region; empty fields use the
// standard chain (environment, ~/.aws/config and credentials, SSO,
// container and instance roles).
type Config struct {
	Profile string
	Region  string
	// RequestTimeout bounds each attempt of a request; 0 means
	// DefaultRequestTimeout. See Load.
	RequestTimeout time.Duration
	// MaxBackoff caps the wait between two attempts of a request; 0
	// means the SDK's (20 s). Tests make it small.
	MaxBackoff time.Duration
}

const (
	// DefaultRequestTimeout is how long an attempt may wait for AWS: a
	// connection that delivers nothing for that long fails the attempt
	// (for S3, an answer that has not begun that long after the request
	// was sent, since an upload legitimately sends for a long time).
	// AWS answers these requests in well under a second; the AWS CLI's
	// read timeout is 60 s.
	DefaultRequestTimeout = 30 * time.Second

	// DefaultPollAttempts is how many attempts the SDK makes of a poll
	// (DescribeStacks, DescribeStackEvents, DescribeChangeSet) where
	// other requests get the SDK's 3. Throttling is what polling meets
	// ("Rate exceeded" when many pipelines poll one account), and the
	// standard backoff after a throttle doubles from 1 s up to 20 s:
	// 8 attempts ride out about a minute of it.
	DefaultPollAttempts = 8
)

// Messages of the errors Load returns when nothing is configured.
const (
	NoCredentialsMessage = "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`"
	NoRegionMessage      = "no AWS region set: pass --region, set AWS_REGION, or run `aws configure`"
)

// ConfigError is an AWS configuration problem found before any request
// is made: no credentials, no region, an unknown profile.
type ConfigError struct {
	Message string
	Err     error // the SDK's cause, if any
}

func (e *ConfigError) Error() string { return e.Message }
func (e *ConfigError) Unwrap() error { return e.Err }

// Load builds the clients from the standard AWS configuration chain and
// makes sure credentials and a region are there, so a command fails
// before doing any work. The SDK's endpoint settings apply to every
// client: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> (CLOUDFORMATION,
// S3, STS, CLOUDWATCH_LOGS) and their ~/.aws/config equivalents.
//
// Every request, the credential providers' included, has a timeout per
// attempt (Config.RequestTimeout): without one, an endpoint that
// accepts the connection and never answers hangs chalc for good. The
// SDK's standard retryer retries throttles, 5xx answers, timeouts and
// connection failures with backoff; AWS_MAX_ATTEMPTS (or max_attempts)
// sets the attempts of every request, polls included.
func Load(ctx context.Context, c Config) (*Clients, error) {
	// The SDK's own log lines (retries, IMDS fallbacks, checksum notes)
	// would interleave with chalc's; its errors carry what matters.
	opts := []func(*config.LoadOptions) error{
		config.WithLogger(logging.Nop{}),
		config.WithHTTPClient(awshttp.NewBuildableClient().WithReadTimeout(cmp.Or(c.RequestTimeout, DefaultRequestTimeout))),
	}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var np config.SharedConfigProfileNotExistError
		if errors.As(err, &np) {
			return nil, &ConfigError{Message: fmt.Sprintf("AWS profile %q is not in ~/.aws/config or ~/.aws/credentials", np.Profile), Err: err}
		}
		return nil, &ConfigError{Message: "loading the AWS configuration: " + err.Error(), Err: err}
	}
	if err := checkCredentials(ctx, cfg); err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, &ConfigError{Message: NoRegionMessage}
	}
	// Set after loading, not with config.WithRetryer, which would make
	// the SDK ignore AWS_MAX_ATTEMPTS; the clients apply it on top. A
	// configured retry_mode (adaptive) keeps the SDK's retryer.
	if cfg.RetryMode == "" || cfg.RetryMode == aws.RetryModeStandard {
		cfg.Retryer = func() aws.Retryer { return newRetryer(c.MaxBackoff) }
	}
	clients := NewClients(cfg)
	if cfg.RetryMaxAttempts == 0 { // AWS_MAX_ATTEMPTS wins
		clients.PollAttempts = DefaultPollAttempts
	}
	return clients, nil
}

// newRetryer is the SDK's standard retryer without its client-side retry
// quota: the quota protects a long-running service from retry storms,
// while chalc is one command following one stack, which would only lose
// its retries to it after enough throttled polls.
func newRetryer(maxBackoff time.Duration) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.RateLimiter = ratelimit.None
		if maxBackoff > 0 {
			o.MaxBackoff = maxBackoff
		}
	})
}

// checkCredentials retrieves the credentials once (they are cached by the
// config's provider, so requests do not fetch them again).
func checkCredentials(ctx context.Context, cfg aws.Config) error {
	if cfg.Credentials == nil {
		return &ConfigError{Message: NoCredentialsMessage}
	}
	_, err := cfg.Credentials.Retrieve(ctx)
	if err == nil {
		return nil
	}
	// The chain's last resort is the instance role: its failure means
	// nothing else was configured.
	if strings.Contains(err.Error(), "no EC2 IMDS role found") {
		return &ConfigError{Message: NoCredentialsMessage, Err: err}
	}
	// A provider that asks AWS for them (SSO, a web identity or a role to
	// assume) and gets no answer: said as for any request, without the
	// SDK's layers of wrapping.
	var ne *NetworkError
	if errors.As(awsErr(err), &ne) {
		ne.Credentials = true
		return &ConfigError{Message: "AWS credentials could not be loaded: " + ne.Error(), Err: ne}
	}
	return &ConfigError{Message: "AWS credentials could not be loaded: " + err.Error(), Err: err}
}

// NewClients makes the service clients of cfg.
func NewClients(cfg aws.Config) *Clients {
	return &Clients{
		CloudFormation: cloudformation.NewFromConfig(cfg),
		S3:             s3.NewFromConfig(cfg, s3Timeout),
		STS:            sts.NewFromConfig(cfg),
		CloudWatchLogs: cloudwatchlogs.NewFromConfig(cfg),
		Region:         cfg.Region,
	}
}

// s3Timeout moves the HTTP client's read timeout, if any, to the wait
// for S3's answer: while a large object is uploaded, nothing is read
// from the connection for as long as the upload takes, which is no sign
// of a hung endpoint. (The SDK exempts S3 from its own read timeouts for
// the same reason.)
func s3Timeout(o *s3.Options) {
	b, ok := o.HTTPClient.(*awshttp.BuildableClient)
	if !ok {
		return
	}
	if t, ok := b.GetReadTimeout(); ok && t > 0 {
		o.HTTPClient = b.WithReadTimeout(0).WithTransportOptions(func(tr *http.Transport) { tr.ResponseHeaderTimeout = t })
	}
}

// AWSError is a failed AWS request, shown on one line as
// "<Service> <Operation>: <Code>: <message>" instead of the SDK's long
// form. The SDK's error is kept (Unwrap).
type AWSError struct {
	Service, Operation string
	Code, Message      string
	Err                error
}

func (e *AWSError) Error() string {
	s := e.Service + " " + e.Operation + ": "
	switch {
	case e.Code != "" && e.Message != "":
		return s + e.Code + ": " + e.Message
	case e.Code != "":
		return s + e.Code
	}
	var oe *smithy.OperationError
	if errors.As(e.Err, &oe) {
		return s + oe.Err.Error()
	}
	return s + e.Err.Error()
}

func (e *AWSError) Unwrap() error { return e.Err }

// NetworkError is an AWS request that got no answer: no network, a name
// that does not resolve (also a mistyped region's endpoint), a refused
// connection, a proxy or TLS failure, or an endpoint that stays silent
// past the request timeout. Error is what failed, in words; Cause is the
// transport's error, for a note.
type NetworkError struct {
	Service, Operation, Region string
	Err                        error // the SDK's error
	// Credentials: the request was a credential provider's (SSO, STS
	// AssumeRoleWithWebIdentity), which the endpoint settings do not
	// redirect.
	Credentials bool
}

func (e *NetworkError) Error() string {
	where := ""
	if e.Region != "" {
		where = " in region " + e.Region
	}
	var to interface{ Timeout() bool }
	if !errors.As(e.Err, &to) || !to.Timeout() {
		return fmt.Sprintf("cannot reach %s%s (%s failed before AWS answered)", e.Service, where, e.Operation)
	}
	// Connected, but nothing came back in time (Config.RequestTimeout).
	var rt *awshttp.ResponseTimeoutError
	if errors.As(e.Err, &rt) {
		where += " within " + shortDuration(rt.TimeoutDur)
	}
	what := e.Operation + " timed out"
	var ma *retry.MaxAttemptsError
	if errors.As(e.Err, &ma) {
		what = fmt.Sprintf("%s, %d attempts", e.Operation, ma.Attempt)
	}
	return fmt.Sprintf("no answer from %s%s (%s)", e.Service, where, what)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Hint says what to check.
func (e *NetworkError) Hint() string {
	if e.Credentials {
		return "check the network connection and any proxy (HTTPS_PROXY) setting"
	}
	const check = "check the network connection, any proxy (HTTPS_PROXY) or endpoint (AWS_ENDPOINT_URL) setting"
	if e.Region == "" {
		return check
	}
	return check + ", and that " + e.Region + " is the region you mean"
}

// Cause is the transport's own error (`Post "https://...": dial tcp:
// lookup ...: no such host`), without the SDK's retry and request
// wrapping.
func (e *NetworkError) Cause() string {
	var ce interface {
		ConnectionError() bool
		Unwrap() error
	}
	if errors.As(e.Err, &ce) && ce.Unwrap() != nil {
		return ce.Unwrap().Error()
	}
	return e.Err.Error()
}

// connectionError reports whether err is the SDK's "no answer" (smithy's
// RequestSendError and the like mark themselves so).
func connectionError(err error) bool {
	var ce interface{ ConnectionError() bool }
	return errors.As(err, &ce) && ce.ConnectionError()
}

// awsErr is awsErr naming the deployer's region in a NetworkError.
func (d *Deployer) awsErr(err error) error {
	err = awsErr(err)
	var ne *NetworkError
	if errors.As(err, &ne) && d.Clients != nil {
		ne.Region = d.Region
	}
	return err
}

// awsErr wraps an SDK error as an *AWSError, or a *NetworkError when
// the request got no answer; nil, the context's end and errors that are
// not the SDK's pass through.
func awsErr(err error) error {
	if err == nil || contextDone(err) {
		return err
	}
	e := &AWSError{Err: err}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		e.Service, e.Operation = oe.Service(), oe.Operation()
	}
	if oe != nil && connectionError(err) {
		return &NetworkError{Service: e.Service, Operation: e.Operation, Err: err}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code, e.Message = ae.ErrorCode(), ae.ErrorMessage()
	}
	if oe == nil && e.Code == "" {
		return err
	}
	return e
}

// contextDone reports whether err is a request's context ending
// (canceled, or its deadline passed) rather than a timeout of the
// transport's, which net/http also reports as context.DeadlineExceeded
// but inside the failed send (a connection error).
func contextDone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && !connectionError(err)
}

// apiCode is the error code of an AWS error ("" when it is not one).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// apiMessage is the message of an AWS error ("" when it is not one).
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}
