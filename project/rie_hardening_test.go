package project

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/rie"
)

// The tests in this file run a small app built to misbehave (the
// hardening app below: a function that panics on request, results over
// Lambda's 6 MB response limit) under the Lambda Runtime Interface
// Emulator, and check that the bootstrap reports each failure and keeps
// serving in the same process: every handler answers its process id, and
// a restarted bootstrap (a cold start in Lambda) would answer another.

// rieHardeningFiles is the hardening app's project, written into a
// temporary directory; go.mod's replace directive and go.sum are added
// by rieHardeningPackage.
var rieHardeningFiles = map[string]string{
	"chalice.yaml": `version: 1
app_name: hardening
handlers: ./app

routes:
  /pid:
    GET: PID
  /big:
    GET: Big

functions:
  crash:
    handler: Crash

stages:
  dev:
    log_level: INFO
`,
	"app/handlers.go": `// Package app misbehaves on request.
package app

import (
	"context"
	"os"
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// PID answers the process id, logging at INFO.
func PID() (map[string]int, error) {
	chalice.Logger().Info("pid requested")
	return map[string]int{"pid": os.Getpid()}, nil
}

// Big answers a 7 MB body: over Lambda's 6 MB response limit.
func Big() (string, error) {
	return strings.Repeat("x", 7<<20), nil
}

// CrashInput says how Crash misbehaves.
type CrashInput struct {
	Panic bool ` + "`json:\"panic\"`" + `
	Huge  bool ` + "`json:\"huge\"`" + `
}

// Crash panics, or returns a result over Lambda's limit, on request;
// else it answers the process id.
func Crash(ctx context.Context, in CrashInput) (any, error) {
	switch {
	case in.Panic:
		panic("crash requested")
	case in.Huge:
		return strings.Repeat("x", 7<<20), nil
	}
	return map[string]int{"pid": os.Getpid()}, nil
}
`,
}

// rieHardeningPackage packages the hardening app once per test binary,
// as `chalc package` does, and returns its deployment.zip.
var rieHardeningPackage = sync.OnceValues(func() (*riePackaged, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "chalc-rie-hardening-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "hardening")
	// The petstore's module requirements fit: the same runtime, no SDK.
	sum, err := os.ReadFile(filepath.Join("..", "testdata", "apps", "petstore", "go.sum"))
	if err != nil {
		return nil, err
	}
	files := map[string]string{
		"go.mod": "module example.com/hardening\n\ngo 1.26.0\n\nrequire github.com/chalc-dev/chalc v0.0.0\n\n" +
			"require (\n\tgithub.com/aws/aws-lambda-go v1.55.1 // indirect\n\tgithub.com/aws/aws-sdk-go-v2 v1.48.0 // indirect\n\tgithub.com/aws/smithy-go v1.28.9 // indirect\n)\n\n" +
			"replace github.com/chalc-dev/chalc => " + root + "\n",
		"go.sum": string(sum),
	}
	for name, text := range rieHardeningFiles {
		files[name] = text
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	opts := Options{Dir: dir, CacheDir: filepath.Join(tmp, "cache")}
	c, err := Check(opts)
	if err != nil {
		return nil, err
	}
	if c.Diagnostics.HasErrors() {
		var b strings.Builder
		diag.Fprint(&b, c.Sources(), c.Diagnostics)
		return nil, fmt.Errorf("the hardening app has errors:\n%s", b.String())
	}
	p, err := Package(context.Background(), c, PackageOptions{Out: filepath.Join(tmp, "out")}, opts)
	if err != nil {
		return nil, fmt.Errorf("packaging the hardening app: %w", err)
	}
	goarch := "amd64"
	if c.App.Stage.Architecture.V == "arm64" {
		goarch = "arm64"
	}
	return &riePackaged{zip: p.Zip, goarch: goarch}, nil
})

// rieHardeningStart runs the hardening app's function under the emulator.
func rieHardeningStart(t *testing.T, function string) *rie.Emulator {
	t.Helper()
	rie.Require(t) // before the build: skip fast
	p, err := rieHardeningPackage()
	if err != nil {
		t.Fatal(err)
	}
	rieCanRun(t, p.goarch)
	return rie.Start(t, rie.ExtractBootstrap(t, p.zip), function)
}

// rieHardeningInvoke sends event and returns the emulator's response:
// its HTTP status and body. Its error ends the test.
func rieHardeningInvoke(t *testing.T, e *rie.Emulator, event []byte) (int, string) {
	t.Helper()
	status, body, err := e.Invoke(event)
	if err != nil {
		t.Fatal(err)
	}
	return status, string(body)
}

// rieShort abbreviates a long response for a message.
func rieShort(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%s... (%d bytes)", s[:200], len(s))
	}
	return s
}

// TestRIEPureFunctionFailures: a pure function that panics, or returns a
// result over Lambda's limit, fails that invocation with the reason (the
// panic logged with its stack); the next invocation is served by the
// same process.
func TestRIEPureFunctionFailures(t *testing.T) {
	e := rieHardeningStart(t, "crash")
	pid := func() string {
		t.Helper()
		status, body := rieHardeningInvoke(t, e, []byte(`{}`))
		var r struct{ PID int }
		if status != 200 || json.Unmarshal([]byte(body), &r) != nil || r.PID == 0 {
			t.Fatalf("{}: status %d: %s", status, rieShort(body))
		}
		return fmt.Sprint(r.PID)
	}
	first := pid()
	for _, c := range []struct{ event, want, log string }{
		{`{"panic":true}`, `{"errorMessage":"panic: crash requested","errorType":"PanicError"}`,
			"hardening - ERROR - Caught exception in function crash\npanic: crash requested\n\ngoroutine "},
		// The 7 MB string in JSON: two quotes more.
		{`{"huge":true}`, `{"errorMessage":"the response is 7340034 bytes, over Lambda's limit of 6291456 bytes","errorType":"ResponseTooLargeError"}`,
			"hardening - ERROR - Invalid response from function crash: the response is 7340034 bytes, over Lambda's limit of 6291456 bytes\n"},
	} {
		status, body := rieHardeningInvoke(t, e, []byte(c.event))
		if status != 200 || body != c.want {
			t.Errorf("%s: status %d: %s\nwant %s", c.event, status, rieShort(body), c.want)
		}
		rieWaitOutput(t, e, c.log)
		if got := pid(); got != first {
			t.Fatalf("after %s the function runs in process %s, not %s: the bootstrap was restarted", c.event, got, first)
		}
	}
}

// rieHardeningGet sends a GET of a route's path (its own resource) to
// api_handler and decodes the proxy response.
func rieHardeningGet(t *testing.T, e *rie.Emulator, path string) rieProxyResponse {
	t.Helper()
	status, body := rieHardeningInvoke(t, e, rieRequest{Method: "GET", Resource: path, Path: path}.event())
	if status != 200 {
		t.Fatalf("GET %s: emulator status %d: %s", path, status, rieShort(body))
	}
	r, err := rieDecodeProxy([]byte(body))
	if err != nil {
		t.Fatalf("GET %s: bad proxy response: %v\n%s", path, err, rieShort(body))
	}
	return r
}

// TestRIELogLevel: the bootstrap sets up the app's log for the stage
// (log_level: INFO), so a handler's INFO line is written, named after
// the app.
func TestRIELogLevel(t *testing.T) {
	e := rieHardeningStart(t, "api_handler")
	if r := rieHardeningGet(t, e, "/pid"); r.StatusCode != 200 {
		t.Fatalf("GET /pid = %d %s", r.StatusCode, r.Body)
	}
	rieWaitOutput(t, e, "hardening - INFO - pid requested\n")
}

// TestRIERouteResponseTooLarge: a route whose response is over Lambda's
// limit answers 502 with the reason in Chalice's error shape, logged with
// the size; the next request is served by the same process.
func TestRIERouteResponseTooLarge(t *testing.T) {
	e := rieHardeningStart(t, "api_handler")
	get := func(path string) rieProxyResponse { t.Helper(); return rieHardeningGet(t, e, path) }
	first := get("/pid")
	if first.StatusCode != 200 || !strings.HasPrefix(first.Body, `{"pid":`) {
		t.Fatalf("GET /pid = %d %s", first.StatusCode, first.Body)
	}

	// The 7 MB body in the proxy response.
	size := 7<<20 + len(`{"headers":{},"multiValueHeaders":{},"statusCode":200,"body":""}`)
	big := get("/big")
	want := rieErrBody("ResponseTooLarge", fmt.Sprintf("The response is %d bytes, over Lambda's limit of 6291456 bytes.", size))
	if big.StatusCode != 502 || big.Body != want {
		t.Errorf("GET /big = %d %s; want 502 %s", big.StatusCode, rieShort(big.Body), want)
	}
	rieWaitOutput(t, e, fmt.Sprintf("hardening - ERROR - Invalid response for path /big: %d bytes, over Lambda's limit of 6291456 bytes\n", size))

	if again := get("/pid"); again.Body != first.Body {
		t.Errorf("after GET /big, GET /pid = %s, not %s: the bootstrap was restarted", again.Body, first.Body)
	}
}
