// Package notifier stands for a company's shared library: another
// module, whose code chalc's analysis does not follow.
package notifier

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// SNS publishes notices.
type SNS struct{ client *sns.Client }

// New returns a notifier publishing with client.
func New(client *sns.Client) *SNS { return &SNS{client: client} }

// Notify publishes msg on topic.
func (n *SNS) Notify(ctx context.Context, topic, msg string) (*sns.PublishOutput, error) {
	return n.client.Publish(ctx, &sns.PublishInput{TopicArn: &topic, Message: &msg})
}
