package handlers

import (
	"context"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Book is a type, not a handler.
type Book struct{ Title string }

var png = []byte{0x89, 'P', 'N', 'G'}

// ListBooks holds a func, but is a variable.
var ListBooks = func(ctx context.Context) ([]Book, error) { return nil, nil }

// Version is a constant.
const Version = "1.0"

// Search is variadic.
func Search(req *chalice.Request, terms ...string) (string, error) { return "", nil }

// Cleanup is variadic too.
func Cleanup(ctx context.Context, names ...string) error { return nil }
