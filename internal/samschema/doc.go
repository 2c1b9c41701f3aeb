// Package samschema is a test oracle: it validates a generated AWS SAM
// template (JSON) against the resource schema goformation ships
// (github.com/awslabs/goformation/v7/schema.SamSchema), adapted so that
// CloudFormation intrinsic functions are accepted where CloudFormation
// accepts them. Other packages' tests call Validate on every golden
// template; the chalc CLI never imports this package (the first Validate
// compiles the schema: ~4 s and ~380 MB peak RSS on a 2-core machine, ~120 MB
// of heap kept afterwards).
//
// # The bundled schema
//
// SamSchema is a draft-04 schema (its "$id" is, oddly, the draft-04
// metaschema URL; the adapter drops it and states "$schema" instead). The
// template's Resources map is patternProperties "^[a-zA-Z0-9]+$" whose value
// is an anyOf over 1256 "$ref"s, one per resource type definition
// (definitions["AWS::Serverless::Function"], ..., "CustomResource"). Each
// such definition is a closed object (additionalProperties false) whose
// "Type" is an enum of the one type name, next to Condition, DeletionPolicy,
// DependsOn, Metadata, UpdateReplacePolicy and "Properties", itself a closed
// object describing the resource's properties with "$ref"s to property-type
// definitions named "<ResourceType>.<PropertyType>"
// ("AWS::Serverless::Function.SQSEvent"). Only a handful of keywords occur:
// type, properties, patternProperties, additionalProperties, required,
// items, enum, pattern, anyOf, $ref (and maxLength, min/maxProperties on
// template sections). As shipped, every {"Ref": ...} is "got object, want
// string", so no real template validates.
//
// # The adaptation (adapt.go), done on the decoded schema before compiling
//
//  1. Corrections, each in a short list with its reason and link: the SAM
//     properties the bundled schema lacks (extensions: SQS
//     MaximumBatchingWindowInSeconds, ScalingConfig, FunctionResponseTypes;
//     Kinesis MaximumBatchingWindowInSeconds; DynamoDB
//     FunctionResponseTypes), the string form of an Api's
//     EndpointConfiguration (alternatives), and the Outputs minProperties
//     that rejects Chalice's "Outputs": {} (removals). Each checks the
//     bundled schema still lacks what it adds (or has what it removes), so a
//     goformation upgrade that catches up fails loudly.
//  2. Event sources: AWS::Serverless::{Function,StateMachine}.EventSource
//     accepted any event Properties whatever the event's Type (an anyOf over
//     all event shapes). They become discriminated unions: one anyOf branch
//     per event type, pairing "Type": {"enum": ["SQS"]} with the SQSEvent
//     properties. Event types the schema does not model (MSK, MQ, ...) are
//     rejected.
//  3. Intrinsic functions: every schema that describes a value — a member of
//     a resource's Properties, of a property-type definition or of a Globals
//     section, an array's items, a map's patternProperties or
//     additionalProperties schema, recursively — becomes
//     {"anyOf": [{"$ref": "#/definitions/Intrinsic"}, <original>]}.
//     definitions/Intrinsic is an object with exactly one key among Ref,
//     Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If, Fn::Select, Fn::Split,
//     Fn::FindInMap, Fn::ImportValue, Fn::Base64, Fn::Cidr, Fn::GetAZs,
//     Fn::Transform and Condition, each with the argument shape
//     CloudFormation documents (Fn::Sub: a string or [string, object], ...);
//     cfn-lint accepts intrinsics the same way. The original schema is kept
//     intact, so a real object still meets additionalProperties false and
//     its required list, and a string where a number, an object or a list is
//     expected still fails. Not wrapped: the resource envelope (Type,
//     DependsOn, Condition, ...), Properties itself, function Events and
//     their entries (SAM expands them, so they must be literal), template
//     sections, and schemas that accept any object anyway ({"type":
//     "object"}).
//
// compileDoc then gives each definition its own "id" (with absolute $refs),
// which does not change the schema's meaning but lets jsonschema v6 compile
// it definition by definition: one Compile of the whole document is
// quadratic in its size (~50 s adapted, instead of ~4 s).
//
// # Errors
//
// Validate returns an *Error listing leaf violations as "<JSON pointer>:
// <message>", sorted ("(root)" for the empty pointer). Unions are resolved
// instead of dumped (STYLE.md 5.8): for a wrapped value, the intrinsic
// branch is reported only if the value looks like an intrinsic function; for
// Resources and events, the branch of the value's actual Type is reported
// (or "unknown resource type", with a suggestion); for other anyOfs, a
// JSON-type mismatch on every branch becomes one "got string, want number or
// object", else the branch with the fewest violations is reported. An
// unknown property is reported at its own pointer, with "did you mean" when
// a declared property is close.
package samschema
