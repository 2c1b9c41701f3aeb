package chalice

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"testing"
)

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	t.Cleanup(func() { ConfigureLogger("app", slog.LevelError, os.Stdout) })

	// Before the runtime configures it: app name "app", level ERROR.
	ConfigureLogger("app", slog.LevelError, &buf)
	log := Logger().With("req", "r1")
	log.Info("hidden")
	log.Error("shown")
	Logger().Log(context.Background(), LevelCritical, "critical")

	ConfigureLogger("petstore", slog.LevelDebug-4, nil)
	log.Debug("debug", "n", 1)
	log.Info("info", "quoted", "a b", "empty", "")
	log.Warn("warn", slog.Group("g", "k", "v"))
	log.WithGroup("grp").Error("error", "k", true)
	Logger().Log(context.Background(), slog.LevelDebug-4, "below debug")
	Logger().Log(context.Background(), slog.LevelInfo+2, "between")

	want := `app - ERROR - shown req=r1
app - CRITICAL - critical
petstore - DEBUG - debug req=r1 n=1
petstore - INFO - info req=r1 quoted="a b" empty=""
petstore - WARNING - warn req=r1 g.k=v
petstore - ERROR - error req=r1 grp.k=true
petstore - DEBUG - below debug
petstore - INFO - between
`
	if got := buf.String(); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		stage Stage
		want  slog.Level
		err   bool
	}{
		{Stage{}, slog.LevelError, false},
		{Stage{Debug: true}, slog.LevelDebug, false},
		{Stage{Debug: true, LogLevel: "WARNING"}, slog.LevelWarn, false},
		{Stage{LogLevel: "info"}, slog.LevelInfo, false},
		{Stage{LogLevel: "CRITICAL"}, LevelCritical, false},
		{Stage{LogLevel: "VERBOSE"}, 0, true},
	}
	for _, tc := range tests {
		got, err := tc.stage.Level()
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%+v.Level() = %v, %v", tc.stage, got, err)
		}
	}
}

// TestSetUpLogger: the app's name, the stage's level (log_level, else
// DEBUG with debug, else ERROR), the output; restore puts back what was
// there; a bad level changes nothing.
func TestSetUpLogger(t *testing.T) {
	t.Cleanup(func() { ConfigureLogger("app", slog.LevelError, os.Stdout) })
	var before, buf bytes.Buffer
	ConfigureLogger("before", slog.LevelWarn, &before)

	for _, st := range []Stage{{LogLevel: "INFO"}, {Debug: true}, {}} {
		restore, err := SetUpLogger("petstore", st, &buf)
		if err != nil {
			t.Fatal(err)
		}
		Logger().Debug("debug")
		Logger().Info("info")
		Logger().Error("error")
		restore()
	}
	want := `petstore - INFO - info
petstore - ERROR - error
petstore - DEBUG - debug
petstore - INFO - info
petstore - ERROR - error
petstore - ERROR - error
`
	if got := buf.String(); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}

	if _, err := SetUpLogger("petstore", Stage{LogLevel: "LOUD"}, &buf); err == nil {
		t.Error("SetUpLogger accepted log level LOUD")
	}
	Logger().Info("hidden")
	Logger().Warn("warn")
	if got, want := before.String(), "before - WARNING - warn\n"; got != want {
		t.Errorf("after restore and a refused set-up:\n%s\nwant:\n%s", got, want)
	}
}
