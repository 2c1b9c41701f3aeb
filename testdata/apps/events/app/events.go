// Package app handles every kind of event chalc can wire.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Seen records what the handlers received, for the tests.
type Seen struct {
	Kind   string   `json:"kind"`
	Values []string `json:"values"`
}

// EveryHour runs on a schedule.
func EveryHour(ctx context.Context, e chalice.CloudWatchEvent) (Seen, error) {
	return Seen{Kind: "schedule", Values: []string{e.DetailType, e.Source}}, nil
}

// Nightly runs on a cron schedule.
func Nightly(e chalice.CloudWatchEvent) error { return nil }

// OnEC2 sees EC2 state changes.
func OnEC2(ctx context.Context, e chalice.CloudWatchEvent) (Seen, error) {
	var detail struct {
		InstanceID string `json:"instance-id"`
		State      string `json:"state"`
	}
	if err := e.DetailAs(&detail); err != nil {
		return Seen{}, err
	}
	return Seen{Kind: "cloudwatch", Values: []string{e.Source, detail.InstanceID, detail.State}}, nil
}

// OnUpload sees new objects in the uploads bucket.
func OnUpload(ctx context.Context, e chalice.S3Event) (Seen, error) {
	return Seen{Kind: "s3", Values: []string{e.Bucket, e.Key}}, nil
}

// OnNote reads SNS notifications.
func OnNote(ctx context.Context, e chalice.SNSEvent) (Seen, error) {
	return Seen{Kind: "sns", Values: []string{e.Subject, e.Message}}, nil
}

// OnJob processes jobs; a body starting with "fail" is reported as a
// failed item so SQS retries only that message.
func OnJob(ctx context.Context, e chalice.SQSEvent) (chalice.BatchResponse, error) {
	var out chalice.BatchResponse
	for _, r := range e.Records {
		if strings.HasPrefix(r.Body, "fail") {
			out.BatchItemFailures = append(out.BatchItemFailures, chalice.BatchItemFailure{ItemIdentifier: r.MessageID})
		}
	}
	return out, nil
}

// OnOrder processes FIFO orders; an order "boom" fails the whole batch.
func OnOrder(ctx context.Context, e chalice.SQSEvent) (Seen, error) {
	s := Seen{Kind: "sqs"}
	for _, r := range e.Records {
		if r.Body == "boom" {
			return Seen{}, errors.New("order boom cannot be processed")
		}
		s.Values = append(s.Values, r.Body)
	}
	return s, nil
}

// OnClick reads Kinesis records (their data arrives decoded).
func OnClick(ctx context.Context, e chalice.KinesisEvent) (Seen, error) {
	s := Seen{Kind: "kinesis"}
	for _, r := range e.Records {
		s.Values = append(s.Values, string(r.Data))
	}
	return s, nil
}

// OnChange reads DynamoDB stream records; a REMOVE is reported failed.
func OnChange(ctx context.Context, e chalice.DynamoDBEvent) (chalice.BatchResponse, error) {
	var out chalice.BatchResponse
	for _, r := range e.Records {
		if r.EventName == "REMOVE" {
			out.BatchItemFailures = append(out.BatchItemFailures, chalice.BatchItemFailure{ItemIdentifier: r.SequenceNumber})
		}
	}
	return out, nil
}

// Echo is a pure function returning what it was given.
func Echo(ctx context.Context, in json.RawMessage) (json.RawMessage, error) { return in, nil }

// Trace wraps every invocation (middleware for all events): results of
// type Seen get "traced" appended.
func Trace(ctx context.Context, event any, next chalice.Next[any, any]) (any, error) {
	out, err := next(ctx, event)
	if s, ok := out.(Seen); ok {
		s.Values = append(s.Values, "traced")
		return s, err
	}
	return out, err
}

// SkipTestMessages short-circuits SQS batches whose first message is
// "test": the handler never sees them.
func SkipTestMessages(ctx context.Context, e chalice.SQSEvent, next chalice.Next[chalice.SQSEvent, any]) (any, error) {
	if len(e.Records) > 0 && e.Records[0].Body == "test" {
		return Seen{Kind: "skipped"}, nil
	}
	return next(ctx, e)
}
