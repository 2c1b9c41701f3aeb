// Package app holds the handlers of the pure_lambda reference case, ported
// from Chalice's app.py: three @app.lambda_function handlers, two of them
// renamed with name=.
package app

import "context"

// PlainHandler is app.py's plain_handler.
func PlainHandler(ctx context.Context, event map[string]any) (map[string]string, error) {
	return map[string]string{"hello": "world"}, nil
}

// RenamedHandler is app.py's renamed_handler, registered as custom-name.
func RenamedHandler(ctx context.Context, event map[string]any) (map[string]any, error) {
	return map[string]any{}, nil
}

// OddName is app.py's odd_name, registered as MixedCase_with-dashes.
func OddName(ctx context.Context, event map[string]any) (map[string]any, error) {
	return map[string]any{}, nil
}
