// Package store keeps the todos. The handlers use it through the TodoDB
// interface, so that their tests can use a fake (app/app_test.go); the
// DynamoDB implementation is the one the module has.
package store

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Todo is one item.
type Todo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Done  bool   `json:"done"`
}

// ErrNotFound: no todo has the ID.
var ErrNotFound = errors.New("no such todo")

// TodoDB stores todos.
type TodoDB interface {
	Get(ctx context.Context, id string) (*Todo, error)
	Put(ctx context.Context, t *Todo) error
	Delete(ctx context.Context, id string) error
	List(ctx context.Context) ([]*Todo, error)
}

// dynamo is TodoDB on a DynamoDB table.
type dynamo struct {
	client *dynamodb.Client
	table  string
}

// NewDynamo returns a TodoDB on the table.
func NewDynamo(client *dynamodb.Client, table string) TodoDB {
	return &dynamo{client: client, table: table}
}

func key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}

func (d *dynamo) Get(ctx context.Context, id string) (*Todo, error) {
	out, err := d.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.table), Key: key(id)})
	if err != nil {
		return nil, err
	}
	if out.Item == nil {
		return nil, ErrNotFound
	}
	return decode(out.Item), nil
}

func (d *dynamo) Put(ctx context.Context, t *Todo) error {
	item := key(t.ID)
	item["title"] = &types.AttributeValueMemberS{Value: t.Title}
	item["done"] = &types.AttributeValueMemberBOOL{Value: t.Done}
	_, err := d.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(d.table), Item: item})
	return err
}

func (d *dynamo) Delete(ctx context.Context, id string) error {
	_, err := d.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(d.table), Key: key(id)})
	return err
}

func (d *dynamo) List(ctx context.Context) ([]*Todo, error) {
	var out []*Todo
	p := dynamodb.NewScanPaginator(d.client, &dynamodb.ScanInput{TableName: aws.String(d.table)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			out = append(out, decode(item))
		}
	}
	return out, nil
}

func decode(item map[string]types.AttributeValue) *Todo {
	t := &Todo{}
	if v, ok := item["id"].(*types.AttributeValueMemberS); ok {
		t.ID = v.Value
	}
	if v, ok := item["title"].(*types.AttributeValueMemberS); ok {
		t.Title = v.Value
	}
	if v, ok := item["done"].(*types.AttributeValueMemberBOOL); ok {
		t.Done = v.Value
	}
	return t
}
