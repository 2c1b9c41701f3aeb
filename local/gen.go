package local

import (
	"bytes"
	"fmt"
	"runtime"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/compiler"
)

const devserverPkg = "github.com/chalc-dev/chalc/runtime/devserver"

// mainDir is where the server's main package lives in the app's module:
// only in the go command's -overlay, never on disk.
const mainDir = "_chalc_local"

// GenerateMain returns the local server's main package: it serves app's
// handlers package for one stage through runtime/devserver.
func GenerateMain(app *compiler.App, stage string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\n", build.Header)
	fmt.Fprintf(&b, "// Command %s-local serves the REST API of %s (stage %s) for `chalc local`,\n// on the listening socket chalc passes it.\n", app.Name, app.Name, stage)
	fmt.Fprintf(&b, "package main\n\nimport (\n\tapp %q\n\t%q\n)\n\n", app.Handlers.ImportPath, devserverPkg)
	fmt.Fprintf(&b, "func main() { devserver.Main(app.App(), %q) }\n", stage)
	return b.Bytes()
}

// program is the local server of app's stage, built for the host.
func program(app *compiler.App, stage string) build.Program {
	c := ServerBuild()
	return build.Program{
		Name:   "the local server",
		Dir:    mainDir,
		Main:   GenerateMain(app, stage),
		GOOS:   c.GOOS,
		GOARCH: c.GOARCH,
		Env:    c.Env,
		Flags:  c.Flags,
	}
}

// ServerBuild is how the local server is built: for this machine, with
// the user's GOFLAGS as they are, and without cgo, as Lambda's bootstrap
// (a handler that needs cgo would work locally and fail deployed).
func ServerBuild() gomodel.BuildConfig {
	return gomodel.BuildConfig{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildvcs=false"}}
}
