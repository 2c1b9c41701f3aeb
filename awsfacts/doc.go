// Package awsfacts holds what chalc knows about AWS itself, as plain
// values: the logical IDs chalc and the SAM transform give resources,
// the SAM event type of each trigger, the IAM actions of aws-sdk-go-v2
// operations and of Lambda's pollers, and the limits CloudFormation,
// Lambda, API Gateway and IAM enforce at deploy time.
//
// It is a leaf: it imports only the standard library and takes plain
// values (strings and kinds of its own), so the compiler, the template
// generator, the merge checks and the CLI can all use one copy of each
// fact without importing each other. A fact changes here, once.
package awsfacts
