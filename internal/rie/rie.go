// Package rie runs a Lambda bootstrap under the AWS Lambda Runtime
// Interface Emulator (aws-lambda-rie) in tests, so that a deployment
// package is exercised as Lambda runs it: the real binary, the real
// Runtime API, events sent as Lambda sends them.
//
// Tests call Start, which skips the test when the emulator is not
// installed (`make tools`), unless CHALC_REQUIRE_RIE=1 (set in CI) makes
// that a failure.
package rie

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/internal/syncbuf"
)

// Version is the emulator version `make tools` installs (the Makefile's
// RIE_VERSION; a test checks that they agree).
const Version = "v0.0.0-20261030222936-bef5c4ba774d"

// Module is the emulator's command path for go install.
const Module = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// Command is the emulator's executable name.
const Command = "aws-lambda-rie"

// RequireEnv is the environment variable that turns a missing emulator
// from a skipped test into a failed one (CI sets it to 1).
const RequireEnv = "CHALC_REQUIRE_RIE"

// InvokePath is the path of the emulator's invoke API.
const InvokePath = "/2015-03-31/functions/function/invocations"

// Timeouts; variables so that a slow machine can be accommodated in one
// place.
var (
	// ReadyTimeout bounds the wait for the emulator to accept
	// connections.
	ReadyTimeout = 15 * time.Second
	// InvokeTimeout bounds one invocation (the first includes the
	// bootstrap's start).
	InvokeTimeout = 60 * time.Second
	// StopTimeout bounds the emulator's own shutdown (it kills the
	// bootstrap on SIGTERM) before everything is killed.
	StopTimeout = 5 * time.Second
)

// Find returns the path of aws-lambda-rie: from PATH, else from
// $(go env GOBIN) or $(go env GOPATH)/bin, where go install puts it.
func Find() (string, error) {
	if p, err := exec.LookPath(Command); err == nil {
		return p, nil
	}
	dirs, err := goBinDirs()
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH, and `go env` failed: %v", Command, err)
	}
	for _, d := range dirs {
		p := filepath.Join(d, Command)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s is neither on PATH nor in %s", Command, strings.Join(dirs, " or "))
}

// goBinDirs are the directories go install writes to: GOBIN, else the
// bin directory of GOPATH's first entry. The answer of `go env` is
// remembered per value of the variables that decide it.
func goBinDirs() ([]string, error) {
	key := os.Getenv("GOBIN") + "\x00" + os.Getenv("GOPATH") + "\x00" + os.Getenv("HOME") + "\x00" + os.Getenv("GOENV")
	goEnvMu.Lock()
	defer goEnvMu.Unlock()
	if r, ok := goEnvCache[key]; ok {
		return r.dirs, r.err
	}
	var dirs []string
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err == nil {
		lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		if len(lines) >= 1 && strings.TrimSpace(lines[0]) != "" {
			dirs = append(dirs, strings.TrimSpace(lines[0]))
		}
		if len(lines) >= 2 {
			if gp := filepath.SplitList(strings.TrimSpace(lines[1])); len(gp) > 0 && gp[0] != "" {
				dirs = append(dirs, filepath.Join(gp[0], "bin"))
			}
		}
	}
	goEnvCache[key] = goEnvResult{dirs, err}
	return dirs, err
}

type goEnvResult struct {
	dirs []string
	err  error
}

var (
	goEnvMu    sync.Mutex
	goEnvCache = map[string]goEnvResult{}
)

// Require returns the emulator's path. When it is missing the test is
// skipped with instructions, or fails when CHALC_REQUIRE_RIE=1.
func Require(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("Lambda Runtime Interface Emulator not found (%v); install it with `make tools` "+
		"(go install %s@%s)", err, Module, Version)
	if required() {
		t.Fatalf("%s; %s=%s makes this a failure", msg, RequireEnv, os.Getenv(RequireEnv))
	}
	t.Skipf("%s; set %s=1 to fail instead of skipping", msg, RequireEnv)
	return ""
}

func required() bool {
	v := os.Getenv(RequireEnv)
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// Emulator is a running aws-lambda-rie serving one bootstrap.
type Emulator struct {
	// Addr is the invoke API's host:port.
	Addr string
	// RuntimeAPIAddr is the Runtime API's host:port (what the bootstrap
	// polls).
	RuntimeAPIAddr string
	// Started is when the emulator process was started, Ready when it
	// first accepted a connection.
	Started, Ready time.Time

	cmd    *exec.Cmd
	out    *syncbuf.Buffer
	done   chan struct{} // closed when the process has exited
	client *http.Client

	stopOnce sync.Once
}

// Start runs bootstrap under the emulator with _HANDLER=handler and env
// ("KEY=value") added to the test's environment, on two free 127.0.0.1
// ports, and returns once the emulator accepts connections. The emulator
// starts the bootstrap on the first invocation, as Lambda does. It is
// stopped, with the bootstrap, when the test ends (or by Stop).
func Start(t testing.TB, bootstrap, handler string, env ...string) *Emulator {
	t.Helper()
	path := Require(t)
	abs, err := filepath.Abs(bootstrap)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(abs); err != nil {
		t.Fatalf("rie: bootstrap: %v", err)
	} else if fi.Mode()&0o111 == 0 {
		t.Fatalf("rie: bootstrap %s is not executable (mode %v)", abs, fi.Mode())
	}
	// The ports are free when picked but may be taken before the
	// emulator binds them: try again with new ones when it exits early.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		e, err := start(path, abs, handler, env)
		if err == nil {
			t.Cleanup(func() {
				e.Stop()
				if t.Failed() {
					t.Logf("%s output:\n%s", Command, e.Output())
				}
			})
			return e
		}
		lastErr = err
		var early *exitedEarly
		if !errors.As(err, &early) || !strings.Contains(early.output, "address already in use") {
			break
		}
	}
	t.Fatalf("rie: %v", lastErr)
	return nil
}

// exitedEarly: the emulator exited before accepting connections.
type exitedEarly struct {
	state  string
	output string
}

func (e *exitedEarly) Error() string {
	return fmt.Sprintf("%s exited before accepting connections (%s); its output:\n%s", Command, e.state, e.output)
}

func start(path, bootstrap, handler string, env []string) (*Emulator, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		Addr:           net.JoinHostPort("127.0.0.1", ports[0]),
		RuntimeAPIAddr: net.JoinHostPort("127.0.0.1", ports[1]),
		out:            &syncbuf.Buffer{},
		done:           make(chan struct{}),
	}
	cmd := exec.Command(path,
		"--runtime-interface-emulator-address", e.Addr,
		"--runtime-api-address", e.RuntimeAPIAddr,
		bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = append(os.Environ(), "_HANDLER="+handler)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout = e.out
	cmd.Stderr = e.out
	setProcessGroup(cmd)
	e.cmd = cmd
	e.Started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %v", path, err)
	}
	go func() {
		_ = cmd.Wait()
		close(e.done)
	}()
	if err := e.waitReady(); err != nil {
		e.Stop()
		return nil, err
	}
	e.client = &http.Client{
		Timeout:   InvokeTimeout,
		Transport: &http.Transport{Proxy: nil, DisableCompression: true, MaxIdleConnsPerHost: 1},
	}
	return e, nil
}

// waitReady polls the invoke address until it accepts a connection.
func (e *Emulator) waitReady() error {
	deadline := time.Now().Add(ReadyTimeout)
	for {
		c, err := net.DialTimeout("tcp", e.Addr, 100*time.Millisecond)
		if err == nil {
			e.Ready = time.Now()
			c.Close()
			return nil
		}
		select {
		case <-e.done:
			return &exitedEarly{state: e.cmd.ProcessState.String(), output: e.Output()}
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not accept connections on %s within %v; its output:\n%s",
				Command, e.Addr, ReadyTimeout, e.Output())
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// freePorts returns n distinct ports that 127.0.0.1 could listen on.
func freePorts(n int) ([]string, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %v", err)
		}
		ls = append(ls, l)
		_, p, _ := net.SplitHostPort(l.Addr().String())
		ports = append(ports, p)
	}
	return ports, nil
}

// URL is the invoke API's URL.
func (e *Emulator) URL() string { return "http://" + e.Addr + InvokePath }

// Invoke sends payload (the event) to the function and returns the
// emulator's HTTP status and the function's response. A function error
// is still status 200 from the emulator, with Lambda's error document
// ({"errorMessage": ..., "errorType": ...}) as body.
func (e *Emulator) Invoke(payload []byte) (status int, body []byte, err error) {
	resp, err := e.client.Post(e.URL(), "application/json", bytes.NewReader(payload))
	if err != nil {
		return 0, nil, fmt.Errorf("invoking %s: %w", e.URL(), err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, body, fmt.Errorf("reading the invoke response: %w", err)
	}
	return resp.StatusCode, body, nil
}

// Output returns what the emulator and the bootstrap wrote so far
// (stdout and stderr together).
func (e *Emulator) Output() string { return e.out.String() }

// Exited reports whether the emulator process has exited.
func (e *Emulator) Exited() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// Pid is the emulator process's id.
func (e *Emulator) Pid() int { return e.cmd.Process.Pid }

// Stop ends the emulator and the bootstrap, and waits for the emulator
// to exit. The emulator runs the bootstrap in a process group of its
// own and kills it on SIGTERM; whatever is left after StopTimeout (the
// emulator's group, and the groups of its children) is killed. Stop may
// be called more than once.
func (e *Emulator) Stop() {
	e.stopOnce.Do(func() {
		if e.client != nil {
			e.client.CloseIdleConnections()
		}
		select {
		case <-e.done:
			return
		default:
		}
		kids := children(e.cmd.Process.Pid)
		terminate(e.cmd)
		select {
		case <-e.done:
		case <-time.After(StopTimeout):
		}
		killGroup(e.cmd)
		for _, k := range kids {
			k.kill()
		}
		<-e.done
	})
}

// ExtractBootstrap writes the bootstrap of a deployment package (the
// content of deployment.zip) into t.TempDir() with mode 0755 and returns
// its path. The test fails if the zip has no bootstrap, or stores it
// without the executable bits Lambda needs.
func ExtractBootstrap(t testing.TB, zipData []byte) string {
	t.Helper()
	path, err := extract(zipData, t.TempDir())
	if err != nil {
		t.Fatalf("rie: %v", err)
	}
	return path
}

func extract(zipData []byte, dir string) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		return "", fmt.Errorf("reading the deployment package: %v", err)
	}
	for _, f := range zr.File {
		if f.Name != "bootstrap" {
			continue
		}
		if f.Mode()&0o111 == 0 {
			return "", fmt.Errorf("the deployment package stores bootstrap with mode %v: Lambda cannot execute it", f.Mode())
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		path := filepath.Join(dir, "bootstrap")
		w, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
		if err != nil {
			return "", err
		}
		if _, err := io.Copy(w, rc); err != nil {
			w.Close()
			return "", err
		}
		if err := w.Close(); err != nil {
			return "", err
		}
		return path, os.Chmod(path, 0o755) // whatever the umask
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return "", fmt.Errorf("the deployment package has no bootstrap at its root (it holds: %s)", strings.Join(names, ", "))
}
