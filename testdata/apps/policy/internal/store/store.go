// Package store keeps photos in S3 and their index in DynamoDB.
package store

import (
	"bytes"
	"context"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"example.com/policy/internal/notify"
)

// Store holds the clients and the resource names.
type Store struct {
	S3     *s3.Client
	DB     *dynamodb.Client
	Bucket string
	Table  string
}

// New returns a Store for $BUCKET and $TABLE.
func New() *Store {
	region := os.Getenv("AWS_REGION")
	return &Store{
		S3:     s3.New(s3.Options{Region: region}),
		DB:     dynamodb.New(dynamodb.Options{Region: region}),
		Bucket: os.Getenv("BUCKET"),
		Table:  os.Getenv("TABLE"),
	}
}

// Save writes the photo and indexes it.
func (s *Store) Save(ctx context.Context, key string, body []byte) error {
	if _, err := s.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: &s.Bucket, Key: &key, Body: bytes.NewReader(body)}); err != nil {
		return err
	}
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table,
		Item: map[string]types.AttributeValue{"key": &types.AttributeValueMemberS{Value: key}}})
	return err
}

// Keys reads the whole index, page by page.
func (s *Store) Keys(ctx context.Context) ([]string, error) {
	var keys []string
	p := dynamodb.NewQueryPaginator(s.DB, &dynamodb.QueryInput{TableName: &s.Table, KeyConditionExpression: aws.String("kind = :k")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			if v, ok := item["key"].(*types.AttributeValueMemberS); ok {
				keys = append(keys, v.Value)
			}
		}
	}
	return keys, nil
}

// Publish tells subscribers that key changed.
func Publish(ctx context.Context, key string) error {
	return notify.Send(ctx, "changed: "+key)
}

// Link returns a presigned GET URL for key, valid for an hour: whoever
// uses it acts with the function's role, which needs s3:GetObject.
func (s *Store) Link(ctx context.Context, key string) (string, error) {
	req, err := s3.NewPresignClient(s.S3).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &key}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		return "", err
	}
	return req.URL, nil
}
