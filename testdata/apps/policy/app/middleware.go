package app

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

var queue = sqs.New(sqs.Options{Region: os.Getenv("AWS_REGION")})

// queueURL is looked up when the bootstrap starts, whichever function it
// serves: every role allows sqs:GetQueueUrl.
var queueURL = lookupQueue()

func lookupQueue() string {
	out, err := queue.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String("jobs")})
	if err != nil {
		return os.Getenv("QUEUE_URL")
	}
	return aws.ToString(out.QueueUrl)
}

// CountRequests queues a message per API request (http middleware: the
// API handler needs sqs:SendMessage).
func CountRequests(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
	if err := enqueue(ctx, req.Path); err != nil {
		return nil, err
	}
	return next(ctx, req)
}

func enqueue(ctx context.Context, body string) error {
	_, err := queue.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &queueURL, MessageBody: &body})
	return err
}

// SkipSeen drops the jobs already done (sqs middleware: on_job needs
// dynamodb:GetItem).
func SkipSeen(ctx context.Context, e chalice.SQSEvent, next chalice.Next[chalice.SQSEvent, any]) (any, error) {
	var todo chalice.SQSEvent
	for _, r := range e.Records {
		out, err := photos.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &photos.Table,
			Key: map[string]types.AttributeValue{"key": &types.AttributeValueMemberS{Value: "job:" + r.MessageID}}})
		if err != nil {
			return nil, err
		}
		if out.Item == nil {
			todo.Records = append(todo.Records, r)
		}
	}
	return next(ctx, todo)
}
