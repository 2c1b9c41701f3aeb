package build

import (
	"strings"
	"testing"
)

// TestModuleAdvice: go build's advice for a missing go.sum entry (go get
// <chalc package>@v0.0.0) is dropped, and other failures are left alone.
func TestModuleAdvice(t *testing.T) {
	msg := "/src/runtime/s3notify/s3notify.go:27:2: missing go.sum entry for module providing package github.com/aws/aws-sdk-go-v2/config (imported by github.com/chalc-dev/chalc/runtime/s3notify); to add:\n" +
		"\tgo get github.com/chalc-dev/chalc/runtime/s3notify@v0.0.0"
	got, ok := moduleAdvice(msg)
	want := "/src/runtime/s3notify/s3notify.go:27:2: missing go.sum entry for module providing package github.com/aws/aws-sdk-go-v2/config (imported by github.com/chalc-dev/chalc/runtime/s3notify)"
	if !ok || got != want {
		t.Errorf("moduleAdvice = %q, %v; want %q, true", got, ok, want)
	}
	if got, ok := moduleAdvice("go: updates to go.mod needed; to update it:\n\tgo mod tidy"); !ok || strings.Contains(got, "\t") {
		t.Errorf("moduleAdvice(updates needed) = %q, %v", got, ok)
	}
	if _, ok := moduleAdvice("./app.go:3:2: undefined: x"); ok {
		t.Error("a compile error is not a module problem")
	}
}
