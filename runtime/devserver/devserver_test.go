package devserver

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/internal/syncbuf"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

func testApp() *chalice.App {
	app := chalice.New("ds", chalice.Config{Stages: map[string]chalice.Stage{
		"dev":  {Environment: map[string]map[string]string{"api_handler": {"DS_TABLE": "dev-table"}}},
		"prod": {},
	}})
	app.Route(chalice.Route{Path: "/table/{id}", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]string{"table": envOr("DS_TABLE"), "id": req.URIParams["id"]}, nil
	}})
	return app
}

func envOr(k string) string {
	if v, ok := os.LookupEnv(k); ok {
		return v
	}
	return "(unset)"
}

// TestServe: the gateway on a listener, the stage's environment, one
// log line per request, a graceful stop that closes the listener.
func TestServe(t *testing.T) {
	t.Setenv("DS_TABLE", "before") // restored when the test ends
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var log syncbuf.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, testApp(), Options{Log: &log, Ready: func() { close(ready) }})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	}
	base := "http://" + ln.Addr().String()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/table/7?x=1"); code != 200 || body != `{"id":"7","table":"dev-table"}` {
		t.Errorf("GET /table/7 = %d %s", code, body)
	}
	if code, body := get("/nope"); code != 403 || body != `{"message":"Missing Authentication Token"}` {
		t.Errorf("GET /nope = %d %s", code, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after cancel: %v", err)
		}
	case <-time.After(ShutdownTimeout + 5*time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	want := []string{
		`^\d\d:\d\d:\d\d GET /table/7\?x=1 200 \d+(\.\d+)?(µs|ms|s)$`,
		`^\d\d:\d\d:\d\d GET /nope 403 \d+(\.\d+)?(µs|ms|s)$`,
	}
	if len(lines) != len(want) {
		t.Fatalf("log:\n%s", log.String())
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("log line %q does not match %s", lines[i], re)
		}
	}
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Error("the listener is still open after Serve returned")
	}
}

func TestServeUnknownStage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = Serve(context.Background(), ln, testApp(), Options{Stage: "qa"})
	if err == nil || err.Error() != `app ds has no stage "qa"; its stages are: dev, prod` {
		t.Errorf("Serve: %v", err)
	}
}

// TestRunOutsideChalc: the program refuses to run without chalc's
// descriptors.
func TestRunOutsideChalc(t *testing.T) {
	t.Setenv(EnvVar, "")
	err := run(testApp(), "dev")
	if err == nil || !strings.Contains(err.Error(), "run `chalc local` instead") {
		t.Errorf("run: %v", err)
	}
}

// logApp logs at every level from its one route.
func logApp() *chalice.App {
	app := chalice.New("logs", chalice.Config{Stages: map[string]chalice.Stage{
		"dev":   {LogLevel: "INFO"},
		"debug": {Debug: true},
		"prod":  {},
	}})
	app.Route(chalice.Route{Path: "/", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		chalice.Logger().Debug("debug line")
		chalice.Logger().Info("info line")
		chalice.Logger().Error("error line")
		return nil, nil
	}})
	return app
}

// TestServeAppLog: the app's log is set up for the served stage, as the
// Lambda bootstrap sets it up: the app's name, the stage's level
// (log_level, else DEBUG with debug, else ERROR), on Options.AppLog.
func TestServeAppLog(t *testing.T) {
	for _, tc := range []struct{ stage, want string }{
		{"dev", "logs - INFO - info line\nlogs - ERROR - error line\n"},
		{"debug", "logs - DEBUG - debug line\nlogs - INFO - info line\nlogs - ERROR - error line\n"},
		{"prod", "logs - ERROR - error line\n"},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			var appLog syncbuf.Buffer
			base, stop := serve(t, logApp(), Options{Stage: tc.stage, AppLog: &appLog})
			resp, err := http.Get(base + "/")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("GET / = %d", resp.StatusCode)
			}
			stop()
			if got := appLog.String(); got != tc.want {
				t.Errorf("app log:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// serve runs Serve on a fresh listener until stop is called (or the
// test ends) and returns the server's base URL.
func serve(t *testing.T, app *chalice.App, opts Options) (base string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	opts.Ready = func() { close(ready) }
	go func() { done <- Serve(ctx, ln, app, opts) }()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("Serve: %v", err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}
