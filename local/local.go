// Package local runs `chalc local`: the app's REST and websocket APIs and
// its functions on a local server, rebuilt when its sources change; and
// `chalc invoke` (Invoke), one function run once on an event, in the
// same program.
//
// It owns the session, not the serving: chalc checks the project
// (project.Check), writes chalc_gen.go, and builds for the host a server
// program whose main (GenerateMain) exists only in the go command's
// -overlay, as <module>/_chalc_local/main.go, like the Lambda bootstrap's
// (build.Program). That program, runtime/devserver, serves the app
// through the API Gateway emulation, runtime/apigw. chalc binds the
// listening socket itself (Listen) and passes it to each server it starts
// as an inherited file descriptor, so the port stays bound across
// rebuilds and no request is refused while the server is replaced: it
// waits in the socket's backlog.
//
// Run then polls the manifest, its blueprint fragments, go.mod/go.sum and
// the Go files of the handler packages and of the rest of their module.
// On a change it checks the project again (problems are reported and the
// running server keeps serving), rebuilds, and swaps: the old server is
// stopped (SIGTERM, then killed after a grace period) and the new one
// started on the same socket. A server that exits by itself is restarted.
// When ctx is done the server is stopped the same way and Run returns.
package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/project"
	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/devserver"
	"github.com/chalc-dev/chalc/stages"
)

// Defaults.
const (
	DefaultHost = "127.0.0.1"
	DefaultPort = 8000
	// DefaultPoll is how often the sources are checked for changes: a
	// save waits half of it on average before the rebuild starts. A poll
	// stats the watched files and reads only those whose size or time
	// changed (or changed lately), well under a millisecond for most
	// modules.
	DefaultPoll = 100 * time.Millisecond
	// DefaultGrace is how long a server asked to stop gets (it lets
	// requests in flight finish) before it is killed.
	DefaultGrace = devserver.ShutdownTimeout + 2*time.Second
	// StartTimeout bounds a new server's start (building its gateway).
	StartTimeout = 30 * time.Second
)

// Options configure Run.
type Options struct {
	// Project is the project directory, stage (default dev) and cache
	// location; its Progress is not used.
	Project project.Options
	// Stdout receives the app's own output (its log lines); Stderr
	// chalc's messages and the server's request log. nil discards.
	Stdout, Stderr io.Writer
	// Report prints diagnostics; the default renders them on Stderr,
	// followed by a summary line.
	Report func(diag.Sources, diag.Diagnostics)
	// Poll is the interval between checks for changes (DefaultPoll).
	Poll time.Duration
	// Grace is how long a stopping server gets before it is killed
	// (DefaultGrace).
	Grace time.Duration
	// Go is the go command; default "go" on PATH.
	Go string
	// Auth says what the authorizers the server cannot run (iam,
	// cognito_user_pool, custom) answer; it is read at start.
	Auth Auth
}

// ErrProblems is returned when the project has errors at start-up; Run
// has reported them.
var ErrProblems = errors.New("the project has errors")

// ListenError is a failure to bind the server's address.
type ListenError struct {
	Addr string
	Err  error
}

func (e *ListenError) Error() string {
	msg := e.Err.Error()
	var se *os.SyscallError
	if errors.As(e.Err, &se) {
		msg = se.Err.Error() // "address already in use", without "listen tcp ...: bind:"
	}
	return fmt.Sprintf("cannot listen on %s: %s", e.Addr, msg)
}

func (e *ListenError) Unwrap() error { return e.Err }

// Hint says how to get past the error.
func (e *ListenError) Hint() string {
	if errors.Is(e.Err, syscall.EADDRINUSE) {
		return "another program uses the port: stop it, or pass --port to use another one (--port 0 picks a free port)"
	}
	return "pass --host and --port to listen on another address"
}

// Listen binds host:port for Run; port 0 picks a free port.
func Listen(host string, port int) (net.Listener, error) {
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &ListenError{Addr: addr, Err: err}
	}
	return ln, nil
}

// Run serves the project's REST API on ln until ctx is done, rebuilding
// on changes (see the package doc), then stops the server and returns
// nil, also when ctx is done while it starts. Otherwise it returns a
// *project.UsageError for a stage the manifest does not declare,
// ErrProblems when the project has errors at start-up (reported through
// opts.Report), or any other failure to build or start the first
// server. ln must be a TCP listener; Run does not close it.
func Run(ctx context.Context, ln net.Listener, opts Options) error {
	err := run(ctx, ln, opts)
	if err != nil && ctx.Err() != nil {
		return nil // interrupted while starting: the build or start was canceled
	}
	return err
}

func run(ctx context.Context, ln net.Listener, opts Options) error {
	if !supported {
		return errors.New("chalc local needs a Unix system (Linux, macOS): the server inherits its listening socket")
	}
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return fmt.Errorf("chalc local needs a TCP listener, not %T", ln)
	}
	s, err := newSession(tl, opts)
	if err != nil {
		return err
	}
	defer s.close()
	c, err := s.check()
	if err != nil {
		return err
	}
	s.watch.watch(s.opts.Project, c)
	callers, err := s.opts.Auth.callers(c.App)
	if err != nil {
		return err
	}
	if callers != nil {
		b, err := json.Marshal(callers)
		if err != nil {
			return err
		}
		s.env = append(s.env, devserver.CallersVar+"="+string(b))
	}
	if _, err := project.Generate(c); err != nil {
		return fmt.Errorf("writing %s: %w", gomodel.GeneratedFile, err)
	}
	b, err := s.build(ctx, c.App, func(msg string) { s.printf("chalc: %s\n", msg) })
	if err != nil {
		return err
	}
	s.child, err = s.start(ctx, b.path)
	if err != nil {
		return err
	}
	s.running = b
	if c.App.HTTPAPI() && c.App.APIHandler != nil {
		s.printf("Serving on http://%s (stage %s, HTTP API)\n", ln.Addr(), s.stage)
	} else {
		s.printf("Serving on http://%s (stage %s)\n", ln.Addr(), s.stage)
	}
	if c.App.Websocket != nil {
		s.printf("Websocket API on ws://%s/\n", ln.Addr())
	}
	for _, f := range c.App.Functions {
		if f.URL != nil {
			s.printf("Function URL of %s on http://%s%s%s/\n", f.Name, ln.Addr(), devserver.FunctionURLPrefix, f.Name)
		}
	}
	if note := notEnforced(c.App, callers); note != "" {
		s.printf("chalc: note: %s\n", note)
	}
	s.child.serve()
	return s.loop(ctx)
}

// session is one run of `chalc local`.
type session struct {
	opts   Options
	stage  string
	lnFile *os.File // the listener's descriptor, passed to every server
	tmp    string   // the built servers
	watch  *watcher
	env    []string // added to every server's environment

	builds  int
	running *built // the build the server runs
	child   *child
	exits   []time.Time // recent unexpected exits of the server
}

// built is a server binary.
type built struct {
	path string
	key  string
}

func newSession(ln *net.TCPListener, opts Options) (*session, error) {
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.Report == nil {
		w := opts.Stderr
		opts.Report = func(src diag.Sources, ds diag.Diagnostics) {
			diag.Fprint(w, src, ds)
			fmt.Fprintf(w, "%s\n", diag.Summary(ds))
		}
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	stage := opts.Project.Stage
	if stage == "" {
		stage = stages.DefaultStage
	}
	opts.Project.Stage = stage
	f, err := ln.File()
	if err != nil {
		return nil, fmt.Errorf("the listener's descriptor: %w", err)
	}
	tmp, err := os.MkdirTemp("", "chalc-local-")
	if err != nil {
		f.Close()
		return nil, err
	}
	return &session{opts: opts, stage: stage, lnFile: f, tmp: tmp, watch: newWatcher()}, nil
}

func (s *session) close() {
	if s.child != nil {
		s.child.stop(s.opts.Grace)
		s.child = nil
	}
	s.lnFile.Close()
	os.RemoveAll(s.tmp)
}

func (s *session) printf(format string, args ...any) {
	fmt.Fprintf(s.opts.Stderr, format, args...)
}

// check checks the project and reports its diagnostics; the error is a
// *project.UsageError, ErrProblems, or a failure to check at all.
func (s *session) check() (*project.Checked, error) {
	opts := s.opts.Project
	opts.SkipGo = gomodel.SDKCalls // nothing is deployed: save the SDK-call analysis on every rebuild
	// The check reads the dependencies as the server's build compiles
	// them, for this machine.
	opts.Build = func(string) gomodel.BuildConfig { return ServerBuild() }
	c, err := project.Check(opts)
	if err != nil {
		return c, err
	}
	if len(c.Diagnostics) > 0 {
		s.opts.Report(c.Sources(), c.Diagnostics)
	}
	if c.Diagnostics.HasErrors() {
		return c, ErrProblems
	}
	return c, nil
}

// build builds the server for app, unless the build's inputs are those
// of the running server: it then returns the running build.
func (s *session) build(ctx context.Context, app *compiler.App, progress func(string)) (*built, error) {
	p := program(app, s.stage)
	bopts := build.Options{Go: s.opts.Go, Progress: progress, CacheDir: project.CacheDir(s.opts.Project.CacheDir)}
	key, err := p.Key(ctx, app, bopts)
	if err != nil {
		return nil, err
	}
	if s.running != nil && s.running.key == key {
		return s.running, nil
	}
	s.builds++
	path := filepath.Join(s.tmp, fmt.Sprintf("%s-local-%d", app.Name, s.builds))
	if err := p.Build(ctx, app, path, bopts); err != nil {
		return nil, err
	}
	return &built{path: path, key: key}, nil
}

// loop watches for changes and for the server's unexpected exit until
// ctx is done.
func (s *session) loop(ctx context.Context) error {
	tick := time.NewTicker(s.opts.Poll)
	defer tick.Stop()
	for {
		var exited <-chan struct{}
		if s.child != nil {
			exited = s.child.done
		}
		select {
		case <-ctx.Done():
			return nil
		case <-exited:
			s.restart(ctx)
		case <-tick.C:
			if changed := s.watch.changed(); len(changed) > 0 {
				s.printf("chalc: %s; rebuilding\n", describe(changed))
				s.rebuild(ctx)
			}
		}
	}
}

// restart replaces a server that exited by itself (a handler called
// os.Exit or log.Fatal, a goroutine panicked), unless it keeps exiting:
// then it waits for a change.
func (s *session) restart(ctx context.Context) {
	c := s.child
	s.child = nil
	now := time.Now()
	recent := []time.Time{now}
	for _, t := range s.exits {
		if now.Sub(t) < crashWindow {
			recent = append(recent, t)
		}
	}
	s.exits = recent
	if len(recent) >= crashLimit {
		s.printf("chalc: the server exited (%v), %d times in %v; save a change to restart it\n", c.err, len(recent), crashWindow)
		return
	}
	s.printf("chalc: the server exited (%v); restarting it\n", c.err)
	ch, err := s.start(ctx, s.running.path)
	if err != nil {
		if ctx.Err() == nil {
			s.printf("chalc: %v; save a change to restart it\n", err)
		}
		return
	}
	s.child = ch
	ch.serve()
}

// A server that exits by itself crashLimit times within crashWindow is
// not restarted until the next change.
const (
	crashLimit  = 3
	crashWindow = 10 * time.Second
)

// rebuild checks, generates and builds after a change and swaps the
// servers. Problems are reported; the running server keeps serving.
func (s *session) rebuild(ctx context.Context) {
	start := time.Now()
	c, err := s.check()
	s.watch.watch(s.opts.Project, c)
	var ue *project.UsageError
	switch {
	case errors.As(err, &ue):
		s.opts.Report(nil, ue.Diagnostics)
		fallthrough
	case err != nil:
		s.printf("chalc: not rebuilt; %s\n", s.still())
		return
	}
	if _, err := project.Generate(c); err != nil {
		s.printf("chalc: writing %s: %v; %s\n", gomodel.GeneratedFile, err, s.still())
		return
	}
	b, err := s.build(ctx, c.App, nil)
	if err != nil {
		if ctx.Err() == nil {
			s.printf("chalc: %v\nchalc: not rebuilt; %s\n", err, s.still())
		}
		return
	}
	if b == s.running && s.child != nil {
		s.printf("chalc: checked; nothing to rebuild (%d ms)\n", time.Since(start).Milliseconds())
		return
	}
	old := s.running
	if s.child != nil {
		s.child.stop(s.opts.Grace)
		s.child = nil
	}
	ch, err := s.start(ctx, b.path)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		s.printf("chalc: the new server did not start: %v\n", err)
		if b == old {
			return
		}
		os.Remove(b.path)
		if old != nil {
			if ch, err := s.start(ctx, old.path); err == nil {
				s.child = ch
				s.printf("chalc: serving the previous build\n")
				ch.serve()
			}
		}
		return
	}
	s.child, s.running, s.exits = ch, b, nil
	done := "rebuilt"
	if old == b {
		done = "restarted" // the server had stopped; its build is current
	} else if old != nil {
		os.Remove(old.path)
	}
	s.printf("chalc: %s (%d ms)\n", done, time.Since(start).Milliseconds())
	ch.serve()
}

// describe names the changed files, relative to the working directory.
func describe(paths []string) string {
	msg := diag.DisplayPath(paths[0])
	switch n := len(paths) - 1; n {
	case 0:
		return msg + " changed"
	case 1:
		return msg + " and 1 other file changed"
	default:
		return fmt.Sprintf("%s and %d other files changed", msg, n)
	}
}

// still says what serves while a change is not applied.
func (s *session) still() string {
	if s.child != nil {
		return "still serving the previous build"
	}
	return "no server is running"
}

// testHookStarted, when set, is called with the pid of every server
// started.
var testHookStarted func(pid int)

// child is a running server process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed once the process is waited for
	err   error         // the process's exit, set before done is closed
}

// start starts the server binary at path on the session's listener and
// waits until it is ready to serve; it accepts connections once told to
// (serve), so that what chalc prints about it comes before its request
// log. Connections made meanwhile wait in the socket's backlog.
func (s *session) start(ctx context.Context, path string) (*child, error) {
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer readyR.Close()
	cmd := exec.Command(path)
	cmd.Env = append(append(os.Environ(), devserver.EnvVar+"=1"), s.env...)
	cmd.ExtraFiles = []*os.File{s.lnFile, readyW} // devserver.ListenerFD, ReadyFD
	cmd.Stdout = s.opts.Stdout
	cmd.Stderr = s.opts.Stderr
	cmd.WaitDelay = time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		readyW.Close()
		return nil, err
	}
	setProcessGroup(cmd)
	err = cmd.Start()
	readyW.Close()
	if err != nil {
		stdin.Close()
		return nil, fmt.Errorf("starting the server: %w", err)
	}
	if testHookStarted != nil {
		testHookStarted(cmd.Process.Pid)
	}
	c := &child{cmd: cmd, stdin: stdin, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	ready := make(chan bool, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(readyR, 64))
		ready <- string(b) == devserver.ReadyLine
	}()
	timer := time.NewTimer(StartTimeout)
	defer timer.Stop()
	select {
	case ok := <-ready:
		if ok {
			return c, nil
		}
		c.stop(s.opts.Grace)
		return nil, fmt.Errorf("the server exited before serving (%v)", c.err)
	case <-timer.C:
		c.stop(s.opts.Grace)
		return nil, fmt.Errorf("the server did not start within %v", StartTimeout)
	case <-ctx.Done():
		c.stop(s.opts.Grace)
		return nil, ctx.Err()
	}
}

// serve lets a started server accept connections.
func (c *child) serve() {
	_, _ = io.WriteString(c.stdin, devserver.ServeLine)
}

// stop stops the server: SIGTERM (and end of input), then, after grace,
// SIGKILL to its process group. It returns once the process is gone.
func (c *child) stop(grace time.Duration) {
	select {
	case <-c.done:
		return
	default:
	}
	terminate(c.cmd)
	c.stdin.Close()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
		killGroup(c.cmd)
		<-c.done
	}
}

// notEnforced lists what the app uses that the local server does not
// enforce; "" when nothing.
func notEnforced(app *compiler.App, callers *apigw.Callers) string {
	types := map[string]bool{}
	apiKeys := false
	for _, r := range app.Routes {
		if a := r.Authorizer; a != nil && a.Type != compiler.AuthBuiltin &&
			callers.For(&chalice.Route{AuthorizerType: string(a.Type), AuthorizerName: a.Key}) == nil {
			types[string(r.Authorizer.Type)] = true
		}
		apiKeys = apiKeys || r.APIKeyRequired
	}
	var parts []string
	if len(types) > 0 {
		var names []string
		for t := range types {
			names = append(names, t)
		}
		sort.Strings(names)
		parts = append(parts, "routes guarded by "+strings.Join(names, ", ")+" authorizers run as if the caller were authorized, "+
			"without an authorizer context (give one with --auth FILE, --claim NAME=VALUE or --principal ID)")
	}
	if apiKeys {
		parts = append(parts, "api_key_required is not enforced")
	}
	if len(parts) == 0 {
		return ""
	}
	return "locally, " + strings.Join(parts, "; ")
}
