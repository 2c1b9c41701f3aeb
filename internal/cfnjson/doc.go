// Package cfnjson owns CloudFormation templates as plain JSON values —
// map[string]any, []any, string, json.Number, bool and nil — and their
// bytes: a deterministic JSON encoder (keys sorted, the bytes
// encoding/json writes), the YAML form, a decoder that keeps numbers
// exact, and intrinsic functions as the plain objects CloudFormation
// reads ({"Ref": ...}, {"Fn::GetAtt": [...]}, {"Fn::Sub": ...}).
//
// It imports no template library: what reads or writes a template
// (deploy, apidoc, the CLI, merge) works on these values, and only sam
// builds them from goformation's typed resources.
package cfnjson
