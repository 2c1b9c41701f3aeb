package sam

import (
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation/serverless"
)

// Function is an AWS::Serverless::Function: goformation's typed
// properties, with Events replaced by chalc's own event types.
type Function struct {
	serverless.Function
	Events map[string]Event
}

// AWSCloudFormationType implements cloudformation.Resource.
func (f *Function) AWSCloudFormationType() string { return "AWS::Serverless::Function" }

// MarshalJSON writes the resource envelope, splicing Events into the
// properties goformation marshals (key order is irrelevant: templates are
// written with sorted keys).
func (f Function) MarshalJSON() ([]byte, error) {
	type properties serverless.Function // drops goformation's MarshalJSON
	p := properties(f.Function)
	p.Events = nil
	props, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	if len(f.Events) > 0 {
		ev, err := json.Marshal(f.Events)
		if err != nil {
			return nil, err
		}
		spliced := append(append([]byte(`{"Events":`), ev...), ',')
		if string(props) == "{}" {
			spliced = append(spliced[:len(spliced)-1], '}')
		} else {
			spliced = append(spliced, props[1:]...)
		}
		props = spliced
	}
	return json.Marshal(struct {
		Type       string
		Properties json.RawMessage
		DependsOn  []string `json:"DependsOn,omitempty"`
	}{f.AWSCloudFormationType(), props, f.Function.AWSCloudFormationDependsOn})
}

// Event is one entry of a function's Events.
type Event struct {
	Type       string
	Properties any
}

// ScheduleEvent is a SAM Schedule event.
type ScheduleEvent struct {
	Schedule    string
	Description string `json:",omitempty"`
}

// CloudWatchEventEvent is a SAM CloudWatchEvent event.
type CloudWatchEventEvent struct {
	Pattern any
}

// SNSEvent is a SAM SNS event.
type SNSEvent struct {
	Topic string
}

// ScalingConfig caps the concurrency an SQS event source drives.
type ScalingConfig struct {
	MaximumConcurrency int
}

// SQSEvent is a SAM SQS event.
type SQSEvent struct {
	Queue                          string
	BatchSize                      int
	MaximumBatchingWindowInSeconds int
	ScalingConfig                  *ScalingConfig `json:",omitempty"`
	FunctionResponseTypes          []string       `json:",omitempty"`
}

// StreamEvent is a SAM Kinesis or DynamoDB event.
type StreamEvent struct {
	Stream                         string
	BatchSize                      int
	StartingPosition               string
	MaximumBatchingWindowInSeconds int
	FunctionResponseTypes          []string `json:",omitempty"`
}

// S3Event is a SAM S3 event (only for a bucket the template declares).
type S3Event struct {
	Bucket string
	Events []string
	Filter *S3Filter `json:",omitempty"`
}

// S3Filter filters S3 notifications by key.
type S3Filter struct {
	S3Key S3KeyFilter
}

// S3KeyFilter holds prefix/suffix rules.
type S3KeyFilter struct {
	Rules []S3FilterRule
}

// S3FilterRule is one key filter rule.
type S3FilterRule struct {
	Name  string
	Value string
}

// marshalResource writes a resource envelope for chalc's own resource
// types.
func marshalResource(typ string, props any, dependsOn []string) ([]byte, error) {
	return json.Marshal(struct {
		Type       string
		Properties any
		DependsOn  []string `json:"DependsOn,omitempty"`
	}{typ, props, dependsOn})
}
