// Command bare is the baseline for chalc's cold-start and size
// comparisons (project/rie_test.go): a hello-world API Gateway proxy
// handler on aws-lambda-go alone, built with the same flags as a chalc
// bootstrap.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func hello(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       `{"hello":"world"}`,
	}, nil
}

func main() {
	lambda.Start(hello)
}
