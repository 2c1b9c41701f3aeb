// Package s3notify is the Lambda behind chalc's Custom::S3BucketNotification
// resources: it subscribes a function to an existing S3 bucket, which SAM
// cannot do, by editing the bucket's notification configuration.
//
// Each resource owns one LambdaFunctionConfiguration, found by its Id
// (NotificationId, "<stack>-<Function>"); every other notification the
// bucket has is kept as it is.
//
//   - Create: add (or replace) the configuration with that Id.
//   - Update: when the bucket or the Id changed, remove the old one from
//     the old bucket first; then add the new one.
//   - Delete: remove the configuration with that Id; a bucket that no
//     longer exists is not an error (there is nothing left to undo).
//
// chalc_gen.go registers it (as the function chalc_s3_notifications) only
// in apps with such triggers, so other apps do not link the AWS SDK.
package s3notify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// FunctionName is the handler's function name (its Handler property).
const FunctionName = "chalc_s3_notifications"

// Register adds the handler to app.
func Register(app *chalice.App) {
	app.Function(chalice.Function{Name: FunctionName, Kind: chalice.KindPureLambda, HandlerName: "s3notify.Handle",
		Pure: cfn.LambdaWrap(Handle)})
}

// API is the part of the S3 client the handler uses (a fake in tests).
type API interface {
	GetBucketNotificationConfiguration(context.Context, *s3.GetBucketNotificationConfigurationInput, ...func(*s3.Options)) (*s3.GetBucketNotificationConfigurationOutput, error)
	PutBucketNotificationConfiguration(context.Context, *s3.PutBucketNotificationConfigurationInput, ...func(*s3.Options)) (*s3.PutBucketNotificationConfigurationOutput, error)
}

// NewClient builds the S3 client from the Lambda environment; tests replace
// it.
var NewClient = func(ctx context.Context) (API, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(cfg), nil
}

// Spec is what one resource asks for (its properties).
type Spec struct {
	Bucket         string
	NotificationID string
	FunctionArn    string
	Events         []string
	Prefix         string
	Suffix         string
}

func specOf(props map[string]any) (Spec, error) {
	str := func(k string) string { s, _ := props[k].(string); return s }
	sp := Spec{Bucket: str("Bucket"), NotificationID: str("NotificationId"), FunctionArn: str("FunctionArn"),
		Prefix: str("Prefix"), Suffix: str("Suffix")}
	if evs, ok := props["Events"].([]any); ok {
		for _, e := range evs {
			if s, ok := e.(string); ok {
				sp.Events = append(sp.Events, s)
			}
		}
	}
	if sp.Bucket == "" || sp.NotificationID == "" || sp.FunctionArn == "" || len(sp.Events) == 0 {
		return sp, fmt.Errorf("s3notify: Bucket, NotificationId, FunctionArn and Events are required, got %+v", sp)
	}
	return sp, nil
}

// Handle serves one CloudFormation custom resource request.
func Handle(ctx context.Context, ev cfn.Event) (physicalID string, data map[string]any, err error) {
	client, err := NewClient(ctx)
	if err != nil {
		return "", nil, err
	}
	return handle(ctx, client, ev)
}

func handle(ctx context.Context, client API, ev cfn.Event) (string, map[string]any, error) {
	spec, err := specOf(ev.ResourceProperties)
	if err != nil {
		if ev.RequestType == cfn.RequestDelete {
			return ev.PhysicalResourceID, nil, nil // nothing was ever created
		}
		return "", nil, err
	}
	id := spec.Bucket + "/" + spec.NotificationID
	switch ev.RequestType {
	case cfn.RequestCreate:
		return id, nil, Put(ctx, client, spec)
	case cfn.RequestUpdate:
		if old, err := specOf(ev.OldResourceProperties); err == nil &&
			(old.Bucket != spec.Bucket || old.NotificationID != spec.NotificationID) {
			if err := Remove(ctx, client, old); err != nil {
				return "", nil, err
			}
		}
		return id, nil, Put(ctx, client, spec)
	case cfn.RequestDelete:
		return ev.PhysicalResourceID, nil, Remove(ctx, client, spec)
	}
	return "", nil, fmt.Errorf("s3notify: unknown request type %q", ev.RequestType)
}

// Put adds spec's notification to its bucket, replacing one with the same
// Id and keeping all others.
func Put(ctx context.Context, client API, spec Spec) error {
	cur, err := client.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(spec.Bucket)})
	if err != nil {
		return fmt.Errorf("reading the notifications of bucket %s: %w", spec.Bucket, err)
	}
	conf := current(cur)
	conf.LambdaFunctionConfigurations = append(without(conf.LambdaFunctionConfigurations, spec.NotificationID), lambdaConfig(spec))
	return put(ctx, client, spec.Bucket, conf)
}

// Remove deletes spec's notification from its bucket, keeping all others.
func Remove(ctx context.Context, client API, spec Spec) error {
	cur, err := client.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(spec.Bucket)})
	if err != nil {
		if noSuchBucket(err) {
			return nil
		}
		return fmt.Errorf("reading the notifications of bucket %s: %w", spec.Bucket, err)
	}
	conf := current(cur)
	kept := without(conf.LambdaFunctionConfigurations, spec.NotificationID)
	if len(kept) == len(conf.LambdaFunctionConfigurations) {
		return nil // already gone
	}
	conf.LambdaFunctionConfigurations = kept
	return put(ctx, client, spec.Bucket, conf)
}

func put(ctx context.Context, client API, bucket string, conf *types.NotificationConfiguration) error {
	_, err := client.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
		Bucket:                    aws.String(bucket),
		NotificationConfiguration: conf,
	})
	if err != nil {
		return fmt.Errorf("writing the notifications of bucket %s: %w", bucket, err)
	}
	return nil
}

func current(out *s3.GetBucketNotificationConfigurationOutput) *types.NotificationConfiguration {
	return &types.NotificationConfiguration{
		EventBridgeConfiguration:     out.EventBridgeConfiguration,
		LambdaFunctionConfigurations: out.LambdaFunctionConfigurations,
		QueueConfigurations:          out.QueueConfigurations,
		TopicConfigurations:          out.TopicConfigurations,
	}
}

func without(list []types.LambdaFunctionConfiguration, id string) []types.LambdaFunctionConfiguration {
	out := make([]types.LambdaFunctionConfiguration, 0, len(list))
	for _, c := range list {
		if aws.ToString(c.Id) != id {
			out = append(out, c)
		}
	}
	return out
}

func lambdaConfig(spec Spec) types.LambdaFunctionConfiguration {
	c := types.LambdaFunctionConfiguration{
		Id:                aws.String(spec.NotificationID),
		LambdaFunctionArn: aws.String(spec.FunctionArn),
	}
	for _, e := range spec.Events {
		c.Events = append(c.Events, types.Event(e))
	}
	var rules []types.FilterRule
	if spec.Prefix != "" {
		rules = append(rules, types.FilterRule{Name: types.FilterRuleNamePrefix, Value: aws.String(spec.Prefix)})
	}
	if spec.Suffix != "" {
		rules = append(rules, types.FilterRule{Name: types.FilterRuleNameSuffix, Value: aws.String(spec.Suffix)})
	}
	if len(rules) > 0 {
		c.Filter = &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: rules}}
	}
	return c
}

func noSuchBucket(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && strings.EqualFold(ae.ErrorCode(), "NoSuchBucket")
}
