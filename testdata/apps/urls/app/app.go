// Package app is the urls example: functions with Lambda function URLs.
package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Event is what a webhook delivers.
type Event struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// Webhook takes events from anyone (a public URL): any path, any method.
func Webhook(req *chalice.Request) (*chalice.Response, error) {
	if req.Method != "POST" {
		return nil, &chalice.MethodNotAllowedError{Message: "POST events to " + req.RawPath}
	}
	var ev Event
	if err := req.JSONBody(&ev); err != nil {
		return nil, err
	}
	if ev.Kind == "" {
		return nil, &chalice.BadRequestError{Message: "kind is required"}
	}
	return &chalice.Response{StatusCode: 202, Body: map[string]any{"accepted": ev, "path": req.RawPath,
		"signature": req.Headers.Get("X-Signature"), "source": req.QueryParams.GetAll("source")}}, nil
}

// Internal answers signed callers: the IAM identity is in the request
// context, as behind a REST API's iam authorizer.
func Internal(ctx context.Context, req *chalice.Request) (map[string]string, error) {
	return map[string]string{"caller": req.RequestContext.Identity.UserArn, "account": req.RequestContext.Identity.AccountID}, nil
}

// Export streams a CSV export as it is written (invoke_mode:
// response_stream): the body is an io.Reader.
func Export(req *chalice.Request) (*chalice.Response, error) {
	rows := 3
	if n := req.QueryParams.Get("rows"); n != "" {
		if _, err := fmt.Sscan(n, &rows); err != nil {
			return nil, &chalice.BadRequestError{Message: "rows must be a number"}
		}
	}
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprintln(pw, "id,item")
		for i := 1; i <= rows; i++ {
			fmt.Fprintf(pw, "%d,item-%d\n", i, i)
		}
		pw.Close()
	}()
	return &chalice.Response{Headers: map[string]string{"Content-Type": "text/csv"}, Body: pr}, nil
}

// Nightly is an ordinary scheduled function beside them.
func Nightly(e chalice.CloudWatchEvent) error { return nil }

// Stamp is HTTP middleware: it runs for function URLs as for routes.
func Stamp(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
	resp, err := next(ctx, req)
	if err != nil || resp == nil {
		return resp, err
	}
	r := *resp
	r.Headers = map[string]string{"X-Served-By": "urls/" + strings.TrimPrefix(req.Path, "/")}
	for k, v := range resp.Headers {
		r.Headers[k] = v
	}
	return &r, nil
}
