// Package app holds one exported func per case of the SDK-call
// analysis that gocheck's TestSDKFlow checks.
package app

import (
	"context"
	"log"
	"os"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	rtypes "github.com/aws/aws-sdk-go-v2/service/rekognition/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

var (
	ddbClient = dynamodb.New(dynamodb.Options{})
	s3Client  = s3.New(s3.Options{})
	rekClient = rekognition.New(rekognition.Options{})
)

// DB is implemented by the module's ddb (and a generic cache).
type DB interface {
	Get(ctx context.Context, id string) (string, error)
}

type ddb struct {
	client *dynamodb.Client
	table  string
}

func newDDB(table string) *ddb { return &ddb{client: ddbClient, table: table} }

func (d *ddb) Get(ctx context.Context, id string) (string, error) {
	_, err := d.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &d.table})
	return id, err
}

type cache[T any] struct{ next DB }

func (c *cache[T]) Get(ctx context.Context, id string) (string, error) {
	_, err := s3Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cache-bucket")})
	return id, err
}

var db DB = newDDB(os.Getenv("TABLE"))

// ViaInterface calls DB.Get: both implementations.
func ViaInterface(ctx context.Context) error {
	_, err := db.Get(ctx, "x")
	return err
}

// MethodValue hands the interface's method on as a value.
func MethodValue(ctx context.Context) error { return run(ctx, db.Get) }

func run(ctx context.Context, fn func(context.Context, string) (string, error)) error {
	_, err := fn(ctx, "x")
	return err
}

type store struct{}

func (store) put(ctx context.Context) error {
	_, err := s3Client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket)})
	return err
}

var bucket = os.Getenv("BUCKET")

// ConcreteMethodValue calls a method through a method value.
func ConcreteMethodValue(ctx context.Context) error {
	f := store{}.put
	return f(ctx)
}

// Closure calls the SDK in a function literal.
func Closure(ctx context.Context) error {
	f := func() error {
		_, err := s3Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(constBucket)})
		return err
	}
	return f()
}

const constBucket = "const-bucket"

// deleter holds a func: only who calls through it reaches it.
var deleter = deleteItem

func deleteItem(ctx context.Context) error {
	_, err := ddbClient.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tableName())})
	return err
}

func tableName() string { return os.Getenv("DELETE_TABLE") }

// ViaVar calls through the var.
func ViaVar(ctx context.Context) error { return deleter(ctx) }

// NotViaVar does not: it must not reach DeleteItem.
func NotViaVar(ctx context.Context) error { return nil }

// Remote is implemented nowhere in the module, and its signature uses
// S3's types: unresolved.
type Remote interface {
	Fetch(ctx context.Context) (*s3.GetObjectOutput, error)
}

var remote Remote

// Unresolved calls Remote.Fetch.
func Unresolved(ctx context.Context) error {
	_, err := remote.Fetch(ctx)
	return err
}

// Logger has no implementation in the module and no SDK types: not
// reported (a *log.Logger is one).
type Logger interface{ Printf(string, ...any) }

var logger Logger = log.Default()

// Logs calls Logger.Printf.
func Logs(ctx context.Context) error { logger.Printf("x"); return nil }

// Reflect calls through reflection.
func Reflect(ctx context.Context) error {
	reflect.ValueOf(deleteItem).Call([]reflect.Value{reflect.ValueOf(ctx)})
	return nil
}

// Rekognition reads an S3 object: the input's Image.S3Object.Bucket.
func Rekognition(ctx context.Context) error {
	_, err := rekClient.DetectLabels(ctx, &rekognition.DetectLabelsInput{
		Image: &rtypes.Image{S3Object: &rtypes.S3Object{Bucket: aws.String(os.Getenv("PHOTOS"))}},
	})
	return err
}

// RekognitionBytes sends the image: no S3Object.
func RekognitionBytes(ctx context.Context) error {
	_, err := rekClient.DetectLabels(ctx, &rekognition.DetectLabelsInput{Image: &rtypes.Image{Bytes: []byte("x")}})
	return err
}
