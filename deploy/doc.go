// Package deploy owns chalc's side of AWS: it takes what project.Package
// built (the SAM template and the zips) and creates or updates the
// app's CloudFormation stack — uploading the zips under content-addressed
// S3 keys, rewriting the template's local code URIs to them, going
// through a change set and following the stack's events — and it deletes
// stacks, reads their outputs and tails their functions' logs.
//
// There is no local state: the stack is found by name and everything
// else is asked of CloudFormation. No request waits for AWS for ever
// (Load's request timeout, retries with backoff), and Deploy and Delete
// have a deadline; when chalc stops before the outcome, the
// *StoppedError says what CloudFormation was left doing. Each AWS service is reached through a
// small interface (CloudFormationAPI, S3API, STSAPI, LogsAPI) so tests
// can use fakes; Load builds the real clients from the standard AWS
// configuration chain.
package deploy
