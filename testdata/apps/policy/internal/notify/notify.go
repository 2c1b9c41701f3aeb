// Package notify publishes change notices on SNS. The app's handlers do
// not import it: they reach it through internal/store.
package notify

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

var client = sns.New(sns.Options{Region: os.Getenv("AWS_REGION")})

// Send publishes msg on the topic named by $TOPIC_ARN.
func Send(ctx context.Context, msg string) error {
	_, err := client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(os.Getenv("TOPIC_ARN")), Message: aws.String(msg)})
	return err
}
