package sam

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

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
//     or rewrites it, on delete it removes only its own;
//   - S3NotificationHandler (+Role): the Lambda behind those custom
//     resources — the same bootstrap, Handler chalc_s3_notifications,
//     allowed to read and write the notification configuration of these
//     buckets only.

// Logical IDs of the notification handler (names in compiler/names.go).
const (
	IDS3NotificationHandler     = compiler.IDS3NotificationHandler
	IDS3NotificationHandlerRole = compiler.IDS3NotificationHandler + "Role"
	IDS3NotificationHandlerLogs = compiler.IDS3NotificationHandler + "LogPolicy"
	S3NotificationFunction      = compiler.S3NotificationFunction
)

// s3Event returns the native SAM event for a bucket_resource trigger.
func s3Event(s *compiler.S3) Event {
	ev := S3Event{Bucket: cloudformation.Ref(s.BucketResource), Events: s.Events}
	if f := s3Filter(s); len(f) > 0 {
		rules := make([]S3FilterRule, 0, len(f))
		for _, r := range f {
			rules = append(rules, S3FilterRule{Name: r[0], Value: r[1]})
		}
		ev.Filter = &S3Filter{S3Key: S3KeyFilter{Rules: rules}}
	}
	return Event{Type: "S3", Properties: ev}
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
	return cloudformation.Sub("arn:${AWS::Partition}:s3:::" + bucket)
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
	perm := compiler.S3PermissionID(f.LogicalID)
	g.t.Resources[perm] = &lambda.Permission{
		FunctionName:  cloudformation.GetAtt(f.LogicalID, "Arn"),
		Action:        "lambda:InvokeFunction",
		Principal:     "s3.amazonaws.com",
		SourceAccount: cloudformation.String(cloudformation.Ref("AWS::AccountId")),
		SourceArn:     cloudformation.String(bucketARN(s.Bucket)),
	}
	g.t.Resources[compiler.EventID(f.LogicalID, compiler.FuncS3)] = &S3Notification{
		ServiceToken:   cloudformation.GetAtt(IDS3NotificationHandler, "Arn"),
		Bucket:         s.Bucket,
		NotificationId: cloudformation.Sub("${AWS::StackName}-" + f.LogicalID),
		FunctionArn:    cloudformation.GetAtt(f.LogicalID, "Arn"),
		Events:         s.Events,
		Prefix:         s.Prefix,
		Suffix:         s.Suffix,
		// S3 checks that it may invoke the function; the handler's log
		// policy is in place before it first runs.
		DependsOn: []string{perm, IDS3NotificationHandlerLogs},
	}
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
		RoleName:   cloudformation.Ref(IDS3NotificationHandlerRole),
		PolicyName: IDS3NotificationHandlerLogs,
		PolicyDocument: PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: cloudformation.Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${" + IDS3NotificationHandler + "}*"),
		}}},
	}
	fn := &Function{Function: serverless.Function{
		Runtime:       cloudformation.String(Runtime),
		Handler:       cloudformation.String(S3NotificationFunction),
		CodeUri:       &serverless.Function_CodeUri{String: cloudformation.String(CodeURI)},
		Architectures: []string{st.Architecture.V},
		MemorySize:    cloudformation.Int(128),
		Timeout:       cloudformation.Int(60),
		Tags:          map[string]string{TagKey: "stage=" + st.Name + ":app=" + g.app.Name},
		Role:          cloudformation.String(cloudformation.GetAtt(IDS3NotificationHandlerRole, "Arn")),
	}}
	if st.AutomaticLayer.V {
		fn.Layers = []string{cloudformation.Ref(compiler.IDManagedLayer)}
	}
	g.t.Resources[IDS3NotificationHandler] = fn
}
