package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// TwoSources: the table is one of two variables.
func TwoSources(ctx context.Context, which bool) error {
	t := os.Getenv("T_A")
	if which {
		t = os.Getenv("T_B")
	}
	_, err := ddbClient.Query(ctx, &dynamodb.QueryInput{TableName: &t})
	return err
}

// Computed: fmt.Sprintf is not followed.
func Computed(ctx context.Context) error {
	_, err := ddbClient.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(fmt.Sprintf("t-%d", 1))})
	return err
}

// FieldSetLater sets TableName on the input after building it.
func FieldSetLater(ctx context.Context) error {
	in := &dynamodb.DescribeTableInput{}
	in.TableName = aws.String("later")
	_, err := ddbClient.DescribeTable(ctx, in)
	return err
}

// Unset: Scan without a table name.
func Unset(ctx context.Context) error {
	_, err := ddbClient.Scan(ctx, &dynamodb.ScanInput{})
	return err
}

type config struct{ Table string }

var cfg = load()

func load() config {
	var c config
	_ = json.Unmarshal([]byte(os.Getenv("CONFIG")), &c)
	return c
}

// Decoded: the struct is filled by json.Unmarshal.
func Decoded(ctx context.Context) error {
	_, err := ddbClient.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{})
	_, err = ddbClient.PutItem(ctx, &dynamodb.PutItemInput{TableName: &cfg.Table})
	return err
}

var pointed = "pointed"

func set(p *string) { *p = os.Getenv("OTHER") }

// ThroughPointer: written through a pointer elsewhere.
func ThroughPointer(ctx context.Context) error {
	set(&pointed)
	_, err := ddbClient.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &pointed})
	return err
}
