package compiler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/manifest"
)

func suggestName(got string, names []string) string { return suggest.Closest(got, names) }

// reservedNames are function names chalc gives its own Lambdas.
var reservedNames = map[string]string{
	"api_handler":                   "the REST API's handler",
	awsfacts.S3NotificationFunction: "the Lambda that subscribes functions to existing S3 buckets",
	"websocket_connect":             "the websocket connect handler",
	"websocket_message":             "the websocket message handler",
	"websocket_disconnect":          "the websocket disconnect handler",
}

func (c *checker) functions() {
	for _, f := range c.m.Functions {
		c.function(f, blueprintScope{})
	}
	c.flushPending()
	c.websocket()
}

func (c *checker) fragmentFunctions(s blueprintScope) {
	for _, f := range s.fragment.Functions {
		c.function(f, s)
	}
	c.flushPending()
	// Middleware applies app-wide (as Chalice's blueprint middleware):
	// a fragment registered twice adds it once, not twice.
	if !c.middlewareDone[s.fragment] {
		c.middlewareDone[s.fragment] = true
		for _, mw := range s.fragment.Middleware {
			c.middlewareEntry(mw)
		}
	}
}

func (c *checker) flushPending() {
	for _, fn := range c.pendingFns {
		c.addFunction(fn)
	}
	c.pendingFns = nil
}

func (c *checker) addFunction(fn *Function) {
	c.app.Functions = append(c.app.Functions, fn)
}

var triggerKinds = map[string]FunctionKind{
	"schedule": FuncSchedule, "cloudwatch_event": FuncCloudWatch, "s3": FuncS3, "sns": FuncSNS,
	"sqs": FuncSQS, "kinesis": FuncKinesis, "dynamodb": FuncDynamoDB, "url": FuncURL,
}

func (c *checker) function(f *manifest.Function, s blueprintScope) {
	name := s.name(f.Name.V)
	if what, ok := reservedNames[name]; ok {
		d := c.ds.Errorf(diag.FunctionName, f.Name.Key, "function name %q is reserved for %s", name, what).Hint("choose another name")
		if s.fragment != nil {
			d.Note(s.entry.NamePrefix.At(), "the name_prefix makes it %q", name)
		}
	}
	fn := &Function{Name: name, Kind: FuncPure, At: f.Name.Key,
		Handler: &HandlerRef{Package: c.fragmentPackage(f.Fragment), Name: f.Handler.V, At: f.Handler.At()}}
	if s.entry != nil && s.entry.NamePrefix.Set {
		c.namePrefixAt[fn] = s.entry.NamePrefix.At()
	}
	if len(f.Triggers) > 1 {
		t := f.Triggers[1]
		c.ds.Errorf(diag.FunctionTriggers, t.Key, "function %q has two triggers, %s and %s; a function has at most one", f.Name.V, f.Triggers[0].V, t.V).
			Hint("declare a second function for it; one Go func may back several functions")
	}
	if len(f.Triggers) > 0 {
		fn.Kind = triggerKinds[f.Triggers[0].V]
	}
	// A trigger whose values take stage values is checked stage by
	// stage (stagevalues.go): ${env:BUCKET} is a bucket name only once
	// expanded.
	trigger := f.Triggers
	switch fn.Kind {
	case FuncSchedule:
		stageValue(c, name, f.Schedule, func(s *manifest.Schedule) { fn.Schedule = c.schedule(s) })
	case FuncCloudWatch:
		c.cloudWatch(fn, f.CloudWatchEvent)
	case FuncS3:
		stageValue(c, name, f.S3, func(s *manifest.S3Source) { fn.S3 = c.s3(s, trigger[0]) })
	case FuncSNS:
		stageValue(c, name, f.SNS, func(s *manifest.SNSSource) { fn.SNS = c.sns(s, trigger[0]) })
	case FuncSQS:
		c.sqsSources[fn] = f.SQS
		stageValue(c, name, f.SQS, func(s *manifest.SQSSource) { fn.SQS = c.sqs(s, trigger[0]) })
	case FuncKinesis:
		stageValue(c, name, f.Kinesis, func(s *manifest.KinesisSource) { fn.Kinesis = c.kinesis(s, trigger[0]) })
	case FuncDynamoDB:
		stageValue(c, name, f.DynamoDB, func(s *manifest.DynamoDBSource) { fn.DynamoDB = c.dynamodb(s, trigger[0]) })
	case FuncURL:
		fn.URL = c.functionURL(name, f.URL, trigger[0])
	}
	c.use(fn.Handler, handlerKindFor(fn), fn)
	c.addFunction(fn)
}

// s3Events are the notification types S3 accepts.
var s3Events = []string{
	"s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
	"s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
	"s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
	"s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:ReducedRedundancyLostObject",
	"s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
	"s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
	"s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
	"s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectTagging:*", "s3:ObjectTagging:Put",
	"s3:ObjectTagging:Delete", "s3:ObjectAcl:Put", "s3:ObjectRestore:*",
}

func (c *checker) s3(s *manifest.S3Source, trigger manifest.Value[string]) *S3 {
	out := &S3{Bucket: s.Bucket.V, BucketResource: s.BucketResource.V, Prefix: s.Prefix.V, Suffix: s.Suffix.V, At: trigger.Key,
		BucketResourceAt: s.BucketResource.Range}
	switch {
	case s.Bucket.Set && s.BucketResource.Set:
		c.ds.Errorf(diag.S3Trigger, s.BucketResource.Key, "set either bucket or bucket_resource, not both").
			Hint("bucket names an existing bucket; bucket_resource a bucket your merge template declares")
	case !s.Bucket.Set && !s.BucketResource.Set:
		c.ds.Errorf(diag.S3Trigger, trigger.Key, "s3 needs bucket (an existing bucket's name) or bucket_resource (a bucket in your merge template)")
	case s.Bucket.Set && !awsfacts.BucketName.MatchString(s.Bucket.V):
		d := c.ds.Errorf(diag.S3Trigger, s.Bucket.Range, "%q is not a valid S3 bucket name", s.Bucket.V)
		if strings.HasPrefix(s.Bucket.V, "arn:") || strings.HasPrefix(s.Bucket.V, "s3://") {
			d.Hint("give the bucket's name, not its ARN or URL")
		} else {
			d.Hint("bucket names are 3-63 characters of lower-case letters, digits, \".\" and \"-\"")
		}
	}
	out.Events = s.Events.Strings()
	if !s.Events.Set {
		out.Events = []string{"s3:ObjectCreated:*"}
	}
	for _, e := range s.Events.Items {
		known := false
		for _, k := range s3Events {
			known = known || k == e.V
		}
		if !known {
			d := c.ds.Errorf(diag.S3EventType, e.Range, "%q is not an S3 event type", e.V)
			if sug := suggestName(e.V, s3Events); sug != "" {
				d.Hint("did you mean %q?", sug)
			} else {
				d.Hint("e.g. s3:ObjectCreated:* or s3:ObjectRemoved:*")
			}
		}
	}
	return out
}

// s3Overlaps reports two functions subscribed to one bucket whose
// notifications overlap, which S3 refuses ("Configurations overlap"):
// they share an event type and an object key can match both filters.
func (c *checker) s3Overlaps() {
	var seen []*Function
	for _, f := range c.app.Functions {
		if f.S3 == nil || c.duplicate[f] {
			continue
		}
		for _, o := range seen {
			if !sameBucket(f.S3, o.S3) {
				continue
			}
			event, ok := s3EventOverlap(f.S3.Events, o.S3.Events)
			if !ok || !affixesOverlap(f.S3.Prefix, o.S3.Prefix, strings.HasPrefix) || !affixesOverlap(f.S3.Suffix, o.S3.Suffix, strings.HasSuffix) {
				continue
			}
			bucket := f.S3.Bucket
			if bucket == "" {
				bucket = f.S3.BucketResource
			}
			c.ds.Errorf(diag.S3Overlap, f.S3.At, "the S3 notifications of functions %q and %q overlap: both get %s for %s in bucket %s, and S3 refuses overlapping configurations",
				o.Name, f.Name, event, s3Keys(f.S3, o.S3), bucket).
				Note(o.S3.At, "%q subscribes here", o.Name).
				Hint("give them prefixes or suffixes that no key matches both of, or event types that do not overlap, or handle both in one function")
			break
		}
		seen = append(seen, f)
	}
}

func sameBucket(a, b *S3) bool {
	return (a.Bucket != "" && a.Bucket == b.Bucket) || (a.BucketResource != "" && a.BucketResource == b.BucketResource)
}

// s3EventOverlap returns an event type both lists receive: equal types,
// or a wildcard (s3:ObjectCreated:*) and a type it covers.
func s3EventOverlap(a, b []string) (string, bool) {
	covers := func(w, e string) bool {
		return strings.HasSuffix(w, ":*") && strings.HasPrefix(e, strings.TrimSuffix(w, "*"))
	}
	for _, x := range a {
		for _, y := range b {
			switch {
			case x == y || covers(x, y):
				return y, true
			case covers(y, x):
				return x, true
			}
		}
	}
	return "", false
}

// affixesOverlap: two prefix (or suffix) filters overlap when some key
// matches both, that is when one is empty or extends the other.
func affixesOverlap(a, b string, extends func(s, affix string) bool) bool {
	return extends(a, b) || extends(b, a)
}

// s3Keys describes the keys two overlapping filters both match.
func s3Keys(a, b *S3) string {
	longer := func(x, y string) string {
		if len(x) >= len(y) {
			return x
		}
		return y
	}
	prefix, suffix := longer(a.Prefix, b.Prefix), longer(a.Suffix, b.Suffix)
	switch {
	case prefix != "" && suffix != "":
		return fmt.Sprintf("keys starting with %q and ending in %q", prefix, suffix)
	case prefix != "":
		return fmt.Sprintf("keys starting with %q", prefix)
	case suffix != "":
		return fmt.Sprintf("keys ending in %q", suffix)
	}
	return "every key"
}

func (c *checker) sns(s *manifest.SNSSource, trigger manifest.Value[string]) *SNS {
	out := &SNS{Topic: s.Topic.V, TopicResource: s.TopicResource.V, ResourceAt: s.TopicResource.Range}
	switch {
	case s.Topic.Set && s.TopicResource.Set:
		c.ds.Errorf(diag.SNSTopic, s.TopicResource.Key, "set either topic or topic_resource, not both").
			Hint("topic names an existing topic (name or ARN); topic_resource a topic your merge template declares")
	case !s.Topic.Set && !s.TopicResource.Set:
		c.ds.Errorf(diag.SNSTopic, trigger.Key, "sns needs topic (an existing topic's name or ARN) or topic_resource (a topic in your merge template)")
	case !s.Topic.Set:
	case strings.HasPrefix(s.Topic.V, "arn:"):
		c.arn(s.Topic, "sns", "", "an SNS topic")
	case !awsfacts.TopicName.MatchString(s.Topic.V):
		c.ds.Errorf(diag.SNSTopic, s.Topic.Range, "%q is not an SNS topic name or ARN", s.Topic.V).
			Hint("topic names are up to 256 letters, digits, \"_\" and \"-\"")
	}
	return out
}

func (c *checker) sqs(s *manifest.SQSSource, trigger manifest.Value[string]) *SQS {
	out := &SQS{Queue: s.Queue.V, QueueARN: s.QueueARN.V, QueueResource: s.QueueResource.V, ResourceAt: s.QueueResource.Range, BatchSize: 1,
		MaximumConcurrency: s.MaximumConcurrency.V, ReportBatchItemFailures: s.ReportBatchItemFailures.V}
	if s.BatchSize.Set {
		out.BatchSize = s.BatchSize.V
	}
	out.MaximumBatchingWindow = s.MaximumBatchingWindowInSeconds.V
	switch {
	case countSet(s.Queue, s.QueueARN, s.QueueResource) > 1:
		second := s.QueueARN
		if !s.Queue.Set || !s.QueueARN.Set {
			second = s.QueueResource
		}
		c.ds.Errorf(diag.SQSQueue, second.Key, "set one of queue, queue_arn and queue_resource, not more").
			Hint("queue is a name in this account and region; queue_arn any queue; queue_resource a queue your merge template declares")
	case !s.Queue.Set && !s.QueueARN.Set && !s.QueueResource.Set:
		c.ds.Errorf(diag.SQSQueue, trigger.Key, "sqs needs queue (the queue's name), queue_arn or queue_resource (a queue in your merge template)")
	case s.Queue.Set && (strings.HasPrefix(s.Queue.V, "https:") || strings.HasPrefix(s.Queue.V, "http:")):
		c.ds.Errorf(diag.SQSQueue, s.Queue.Range, "queue must be the queue's name, not its URL").
			Hint("write queue: %s", s.Queue.V[strings.LastIndex(s.Queue.V, "/")+1:])
	case s.Queue.Set && strings.HasPrefix(s.Queue.V, "arn:"):
		c.ds.Errorf(diag.SQSQueue, s.Queue.Range, "queue must be the queue's name, not its ARN").
			Hint("write queue_arn: %s instead", s.Queue.V)
	case s.Queue.Set && !awsfacts.QueueName.MatchString(s.Queue.V):
		c.ds.Errorf(diag.SQSQueue, s.Queue.Range, "%q is not an SQS queue name", s.Queue.V).
			Hint("queue names are up to 80 letters, digits, \"_\" and \"-\", with .fifo for FIFO queues")
	case s.QueueARN.Set:
		c.arn(s.QueueARN, "sqs", "", "an SQS queue")
	}
	fifo := strings.HasSuffix(s.Queue.V, ".fifo") || strings.HasSuffix(s.QueueARN.V, ".fifo")
	c.sqsBatch(s, out, fifo)
	return out
}

// sqsBatch applies SQS's batching limits; fifo says whether the queue is
// a FIFO queue (for queue_resource, its merge template says).
func (c *checker) sqsBatch(s *manifest.SQSSource, out *SQS, fifo bool) {
	switch {
	case fifo && out.BatchSize > awsfacts.MaxFIFOBatchSize:
		c.ds.Errorf(diag.SQSBatch, s.BatchSize.Range, "batch_size %d is too large for a FIFO queue; the limit is %d", out.BatchSize, awsfacts.MaxFIFOBatchSize).
			Hint("use batch_size: %d or less", awsfacts.MaxFIFOBatchSize)
	case fifo && out.MaximumBatchingWindow > 0:
		c.ds.Errorf(diag.SQSBatch, s.MaximumBatchingWindowInSeconds.Range, "FIFO queues do not support a batching window").
			Hint("remove maximum_batching_window_in_seconds")
	case !fifo && out.BatchSize > awsfacts.MaxFIFOBatchSize && out.MaximumBatchingWindow < 1:
		d := c.ds.Errorf(diag.SQSBatch, s.BatchSize.Range, "batch_size %d needs a batching window: over %d messages, SQS requires maximum_batching_window_in_seconds of at least 1", out.BatchSize, awsfacts.MaxFIFOBatchSize)
		if s.MaximumBatchingWindowInSeconds.Set {
			d.Hint("set maximum_batching_window_in_seconds to 1 or more, or use batch_size: %d", awsfacts.MaxFIFOBatchSize)
		} else {
			d.Hint("add maximum_batching_window_in_seconds: 1 (or more), or use batch_size: %d", awsfacts.MaxFIFOBatchSize)
		}
	}
}

// countSet counts the values set.
func countSet(vs ...manifest.Value[string]) int {
	n := 0
	for _, v := range vs {
		if v.Set {
			n++
		}
	}
	return n
}

func (c *checker) kinesis(s *manifest.KinesisSource, trigger manifest.Value[string]) *Kinesis {
	out := &Kinesis{Stream: s.Stream.V, StreamARN: s.StreamARN.V, StreamResource: s.StreamResource.V, ResourceAt: s.StreamResource.Range,
		BatchSize: 100, StartingPosition: "LATEST",
		MaximumBatchingWindow: s.MaximumBatchingWindowInSeconds.V, ReportBatchItemFailures: s.ReportBatchItemFailures.V}
	if s.BatchSize.Set {
		out.BatchSize = s.BatchSize.V
	}
	if s.StartingPosition.Set {
		out.StartingPosition = s.StartingPosition.V
	}
	switch {
	case countSet(s.Stream, s.StreamARN, s.StreamResource) > 1:
		second := s.StreamARN
		if !s.Stream.Set || !s.StreamARN.Set {
			second = s.StreamResource
		}
		c.ds.Errorf(diag.StreamSource, second.Key, "set one of stream, stream_arn and stream_resource, not more").
			Hint("stream is a name in this account and region; stream_arn any stream; stream_resource a stream your merge template declares")
	case !s.Stream.Set && !s.StreamARN.Set && !s.StreamResource.Set:
		c.ds.Errorf(diag.StreamSource, trigger.Key, "kinesis needs stream (the stream's name), stream_arn or stream_resource (a stream in your merge template)")
	case s.Stream.Set && strings.HasPrefix(s.Stream.V, "arn:"):
		c.ds.Errorf(diag.StreamSource, s.Stream.Range, "stream must be the stream's name, not its ARN").Hint("write stream_arn: %s instead", s.Stream.V)
	case s.StreamARN.Set:
		c.arn(s.StreamARN, "kinesis", "stream/", "a Kinesis stream")
	}
	return out
}

func (c *checker) dynamodb(s *manifest.DynamoDBSource, trigger manifest.Value[string]) *DynamoDB {
	out := &DynamoDB{StreamARN: s.StreamARN.V, StreamResource: s.StreamResource.V, ResourceAt: s.StreamResource.Range,
		BatchSize: 100, StartingPosition: "LATEST",
		MaximumBatchingWindow: s.MaximumBatchingWindowInSeconds.V, ReportBatchItemFailures: s.ReportBatchItemFailures.V}
	if s.BatchSize.Set {
		out.BatchSize = s.BatchSize.V
	}
	if s.StartingPosition.Set {
		out.StartingPosition = s.StartingPosition.V
	}
	switch {
	case s.StreamARN.Set && s.StreamResource.Set:
		c.ds.Errorf(diag.StreamSource, s.StreamResource.Key, "set either stream_arn or stream_resource, not both").
			Hint("stream_arn is an existing table's stream; stream_resource a table your merge template declares")
	case !s.StreamARN.Set && !s.StreamResource.Set:
		c.ds.Errorf(diag.StreamSource, trigger.Key, "dynamodb needs stream_arn (a table's stream ARN) or stream_resource (a table in your merge template)")
	}
	if s.StreamARN.Set && c.arn(s.StreamARN, "dynamodb", "table/", "a DynamoDB stream") && !strings.Contains(s.StreamARN.V, "/stream/") {
		c.ds.Errorf(diag.StreamSource, s.StreamARN.Range, "%q is a table ARN, not a stream ARN", s.StreamARN.V).
			Hint("the stream ARN ends in /stream/<timestamp>; find it with `aws dynamodbstreams list-streams`")
	}
	return out
}

func (c *checker) websocket() {
	w := c.m.Websocket
	if w == nil {
		return
	}
	ws := &Websocket{}
	add := func(v manifest.Value[string], name, route string) *Function {
		if !v.Set {
			return nil
		}
		fn := &Function{Name: name, Kind: FuncWebsocket, WebsocketRoute: route, At: v.Key,
			Handler: &HandlerRef{Package: c.app.Handlers, Name: v.V, At: v.Range}}
		c.use(fn.Handler, handlerWebsocket, fn)
		c.addFunction(fn)
		return fn
	}
	ws.Connect = add(w.Connect, "websocket_connect", "$connect")
	ws.Message = add(w.Message, "websocket_message", "$default")
	ws.Disconnect = add(w.Disconnect, "websocket_disconnect", "$disconnect")
	if ws.Connect == nil && ws.Message == nil && ws.Disconnect == nil {
		c.ds.Errorf(diag.WebsocketEmpty, w.Range, "websocket needs at least one of connect, message and disconnect")
		return
	}
	c.app.Websocket = ws
}

func (c *checker) middleware() {
	for _, mw := range c.m.Middleware {
		c.middlewareEntry(mw)
	}
}

func (c *checker) middlewareEntry(mw *manifest.Middleware) {
	kind := "all"
	if mw.EventType.Set {
		kind = mw.EventType.V
	}
	m := &Middleware{EventType: kind,
		Handler: HandlerRef{Package: c.fragmentPackage(mw.Fragment), Name: mw.Handler.V, At: mw.Handler.At()}}
	c.use(&m.Handler, handlerMiddleware, m)
	c.app.Middleware = append(c.app.Middleware, m)
}

// uniqueNames creates the API handler and reports two functions with one
// name (possible through blueprints' name_prefix).
func (c *checker) uniqueNames() {
	if len(c.app.Routes) > 0 {
		c.app.APIHandler = &Function{Name: awsfacts.APIHandlerFunctionName, Kind: FuncAPI, LogicalID: awsfacts.IDAPIHandler}
	}
	seen := map[string]*Function{}
	for _, f := range c.app.Functions {
		if o, ok := seen[f.Name]; ok {
			d := c.ds.Errorf(diag.FunctionName, f.At, "function name %q is used twice", f.Name).
				Note(o.At, "first used here").
				Hint("function names (functions:, builtin authorizers, with blueprint name_prefix) must be unique")
			if p, ok := c.namePrefixAt[f]; ok {
				d.Note(p, "this blueprint's name_prefix makes it %q", f.Name)
			}
			c.duplicate[f] = true
			continue
		}
		seen[f.Name] = f
	}
}

// logicalIDs assigns each function its logical ID and reports two
// generated resources that would share one (foo_bar and foo-bar), naming
// both sources.
func (c *checker) logicalIDs() {
	c.ids = map[string]idOwner{}
	ids, claim := c.ids, c.claimID
	type owner = idOwner
	for _, fixed := range []string{awsfacts.IDRestAPI, awsfacts.IDHTTPAPI, awsfacts.IDHTTPAPIStage, awsfacts.IDHTTPAPIAccessLogGroup,
		awsfacts.IDHTTPAPICustomDomain, awsfacts.IDHTTPAPIDomainMapping, awsfacts.IDDefaultRole, awsfacts.IDManagedLayer, awsfacts.IDWebsocketAPI, awsfacts.IDWebsocketDeployment,
		awsfacts.IDS3NotificationHandler, awsfacts.IDS3NotificationHandler + "Role", awsfacts.IDS3NotificationHandler + "LogPolicy", awsfacts.IDS3NotificationHandler + "LogGroup", "DefaultRoleLogPolicy",
		awsfacts.IDWebsocketStage, awsfacts.IDAPICustomDomain, awsfacts.IDAPIDomainMapping, awsfacts.IDWebsocketDomain, awsfacts.IDWebsocketDomainMap,
		awsfacts.InvokePermissionID(awsfacts.IDAPIHandler)} {
		ids[fixed] = owner{what: "chalc's " + fixed, at: diag.Range{}}
	}
	if c.app.APIHandler != nil {
		ids[awsfacts.IDAPIHandler] = owner{what: "the API handler", at: diag.Range{}}
		if !c.app.Stage.HTTPAPI() {
			stage := awsfacts.RestAPIStageID(c.app.Stage.APIGatewayStage.V)
			ids[stage] = owner{what: "the REST API's stage (SAM names it after api_gateway_stage)", at: c.app.Stage.APIGatewayStage.From}
		}
		if cfg := c.app.APIHandler.Config; cfg != nil {
			if !cfg.AutogenPolicy.V && cfg.ManageIAMRole.V {
				claim(awsfacts.FunctionRoleID(awsfacts.APIHandlerFunctionName), "the API handler's role", diag.Range{})
			}
			if cfg.LogRetentionInDays.Set {
				claim(awsfacts.LogGroupID(awsfacts.IDAPIHandler), "the API handler's log group", diag.Range{})
			}
		}
	}
	for _, f := range c.app.Functions {
		if f.Name == "" || c.duplicate[f] {
			continue
		}
		id := awsfacts.LogicalID(f.Name)
		f.LogicalID = id
		what := fmt.Sprintf("function %q", f.Name)
		if id == "" {
			c.ds.Errorf(diag.FunctionName, f.At, "function name %q has no letters or digits to make a logical ID from", f.Name)
			continue
		}
		claim(id, what, f.At)
		if f.S3 != nil && f.S3.Bucket != "" {
			// chalc's own custom resource and permission (sam/s3.go).
			claim(f.EventID(), what+"'s S3 notification", f.At)
			claim(awsfacts.S3PermissionID(id), what+"'s S3 permission", f.At)
		}
		// The resources SAM generates from the function's event: taken
		// here, a clash fails validate instead of the deploy.
		for _, g := range awsfacts.SAMEventResources(id, f.EventID(), f.SAMEventType()) {
			claim(g.ID, fmt.Sprintf("the %s SAM generates for function %q", g.What, f.Name), f.At)
		}
		if f.Kind == FuncAuthorizer {
			claim(awsfacts.InvokePermissionID(id), what+"'s invoke permission", f.At)
		}
		if f.URL != nil {
			claim(awsfacts.FunctionURLID(id), what+"'s function URL", f.At)
			if f.URL.Auth == URLAuthNone {
				claim(awsfacts.FunctionURLPublicPermissionID(id), what+"'s public function URL permission", f.At)
				claim(awsfacts.FunctionURLInvokePermissionID(id), what+"'s public function URL invoke permission", f.At)
			}
		}
		if f.Kind == FuncWebsocket {
			claim(id+"APIIntegration", what+"'s websocket integration", f.At)
			claim(id+"Route", what+"'s websocket route", f.At)
			claim(awsfacts.InvokePermissionID(id), what+"'s invoke permission", f.At)
		}
		if cfg := f.Config; cfg != nil {
			if !cfg.AutogenPolicy.V && cfg.ManageIAMRole.V {
				claim(awsfacts.FunctionRoleID(f.Name), what+"'s role", f.At)
			}
			if cfg.LogRetentionInDays.Set {
				claim(awsfacts.LogGroupID(id), what+"'s log group", f.At)
			}
		}
	}
}

// idOwner is what a generated logical ID belongs to.
type idOwner struct {
	what string
	at   diag.Range
}

// claimID records that what gets the logical ID id, reporting a clash
// with what already has it.
func (c *checker) claimID(id, what string, at diag.Range) {
	if id == "" {
		return
	}
	if o, ok := c.ids[id]; ok {
		d := c.ds.Errorf(diag.LogicalIDClash, at, "%s gets the logical ID %s, which %s already has", what, id, o.what).
			Hint("rename one of them: logical IDs drop \"_\" and \"-\" and capitalise each word")
		if o.at.Filename != "" {
			d.Note(o.at, "%s is declared here", o.what)
		}
		return
	}
	c.ids[id] = idOwner{what, at}
}

var (
	subnetID = regexp.MustCompile(`^subnet-[0-9a-f]+$`)
	sgID     = regexp.MustCompile(`^sg-[0-9a-f]+$`)
	vpceID   = regexp.MustCompile(`^vpce-[0-9a-f]+$`)
)

// configValues checks the shape of configuration values at every layer
// they are written, so a typo in an unused stage is caught too. Values
// written with placeholders are checked as each stage expands them
// (stagevalues.go).
func (c *checker) configValues() {
	check := func(cfg *manifest.Config) {
		c.arn(cfg.IAMRoleARN, "iam", "role/", "an IAM role")
		for _, l := range cfg.Layers.Items {
			if !l.Templated() {
				c.arn(l, "lambda", "layer:", "a Lambda layer version")
			}
		}
		ids := func(l manifest.List, re *regexp.Regexp, what, example string) {
			for _, it := range l.Items {
				if !it.Templated() {
					c.resourceID(it, re, what, example)
				}
			}
		}
		ids(cfg.SubnetIDs, subnetID, "a subnet ID", "subnet-0123456789abcdef0")
		ids(cfg.SecurityGroupIDs, sgID, "a security group ID", "sg-0123456789abcdef0")
		ids(cfg.APIGatewayEndpointVPCE, vpceID, "a VPC endpoint ID", "vpce-0123456789abcdef0")
		for _, d := range []*manifest.Domain{cfg.APIGatewayCustomDomain, cfg.WebsocketAPICustomDomain} {
			if d != nil {
				if !d.CertificateARN.Templated() {
					c.arn(d.CertificateARN, "acm", "certificate/", "an ACM certificate")
				}
				c.tags(d.Tags, "API Gateway")
				if len(d.Tags.Entries) > awsfacts.MaxTags {
					c.ds.Errorf(diag.TagsCount, d.Tags.Key, "the custom domain has %d tags; API Gateway takes at most %d", len(d.Tags.Entries), awsfacts.MaxTags)
				}
			}
		}
		c.envVars(cfg.EnvironmentVariables)
		c.tags(cfg.Tags, "Lambda")
	}
	check(&c.m.Config)
	for _, fc := range c.m.LambdaFunctions {
		check(&fc.Config)
	}
	for _, st := range c.m.Stages {
		check(&st.Config)
		for _, fc := range st.LambdaFunctions {
			check(&fc.Config)
		}
	}
}

// resourceID reports v when it is not an ID of the form re matches.
func (c *checker) resourceID(v manifest.Value[string], re *regexp.Regexp, what, example string) {
	if !re.MatchString(v.V) {
		c.ds.Errorf(diag.ResourceID, v.Range, "%q is not %s", v.V, what).Hint("they look like %s", example)
	}
}

var partitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}

var account = regexp.MustCompile(`^[0-9]{12}$`)

// arn reports v when it is set but not an ARN of service whose resource
// starts with resourcePrefix; it returns whether v is fine.
func (c *checker) arn(v manifest.Value[string], service, resourcePrefix, what string) bool {
	if !v.Set || v.Tagged {
		return true
	}
	parts := strings.SplitN(v.V, ":", 6)
	example := exampleARN(service)
	fail := func(why string) bool {
		d := c.ds.Errorf(diag.ARNInvalid, v.Range, "%q is not the ARN of %s: %s", v.V, what, why)
		if guess := guessARN(v.V, service, resourcePrefix); guess != "" {
			d.Hint("did you mean %s? (fill in your account and region)", guess)
		} else {
			d.Hint("it looks like %s", example)
		}
		return false
	}
	if len(parts) < 6 || parts[0] != "arn" {
		return fail("an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE")
	}
	if !partitions[parts[1]] {
		return fail(fmt.Sprintf("unknown partition %q", parts[1]))
	}
	if parts[2] != service {
		return fail(fmt.Sprintf("the service is %q, not %q", parts[2], service))
	}
	switch service {
	case "iam":
		if parts[3] != "" {
			return fail("IAM ARNs have no region")
		}
	case "apigateway":
	default:
		if parts[3] == "" {
			return fail("the region is missing")
		}
	}
	if service != "apigateway" && service != "s3" && !account.MatchString(parts[4]) {
		return fail("the account ID must be 12 digits")
	}
	resource := parts[5]
	if service == "apigateway" {
		resource = parts[4] + ":" + parts[5] // arn:aws:apigateway:REGION:lambda:path/...
	}
	if resourcePrefix != "" && !strings.HasPrefix(resource, resourcePrefix) {
		return fail(fmt.Sprintf("the resource should start with %q", resourcePrefix))
	}
	if parts[5] == "" || strings.HasSuffix(parts[5], "/") || strings.HasSuffix(parts[5], ":") {
		return fail("the resource name is missing")
	}
	return true
}

// guessARN builds the ARN a user probably meant when they gave a bare
// name or ID: a role name, a user pool ID (us-west-2_abc).
func guessARN(v, service, resourcePrefix string) string {
	if strings.Contains(v, ":") || v == "" {
		return ""
	}
	switch service {
	case "iam":
		return "arn:aws:iam::ACCOUNT:" + resourcePrefix + strings.TrimPrefix(v, "role/")
	case "cognito-idp":
		if region, _, ok := strings.Cut(v, "_"); ok {
			return "arn:aws:cognito-idp:" + region + ":ACCOUNT:userpool/" + v
		}
	}
	return ""
}

func exampleARN(service string) string {
	switch service {
	case "iam":
		return "arn:aws:iam::123456789012:role/NAME"
	case "lambda":
		return "arn:aws:lambda:us-east-1:123456789012:layer:NAME:1"
	case "acm":
		return "arn:aws:acm:us-east-1:123456789012:certificate/ID"
	case "sqs":
		return "arn:aws:sqs:us-east-1:123456789012:QUEUE"
	case "sns":
		return "arn:aws:sns:us-east-1:123456789012:TOPIC"
	case "kinesis":
		return "arn:aws:kinesis:us-east-1:123456789012:stream/NAME"
	case "dynamodb":
		return "arn:aws:dynamodb:us-east-1:123456789012:table/TABLE/stream/2020-01-01T00:00:00.000"
	case "cognito-idp":
		return "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ABC"
	case "apigateway":
		return "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations"
	}
	return "arn:aws:" + service + ":REGION:ACCOUNT:RESOURCE"
}
