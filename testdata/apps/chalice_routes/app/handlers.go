// Package app holds the handlers of the routes reference case, ported from
// Chalice's app.py.
//
// A handler's doc comment becomes its routes' swagger summary and
// description, as a Python docstring does. Only app.py's user view has a
// docstring, so only User has a doc comment; the notes above the other
// handlers are separated from them by a blank line on purpose.
package app

import (
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// app.py: index

func Index() (map[string]string, error) {
	return map[string]string{"hello": "world"}, nil
}

// Get, replace or delete one user.
//
// The second and later docstring lines become the swagger description.
func User(userID string) (map[string]string, error) {
	return map[string]string{"user_id": userID}, nil
}

// app.py: repo

func Repo(org, repo string) (map[string]string, error) {
	return map[string]string{"org": org, "repo": repo}, nil
}

// app.py: list_items

func ListItems() ([]any, error) {
	return []any{}, nil
}

// app.py: create_item

func CreateItem() (*chalice.Response, error) {
	return &chalice.Response{Body: map[string]bool{"created": true}, StatusCode: 201}, nil
}

// app.py: cors_default

func CorsDefault() (map[string]any, error) { return map[string]any{}, nil }

// app.py: cors_custom_get

func CorsCustomGet() (map[string]any, error) { return map[string]any{}, nil }

// app.py: cors_custom_put

func CorsCustomPut() (map[string]any, error) { return map[string]any{}, nil }

// app.py: cors_partial_get

func CorsPartialGet() (map[string]any, error) { return map[string]any{}, nil }

// app.py: cors_partial_post

func CorsPartialPost() (map[string]any, error) { return map[string]any{}, nil }

// app.py: upload

func Upload(req *chalice.Request) (*chalice.Response, error) {
	return &chalice.Response{
		Body:    req.RawBody,
		Headers: map[string]string{"Content-Type": "application/octet-stream"},
	}, nil
}

// app.py: image

func Image(name string) (*chalice.Response, error) {
	return &chalice.Response{
		Body:    []byte("\x89PNG"),
		Headers: map[string]string{"Content-Type": "image/png"},
	}, nil
}

// app.py: secret

func Secret() (map[string]any, error) { return map[string]any{}, nil }

// app.py: plain

func Plain() (*chalice.Response, error) {
	return &chalice.Response{
		Body:    "ok",
		Headers: map[string]string{"Content-Type": "text/plain"},
	}, nil
}
