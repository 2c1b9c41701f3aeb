// Package app is a photo store whose handlers call S3, DynamoDB, SQS and
// SNS through aws-sdk-go-v2: chalc grants each function exactly the
// actions its code can reach.
package app

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chalc-dev/chalc/runtime/chalice"

	"example.com/policy/internal/store"
)

var photos = store.New()

// objectHeader is the part of the S3 client GetPhoto needs (a test can
// fake it): a call through it is still s3:GetObject (HeadObject's action).
type objectHeader interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

func header() objectHeader { return photos.S3 }

// ListPhotos lists the photos' keys.
func ListPhotos(ctx context.Context) ([]string, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(photos.S3, &s3.ListObjectsV2Input{Bucket: &photos.Bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			keys = append(keys, *o.Key)
		}
	}
	return keys, nil
}

// GetPhoto returns a photo.
func GetPhoto(ctx context.Context, key string) (*chalice.Response, error) {
	if _, err := header().HeadObject(ctx, &s3.HeadObjectInput{Bucket: &photos.Bucket, Key: &key}); err != nil {
		return &chalice.Response{StatusCode: 404, Body: "no such photo"}, nil
	}
	out, err := photos.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: &photos.Bucket, Key: &key})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, err
	}
	return &chalice.Response{Headers: map[string]string{"Content-Type": "image/jpeg"}, Body: body}, nil
}

// PutPhoto stores a photo.
func PutPhoto(ctx context.Context, req *chalice.Request, key string) (map[string]string, error) {
	if err := photos.Save(ctx, key, req.RawBody); err != nil {
		return nil, err
	}
	return map[string]string{"key": key}, nil
}
