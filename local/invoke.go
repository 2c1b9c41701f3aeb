package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/project"
	"github.com/chalc-dev/chalc/runtime/devserver"
	"github.com/chalc-dev/chalc/stages"
)

// InvokeOptions configure Invoke.
type InvokeOptions struct {
	// Project is the project directory, stage (default dev), cache
	// location and progress.
	Project project.Options
	// Function is the function's name: a functions: key, an authorizer,
	// websocket_connect/_message/_disconnect, or api_handler.
	Function string
	// Event is the event, JSON; nil sends the sample of the function's
	// trigger (SampleEvent).
	Event []byte
	// Stdout receives the result, Stderr the function's logs and
	// chalc's messages.
	Stdout, Stderr io.Writer
	// Go is the go command; default "go" on PATH.
	Go string
}

// UnknownFunctionError is a name the app has no function for.
type UnknownFunctionError struct {
	Name  string
	Names []string // the app's functions
}

func (e *UnknownFunctionError) Error() string {
	msg := fmt.Sprintf("the app has no function %q", e.Name)
	if s := suggest.Closest(e.Name, e.Names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + " (its functions: " + strings.Join(e.Names, ", ") + ")"
}

// ErrFunctionFailed is returned by Invoke when the function returned an
// error: Lambda's error payload is on Stdout.
var ErrFunctionFailed = errors.New("the function failed")

// Invoke runs one function of the project locally, as Lambda would: it
// checks the project (its problems are reported through report and
// make Invoke return ErrProblems), writes chalc_gen.go, builds the
// local program for the host as `chalc local` does (runtime/devserver
// in the go command's -overlay) unless the cache holds it, and runs it
// on the event. The function's result is written to Stdout as one line
// of JSON, its logs to Stderr; a failed function returns
// ErrFunctionFailed after writing Lambda's error payload
// ({"errorMessage", "errorType"}) to Stdout.
//
// The built program is kept in the cache by the hash of its inputs
// (build.Program.Key), so an unchanged project is not built again.
func Invoke(ctx context.Context, opts InvokeOptions, report func(*project.Checked)) error {
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	popts := opts.Project
	if popts.Stage == "" {
		popts.Stage = stages.DefaultStage
	}
	popts.SkipGo = gomodel.SDKCalls // nothing is deployed
	c, err := project.Check(popts)
	if err != nil {
		return err
	}
	if report != nil && len(c.Diagnostics) > 0 {
		report(c)
	}
	if c.Diagnostics.HasErrors() {
		return ErrProblems
	}
	app := c.App
	f, names := lookupFunction(app, opts.Function)
	if f == nil {
		return &UnknownFunctionError{Name: opts.Function, Names: names}
	}
	event := opts.Event
	if event == nil {
		sample, ok := SampleEvent(app, f)
		if !ok {
			return fmt.Errorf("%s serves the REST API: give it an API Gateway proxy event with --event, or run `chalc local`", f.Name)
		}
		event = sample
	}
	if _, err := project.Generate(c); err != nil {
		return fmt.Errorf("writing %s: %w", gomodel.GeneratedFile, err)
	}
	bin, err := cachedProgram(ctx, app, popts, opts.Go)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, devserver.InvokeArg, f.Name)
	cmd.Dir = app.Dir
	cmd.Env = append(os.Environ(), devserver.EnvVar+"=1")
	cmd.Stdin = bytes.NewReader(event)
	cmd.Stdout = opts.Stdout
	cmd.Stderr = opts.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() == devserver.ExitFunctionError:
		return ErrFunctionFailed
	case errors.As(err, &exit) && exit.ExitCode() == devserver.ExitCannotInvoke:
		return errors.New("the function could not be invoked (see above)")
	}
	return fmt.Errorf("running %s: %w", f.Name, err)
}

// lookupFunction finds the function named name (the API handler too);
// names lists the app's functions when it is not found.
func lookupFunction(app *compiler.App, name string) (*compiler.Function, []string) {
	var names []string
	if app.APIHandler != nil {
		if name == app.APIHandler.Name {
			return app.APIHandler, nil
		}
		names = append(names, app.APIHandler.Name)
	}
	for _, f := range app.Functions {
		if f.Name == name {
			return f, nil
		}
		names = append(names, f.Name)
	}
	if len(names) == 0 {
		names = []string{"(none)"}
	}
	return nil, names
}

// cachedProgram returns the local program of app's stage, from the
// cache when its inputs are unchanged, else built into the cache.
func cachedProgram(ctx context.Context, app *compiler.App, popts project.Options, goCmd string) (string, error) {
	p := program(app, popts.Stage)
	bopts := build.Options{Go: goCmd, Progress: popts.Progress}
	key, err := p.Key(ctx, app, bopts)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(project.CacheDir(popts.CacheDir), "local")
	name := key
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	bin := filepath.Join(dir, name)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, ".build-*")
	if err != nil {
		return "", err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := p.Build(ctx, app, tmp.Name(), bopts); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), bin); err != nil {
		return "", err
	}
	return bin, nil
}

// ValidEvent checks that an event is JSON; the error says where it is
// not, as line:col.
func ValidEvent(data []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra == nil {
			return positioned(data, dec.InputOffset(), "more than one JSON value")
		}
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return positioned(data, max(se.Offset-1, 0), strings.TrimPrefix(se.Error(), "json: "))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return positioned(data, int64(len(data)), "unexpected end of JSON input")
	}
	return err
}

// EventError is an event that is not JSON, with its position.
type EventError struct {
	Line, Col int
	Msg       string
}

func (e *EventError) Error() string { return fmt.Sprintf("%d:%d: error: %s", e.Line, e.Col, e.Msg) }

func positioned(data []byte, off int64, msg string) error {
	line, col := lineCol(data, off)
	return &EventError{Line: line, Col: col, Msg: msg}
}
