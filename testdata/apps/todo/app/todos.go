// Package app is the todo API and its functions.
package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/chalc-dev/chalc/runtime/chalice"

	"example.com/todo/store"
)

var region = os.Getenv("AWS_REGION")

// DB is where the todos are; tests replace it with a fake.
var DB = store.NewDynamo(dynamodb.New(dynamodb.Options{Region: region}), os.Getenv("TABLE"))

// Archiver keeps deleted todos: tests replace it.
var Archiver func(ctx context.Context, t *store.Todo) error = archive

var (
	objects = s3.New(s3.Options{Region: region})
	notices = sns.New(sns.Options{Region: region})
)

// ListTodos lists every todo.
func ListTodos(ctx context.Context) ([]*store.Todo, error) { return DB.List(ctx) }

// CreateTodo stores the posted todo.
func CreateTodo(ctx context.Context, req *chalice.Request) (*store.Todo, error) {
	var t store.Todo
	if err := json.Unmarshal(req.RawBody, &t); err != nil || t.ID == "" {
		return nil, &chalice.BadRequestError{Message: "a todo needs an id"}
	}
	return &t, DB.Put(ctx, &t)
}

// GetTodo returns one todo.
func GetTodo(ctx context.Context, id string) (*store.Todo, error) {
	t, err := DB.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &chalice.NotFoundError{Message: "no todo " + id}
	}
	return t, err
}

// DeleteTodo archives the todo, then deletes it.
func DeleteTodo(ctx context.Context, id string) (map[string]string, error) {
	t, err := GetTodo(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := Archiver(ctx, t); err != nil {
		return nil, err
	}
	return map[string]string{"deleted": id}, DB.Delete(ctx, id)
}

// archive writes the todo to the archive bucket and tells the
// subscribers: DeleteTodo and Archive both use it.
func archive(ctx context.Context, t *store.Todo) error {
	body, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if _, err := objects.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(os.Getenv("BUCKET")), Key: aws.String("todos/" + t.ID + ".json"), Body: bytes.NewReader(body),
	}); err != nil {
		return err
	}
	_, err = notices.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(os.Getenv("TOPIC_ARN")), Message: aws.String("archived " + t.ID)})
	return err
}

// Archive archives and deletes the todos that are done.
func Archive(ctx context.Context, e chalice.CloudWatchEvent) (int, error) {
	todos, err := DB.List(ctx)
	if err != nil {
		return 0, err
	}
	var done []*store.Todo
	for _, t := range todos {
		if t.Done {
			done = append(done, t)
		}
	}
	for _, t := range done {
		if err := Archiver(ctx, t); err != nil {
			return 0, err
		}
	}
	// A method value: the analysis follows DB.Delete to the
	// implementations of store.TodoDB.
	return len(done), forEach(ctx, done, DB.Delete)
}

func forEach(ctx context.Context, todos []*store.Todo, fn func(context.Context, string) error) error {
	for _, t := range todos {
		if err := fn(ctx, t.ID); err != nil {
			return err
		}
	}
	return nil
}
