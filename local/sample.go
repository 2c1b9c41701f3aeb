package local

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/runtime/samples"
)

// SampleEvent returns the event `chalc invoke` sends a function when no
// event is given: a sample of its trigger, in AWS's shape
// (runtime/samples), naming the function's own source where the manifest
// says it (the queue, topic, stream or bucket; a schedule's rule; an
// EventBridge event that matches the pattern's first values). A function
// without a trigger (pure_lambda) gets {}; one with a function URL a GET /
// through it; an authorizer its API's event (an HTTP API's payload format
// 2.0 in a stage with api_kind: http). The API handler has no sample:
// ok is false (its events are HTTP requests: use chalc local).
func SampleEvent(app *compiler.App, f *compiler.Function) (event json.RawMessage, ok bool) {
	stage := app.Stage.Name
	switch f.Kind {
	case compiler.FuncSchedule:
		return samples.Schedule(samples.ScheduleRuleARN(app.Name, stage, f.Name)), true
	case compiler.FuncCloudWatch:
		var pattern map[string]any
		if f.CloudWatch != nil {
			pattern, _ = f.CloudWatch.EventPattern.(map[string]any)
		}
		detailType, _ := firstValue(pattern["detail-type"]).(string)
		source, _ := firstValue(pattern["source"]).(string)
		if source == "" {
			source = "chalc.sample"
		}
		detail, _ := pattern["detail"].(map[string]any)
		ev, err := samples.CloudWatch(detailType, source, matching(detail))
		if err != nil {
			return json.RawMessage("{}"), true
		}
		return ev, true
	case compiler.FuncS3:
		bucket, key := "sample-bucket", "sample.txt"
		if s := f.S3; s != nil {
			if s.Bucket != "" {
				bucket = s.Bucket
			} else if s.BucketResource != "" {
				bucket = strings.ToLower(s.BucketResource)
			}
			key = s.Prefix + "sample" + s.Suffix
			if s.Suffix == "" {
				key += ".txt"
			}
		}
		return samples.S3(bucket, key), true
	case compiler.FuncSNS:
		topic := ""
		if f.SNS != nil {
			topic = f.SNS.Topic
			if !strings.HasPrefix(topic, "arn:") {
				topic = samples.ARN("sns", topic)
			}
		}
		return samples.SNS(topic, `{"sample": 1}`, "sample"), true
	case compiler.FuncSQS:
		queue := ""
		if q := f.SQS; q != nil {
			queue = q.QueueARN
			if queue == "" {
				queue = samples.ARN("sqs", q.Queue)
			}
		}
		return samples.SQS(queue, `{"sample": 1}`, `{"sample": 2}`), true
	case compiler.FuncKinesis:
		stream := ""
		if k := f.Kinesis; k != nil {
			stream = k.StreamARN
			if stream == "" {
				stream = samples.ARN("kinesis", "stream/"+k.Stream)
			}
		}
		return samples.Kinesis(stream, []byte(`{"sample": 1}`), []byte(`{"sample": 2}`)), true
	case compiler.FuncDynamoDB:
		stream := samples.DynamoDBStreamARN("sample")
		if d := f.DynamoDB; d != nil && d.StreamARN != "" {
			stream = d.StreamARN
		}
		ev, _ := samples.DynamoDB(stream, samples.DynamoDBChange{
			Keys:     map[string]any{"id": "1"},
			NewImage: map[string]any{"id": "1", "sample": true},
		})
		return ev, true
	case compiler.FuncWebsocket:
		switch f.WebsocketRoute {
		case "$connect", "$disconnect":
			return samples.Websocket(f.WebsocketRoute, "sample-connection=", ""), true
		}
		return samples.Websocket("$default", "sample-connection=", `{"message": "sample"}`), true
	case compiler.FuncURL:
		return samples.FunctionURL("GET", "/", ""), true
	case compiler.FuncAuthorizer:
		if app.HTTPAPI() {
			// An HTTP API's Lambda authorizer event (payload format 2.0),
			// its identity sources the token and the route key.
			b, _ := json.Marshal(map[string]any{
				"version": "2.0", "type": "REQUEST",
				"routeArn":       samples.ARN("execute-api", "ymy8tbxw7b/"+apiStage(app)+"/GET/"),
				"identitySource": []string{"sample-token", "GET /"},
				"routeKey":       "GET /", "rawPath": "/" + apiStage(app) + "/", "rawQueryString": "",
				"headers": map[string]string{"authorization": "sample-token"},
				"requestContext": map[string]any{"accountId": samples.Account, "apiId": "ymy8tbxw7b", "stage": apiStage(app),
					"routeKey": "GET /", "http": map[string]string{"method": "GET", "path": "/" + apiStage(app) + "/"}},
			})
			return b, true
		}
		b, _ := json.Marshal(map[string]string{
			"type":               "TOKEN",
			"authorizationToken": "sample-token",
			"methodArn":          samples.ARN("execute-api", "ymy8tbxw7b/"+apiStage(app)+"/GET/"),
		})
		return b, true
	case compiler.FuncAPI:
		return nil, false
	}
	return json.RawMessage("{}"), true
}

func apiStage(app *compiler.App) string {
	if s := app.Stage.APIGatewayStage.V; s != "" {
		return s
	}
	return "api"
}

// firstValue is the first of an event pattern's values: a pattern lists
// the values it accepts.
func firstValue(v any) any {
	if l, ok := v.([]any); ok && len(l) > 0 {
		return l[0]
	}
	return nil
}

// matching builds a detail that an event pattern's detail matches: each
// key with its first plain value (content filters such as {"prefix":
// ...} are left out), nested objects alike.
func matching(pattern map[string]any) map[string]any {
	out := map[string]any{}
	keys := make([]string, 0, len(pattern))
	for k := range pattern {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := pattern[k].(type) {
		case map[string]any:
			out[k] = matching(v)
		case []any:
			if first := firstValue(v); first != nil {
				if _, filter := first.(map[string]any); !filter {
					out[k] = first
				}
			}
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}
