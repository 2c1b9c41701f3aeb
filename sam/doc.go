// Package sam owns the template: it lowers a checked compiler.App to an
// AWS SAM template built from goformation's typed resources, shaped as
// Chalice's `chalice package` shapes it (logical IDs, swagger, outputs),
// and renders it as plain JSON values (internal/cfnjson), which merge,
// deploy and the encoders take from there.
//
// Rules this package keeps (see ../shared/FACTS.md):
//   - an intrinsic in a typed field is a token minted here (ref, getAtt,
//     sub, join in intrinsics.go), which only this process can make and
//     only value turns into the intrinsic's object; a user's string is
//     never read as an intrinsic. goformation's helpers, whose base64
//     encoding any string can imitate, and its Template.JSON(), which
//     also evaluates raw intrinsic maps, are not used;
//   - goformation's SAM event types lack properties chalc needs (SQS
//     MaximumBatchingWindowInSeconds, ScalingConfig, FunctionResponseTypes,
//     Kinesis MaximumBatchingWindowInSeconds, ...). chalc emits every
//     function through Function (function.go), which wraps
//     serverless.Function and replaces only its Events with local event
//     types, so no union heuristic is involved;
//   - a template is never parsed back through goformation;
//   - the swagger document is built apart, as plain values (sam/swagger),
//     so that apidoc shares it without goformation.
package sam
