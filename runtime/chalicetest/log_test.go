package chalicetest_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// loggingApp logs at every level from a route and from a function.
func loggingApp(st chalice.Stage) *chalice.App {
	app := chalice.New("notes", chalice.Config{Stages: map[string]chalice.Stage{"dev": st}})
	logAll := func(where string) {
		chalice.Logger().Debug(where + " debug")
		chalice.Logger().Info(where + " info")
		chalice.Logger().Error(where + " error")
	}
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		logAll("route")
		return nil, nil
	}})
	app.Function(chalice.Function{Name: "tidy", Kind: chalice.KindPureLambda, Pure: func(ctx context.Context) error {
		logAll("function")
		return nil
	}})
	return app
}

// TestLog: the client sets up the app's log for its stage as the Lambda
// bootstrap does (the app's name, the stage's level) on LogOutput.
func TestLog(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stage chalice.Stage
		want  string
	}{
		{"log_level INFO", chalice.Stage{LogLevel: "INFO"},
			"notes - INFO - route info\nnotes - ERROR - route error\nnotes - INFO - function info\nnotes - ERROR - function error\n"},
		{"debug", chalice.Stage{Debug: true},
			"notes - DEBUG - route debug\nnotes - INFO - route info\nnotes - ERROR - route error\n" +
				"notes - DEBUG - function debug\nnotes - INFO - function info\nnotes - ERROR - function error\n"},
		{"default ERROR", chalice.Stage{}, "notes - ERROR - route error\nnotes - ERROR - function error\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			c := chalicetest.New(t, loggingApp(tc.stage), chalicetest.LogOutput(&buf))
			if resp := c.HTTP.Get("/"); resp.StatusCode != 200 {
				t.Fatalf("GET / = %d %s", resp.StatusCode, resp)
			}
			if _, err := c.Lambda.Invoke("tidy", nil); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("log:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
