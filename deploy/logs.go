package deploy

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// LogsInput says whose logs to print.
type LogsInput struct {
	StackName string
	// LogicalID is the function's resource in the stack (APIHandler, or
	// awsfacts.LogicalID of its name).
	LogicalID string
	// Since is the time of the oldest event to print.
	Since time.Time
	// Follow keeps polling for new events until ctx is done.
	Follow bool
	// Out receives one line per event: <time> <message>.
	Out io.Writer
}

// ResourceNotFoundError: the stack has no resource of that logical ID.
type ResourceNotFoundError struct{ StackName, LogicalID string }

func (e *ResourceNotFoundError) Error() string {
	return fmt.Sprintf("stack %s has no resource %s", e.StackName, e.LogicalID)
}

// FunctionName finds the physical name of a function of the stack.
func (d *Deployer) FunctionName(ctx context.Context, stack, logicalID string) (string, error) {
	out, err := d.CloudFormation.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{
		StackName: aws.String(stack), LogicalResourceId: aws.String(logicalID),
	})
	if err != nil {
		m := apiMessage(err)
		switch {
		case isStackMissing(err):
			return "", &StackNotFoundError{StackName: stack}
		case apiCode(err) == "ValidationError" && strings.HasPrefix(m, "Resource") && strings.Contains(m, "does not exist"):
			return "", &ResourceNotFoundError{StackName: stack, LogicalID: logicalID}
		}
		return "", d.awsErr(err)
	}
	if out.StackResourceDetail == nil || aws.ToString(out.StackResourceDetail.PhysicalResourceId) == "" {
		return "", &ResourceNotFoundError{StackName: stack, LogicalID: logicalID}
	}
	return aws.ToString(out.StackResourceDetail.PhysicalResourceId), nil
}

// Logs prints the function's CloudWatch Logs events since in.Since,
// every page of them; with Follow it keeps polling until ctx is done
// (which then is not an error).
func (d *Deployer) Logs(ctx context.Context, in LogsInput) error {
	fn, err := d.FunctionName(ctx, in.StackName, in.LogicalID)
	if err != nil {
		return err
	}
	group := "/aws/lambda/" + fn
	// One pass reads every page from start (the query must not change
	// between pages); the next pass starts at the newest event printed,
	// and skips by ID the events of that millisecond already printed.
	start := in.Since.UnixMilli()
	printed := map[string]bool{}
	noted := false
	for {
		next, nextPrinted := start, printed
		var token *string
		for {
			out, err := d.CloudWatchLogs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
				LogGroupName: aws.String(group),
				StartTime:    aws.Int64(start),
				NextToken:    token,
			})
			if apiCode(err) == "ResourceNotFoundException" {
				if !noted {
					d.logf("chalc: no logs yet: log group %s does not exist (the function has not run)", group)
					noted = true
				}
				break
			}
			if err != nil {
				if in.Follow && ctx.Err() != nil {
					return nil
				}
				return d.awsErr(err)
			}
			for _, e := range out.Events {
				id, ts := aws.ToString(e.EventId), aws.ToInt64(e.Timestamp)
				if printed[id] || nextPrinted[id] {
					continue
				}
				if ts > next {
					next, nextPrinted = ts, map[string]bool{}
				}
				if ts == next {
					nextPrinted[id] = true
				}
				fmt.Fprintf(in.Out, "%s %s\n", time.UnixMilli(ts).UTC().Format("2006-01-02T15:04:05.000Z07:00"),
					strings.TrimRight(aws.ToString(e.Message), "\n"))
			}
			if aws.ToString(out.NextToken) == "" {
				break
			}
			token = out.NextToken
		}
		start, printed = next, nextPrinted
		if !in.Follow {
			return nil
		}
		if err := d.sleep(ctx); err != nil {
			return nil
		}
	}
}
