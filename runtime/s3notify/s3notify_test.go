package s3notify

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// fakeS3 keeps notification configurations per bucket.
type fakeS3 struct {
	buckets map[string]*types.NotificationConfiguration
	puts    int
}

func (f *fakeS3) GetBucketNotificationConfiguration(_ context.Context, in *s3.GetBucketNotificationConfigurationInput, _ ...func(*s3.Options)) (*s3.GetBucketNotificationConfigurationOutput, error) {
	c, ok := f.buckets[aws.ToString(in.Bucket)]
	if !ok {
		return nil, &smithy.GenericAPIError{Code: "NoSuchBucket", Message: "The specified bucket does not exist"}
	}
	return &s3.GetBucketNotificationConfigurationOutput{
		LambdaFunctionConfigurations: c.LambdaFunctionConfigurations,
		QueueConfigurations:          c.QueueConfigurations,
		TopicConfigurations:          c.TopicConfigurations,
	}, nil
}

func (f *fakeS3) PutBucketNotificationConfiguration(_ context.Context, in *s3.PutBucketNotificationConfigurationInput, _ ...func(*s3.Options)) (*s3.PutBucketNotificationConfigurationOutput, error) {
	if _, ok := f.buckets[aws.ToString(in.Bucket)]; !ok {
		return nil, errors.New("no such bucket")
	}
	f.puts++
	f.buckets[aws.ToString(in.Bucket)] = in.NotificationConfiguration
	return &s3.PutBucketNotificationConfigurationOutput{}, nil
}

func ids(c *types.NotificationConfiguration) []string {
	var out []string
	for _, l := range c.LambdaFunctionConfigurations {
		out = append(out, aws.ToString(l.Id))
	}
	return out
}

func props(bucket, id string) map[string]any {
	return map[string]any{
		"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:handler", "Bucket": bucket,
		"NotificationId": id, "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:" + id,
		"Events": []any{"s3:ObjectCreated:*"}, "Prefix": "images/", "Suffix": ".png",
	}
}

func TestLifecycle(t *testing.T) {
	other := types.LambdaFunctionConfiguration{Id: aws.String("someone-else"), LambdaFunctionArn: aws.String("arn:x")}
	queue := types.QueueConfiguration{Id: aws.String("q"), QueueArn: aws.String("arn:q")}
	f := &fakeS3{buckets: map[string]*types.NotificationConfiguration{
		"uploads": {LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{other}, QueueConfigurations: []types.QueueConfiguration{queue}},
		"archive": {},
	}}
	ctx := context.Background()

	// Create keeps the bucket's other notifications.
	id, _, err := handle(ctx, f, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props("uploads", "stack-OnUpload")})
	if err != nil || id != "uploads/stack-OnUpload" {
		t.Fatalf("create: %q %v", id, err)
	}
	got := f.buckets["uploads"]
	if !reflect.DeepEqual(ids(got), []string{"someone-else", "stack-OnUpload"}) || len(got.QueueConfigurations) != 1 {
		t.Fatalf("after create: %v queues %d", ids(got), len(got.QueueConfigurations))
	}
	mine := got.LambdaFunctionConfigurations[1]
	if len(mine.Events) != 1 || mine.Events[0] != "s3:ObjectCreated:*" || len(mine.Filter.Key.FilterRules) != 2 {
		t.Errorf("configuration: %+v", mine)
	}

	// Create again (a retried request) does not duplicate.
	if _, _, err := handle(ctx, f, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props("uploads", "stack-OnUpload")}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.buckets["uploads"].LambdaFunctionConfigurations); n != 2 {
		t.Errorf("after a second create: %d configurations", n)
	}

	// Update to another bucket moves it.
	_, _, err = handle(ctx, f, cfn.Event{RequestType: cfn.RequestUpdate, PhysicalResourceID: "uploads/stack-OnUpload",
		ResourceProperties: props("archive", "stack-OnUpload"), OldResourceProperties: props("uploads", "stack-OnUpload")})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids(f.buckets["uploads"]), []string{"someone-else"}) || !reflect.DeepEqual(ids(f.buckets["archive"]), []string{"stack-OnUpload"}) {
		t.Errorf("after update: uploads %v archive %v", ids(f.buckets["uploads"]), ids(f.buckets["archive"]))
	}

	// Delete removes only ours; deleting again, or from a bucket that is
	// gone, succeeds.
	for _, bucket := range []string{"archive", "archive", "deleted-bucket"} {
		if _, _, err := handle(ctx, f, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: bucket + "/stack-OnUpload",
			ResourceProperties: props(bucket, "stack-OnUpload")}); err != nil {
			t.Fatalf("delete from %s: %v", bucket, err)
		}
	}
	if len(f.buckets["archive"].LambdaFunctionConfigurations) != 0 || len(f.buckets["uploads"].LambdaFunctionConfigurations) != 1 {
		t.Error("delete touched the wrong notifications")
	}
}

func TestBadProperties(t *testing.T) {
	f := &fakeS3{buckets: map[string]*types.NotificationConfiguration{}}
	if _, _, err := handle(context.Background(), f, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: map[string]any{}}); err == nil {
		t.Error("create without properties: want an error")
	}
	// A delete of a resource whose create failed must not fail the rollback.
	if _, _, err := handle(context.Background(), f, cfn.Event{RequestType: cfn.RequestDelete, ResourceProperties: map[string]any{}}); err != nil {
		t.Errorf("delete without properties: %v", err)
	}
	// Creating on a missing bucket fails with the bucket's name.
	_, _, err := handle(context.Background(), f, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props("missing", "x")})
	if err == nil || !strings.Contains(err.Error(), "bucket missing") {
		t.Errorf("create on a missing bucket: %v", err)
	}
}
