package deploy

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// stuckCFN is a CloudFormation whose stack never leaves
// DELETE_IN_PROGRESS: the interfaces let a test fake one service
// without a server. Calls it does not define panic (nil interface).
type stuckCFN struct {
	CloudFormationAPI
	describes atomic.Int32
}

func (f *stuckCFN) polls() int { return int(f.describes.Load()) }

func (f *stuckCFN) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	f.describes.Add(1)
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{{
		StackName: aws.String("petstore-dev"), StackId: aws.String("arn:stack/petstore-dev/1"),
		StackStatus: types.StackStatusDeleteInProgress,
	}}}, nil
}

func (f *stuckCFN) DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return &cloudformation.DescribeStackEventsOutput{}, nil
}

func (f *stuckCFN) DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	return &cloudformation.DeleteStackOutput{}, nil
}

// An interrupted wait says the operation goes on in CloudFormation, and
// the stack's last status.
func TestWaitInterrupted(t *testing.T) {
	cfn := &stuckCFN{}
	d := &Deployer{Clients: &Clients{CloudFormation: cfn, Region: "eu-west-1"}, Poll: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for cfn.polls() < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel() // Ctrl-C
	}()
	_, err := d.Delete(ctx, "petstore-dev") // joins the deletion in progress
	var se *StoppedError
	if !errors.As(err, &se) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if want := "stopped following the delete of stack petstore-dev: interrupted"; err.Error() != want {
		t.Errorf("err %q, want %q", err, want)
	}
	want := []string{"the deletion was started: CloudFormation carries on without chalc", "the stack's last known status is DELETE_IN_PROGRESS"}
	if got := se.State(); !slices.Equal(got, want) {
		t.Errorf("state %q, want %q", got, want)
	}
	if se.StackID != "arn:stack/petstore-dev/1" || se.Region != "eu-west-1" || se.Timeout != 0 {
		t.Errorf("%+v", se)
	}
}
