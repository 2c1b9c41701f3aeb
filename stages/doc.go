// Package stages owns the effective configuration: for one stage, the
// value of every per-stage key and, for every function, the value of every
// per-function key, each remembering where it was set.
//
// Precedence follows Chalice's Config._chain_lookup, with one fix. For a
// per-function key of function F in stage S the first layer that sets the
// key wins:
//
//  1. stages.S.lambda_functions.F
//  2. stages.S
//  3. lambda_functions.F (top level)
//  4. the top level
//  5. the default
//
// A per-stage key is looked up in stages.S, then the top level, then the
// default. "Set" means present in the file: [], 0, false and "" all count.
// Lists replace, never concatenate.
//
// environment_variables and tags merge instead, lowest layer first — top
// level, lambda_functions.F, stages.S, stages.S.lambda_functions.F — the
// more specific key winning. Chalice ignores the top-level
// lambda_functions entry for these two keys; chalc merges it (docs/manifest.md).
//
// Values written with placeholders (${env:NAME}, ${stage}, ${app_name})
// are expanded for the stage in the environment of the function they
// belong to (values.go): Resolve expands the configuration's, and
// Expand is what the compiler uses for the app's own (triggers, CORS,
// authorizers).
package stages
