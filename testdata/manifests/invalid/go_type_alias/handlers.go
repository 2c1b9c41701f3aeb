package handlers

import (
	"context"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Str is another name for string.
type Str = string

// Ctx and Event are other names for the handler API's types.
type (
	Ctx   = context.Context
	Req   = *chalice.Request
	Event = chalice.CloudWatchEvent
)

// ID is a type of its own: not a string parameter.
type ID string

// AliasLocal uses aliases for its parameter and result.
func AliasLocal(authorID Str) (Str, error) { return authorID, nil }

// AliasNested uses aliases of the context and the request.
func AliasNested(ctx Ctx, req Req, bookID Str) ([]Str, error) { return []Str{bookID}, nil }

// DefinedType takes a defined type, which the path cannot provide.
func DefinedType(id ID) (string, error) { return string(id), nil }

// Nightly takes its event through an alias.
func Nightly(ctx Ctx, e Event) error { return nil }
