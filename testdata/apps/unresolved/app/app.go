// Package app makes calls chalc's SDK-call analysis cannot follow.
package app

import (
	"context"
	"os"
	"reflect"

	"example.com/notifier"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// Notifier publishes notices. Its implementation is another module's
// (notifier.SNS): no type of this module implements it.
type Notifier interface {
	Notify(ctx context.Context, topic, msg string) (*sns.PublishOutput, error)
}

// notices is handed the SNS client: what notifier does with it, chalc
// does not see.
var notices Notifier = notifier.New(sns.New(sns.Options{Region: os.Getenv("AWS_REGION")}))

// Notify publishes the message.
func Notify(ctx context.Context, msg string) (string, error) {
	out, err := notices.Notify(ctx, os.Getenv("TOPIC_ARN"), msg)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}

var objects = s3.New(s3.Options{Region: os.Getenv("AWS_REGION")})

// sweepers are called by name, through reflection.
var sweepers = map[string]any{"tmp": sweepTmp}

func sweepTmp(ctx context.Context) error {
	_, err := objects.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("unresolved-tmp"), Key: aws.String("old")})
	return err
}

// Sweep runs the sweeper the event names.
func Sweep(ctx context.Context, name string) (bool, error) {
	fn, ok := sweepers[name]
	if !ok {
		return false, nil
	}
	out := reflect.ValueOf(fn).Call([]reflect.Value{reflect.ValueOf(ctx)})
	err, _ := out[0].Interface().(error)
	return true, err
}
