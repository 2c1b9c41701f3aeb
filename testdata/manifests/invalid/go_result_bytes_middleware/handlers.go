package handlers

import (
	"context"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Raw returns bytes without a Content-Type.
func Raw() ([]byte, error) { return []byte{0x89}, nil }

// Chan returns what JSON cannot encode.
func Chan() (<-chan int, error) { return nil, nil }

// SetType may set a Content-Type on every response.
func SetType(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
	resp, err := next(ctx, req)
	if err == nil {
		resp.Headers = map[string]string{"Content-Type": "image/png"}
	}
	return resp, err
}
