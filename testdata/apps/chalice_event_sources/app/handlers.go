// Package app holds the handlers of the event_sources reference case,
// ported from Chalice's app.py: SNS, SQS, Kinesis and DynamoDB stream
// handlers, some renamed with name=.
package app

import "github.com/chalc-dev/chalc/runtime/chalice"

// SnsByName is app.py's sns_by_name.
func SnsByName(e chalice.SNSEvent) (map[string]any, error) { return map[string]any{}, nil }

// SnsArnHandler is app.py's sns_arn_handler, registered as sns_by_arn.
func SnsArnHandler(e chalice.SNSEvent) (map[string]any, error) { return map[string]any{}, nil }

// SqsDefaults is app.py's sqs_defaults.
func SqsDefaults(e chalice.SQSEvent) (map[string]any, error) { return map[string]any{}, nil }

// SqsTuned is app.py's sqs_tuned.
func SqsTuned(e chalice.SQSEvent) (map[string]any, error) { return map[string]any{}, nil }

// SqsArnHandler is app.py's sqs_arn_handler, registered as sqs_by_arn.
func SqsArnHandler(e chalice.SQSEvent) (map[string]any, error) { return map[string]any{}, nil }

// SqsFifo is app.py's sqs_fifo.
func SqsFifo(e chalice.SQSEvent) (map[string]any, error) { return map[string]any{}, nil }

// KinesisDefaults is app.py's kinesis_defaults.
func KinesisDefaults(e chalice.KinesisEvent) (map[string]any, error) { return map[string]any{}, nil }

// KinesisHandler is app.py's kinesis_handler, registered as kinesis_tuned.
func KinesisHandler(e chalice.KinesisEvent) (map[string]any, error) { return map[string]any{}, nil }

// DdbDefaults is app.py's ddb_defaults.
func DdbDefaults(e chalice.DynamoDBEvent) (map[string]any, error) { return map[string]any{}, nil }

// DdbTuned is app.py's ddb_tuned.
func DdbTuned(e chalice.DynamoDBEvent) (map[string]any, error) { return map[string]any{}, nil }
