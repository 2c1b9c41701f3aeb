// Package app holds the handlers of the schedules reference case, ported
// from Chalice's app.py: five @app.schedule and two @app.on_cw_event
// handlers.
package app

import "github.com/chalc-dev/chalc/runtime/chalice"

// EveryFive is app.py's every_five.
func EveryFive(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }

// Hourly is app.py's hourly, registered as hourly-job.
func Hourly(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }

// EveryTwoDays is app.py's every_two_days.
func EveryTwoDays(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }

// DailyCron is app.py's daily_cron.
func DailyCron(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }

// Weekday is app.py's weekday, registered as weekday_noon.
func Weekday(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }

// OnCodecommit is app.py's on_codecommit.
func OnCodecommit(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }

// Ec2 is app.py's ec2, registered as ec2_running.
func Ec2(e chalice.CloudWatchEvent) (map[string]any, error) { return map[string]any{}, nil }
