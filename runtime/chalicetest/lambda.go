package chalicetest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// LambdaClient invokes the app's functions directly, as the Lambda Invoke
// API does.
type LambdaClient struct {
	c *Client
}

// InvokeResult is a function's answer.
type InvokeResult struct {
	// Payload is the result as the function wrote it: JSON ("null" for a
	// function that returns nothing).
	Payload json.RawMessage
}

// JSON decodes the payload into v.
func (r *InvokeResult) JSON(v any) error {
	if err := json.Unmarshal(r.Payload, v); err != nil {
		return fmt.Errorf("decoding the result %s: %w", r.Payload, err)
	}
	return nil
}

// String returns the payload as text.
func (r *InvokeResult) String() string { return string(r.Payload) }

// BatchItemFailures returns the records a function with
// report_batch_item_failures reported as failed (its
// chalice.BatchResponse: SQS message IDs, Kinesis or DynamoDB sequence
// numbers), which Lambda would retry; none when the whole batch
// succeeded ([] or null). A payload that is not a batch response is an
// error.
func (r *InvokeResult) BatchItemFailures() ([]string, error) {
	var obj map[string]json.RawMessage
	var failures []chalice.BatchItemFailure
	err := json.Unmarshal(r.Payload, &obj)
	raw, ok := obj["batchItemFailures"]
	if err != nil || !ok || json.Unmarshal(raw, &failures) != nil {
		return nil, fmt.Errorf("the result %s is not a batch response {\"batchItemFailures\": [...]}", r.Payload)
	}
	ids := []string{}
	for _, f := range failures {
		ids = append(ids, f.ItemIdentifier)
	}
	return ids, nil
}

// Invoke calls the function named name (a functions: key, an authorizer,
// websocket_connect/_message/_disconnect, or api_handler) with payload,
// through runtime/dispatch as Lambda would, with the function's
// environment variables applied. A []byte, json.RawMessage or string
// payload is sent as it is, nil as {} (as Chalice's client), anything
// else encoded as JSON (the Events generators return ready payloads).
//
// The error is the function's (what Lambda reports as errorMessage), or
// says that the app has no such function or that payload does not
// encode.
func (l *LambdaClient) Invoke(name string, payload any) (*InvokeResult, error) {
	var data []byte
	switch p := payload.(type) {
	case nil:
		data = []byte("{}")
	case []byte:
		data = p
	case json.RawMessage:
		data = p
	case string:
		data = []byte(p)
	default:
		b, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("chalicetest: encoding the payload of %s: %w", name, err)
		}
		data = b
	}
	h, err := l.c.handler(name)
	if err != nil {
		return nil, err
	}
	ctx := lambdacontext.NewContext(l.c.context(), &lambdacontext.LambdaContext{
		AwsRequestID:       requestID(),
		InvokedFunctionArn: "arn:aws:lambda:" + apigw.Region + ":" + apigw.AccountID + ":function:" + l.c.app.Name() + "-" + l.c.stage + "-" + name,
	})
	out, err := h.Invoke(ctx, data)
	if err != nil {
		return nil, err
	}
	return &InvokeResult{Payload: json.RawMessage(out)}, nil
}

// requestID returns a random (version 4) UUID, as Lambda's request IDs.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
