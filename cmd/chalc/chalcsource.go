package main

// Which chalc a new project requires. A chalc binary is stamped with a
// module version by the go command: "(devel)" without VCS stamping, a
// pseudo-version of the commit with it (the default in a git checkout),
// with "+dirty" for a modified tree, or a tag. Whether a project can
// require that version depends on whether the go command can download
// it, not on how the string looks: a pseudo-version of a commit nobody
// pushed is as unpublished as "(devel)". When it cannot, the project
// replaces chalc with the source this binary was built from.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

const chalcModule = "github.com/chalc-dev/chalc"

// sourceDir is the chalc source checkout this binary was built from, set
// by `make build` and `make install` (-ldflags -X main.sourceDir=...). It
// matters for builds with -trimpath, which hide builtFrom's file paths.
var sourceDir string

// Version is chalc's version: the module version the go command stamped
// into the binary (a tag, or a pseudo-version of the commit, "+dirty" when
// the tree was modified), else "dev".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// requirement is how a new project's go.mod gets chalc.
type requirement struct {
	// Version is the required version.
	Version string
	// Replace is the absolute path of chalc's source that replaces the
	// module, or "" when Version is downloadable.
	Replace string
	// Why says, when Replace is set, why: "named by CHALC_SOURCE", "chalc
	// v0.0.0-... cannot be downloaded: <the go command's reason>".
	Why string
}

// publishTimeout bounds the question "can the go command download this
// version?" (online, a proxy answers in well under a second; a network
// that drops packets would otherwise hold new-project for minutes).
const publishTimeout = 30 * time.Second

// chalcRequirement decides how a new project requires chalc, this binary
// being chalc version (Version()). In order:
//   - source (--chalc-source), else $CHALC_SOURCE: replace with it;
//   - version, when the go command can download it (module cache, then
//     GOPROXY): require it, with no replace;
//   - the checkout `make build` recorded, else the one this binary's
//     source files were compiled from: replace with it.
//
// Otherwise it fails, naming --chalc-source and CHALC_SOURCE.
func chalcRequirement(ctx context.Context, version, source string, progress func(string)) (requirement, error) {
	named := "--chalc-source"
	if source == "" {
		source, named = os.Getenv("CHALC_SOURCE"), "CHALC_SOURCE"
	}
	if source != "" {
		dir, err := chalcCheckout(source)
		if err != nil {
			return requirement{}, fmt.Errorf("%s: %v\n  hint: %s names a checkout of %s (the directory holding its go.mod)", named, err, named, chalcModule)
		}
		return requirement{Version: "v0.0.0", Replace: dir, Why: "named by " + named}, nil
	}
	why := "this chalc is a development build"
	if version != "dev" {
		say(progress, fmt.Sprintf("checking whether %s@%s can be downloaded", chalcModule, version))
		reason := published(ctx, version)
		if reason == "" {
			return requirement{Version: version}, nil
		}
		why = fmt.Sprintf("chalc %s cannot be downloaded: %s", version, reason)
	}
	var tried []string
	for i, dir := range []string{sourceDir, builtFrom()} {
		if dir == "" || (i == 1 && dir == sourceDir) {
			continue
		}
		abs, err := chalcCheckout(dir)
		if err == nil {
			return requirement{Version: "v0.0.0", Replace: abs, Why: why}, nil
		}
		tried = append(tried, err.Error())
	}
	msg := why + "; and the source it was built from is not known"
	if len(tried) > 0 {
		msg = why + "; and the source it was built from is gone: " + strings.Join(tried, "; ")
	}
	return requirement{}, fmt.Errorf("%s\n  hint: pass --chalc-source DIR, or set CHALC_SOURCE=DIR, naming a checkout of %s", msg, chalcModule)
}

// published returns "" when the go command can download chalc at version
// with the user's settings (module cache, GOPROXY, GONOSUMDB...), else
// why not. A version the go command would reject ("+dirty") is not asked
// about.
func published(ctx context.Context, version string) string {
	if err := module.Check(chalcModule, version); err != nil || module.CanonicalVersion(version) != version {
		return "not a version a go.mod can require" // "+dirty", "(devel)"
	}
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	// Outside any module, so that no go.mod or go.work of the current
	// directory takes part.
	dir, err := os.MkdirTemp("", "chalc-version-")
	if err != nil {
		return err.Error()
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", chalcModule+"@"+version)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return fmt.Sprintf("no answer from the module proxy in %s", publishTimeout)
	}
	var res struct{ Error string }
	if err := json.Unmarshal(stdout.Bytes(), &res); err == nil && res.Error != "" {
		// "github.com/chalc-dev/chalc@v...: module lookup disabled by
		// GOPROXY=off", or the proxy's answer on the last line.
		msg := strings.TrimPrefix(res.Error, chalcModule+"@"+version+": ")
		return lastLine(msg)
	}
	if runErr != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return lastLine(msg)
		}
		return runErr.Error()
	}
	return ""
}

// lastLine is the last line of the go command's message, the most
// specific one, without a final period (it goes into a sentence).
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

// builtFrom is the module root this binary was compiled from, as the
// compiler recorded this file's path (<root>/cmd/chalc/chalcsource.go),
// or "" for a -trimpath build, whose paths are module paths.
// chalcCheckout then checks that it still holds chalc's module.
func builtFrom() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// chalcCheckout returns dir, made absolute, when its go.mod is chalc's
// module's.
func chalcCheckout(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%s is not chalc's source: it has no go.mod", abs)
	}
	if err != nil {
		return "", err
	}
	if path := modfile.ModulePath(b); path != chalcModule {
		return "", fmt.Errorf("%s is not chalc's source: its go.mod is module %q, not %s", abs, path, chalcModule)
	}
	return abs, nil
}
