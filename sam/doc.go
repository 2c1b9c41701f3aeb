// Package sam owns the template: it lowers a checked compiler.App to an
// AWS SAM template built from goformation's typed resources, shaped as
// Chalice's `chalice package` shapes it (logical IDs, swagger, outputs),
// and serialises templates deterministically.
//
// Rules this package keeps (see ../shared/FACTS.md):
//   - intrinsics are built only with goformation's helpers (cloudformation.
//     Ref/GetAtt/Sub/...) and serialised only through Template.JSON(), which
//     decodes them; a raw {"Ref": ...} map in an interface{} field would be
//     evaluated by goformation instead;
//   - goformation's SAM event types lack properties chalc needs (SQS
//     MaximumBatchingWindowInSeconds, ScalingConfig, FunctionResponseTypes,
//     Kinesis MaximumBatchingWindowInSeconds, ...). chalc emits every
//     function through Function (function.go), which wraps
//     serverless.Function and replaces only its Events with local event
//     types, so no union heuristic is involved;
//   - a template is never parsed back through goformation.
package sam
