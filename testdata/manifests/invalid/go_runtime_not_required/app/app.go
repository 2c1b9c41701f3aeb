// Package app imports nothing of chalc, so `go mod tidy` dropped it.
package app

// Cleanup is a pure Lambda.
func Cleanup() error { return nil }
