package schema

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// TestLimitsMatchAWSFacts: the JSON Schema states AWS's limits as numbers
// of its own; they must be awsfacts' (the one place a limit changes).
func TestLimitsMatchAWSFacts(t *testing.T) {
	var doc any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pointer string
		want    float64
	}{
		{"/$defs/lambda_memory_size/minimum", awsfacts.MinMemorySize},
		{"/$defs/lambda_memory_size/maximum", awsfacts.MaxMemorySize},
		{"/$defs/lambda_timeout/minimum", awsfacts.MinTimeout},
		{"/$defs/lambda_timeout/maximum", awsfacts.MaxTimeout},
		{"/$defs/api_gateway_stage/maxLength", awsfacts.MaxStageName},
		{"/$defs/scheduleOptions/properties/description/maxLength", awsfacts.MaxScheduleDescription},
		{"/$defs/maximum_batching_window_in_seconds/maximum", awsfacts.MaxBatchingWindow},
		{"/$defs/function/properties/sqs/properties/batch_size/maximum", awsfacts.MaxBatchSize},
		{"/$defs/function/properties/kinesis/properties/batch_size/maximum", awsfacts.MaxBatchSize},
		{"/$defs/function/properties/dynamodb/properties/batch_size/maximum", awsfacts.MaxBatchSize},
		{"/$defs/function/properties/sqs/properties/maximum_concurrency/minimum", awsfacts.MinMaximumConcurrency},
		{"/$defs/function/properties/sqs/properties/maximum_concurrency/maximum", awsfacts.MaxMaximumConcurrency},
		{"/$defs/authorizer/properties/ttl_seconds/oneOf/0/maximum", awsfacts.MaxAuthorizerTTL},
		{"/$defs/minimum_compression_size/maximum", awsfacts.MaxMinimumCompressionSize},
	} {
		got := jsonvalue.Lookup(doc, strings.Split(c.pointer, "/")[1:])
		if n, isNum := got.(float64); !isNum || n != c.want {
			t.Errorf("%s = %v, want %v (awsfacts)", c.pointer, got, c.want)
		}
	}
}
