package dispatch

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// The benchmarks compare the full Invoke path of api_handler (decode the
// proxy event, route, call a GET route with one path parameter returning
// a small map, encode the response) with a bare aws-lambda-go handler
// doing the same work: decode the same event, marshal the same map,
// encode an APIGatewayProxyResponse.
//
//	go test ./runtime/dispatch -run '^$' -bench . -benchmem

func benchPayload(b *testing.B) []byte {
	b.Helper()
	payload, err := os.ReadFile("testdata/apigw-get-user.json")
	if err != nil {
		b.Fatal(err)
	}
	return payload
}

func BenchmarkDispatch(b *testing.B) {
	app := chalice.New("bench", chalice.Config{})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"id": req.URIParams["id"], "name": "Ann"}, nil
	}})
	h, err := Handler(app, APIHandler)
	if err != nil {
		b.Fatal(err)
	}
	payload := benchPayload(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBare(b *testing.B) {
	h := lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		body, err := json.Marshal(map[string]any{"id": ev.PathParameters["id"], "name": "Ann"})
		if err != nil {
			return events.APIGatewayProxyResponse{}, err
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(body)}, nil
	})
	payload := benchPayload(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareConst is BenchmarkBare with a constant body: the floor of
// any handler that decodes the event with encoding/json.
func BenchmarkBareConst(b *testing.B) {
	h := lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"id":"42","name":"Ann"}`}, nil
	})
	payload := benchPayload(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// The payload format 2.0 pair: an HTTP API stage's api_handler and a
// bare handler decoding the same event (AWS's HTTP API sample, routed to
// GET /users/{id}) into events.APIGatewayV2HTTPRequest.

func benchPayloadV2(b *testing.B) []byte {
	b.Helper()
	ev := httpAPIEvent(b, "GET /users/{id}", "/users/42", map[string]any{"id": "42"})
	delete(ev, "body")
	return ev.payload(b)
}

func BenchmarkDispatchV2(b *testing.B) {
	app := chalice.New("bench", chalice.Config{Stages: map[string]chalice.Stage{
		"dev": {LogLevel: "ERROR", APIKind: chalice.APIKindHTTP, APIGatewayStage: "v1"}}})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]any{"id": req.URIParams["id"], "name": "Ann"}, nil
	}})
	h, err := Handler(app, APIHandler)
	if err != nil {
		b.Fatal(err)
	}
	payload := benchPayloadV2(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBareV2(b *testing.B) {
	h := lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		body, err := json.Marshal(map[string]any{"id": ev.PathParameters["id"], "name": "Ann"})
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: string(body)}, nil
	})
	payload := benchPayloadV2(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}
