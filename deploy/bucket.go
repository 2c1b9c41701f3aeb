package deploy

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// DefaultBucket is chalc's bucket for an account and region.
func DefaultBucket(account, region string) string {
	return "chalc-deploy-" + account + "-" + region
}

// bucket returns the bucket to upload to and, for chalc's own bucket, the
// account that must own it (checked on every request, so a bucket of the
// same name in another account is never written to).
func (d *Deployer) bucket(ctx context.Context, name string) (bucket, owner string, err error) {
	if name != "" {
		return name, "", nil
	}
	id, err := d.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", "", d.awsErr(err)
	}
	account := aws.ToString(id.Account)
	bucket = DefaultBucket(account, d.Region)
	_, err = d.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket), ExpectedBucketOwner: aws.String(account)})
	switch code := apiCode(err); {
	case err == nil:
		return bucket, account, nil
	case code == "NotFound" || code == "NoSuchBucket":
	case code == "Forbidden" || code == "AccessDenied":
		return "", "", fmt.Errorf("bucket %s exists but does not belong to account %s (or this identity may not use it): pass --bucket", bucket, account)
	case code == "MovedPermanently" || code == "PermanentRedirect":
		return "", "", fmt.Errorf("bucket %s is in another region than %s: pass --bucket", bucket, d.Region)
	default:
		return "", "", d.awsErr(err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if d.Region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(d.Region)}
	}
	_, err = d.S3.CreateBucket(ctx, in)
	switch apiCode(err) {
	case "":
		if err != nil {
			return "", "", d.awsErr(err)
		}
		d.logf("chalc: created bucket %s", bucket)
	case "BucketAlreadyOwnedByYou":
	case "BucketAlreadyExists":
		return "", "", fmt.Errorf("bucket %s belongs to another account: pass --bucket", bucket)
	default:
		return "", "", d.awsErr(err)
	}
	return bucket, account, nil
}

// upload puts data at key unless the object is already there (keys are
// content-addressed: the same key is the same bytes). S3 checks the
// object's SHA-256.
func (d *Deployer) upload(ctx context.Context, bucket, owner, key string, sum [32]byte, data []byte, what, contentType string) error {
	var expected *string
	if owner != "" {
		expected = aws.String(owner)
	}
	_, err := d.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ExpectedBucketOwner: expected})
	switch code := apiCode(err); {
	case err == nil:
		d.logf("chalc: %s is already in s3://%s/%s", what, bucket, key)
		return nil
	case code == "NotFound" || code == "NoSuchKey" || code == "Forbidden":
		// Without s3:ListBucket a missing object is a 403: upload.
	default:
		return d.awsErr(err)
	}
	_, err = d.S3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:              aws.String(bucket),
		Key:                 aws.String(key),
		Body:                bytes.NewReader(data),
		ContentLength:       aws.Int64(int64(len(data))),
		ContentType:         aws.String(contentType),
		ChecksumAlgorithm:   s3types.ChecksumAlgorithmSha256,
		ChecksumSHA256:      aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		ExpectedBucketOwner: expected,
	})
	if err != nil {
		return d.awsErr(err)
	}
	d.logf("chalc: uploaded %s (%s) to s3://%s/%s", what, size(len(data)), bucket, key)
	return nil
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
