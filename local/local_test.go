//go:build unix

package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/internal/syncbuf"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/project"
)

// Timeouts for a slow, shared machine: the first build compiles the
// runtime for the host.
const (
	serveTimeout   = 4 * time.Minute
	rebuildTimeout = 2 * time.Minute
)

// TestServe serves testdata/app, copied into a module of its own, and
// talks to it over HTTP: routing, the builtin authorizer, CORS
// preflight, binary bodies, API Gateway's 403 for unknown paths; then a
// handler is edited and the new server answers; then the session stops
// and leaves no process behind.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the local server with the go command")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := appModule(t)

	var mu sync.Mutex
	var pids []int
	testHookStarted = func(pid int) {
		mu.Lock()
		pids = append(pids, pid)
		mu.Unlock()
	}
	t.Cleanup(func() { testHookStarted = nil })

	srv := serve(t, dir)
	base, stderr, done := srv.base, srv.stderr, srv.done

	client := &http.Client{Timeout: 30 * time.Second}
	do := func(method, path string, body []byte, headers ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	check := func(method, path string, body []byte, headers []string, wantStatus int, wantBody string) *http.Response {
		t.Helper()
		resp, got := do(method, path, body, headers...)
		if resp.StatusCode != wantStatus || got != wantBody {
			t.Errorf("%s %s = %d %q; want %d %q", method, path, resp.StatusCode, got, wantStatus, wantBody)
		}
		return resp
	}

	// A path parameter (percent-decoded) and the stage's environment.
	check("GET", "/hello/Zo%C3%AB", nil, nil, 200, `{"greeting":"hello","name":"Zo\u00eb","version":"v1"}`)
	// The builtin authorizer runs, with its own environment (GOOD_TOKEN),
	// which the api_handler does not see.
	check("GET", "/secret", nil, []string{"Authorization", "allow"}, 200, `{"good_token":"","principal":"user-allow"}`)
	resp := check("GET", "/secret", nil, []string{"Authorization", "deny"}, 403, `{"Message":"User is not authorized to access this resource"}`)
	if got := resp.Header.Get("X-Amzn-Errortype"); got != "AccessDeniedException" {
		t.Errorf("deny: x-amzn-ErrorType %q", got)
	}
	check("GET", "/secret", nil, []string{"Authorization", "other"}, 401, `{"message":"Unauthorized"}`)
	check("GET", "/secret", nil, nil, 401, `{"message":"Unauthorized"}`)
	// CORS preflight, answered by the gateway.
	resp = check("OPTIONS", "/cors", nil, []string{"Origin", "https://example.com", "Access-Control-Request-Method", "PUT"}, 200, "")
	for name, want := range map[string]string{
		"Access-Control-Allow-Methods": "PUT,OPTIONS",
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("preflight %s = %q; want %q", name, got, want)
		}
	}
	resp = check("PUT", "/cors", nil, nil, 200, "cors")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("PUT /cors: Access-Control-Allow-Origin %q", got)
	}
	// Binary bodies both ways.
	upload := []byte{0xff, 0x00, 0x01, 'a', 0x80}
	check("PUT", "/blob", upload, []string{"Content-Type", "application/octet-stream"}, 200, `{"bytes":5,"first":255}`)
	// (As Chalice: a binary response needs a matching Accept header.)
	resp = check("GET", "/blob", nil, []string{"Accept", "application/octet-stream"}, 200, "\x89PNG\x00\xff\xfe")
	if got := resp.Header.Get("Content-Type"); got != "application/octet-stream" {
		t.Errorf("GET /blob: Content-Type %q", got)
	}
	// What no route has is API Gateway's 403.
	resp = check("GET", "/nowhere", nil, nil, 403, `{"message":"Missing Authentication Token"}`)
	if got := resp.Header.Get("X-Amzn-Errortype"); got != "MissingAuthenticationTokenException" {
		t.Errorf("unknown path: x-amzn-ErrorType %q", got)
	}
	check("DELETE", "/hello/x", nil, nil, 403, `{"message":"Missing Authentication Token"}`)
	// One log line per request.
	if !regexpMatch(stderr.String(), `(?m)^\d\d:\d\d:\d\d GET /hello/Zo%C3%AB 200 \S+$`) ||
		!regexpMatch(stderr.String(), `(?m)^\d\d:\d\d:\d\d GET /nowhere 403 \S+$`) {
		t.Errorf("request log missing in:\n%s", stderr.String())
	}

	// A server that exits by itself is restarted.
	if resp, err := client.Post(base+"/exit", "application/json", nil); err == nil {
		resp.Body.Close()
		t.Errorf("POST /exit answered %s", resp.Status)
	}
	waitOutput(t, stderr, "chalc: the server exited (exit status 3); restarting it\n", done, time.Minute)
	check("GET", "/hello/bo", nil, nil, 200, `{"greeting":"hello","name":"bo","version":"v1"}`)

	// A handler changes: the new server answers on the same port.
	src := filepath.Join(dir, "app", "app.go")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, bytes.Replace(b, []byte(`"v1"`), []byte(`"v2"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	want := `{"greeting":"hello","name":"bo","version":"v2"}`
	deadline := time.Now().Add(rebuildTimeout)
	for {
		_, got := do("GET", "/hello/bo", nil)
		if got == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the edit GET /hello/bo = %s; stderr:\n%s", got, stderr.String())
		}
		select {
		case <-done:
			t.Fatalf("Run returned %v; stderr:\n%s", srv.runErr, stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
	if !regexpMatch(stderr.String(), `(?m)^chalc: .*app/app\.go changed; rebuilding\n(.*\n)*chalc: rebuilt \(\d+ ms\)$`) {
		t.Errorf("no rebuilt line in:\n%s", stderr.String())
	}

	// A change that does not compile keeps the server.
	if err := os.WriteFile(src, append(bytes.Replace(b, []byte(`"v1"`), []byte(`"v2"`), 1), "\nfunc Broken() int { return \"x\" }\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, stderr, "chalc: not rebuilt; still serving the previous build\n", done, rebuildTimeout)
	check("GET", "/hello/bo", nil, nil, 200, want)

	if err := srv.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(pids) != 3 {
		t.Fatalf("servers started: %v; want the first, its restart and the rebuilt one", pids)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("server process %d is still there (kill 0: %v)", pid, err)
		}
	}
	if n := strings.Count(stderr.String(), "exited"); n != 1 {
		t.Errorf("%d lines say a server exited:\n%s", n, stderr.String())
	}
	t.Logf("chalc output:\n%s", stderr.String())
	// The generated main never touched the user's tree.
	if _, err := os.Stat(filepath.Join(dir, mainDir)); !os.IsNotExist(err) {
		t.Errorf("%s exists in the module: %v", mainDir, err)
	}
}

// TestListenTaken: a port in use is a clear error with a hint.
func TestListenTaken(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port
	ln, err := Listen("127.0.0.1", port)
	if err == nil {
		ln.Close()
		t.Fatal("Listen on a taken port succeeded")
	}
	var le *ListenError
	if !errors.As(err, &le) {
		t.Fatalf("error %T %v; want *ListenError", err, err)
	}
	if want := fmt.Sprintf("cannot listen on 127.0.0.1:%d: address already in use", port); err.Error() != want {
		t.Errorf("error %q; want %q", err, want)
	}
	if !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(le.Hint(), "--port") {
		t.Errorf("hint %q, errors.Is(EADDRINUSE) = %v", le.Hint(), errors.Is(err, syscall.EADDRINUSE))
	}
}

// TestRunProblems: a project with errors, or an unknown stage, stops
// before anything is built.
func TestRunProblems(t *testing.T) {
	dir := appModule(t)
	manifestPath := filepath.Join(dir, project.ManifestName)
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	var reported diag.Diagnostics
	err = Run(context.Background(), ln, Options{
		Project: project.Options{Dir: dir, Stage: "qa", CacheDir: t.TempDir()},
		Report:  func(_ diag.Sources, ds diag.Diagnostics) { reported = append(reported, ds...) },
	})
	var ue *project.UsageError
	if !errors.As(err, &ue) {
		t.Errorf("unknown stage: %v; want a *project.UsageError", err)
	}

	b, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifestPath, bytes.Replace(b, []byte("GET: Hello"), []byte("GET: Helo"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err = Run(context.Background(), ln, Options{
		Project: project.Options{Dir: dir, CacheDir: t.TempDir()},
		Stderr:  &stderr,
	})
	if !errors.Is(err, ErrProblems) {
		t.Errorf("manifest errors: %v; want ErrProblems", err)
	}
	if !strings.Contains(stderr.String(), `Helo`) || !strings.Contains(stderr.String(), "1 error") {
		t.Errorf("diagnostics not reported:\n%s", stderr.String())
	}
}

// TestWatcher: content changes, new and removed Go files of the module
// count; test files, chalc_gen.go, testdata, hidden directories, nested
// modules and a rewrite with the same content do not.
func TestWatcher(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "app")
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man := filepath.Join(dir, project.ManifestName)
	write(man, "version: 1\n")
	write(filepath.Join(dir, "go.mod"), "module example.com/w\n")
	write(filepath.Join(pkg, "a.go"), "package app // v1\n")
	handlers := &compiler.Package{Dir: pkg}
	c := &project.Checked{
		Set: &manifest.Set{Root: &manifest.Document{Path: man}},
		App: &compiler.App{Handlers: handlers, Packages: []*compiler.Package{handlers}},
	}
	w := newWatcher()
	w.watch(project.Options{Dir: dir}, c)
	steps := []struct {
		name    string
		do      func()
		changed bool
	}{
		{"nothing", func() {}, false},
		{"same content", func() { write(filepath.Join(pkg, "a.go"), "package app // v1\n") }, false},
		{"same size, new content", func() { write(filepath.Join(pkg, "a.go"), "package app // v2\n") }, true},
		{"a test file", func() { write(filepath.Join(pkg, "a_test.go"), "package app\n") }, false},
		{"chalc_gen.go", func() { write(filepath.Join(pkg, gomodel.GeneratedFile), "package app\n") }, false},
		{"a new file", func() { write(filepath.Join(pkg, "b.go"), "package app\n") }, true},
		{"a removed file", func() { os.Remove(filepath.Join(pkg, "b.go")) }, true},
		{"the manifest", func() { write(man, "version: 2\n") }, true},
		{"go.mod", func() { write(filepath.Join(dir, "go.mod"), "module example.com/x\n") }, true},
		{"a file elsewhere", func() { write(filepath.Join(dir, "notes.txt"), "x") }, false},
		{"a package handlers may import", func() { write(filepath.Join(dir, "internal", "db", "db.go"), "package db\n") }, true},
		{"its change", func() { write(filepath.Join(dir, "internal", "db", "db.go"), "package db // 2\n") }, true},
		{"testdata", func() { write(filepath.Join(dir, "internal", "testdata", "x.go"), "package x\n") }, false},
		{"a hidden directory", func() { write(filepath.Join(dir, ".git", "x.go"), "package x\n") }, false},
		{"a nested module", func() {
			write(filepath.Join(dir, "tools", "go.mod"), "module example.com/tools\n")
			write(filepath.Join(dir, "tools", "t.go"), "package tools\n")
		}, false},
	}
	for _, s := range steps {
		s.do()
		if got := w.changed(); (len(got) > 0) != s.changed {
			t.Errorf("%s: changed %q; want changes: %v", s.name, got, s.changed)
		}
	}
}

// appModule copies testdata/app into a temporary module that replaces
// chalc with this checkout, with petstore's requirements.
func appModule(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/app")); err != nil {
		t.Fatal(err)
	}
	// petstore's go.mod and go.sum list what a chalc app needs.
	petstore := filepath.Join(root, "testdata", "apps", "petstore")
	sum, err := os.ReadFile(filepath.Join(petstore, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(petstore, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod = bytes.Replace(mod, []byte("module example.com/petstore"), []byte("module example.com/localtest"), 1)
	mod = bytes.Replace(mod, []byte("=> ../../.."), []byte("=> "+root), 1)
	if !bytes.Contains(mod, []byte("module example.com/localtest")) || !bytes.Contains(mod, []byte("=> "+root)) {
		t.Fatalf("petstore's go.mod changed shape:\n%s", mod)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// waitOutput waits until out contains want, failing when Run returns
// first (done is closed) or time runs out.
func waitOutput(t *testing.T, out *syncbuf.Buffer, want string, done <-chan struct{}, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for !strings.Contains(out.String(), want) {
		select {
		case <-done:
			t.Fatalf("Run returned before %q; output:\n%s", want, out.String())
		case <-deadline:
			t.Fatalf("no %q after %v; output:\n%s", want, timeout, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func regexpMatch(s, re string) bool { return regexp.MustCompile(re).MatchString(s) }

// server is a chalc local (Run) started by serve.
type server struct {
	base           string
	stdout, stderr *syncbuf.Buffer
	done           chan struct{} // closed when Run returns
	cancel         context.CancelFunc
	runErr         error // valid once done is closed
}

// stop cancels Run and waits for it, returning its error.
func (s *server) stop() error {
	s.cancel()
	select {
	case <-s.done:
		return s.runErr
	case <-time.After(time.Minute):
		return errors.New("Run did not return after cancel")
	}
}

// serve runs chalc local (Run) on the app module in dir, on a free port of
// 127.0.0.1, until the test ends; it returns once the server is up.
func serve(t *testing.T, dir string) *server {
	t.Helper()
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{base: "http://" + ln.Addr().String(), stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{},
		done: make(chan struct{}), cancel: cancel}
	cache := t.TempDir()
	go func() {
		defer close(s.done)
		s.runErr = Run(ctx, ln, Options{
			Project: project.Options{Dir: dir, CacheDir: cache},
			Stdout:  s.stdout,
			Stderr:  s.stderr,
			Poll:    100 * time.Millisecond,
		})
	}()
	// However the test ends, Run stops its server and cleans up first.
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	waitOutput(t, s.stderr, "Serving on "+s.base+" (stage dev)\n", s.done, serveTimeout)
	return s
}
