package app

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	rtypes "github.com/aws/aws-sdk-go-v2/service/rekognition/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// photoBucket is the bucket photos are read from: Rekognition reads the
// object with the function's permissions (s3:GetObject on it).
const photoBucket = "todo-photos"

var (
	labels = rekognition.New(rekognition.Options{Region: region})
	jobs   = sqs.New(sqs.Options{Region: region})
)

// Labeler finds what a photo shows; tests replace it.
var Labeler = detectLabels

func detectLabels(ctx context.Context, key string) ([]string, error) {
	out, err := labels.DetectLabels(ctx, &rekognition.DetectLabelsInput{
		Image: &rtypes.Image{S3Object: &rtypes.S3Object{Bucket: aws.String(photoBucket), Name: aws.String(key)}},
	})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, l := range out.Labels {
		names = append(names, aws.ToString(l.Name))
	}
	return names, nil
}

// TagPhoto labels the photo each message names.
func TagPhoto(ctx context.Context, e chalice.SQSEvent) (map[string][]string, error) {
	tags := map[string][]string{}
	for _, r := range e.Records {
		names, err := Labeler(ctx, r.Body)
		if err != nil {
			return nil, err
		}
		tags[r.Body] = names
	}
	return tags, nil
}

// Sender sends a message to the jobs queue; tests replace it.
var Sender = send

func send(ctx context.Context, body string) error {
	_, err := jobs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(os.Getenv("QUEUE_URL")), MessageBody: &body})
	return err
}

// Enqueue asks for a photo to be tagged.
func Enqueue(ctx context.Context, key string) (string, error) {
	return key, Sender(ctx, key)
}
