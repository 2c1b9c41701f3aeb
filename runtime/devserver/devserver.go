// Package devserver is the program `chalc local` and `chalc invoke` run:
// chalc generates and builds it for the host, with the main
//
//	func main() { devserver.Main(app.App(), "dev") }
//
// As the server of `chalc local` it serves, on one port:
//
//   - the app's API, REST or HTTP (the stage's api_kind), through the
//     API Gateway emulation
//     (runtime/apigw: routing, CORS preflight, builtin authorizers,
//     binary bodies; the answers of iam, cognito_user_pool and custom
//     authorizers come from CallersVar);
//   - its websocket API, for requests that ask for a websocket: the
//     connect, message and disconnect handlers as API Gateway's websocket
//     API runs them, and the management API on a loopback port of its own
//     (WebsocketEndpointVar), so that WebsocketAPI.Send reaches the
//     local clients (see websocketAPI);
//   - each function URL (functions with url:) under FunctionURLPrefix,
//     /_url/NAME/..., as Lambda's function URL (runtime/apigw.FunctionURL);
//   - Lambda's Invoke API for every function (InvokePath).
//
// The stage's environment variables are applied per function as Lambda
// would (runtime/stageenv); one line per request (and per websocket
// connect, message and disconnect) goes to stderr; the app's own log
// (chalice.Logger) goes to stdout, set up for the stage as in Lambda.
//
// chalc owns the listening socket, so that the port stays bound while it
// rebuilds and replaces the server: the server inherits it as file
// descriptor ListenerFD, writes ReadyLine on ReadyFD once its gateway is
// built, and starts accepting connections when chalc writes ServeLine on
// its standard input (chalc first prints what it has to say about the
// new server; connections made meanwhile wait in the socket's backlog).
// It stops gracefully on SIGTERM or SIGINT, and when its standard input
// reaches end of file: chalc keeps that pipe open, so a server whose
// chalc died does not linger. Websocket connections are then closed with
// 1012 (Service Restart).
//
// Run as PROGRAM invoke NAME (InvokeArg) it runs one function for
// `chalc invoke`: the event on standard input, the result on standard
// output, the logs on standard error (see runInvoke).
package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/stageenv"
)

// The protocol between chalc and the server it starts.
const (
	// ListenerFD is the inherited listening socket (exec.Cmd.ExtraFiles[0]).
	ListenerFD = 3
	// ReadyFD is a pipe on which the server writes ReadyLine once its
	// gateway is built (exec.Cmd.ExtraFiles[1]), then closes it.
	ReadyFD = 4
	// ReadyLine is written on ReadyFD.
	ReadyLine = "ready\n"
	// ServeLine is what chalc writes on the server's standard input to
	// let it accept connections.
	ServeLine = "serve\n"
	// EnvVar is set (to "1") by chalc in the server's environment;
	// Main refuses to run without it.
	EnvVar = "CHALC_LOCAL"
)

// ShutdownTimeout bounds how long requests in flight may take to finish
// once the server is asked to stop.
const ShutdownTimeout = 5 * time.Second

// Options configure Serve.
type Options struct {
	// Stage is the app stage to serve (default "dev").
	Stage string
	// Log receives one line per request; nil is quiet.
	Log io.Writer
	// AppLog receives the app's log lines (chalice.Logger, set up for the
	// stage as in Lambda); nil is os.Stdout, as in Lambda.
	AppLog io.Writer
	// Ready is called once the gateway is built; connections are
	// accepted when it returns.
	Ready func()
	// Callers say what iam, cognito_user_pool and custom authorizers
	// answer for the routes they guard (apigw.WithCallers); nil: those
	// routes run without an authorizer context.
	Callers *apigw.Callers
}

// Serve serves app's REST API on ln until ctx is done, then shuts down
// gracefully (requests in flight get ShutdownTimeout to finish). It
// closes ln. It sets the stage's between-calls environment variables in
// the process (stageenv.Env.Defaults) and sets up chalice.Logger for the
// stage (chalice.SetUpLogger) until it returns. An app the gateway
// refuses (an unknown stage, a mistyped middleware) is an error before
// anything is served.
func Serve(ctx context.Context, ln net.Listener, app *chalice.App, opts Options) error {
	defer ln.Close()
	stage := opts.Stage
	if stage == "" {
		stage = "dev"
	}
	st, ok := app.Config().Stages[stage]
	if !ok {
		var names []string
		for n := range app.Config().Stages {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("app %s has no stage %q; its stages are: %s", app.Name(), stage, strings.Join(names, ", "))
	}
	restoreLog, err := chalice.SetUpLogger(app.Name(), st, opts.AppLog)
	if err != nil {
		return fmt.Errorf("stage %s: %w", stage, err)
	}
	defer restoreLog()
	env := stageenv.New(app, st)
	for _, v := range env.Defaults() {
		if err := os.Setenv(v.Name, v.Value); err != nil {
			return err
		}
	}
	gw, err := apigw.New(app, apigw.Stage(stage), apigw.WrapHandler(env.Wrap), apigw.WithCallers(opts.Callers))
	if err != nil {
		return err
	}
	fns := newFunctions(app, stage, env)
	urls := map[string]*apigw.FunctionURL{}
	for _, f := range app.Functions() {
		if f.URL == nil {
			continue
		}
		u, err := apigw.NewFunctionURL(app, f.Name, apigw.Stage(stage), apigw.WrapHandler(env.Wrap), apigw.WithCallers(opts.Callers))
		if err != nil {
			return err
		}
		urls[f.Name] = u
	}
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, InvokePath) {
			fns.serveInvoke(w, r)
			return
		}
		if name, rest, ok := functionURLPath(r.URL.Path); ok {
			if u := urls[name]; u != nil {
				r2 := r.Clone(r.Context())
				r2.URL.Path, r2.URL.RawPath = rest, ""
				u.ServeHTTP(w, r2)
				return
			}
		}
		gw.ServeHTTP(w, r)
	})
	if opts.Log != nil {
		h = logRequests(h, opts.Log)
	}
	var ws *websocketAPI
	if hasWebsocket(app) {
		apiStage := st.APIGatewayStage
		if apiStage == "" {
			apiStage = "api"
		}
		ws = newWebsocketAPI(fns, apiStage, opts.Log)
		stopMgmt, err := ws.startManagement()
		if err != nil {
			return err
		}
		defer stopMgmt()
		rest := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isUpgrade(r) {
				ws.serve(w, r)
				return
			}
			rest.ServeHTTP(w, r)
		})
	}
	if opts.Ready != nil {
		opts.Ready()
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if ws != nil {
		// Hijacked connections are not the http.Server's: close them
		// (1012, Service Restart: chalc local restarts the server on
		// every rebuild) and let their disconnect handlers run.
		ws.closeAll(sctx, closeServiceRestart, "the local server stopped")
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Main runs the server chalc started, serving app's stage on the
// inherited listener, and exits: 0 after a requested stop, 1 when it
// cannot serve (the reason on stderr). It never returns.
func Main(app *chalice.App, stage string) {
	if len(os.Args) == 3 && os.Args[1] == InvokeArg {
		if os.Getenv(EnvVar) != "1" {
			fmt.Fprintln(os.Stderr, "chalc invoke: this program is started by `chalc invoke`; run that instead")
			os.Exit(ExitCannotInvoke)
		}
		os.Exit(runInvoke(app, stage, os.Args[2]))
	}
	if err := run(app, stage); err != nil {
		fmt.Fprintf(os.Stderr, "chalc local: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func run(app *chalice.App, stage string) error {
	if os.Getenv(EnvVar) != "1" {
		return errors.New("this program is started by `chalc local`, which passes it the listening socket; run `chalc local` instead")
	}
	lf := os.NewFile(ListenerFD, "listener")
	ready := os.NewFile(ReadyFD, "ready")
	ln, err := net.FileListener(lf)
	lf.Close() // ln holds its own descriptor
	if err != nil {
		return fmt.Errorf("the inherited listener: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := bufio.NewReader(os.Stdin)
	callers, err := callersFromEnv()
	if err != nil {
		return err
	}
	return Serve(ctx, ln, app, Options{
		Stage:   stage,
		Log:     os.Stderr,
		Callers: callers,
		Ready: func() {
			_, _ = io.WriteString(ready, ReadyLine)
			ready.Close()
			if line, err := in.ReadString('\n'); err != nil || line != ServeLine {
				cancel() // chalc is gone, or stops us before we serve
				return
			}
			go func() {
				// End of input: chalc is gone, or closed the pipe to stop us.
				_, _ = io.Copy(io.Discard, in)
				cancel()
			}()
		},
	})
}

// FunctionURLPrefix is where the local server serves the function URLs:
// the URL of function NAME is /_url/NAME/ (what follows is the path the
// function sees). A path of the API under it is not reachable locally.
const FunctionURLPrefix = "/_url/"

// functionURLPath splits a request path under FunctionURLPrefix into the
// function's name and the path the function sees.
func functionURLPath(p string) (name, rest string, ok bool) {
	after, ok := strings.CutPrefix(p, FunctionURLPrefix)
	if !ok {
		return "", "", false
	}
	name, rest, _ = strings.Cut(after, "/")
	return name, "/" + rest, name != ""
}

// CallersVar is the environment variable in which chalc passes the
// callers of `chalc local --auth/--claim/--principal` to the server: the
// JSON of an apigw.Callers.
const CallersVar = "CHALC_LOCAL_CALLERS"

func callersFromEnv() (*apigw.Callers, error) {
	v := os.Getenv(CallersVar)
	if v == "" {
		return nil, nil
	}
	var c apigw.Callers
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return nil, fmt.Errorf("%s: %v", CallersVar, err)
	}
	return &c, nil
}

// logRequests logs "METHOD PATH STATUS DURATION" per request.
func logRequests(h http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		fmt.Fprintf(w, "%s %s %s %d %s\n", start.Format("15:04:05"), r.Method, r.URL.RequestURI(), rec.status, round(time.Since(start)))
	})
}

// round shortens a duration for the log: 1.234ms, 12.3ms, 123ms, 1.23s.
func round(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond)
	case d < 100*time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Millisecond)
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
