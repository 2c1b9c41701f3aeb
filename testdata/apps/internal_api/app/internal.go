// Package app is a private, VPC-bound service.
package app

import (
	"context"
	"os"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Status reports the service's status.
func Status() (map[string]string, error) {
	return map[string]string{"status": "ok", "log_format": os.Getenv("LOG_FORMAT")}, nil
}

// Sync runs every 15 minutes.
func Sync(ctx context.Context, e chalice.CloudWatchEvent) error { return nil }

// AuditInput is what audit is invoked with.
type AuditInput struct {
	Actor string `json:"actor"`
}

// Audit records an action.
func Audit(ctx context.Context, in AuditInput) (string, error) { return "recorded " + in.Actor, nil }
