// Package compiler owns the app model: it takes a loaded manifest set,
// runs the schema, resolves the stage, applies every cross-check the
// schema cannot express (paths, names, triggers, schedules, ARNs, CORS,
// authorizers), reads the policy files the manifest names, type-checks the
// Go handlers and finds the aws-sdk-go-v2 operations each function's code
// can call (sdkcalls.go), from which each function gets its role
// (roles.go). The result, an *App, is everything the template generator
// (sam/) and the code generator (build/) need; neither looks at YAML or
// reads a file named in it again.
//
// Values written with stage placeholders (${env:NAME}...) are compiled
// once per stage and checked as each stage expands them
// (stagevalues.go); with the merge templates given, what the manifest
// names in them is checked too (templates.go).
//
// The passes are plain functions over one checker that accumulates
// diagnostics; lowering to the App happens only when no error was found,
// so later steps never see half-valid input.
package compiler
