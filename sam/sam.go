package sam

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// Runtime is the Lambda runtime of every chalc function: the Go binary is
// an OS-only "bootstrap".
const Runtime = "provided.al2023"

// TagKey is the tag chalc puts on every function (Chalice's aws-chalice).
const TagKey = "chalc"

// typedTemplate is a generated template before rendering: goformation's
// typed template, plus the large generic documents (swagger definitions)
// that sit in its interface{} fields as placeholders until value puts
// them in place, so they are not marshalled and decoded again for nothing.
type typedTemplate struct {
	*cloudformation.Template
	bodies map[string]func() (any, error) // placeholder → document (plain)
}

// Generate builds the SAM template of app as plain JSON values (numbers
// kept exact), ready to merge and encode. Goformation's typed template is
// only the step in between: every caller wants the rendered value.
func Generate(app *compiler.App) (map[string]any, error) {
	g := &generator{app: app, t: cloudformation.NewTemplate(), bodies: map[string]func() (any, error){}}
	g.t.Transform = &cloudformation.Transform{String: cloudformation.String("AWS::Serverless-2016-10-31")}
	if err := g.generate(); err != nil {
		return nil, err
	}
	return (&typedTemplate{Template: g.t, bodies: g.bodies}).value()
}

type generator struct {
	app    *compiler.App
	t      *cloudformation.Template
	bodies map[string]func() (any, error)
	// s3Buckets are the existing buckets functions subscribe to.
	s3Buckets []string
	// s3Last is the last custom resource subscribing a function to one
	// of them: the next one waits for it.
	s3Last string
	// roles maps a function's logical ID to its role expression.
	policy *policyBuilder
}

func (g *generator) generate() error {
	g.policy = newPolicyBuilder(g.app)
	g.managedLayer()
	for _, f := range g.app.Functions {
		if err := g.function(f); err != nil {
			return err
		}
	}
	if g.app.APIHandler != nil {
		if err := g.function(g.app.APIHandler); err != nil {
			return err
		}
		if g.app.HTTPAPI() {
			if err := g.httpAPI(); err != nil {
				return err
			}
		} else {
			if err := g.restAPI(); err != nil {
				return err
			}
			if d := g.app.Stage.APICustomDomain; d != nil {
				g.restDomain(d)
			}
		}
	}
	if err := g.websocketAPI(); err != nil {
		return err
	}
	g.s3NotificationHandler()
	return g.policy.emit(g.t)
}

// function emits one AWS::Serverless::Function (plus its log group).
func (g *generator) function(f *compiler.Function) error {
	cfg := f.Config
	if cfg == nil {
		return fmt.Errorf("function %s has no resolved config", f.Name)
	}
	st := g.app.Stage
	fn := serverless.Function{
		Runtime:       cloudformation.String(Runtime),
		Handler:       cloudformation.String(f.Name),
		CodeUri:       &serverless.Function_CodeUri{String: cloudformation.String(awsfacts.CodeURI)},
		Architectures: []string{st.Architecture.V},
		MemorySize:    cloudformation.Int(cfg.MemorySize.V),
		Timeout:       cloudformation.Int(cfg.Timeout.V),
		Tracing:       cloudformation.String("PassThrough"),
		Tags:          map[string]string{},
	}
	if cfg.XRay.V {
		fn.Tracing = cloudformation.String("Active")
	}
	for _, kv := range cfg.Tags {
		fn.Tags[kv.Key] = kv.Value
	}
	fn.Tags[TagKey] = compiler.ChalcTagValue(st.Name, g.app.Name)
	if len(cfg.Environment) > 0 {
		vars := map[string]string{}
		for _, kv := range cfg.Environment {
			vars[kv.Key] = kv.Value
			if in, ok := kv.Intrinsic.(map[string]any); ok {
				// Written in the manifest as an intrinsic (!Ref Table):
				// a token, never a string read as one.
				vars[kv.Key] = mint(in)
			}
		}
		fn.Environment = &serverless.Function_FunctionEnvironment{Variables: vars}
	}
	if len(cfg.SubnetIDs.V) > 0 && len(cfg.SecurityGroupIDs.V) > 0 {
		fn.VpcConfig = &serverless.Function_VpcConfig{SubnetIds: cfg.SubnetIDs.V, SecurityGroupIds: cfg.SecurityGroupIDs.V}
	}
	if cfg.ReservedConcurrency.Set {
		fn.ReservedConcurrentExecutions = cloudformation.Int(cfg.ReservedConcurrency.V)
	}
	if st.AutomaticLayer.V {
		fn.Layers = append(fn.Layers, ref(awsfacts.IDManagedLayer))
	}
	fn.Layers = append(fn.Layers, cfg.Layers.V...)
	role, err := g.policy.roleFor(f)
	if err != nil {
		return err
	}
	fn.Role = cloudformation.String(role)
	out := &Function{Function: fn}
	if ev, ok := g.event(f); ok {
		out.Events = map[string]Event{f.EventID(): ev}
	}
	if f.S3 != nil && f.S3.Bucket != "" {
		g.existingBucket(f)
	}
	g.t.Resources[f.LogicalID] = out
	if cfg.LogRetentionInDays.Set {
		g.t.Resources[awsfacts.LogGroupID(f.LogicalID)] = &logs.LogGroup{
			LogGroupName:    cloudformation.String(sub("/aws/lambda/${" + f.LogicalID + "}")),
			RetentionInDays: cloudformation.Int(cfg.LogRetentionInDays.V),
		}
	}
	if f.Kind == compiler.FuncAuthorizer {
		// API Gateway invokes an authorizer as the authorizer
		// (<api>/authorizers/<id>), never as a method.
		g.t.Resources[awsfacts.InvokePermissionID(f.LogicalID)] = g.apiPermission(getAtt(f.LogicalID, "Arn"), "authorizers/*")
	}
	if f.URL != nil {
		g.functionURL(f)
	}
	return nil
}

// partitionSub builds an ARN for a resource in the stack's account and
// region: "arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<rest>".
func partitionSub(service, rest string) string {
	return sub("arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + rest)
}

// event is the SAM event of f's trigger. Its type is
// compiler.SAMEventType's, the same the compiler claims the transform's
// logical IDs for; false when f has none.
func (g *generator) event(f *compiler.Function) (Event, bool) {
	typ := f.SAMEventType()
	if typ == "" {
		return Event{}, false // no trigger, or an S3 trigger on an existing bucket: see s3.go
	}
	failures := func(on bool) []string {
		if on {
			return []string{"ReportBatchItemFailures"}
		}
		return nil
	}
	var props any
	switch f.Kind {
	case compiler.FuncSchedule:
		props = ScheduleEvent{Schedule: f.Schedule.Expression, Description: f.Schedule.Description}
	case compiler.FuncCloudWatch:
		props = CloudWatchEventEvent{Pattern: f.CloudWatch.EventPattern}
	case compiler.FuncSNS:
		props = SNSEvent{Topic: topicARN(f.SNS)}
	case compiler.FuncSQS:
		q := f.SQS
		ev := SQSEvent{Queue: sqsARN(q), BatchSize: q.BatchSize, MaximumBatchingWindowInSeconds: q.MaximumBatchingWindow,
			FunctionResponseTypes: failures(q.ReportBatchItemFailures)}
		if q.MaximumConcurrency > 0 {
			ev.ScalingConfig = &ScalingConfig{MaximumConcurrency: q.MaximumConcurrency}
		}
		props = ev
	case compiler.FuncKinesis:
		k := f.Kinesis
		props = StreamEvent{Stream: kinesisARN(k), BatchSize: k.BatchSize,
			StartingPosition: k.StartingPosition, MaximumBatchingWindowInSeconds: k.MaximumBatchingWindow,
			FunctionResponseTypes: failures(k.ReportBatchItemFailures)}
	case compiler.FuncS3:
		props = s3Event(f.S3)
	case compiler.FuncDynamoDB:
		d := f.DynamoDB
		props = StreamEvent{Stream: dynamoDBStreamARN(d), BatchSize: d.BatchSize,
			StartingPosition: d.StartingPosition, MaximumBatchingWindowInSeconds: d.MaximumBatchingWindow,
			FunctionResponseTypes: failures(d.ReportBatchItemFailures)}
	default:
		return Event{}, false
	}
	return Event{Type: typ, Properties: props}, true
}

// The ARNs of event sources: given, built from a name in the stack's
// account and region, or the attribute of a resource a merge template
// defines (*_resource; awsfacts.TriggerResources says which).

// resourceARN is how a trigger's event names the resource id of a merge
// template.
func resourceARN(t awsfacts.Trigger, id string) string {
	if attr := awsfacts.TriggerResources[t].Attribute; attr != "" {
		return getAtt(id, attr)
	}
	return ref(id)
}

func topicARN(s *compiler.SNS) string {
	switch {
	case s.TopicResource != "":
		return resourceARN(awsfacts.TriggerSNS, s.TopicResource)
	case isARN(s.Topic):
		return s.Topic
	}
	return partitionSub("sns", s.Topic)
}

func sqsARN(q *compiler.SQS) string {
	switch {
	case q.QueueResource != "":
		return resourceARN(awsfacts.TriggerSQS, q.QueueResource)
	case q.QueueARN != "":
		return q.QueueARN
	}
	return partitionSub("sqs", q.Queue)
}

func kinesisARN(k *compiler.Kinesis) string {
	switch {
	case k.StreamResource != "":
		return resourceARN(awsfacts.TriggerKinesis, k.StreamResource)
	case k.StreamARN != "":
		return k.StreamARN
	}
	return partitionSub("kinesis", "stream/"+k.Stream)
}

func dynamoDBStreamARN(d *compiler.DynamoDB) string {
	if d.StreamResource != "" {
		return resourceARN(awsfacts.TriggerDynamoDB, d.StreamResource)
	}
	return d.StreamARN
}

// dynamoDBTableStreams is what dynamodb:ListStreams is allowed on: the
// streams of the table the trigger reads ("" when its stream ARN names
// no table).
func dynamoDBTableStreams(d *compiler.DynamoDB) string {
	if d.StreamResource != "" {
		return sub("${" + d.StreamResource + ".Arn}/stream/*")
	}
	if i := strings.Index(d.StreamARN, "/stream/"); i > 0 {
		return d.StreamARN[:i] + "/stream/*"
	}
	return ""
}

func isARN(s string) bool { return len(s) > 4 && s[:4] == "arn:" }

type lambdaPermission = lambda.Permission

// apiPermission lets the stage's API (the REST API, or the HTTP API)
// invoke a function, scoped by SourceArn to the API's ARNs under scope:
// "*" for its methods (<api>/<stage>/<METHOD>/<path>), "authorizers/*"
// for its authorizers.
func (g *generator) apiPermission(functionName, scope string) *lambda.Permission {
	api := awsfacts.IDRestAPI
	if g.app.HTTPAPI() {
		api = awsfacts.IDHTTPAPI
	}
	return &lambda.Permission{
		FunctionName: functionName,
		Action:       "lambda:InvokeFunction",
		Principal:    "apigateway.amazonaws.com",
		SourceArn:    cloudformation.String(sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + api + "}/" + scope)),
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Origins maps the JSON pointers of the template's values that the
// manifest writes as references to resources — environment variables
// written as intrinsics, *_resource keys — to where the manifest writes
// them, so that the checks of the merged template report a dangling
// reference or a dependency cycle at the manifest's line.
func Origins(app *compiler.App) map[string]diag.Range {
	out := map[string]diag.Range{}
	fns := app.Functions
	if app.APIHandler != nil {
		fns = append([]*compiler.Function{app.APIHandler}, fns...)
	}
	for _, f := range fns {
		if f.Config != nil {
			for _, kv := range f.Config.Environment {
				if kv.Intrinsic != nil {
					out[jsonvalue.Pointer("Resources", f.LogicalID, "Properties", "Environment", "Variables", kv.Key)] = kv.From
				}
			}
		}
		var at diag.Range
		switch {
		case f.S3 != nil && f.S3.BucketResource != "":
			at = f.S3.BucketResourceAt
		case f.SNS != nil && f.SNS.TopicResource != "":
			at = f.SNS.ResourceAt
		case f.SQS != nil && f.SQS.QueueResource != "":
			at = f.SQS.ResourceAt
		case f.Kinesis != nil && f.Kinesis.StreamResource != "":
			at = f.Kinesis.ResourceAt
		case f.DynamoDB != nil && f.DynamoDB.StreamResource != "":
			at = f.DynamoDB.ResourceAt
		default:
			continue
		}
		typ := f.SAMEventType()
		out[jsonvalue.Pointer("Resources", f.LogicalID, "Properties", "Events", f.EventID(), "Properties", awsfacts.SAMEventSourceProperty(typ))] = at
	}
	return out
}
