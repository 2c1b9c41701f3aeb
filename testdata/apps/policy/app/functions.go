package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/chalc-dev/chalc/runtime/chalice"

	"example.com/policy/internal/store"
)

// Refresh copies every photo onto itself and queues it: the API's
// operations, so it shares the API handler's role.
func Refresh(ctx context.Context, e chalice.CloudWatchEvent) (int, error) {
	keys, err := ListPhotos(ctx)
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		resp, err := GetPhoto(ctx, k)
		if err != nil {
			return 0, err
		}
		body, _ := resp.Body.([]byte)
		if err := photos.Save(ctx, k, body); err != nil {
			return 0, err
		}
		if err := enqueue(ctx, k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// Report announces every indexed photo.
func Report(ctx context.Context, in json.RawMessage) (int, error) {
	keys, err := photos.Keys(ctx)
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if _, err := photos.Link(ctx, k); err != nil {
			return 0, err
		}
		if err := withRetry(ctx, k, store.Publish); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// withRetry calls fn (a func value: the analysis follows store.Publish
// from where Report names it).
func withRetry(ctx context.Context, key string, fn func(context.Context, string) error) error {
	var err error
	for range 3 {
		if err = fn(ctx, key); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%s: %w", key, err)
}

// OnJob waits for the index table, then deletes the batch's messages.
func OnJob(ctx context.Context, e chalice.SQSEvent) (any, error) {
	w := dynamodb.NewTableExistsWaiter(photos.DB)
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: &photos.Table}, time.Minute); err != nil {
		return nil, err
	}
	var entries []sqstypes.DeleteMessageBatchRequestEntry
	for _, r := range e.Records {
		entries = append(entries, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(r.MessageID), ReceiptHandle: aws.String(r.ReceiptHandle)})
	}
	_, err := queue.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &queueURL, Entries: entries})
	return nil, err
}

// Ping calls no AWS API itself; the package initialization does.
func Ping(ctx context.Context, in json.RawMessage) (string, error) { return "pong", nil }

// Audit reads a photo; its role comes from policy-audit.json.
func Audit(ctx context.Context, key string) (int64, error) {
	out, err := photos.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: &photos.Bucket, Key: &key})
	if err != nil {
		return 0, err
	}
	defer out.Body.Close()
	return aws.ToInt64(out.ContentLength), nil
}
