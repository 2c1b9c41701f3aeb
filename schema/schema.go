// Package schema checks the shape of chalice.yaml and of blueprint
// fragments against chalc's JSON Schema (draft 2020-12): keys, types, enums,
// ranges and required keys. Rules between keys (a queue xor a queue ARN, one
// trigger per function, FIFO limits, schedule and path syntax) belong to the
// compiler, which reports them with more context.
//
// The schema is embedded (JSON returns it, for `chalc schema` and editors)
// and compiled once, by chalc's own validator (validator.go) for the
// keywords it uses. Validate converts the parsed YAML to JSON values,
// validates them, and turns every violation into a diagnostic at the exact
// YAML node, worded for a person:
//
//	chalice.yaml:3:1: error: unknown key "lambda_timout"
//	  hint: did you mean "lambda_timeout"?
//	chalice.yaml:9:12: error: environment variable PORT must be a string, not a number
//	  hint: quote it: PORT: "8080"
//
// Messages come from the violation's kind plus annotations in the schema
// itself: x-chalc-name (how a value is named), x-chalc-expect (what it must
// be), x-chalc-unit, x-chalc-keys, x-chalc-place and x-chalc-context (see the
// schema's $comment), and the standard examples keyword for "is required"
// hints. Keeping the wording next to the keys keeps both in one place.
package schema

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

//go:embed chalice.schema.json
var schemaJSON []byte

// ID is the schema's $id.
const ID = "https://chalc.dev/schema/chalice.schema.json"

// JSON returns the schema exactly as embedded: what `chalc schema` prints.
// The caller must not modify the returned slice.
func JSON() []byte { return schemaJSON }

type compiled struct {
	app, fragment *node
	raw           *raw
}

// load compiles the embedded schema, once, when a manifest is first
// validated (not at start-up: most commands never validate). The schema
// is part of the binary and pinned by tests, so a failure here is a bug in
// chalc, not in the user's manifest: it panics.
var load = sync.OnceValue(func() *compiled {
	r, err := newRaw(schemaJSON)
	if err != nil {
		panic(fmt.Sprintf("schema: embedded chalice.schema.json: %v", err))
	}
	app, err := compileSchema(r, "#")
	if err != nil {
		panic(fmt.Sprintf("schema: compiling chalice.schema.json: %v", err))
	}
	frag, err := compileSchema(r, "#/$defs/fragment")
	if err != nil {
		panic(fmt.Sprintf("schema: compiling chalice.schema.json#/$defs/fragment: %v", err))
	}
	return &compiled{app: app, fragment: frag, raw: r}
})

// Validate checks an app manifest (chalice.yaml) and returns one
// diagnostic per problem, sorted by position. A document without a root
// (empty or unparsable; the parser has reported it) yields none.
func Validate(doc *manifest.Document) diag.Diagnostics {
	c := load()
	return validate(doc, c.app, c.raw.root, c)
}

// ValidateFragment checks a blueprint fragment: only handlers, routes,
// authorizers, functions and middleware are allowed.
func ValidateFragment(doc *manifest.Document) diag.Diagnostics {
	c := load()
	return validate(doc, c.fragment, c.raw.ptr("#/$defs/fragment"), c)
}

func validate(doc *manifest.Document, sch *node, root obj, c *compiled) diag.Diagnostics {
	if doc == nil || doc.Root == nil {
		return nil
	}
	cv := converter{}
	inst := cv.value(doc.Root)
	rep := &reporter{doc: doc, raw: c.raw, root: root, inst: inst}
	if verr := sch.validate(inst); verr != nil {
		rep.walk(verr)
	}
	rep.oddScalars(cv.odd)
	return rep.ds.Sorted()
}
