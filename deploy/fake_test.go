package deploy

import (
	"context"
	"errors"
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
	describes int
}

func (f *stuckCFN) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	f.describes++
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

// An interrupted wait says the operation goes on in CloudFormation.
func TestWaitInterrupted(t *testing.T) {
	cfn := &stuckCFN{}
	d := &Deployer{Clients: &Clients{CloudFormation: cfn}, Poll: time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := d.Delete(ctx, "petstore-dev") // joins the deletion in progress
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if want := "stopped waiting: stack petstore-dev is still DELETE_IN_PROGRESS; CloudFormation carries on: context deadline exceeded"; err.Error() != want {
		t.Errorf("err %q", err)
	}
	if cfn.describes < 3 {
		t.Errorf("%d polls", cfn.describes)
	}
}
