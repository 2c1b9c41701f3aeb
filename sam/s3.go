package sam

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/compiler"
)

// S3 triggers. SAM can subscribe a function only to a bucket declared in
// the same template (bucket_resource: wired natively, as a SAM S3 event).
// For an existing bucket (bucket:) chalc adds:
//
//   - <Fn>S3Permission: lets S3 invoke the function, scoped to the bucket
//     (SourceArn) and the stack's account (SourceAccount);
//   - <Fn>S3Event: a Custom::S3BucketNotification that adds the function's
//     notification to the bucket's configuration, keyed by a stable Id,
//     keeping every other notification the bucket has; on update it moves
//     or rewrites it, on delete it removes only its own; each depends on
//     the previous one, so that no two run at once;
//   - S3NotificationHandler (+Role, LogPolicy, LogGroup): the Lambda behind
//     those custom resources — the same bootstrap, Handler
//     chalc_s3_notifications, with the app's tags, allowed to read and
//     write the notification configuration of these buckets only.

// Logical IDs of the notification handler (names in compiler/names.go).
const (
	IDS3NotificationHandler     = awsfacts.IDS3NotificationHandler
	IDS3NotificationHandlerRole = awsfacts.IDS3NotificationHandler + "Role"
	IDS3NotificationHandlerLogs = awsfacts.IDS3NotificationHandler + "LogPolicy"
	S3NotificationFunction      = awsfacts.S3NotificationFunction
	// IDS3NotificationHandlerLogGroup keeps the handler's logs for
	// s3HandlerRetention days, or the app's log_retention_in_days.
	IDS3NotificationHandlerLogGroup = awsfacts.IDS3NotificationHandler + "LogGroup"
)

// s3Event returns the properties of the native SAM event for a
// bucket_resource trigger.
func s3Event(s *compiler.S3) S3Event {
	ev := S3Event{Bucket: resourceARN(awsfacts.TriggerS3, s.BucketResource), Events: s.Events}
	if f := s3Filter(s); len(f) > 0 {
		rules := make([]S3FilterRule, 0, len(f))
		for _, r := range f {
			rules = append(rules, S3FilterRule{Name: r[0], Value: r[1]})
		}
		ev.Filter = &S3Filter{S3Key: S3KeyFilter{Rules: rules}}
	}
	return ev
}

func s3Filter(s *compiler.S3) [][2]string {
	var out [][2]string
	if s.Prefix != "" {
		out = append(out, [2]string{"prefix", s.Prefix})
	}
	if s.Suffix != "" {
		out = append(out, [2]string{"suffix", s.Suffix})
	}
	return out
}

func bucketARN(bucket string) string {
	return sub("arn:${AWS::Partition}:s3:::" + bucket)
}

// S3Notification is the custom resource subscribing a function to an
// existing bucket; runtime/s3notify implements it.
type S3Notification struct {
	ServiceToken   string
	Bucket         string
	NotificationId string
	FunctionArn    string
	Events         []string
	Prefix         string `json:",omitempty"`
	Suffix         string `json:",omitempty"`

	DependsOn []string `json:"-"`
}

// AWSCloudFormationType implements cloudformation.Resource.
func (r *S3Notification) AWSCloudFormationType() string { return "Custom::S3BucketNotification" }

// MarshalJSON writes the resource envelope.
func (r S3Notification) MarshalJSON() ([]byte, error) {
	type props S3Notification
	return marshalResource(r.AWSCloudFormationType(), props(r), r.DependsOn)
}

// existingBucket emits the permission and custom resource of one function
// subscribed to an existing bucket.
func (g *generator) existingBucket(f *compiler.Function) {
	s := f.S3
	perm := awsfacts.S3PermissionID(f.LogicalID)
	g.t.Resources[perm] = &lambda.Permission{
		FunctionName:  getAtt(f.LogicalID, "Arn"),
		Action:        "lambda:InvokeFunction",
		Principal:     "s3.amazonaws.com",
		SourceAccount: cloudformation.String(ref("AWS::AccountId")),
		SourceArn:     cloudformation.String(bucketARN(s.Bucket)),
	}
	id := awsfacts.EventID(f.LogicalID, awsfacts.TriggerS3)
	res := &S3Notification{
		ServiceToken:   getAtt(IDS3NotificationHandler, "Arn"),
		Bucket:         s.Bucket,
		NotificationId: sub("${AWS::StackName}-" + f.LogicalID),
		FunctionArn:    getAtt(f.LogicalID, "Arn"),
		Events:         s.Events,
		Prefix:         s.Prefix,
		Suffix:         s.Suffix,
	}
	// S3 checks that it may invoke the function; the handler's log
	// policy and log group are in place before it first runs.
	res.DependsOn = []string{perm, IDS3NotificationHandlerLogs, IDS3NotificationHandlerLogGroup}
	// Each request reads the bucket's whole notification configuration
	// and writes it back, and S3 has no conditional write for it: two
	// resources served at once on one bucket would lose one's change.
	// CloudFormation runs independent resources in parallel, on create,
	// update and delete (in reverse), so each depends on the one before
	// it, in registration order. One chain for every bucket, not one per
	// bucket: an update that moves a trigger to another bucket removes it
	// from the old one, which another chain could be writing.
	if g.s3Last != "" {
		res.DependsOn = append(res.DependsOn, g.s3Last)
	}
	g.s3Last = id
	g.t.Resources[id] = res
	g.s3Buckets = appendUnique(g.s3Buckets, s.Bucket)
}

// s3NotificationHandler emits the Lambda that serves the custom resources.
func (g *generator) s3NotificationHandler() {
	if len(g.s3Buckets) == 0 {
		return
	}
	st := g.app.Stage
	var buckets []string
	for _, b := range g.s3Buckets {
		buckets = append(buckets, bucketARN(b))
	}
	g.t.Resources[IDS3NotificationHandlerRole] = &iam.Role{
		AssumeRolePolicyDocument: trustPolicy(),
		Policies: []iam.Role_Policy{{
			PolicyName: IDS3NotificationHandlerRole + "Policy",
			PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: []Statement{
				{Effect: "Allow", Action: []string{"s3:GetBucketNotification", "s3:PutBucketNotification"}, Resource: buckets},
			}},
		}},
	}
	g.t.Resources[IDS3NotificationHandlerLogs] = &iam.RolePolicy{
		RoleName:   ref(IDS3NotificationHandlerRole),
		PolicyName: IDS3NotificationHandlerLogs,
		// Its log group is always in the template (below): no CreateLogGroup.
		PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${" + IDS3NotificationHandler + "}:*"),
		}}},
	}
	// The app's tags and log retention are those a function without a
	// lambda_functions entry gets (top level, then the stage).
	defaults := st.Defaults
	tags := map[string]string{}
	retention := s3HandlerRetention
	if defaults != nil {
		for _, kv := range defaults.Tags {
			tags[kv.Key] = kv.Value
		}
		if defaults.LogRetentionInDays.Set {
			retention = defaults.LogRetentionInDays.V
		}
	}
	tags[TagKey] = compiler.ChalcTagValue(st.Name, g.app.Name)
	fn := &Function{Function: serverless.Function{
		Runtime:       cloudformation.String(Runtime),
		Handler:       cloudformation.String(S3NotificationFunction),
		CodeUri:       &serverless.Function_CodeUri{String: cloudformation.String(awsfacts.CodeURI)},
		Architectures: []string{st.Architecture.V},
		MemorySize:    cloudformation.Int(128),
		Timeout:       cloudformation.Int(60),
		Tags:          tags,
		Role:          cloudformation.String(getAtt(IDS3NotificationHandlerRole, "Arn")),
	}}
	if st.AutomaticLayer.V {
		fn.Layers = []string{ref(awsfacts.IDManagedLayer)}
	}
	g.t.Resources[IDS3NotificationHandler] = fn
	// The group a function's log_retention_in_days makes, always: the
	// handler runs only on deploys, and without one its logs are kept
	// forever. The custom resources depend on it, so it exists before
	// the handler's first run would create it without a retention.
	g.t.Resources[IDS3NotificationHandlerLogGroup] = &logs.LogGroup{
		LogGroupName:    cloudformation.String(sub("/aws/lambda/${" + IDS3NotificationHandler + "}")),
		RetentionInDays: cloudformation.Int(retention),
	}
}

// s3HandlerRetention is how long the notification handler's logs are kept
// when the app sets no log_retention_in_days: long enough to look into a
// deploy a few weeks later.
const s3HandlerRetention = 30
