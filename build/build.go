package build

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/gocheck"

	"golang.org/x/mod/modfile"

	"github.com/chalc-dev/chalc/compiler"
)

// GoBuildError is a go build of a program that failed: the go command's
// output, and a hint when chalc knows the fix.
type GoBuildError struct {
	Output, Hint string
}

func (e *GoBuildError) Error() string {
	if e.Hint != "" {
		return "go build failed:\n" + e.Output + "\n" + e.Hint
	}
	return "go build failed:\n" + e.Output
}

// Options tune a build.
type Options struct {
	// CacheDir holds built zips by content hash; "" disables the cache.
	CacheDir string
	// Exclude lists directories (absolute) whose contents never go into the
	// build, such as the output directory inside the project.
	Exclude []string
	// Progress, when set, receives one line per slow step.
	Progress func(string)
	// Go is the go command; default "go" on PATH.
	Go string
}

// cacheVersion is part of every cache key: bump it when the build's
// output for the same inputs changes.
const cacheVersion = "4"

// Result is a built deployment package.
type Result struct {
	Zip []byte
	// Cached is true when no Go build ran.
	Cached bool
	Key    string
}

// GeneratedPath is where chalc_gen.go goes for app.
func GeneratedPath(app *compiler.App) string {
	return filepath.Join(app.Handlers.Dir, gomodel.GeneratedFile)
}

// WriteGenerated writes chalc_gen.go when its content changed and reports
// whether it did (an unchanged file keeps its modification time). cacheDir
// caches the formatting (GenerateAppCached).
func WriteGenerated(app *compiler.App, cacheDir string) (bool, error) {
	src, err := GenerateAppCached(app, cacheDir)
	if err != nil {
		return false, err
	}
	path := GeneratedPath(app)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, src) {
		return false, nil
	}
	return true, writeAtomic(path, src, 0o644)
}

// Package builds the bootstrap for app and returns deployment.zip.
// chalc_gen.go must be current (WriteGenerated).
func Package(ctx context.Context, app *compiler.App, opts Options) (*Result, error) {
	p := bootstrap(app)
	root, goCmd, env, err := p.prepare(ctx, app, opts)
	if err != nil {
		return nil, err
	}
	key, err := p.zipKey(root, env, opts.Exclude)
	if err != nil {
		return nil, err
	}
	cacheFile := ""
	if opts.CacheDir != "" {
		cacheFile = filepath.Join(opts.CacheDir, "build", key+".zip")
		if z, err := os.ReadFile(cacheFile); err == nil {
			return &Result{Zip: z, Cached: true, Key: key}, nil
		}
	}
	tmp, err := os.MkdirTemp("", "chalc-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "bootstrap")
	if err := p.build(ctx, goCmd, root, env, out, opts.Progress); err != nil {
		return nil, err
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	z, err := Zip(map[string][]byte{"bootstrap": bin})
	if err != nil {
		return nil, err
	}
	if cacheFile != "" {
		_ = os.MkdirAll(filepath.Dir(cacheFile), 0o755)
		_ = writeAtomic(cacheFile, z, 0o644)
	}
	return &Result{Zip: z, Key: key}, nil
}

// A Program is a main package chalc generates for an app and builds with
// the go command inside the app's module, so that it can import the
// handlers package: its main.go exists only in the go command's -overlay,
// as <module root>/<Dir>/main.go, and nothing is written into the user's
// tree. The Lambda bootstrap is one; `chalc local`'s server another.
type Program struct {
	// Name says what is built, in progress lines ("bootstrap").
	Name string
	// Dir is the main package's directory under the module root. It
	// starts with "_", so that the go command's ./... patterns and the
	// source hash skip it.
	Dir string
	// Main is the source of main.go.
	Main []byte
	// GOOS and GOARCH are the target platform.
	GOOS, GOARCH string
	// Env is added to the go command's environment (CGO_ENABLED=0).
	Env []string
	// Flags are go build flags (-trimpath ...), other than -tags and
	// -ldflags.
	Flags []string
	// Tags and LDFlags are the program's build tags and linker flags.
	// They are passed together with those of GOFLAGS (see buildArgs), so
	// that the user's tags and -X settings reach this program as they
	// reach `go build` and `go test`.
	Tags    []string
	LDFlags string
}

// bootstrap is the Lambda bootstrap of app's stage.
func bootstrap(app *compiler.App) Program {
	c := BootstrapConfig(app.Stage.Architecture.V)
	return Program{
		Name:    "bootstrap",
		Dir:     "_chalc_bootstrap",
		Main:    GenerateMain(app),
		GOOS:    c.GOOS,
		GOARCH:  c.GOARCH,
		Env:     c.Env,
		Flags:   c.Flags,
		Tags:    c.Tags,
		LDFlags: c.LDFlags,
	}
}

// BootstrapConfig is how the Lambda bootstrap is built for a stage's
// architecture (x86_64 or arm64): the Go check of `chalc package` and
// `chalc deploy` prepares this build.
func BootstrapConfig(architecture string) gomodel.BuildConfig {
	arch := "amd64"
	if architecture == "arm64" {
		arch = "arm64"
	}
	return gomodel.BuildConfig{
		GOOS:   "linux",
		GOARCH: arch,
		Env:    []string{"CGO_ENABLED=0"},
		Flags:  []string{"-trimpath", "-buildvcs=false"},
		// lambda.norpc drops aws-lambda-go's RPC mode, which
		// provided.al2023 never uses; -s -w -buildid= make the binary
		// small and reproducible.
		Tags:    []string{"lambda.norpc"},
		LDFlags: "-s -w -buildid=",
	}
}

// Key returns the hash of everything that decides p's binary for app
// (Package caches deployment packages by it and the zip time): p itself,
// the Go toolchain and the go environment that changes its output
// (GOFLAGS, GOEXPERIMENT...), and the sources the go command may read:
// the app's module, the workspace (go.work, also in a parent directory)
// and its modules, and every module replaced with a local directory,
// except below opts.Exclude. It fails as Build would when the module
// cannot be built (no module, chalc not required, no go command).
func (p Program) Key(ctx context.Context, app *compiler.App, opts Options) (string, error) {
	root, _, env, err := p.prepare(ctx, app, opts)
	if err != nil {
		return "", err
	}
	return p.key(root, env, opts.Exclude)
}

// Build builds p in app's module into the file out. chalc_gen.go must be
// current (WriteGenerated); opts.CacheDir holds only go env's answer (the
// go command's own cache applies to the build).
func (p Program) Build(ctx context.Context, app *compiler.App, out string, opts Options) error {
	root, goCmd, env, err := p.prepare(ctx, app, opts)
	if err != nil {
		return err
	}
	return p.build(ctx, goCmd, root, env, out, opts.Progress)
}

// prepare finds the module root of app's handlers and the go command,
// checks that the module can build a program importing chalc, and asks
// the go command for the environment p's build will see (cached in
// opts.CacheDir by what go env reads).
func (p Program) prepare(ctx context.Context, app *compiler.App, opts Options) (root, goCmd string, env gocheck.Env, err error) {
	goCmd = opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	root = gocheck.ModuleRoot(app.Handlers.Dir)
	if root == "" {
		return "", "", nil, fmt.Errorf("the handlers package %s is not in a Go module", app.Handlers.Dir)
	}
	if err := requiresChalc(root); err != nil {
		return "", "", nil, err
	}
	env, err = gocheck.ReadEnvCached(ctx, goCmd, root, p.environ(), opts.CacheDir)
	if err != nil {
		return "", "", nil, err
	}
	if _, err := p.buildArgs(env["GOFLAGS"]); err != nil {
		return "", "", nil, err
	}
	return root, goCmd, env, nil
}

// environ is the environment of p's go commands.
func (p Program) environ() []string { return p.Config().Environ() }

func (p Program) build(ctx context.Context, goCmd, root string, env gocheck.Env, out string, progress func(string)) error {
	tmp, err := os.MkdirTemp("", "chalc-overlay-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	mainFile := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(mainFile, p.Main, 0o644); err != nil {
		return err
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{
		filepath.Join(root, p.Dir, "main.go"): mainFile,
	}})
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return err
	}
	if slices.Contains(p.Flags, "-trimpath") && replacesLocally(root, env) {
		// Reproducible programs (the bootstrap) keep local paths out of
		// their module information too (replacesLocally says why).
		p.LDFlags = strings.TrimSpace(p.LDFlags + " " + stripModInfo)
	}
	flags, err := p.buildArgs(env["GOFLAGS"])
	if err != nil {
		return err
	}
	if progress != nil {
		progress(fmt.Sprintf("building %s (%s/%s)", p.Name, p.GOOS, p.GOARCH))
		if p.stdStale(ctx, goCmd, root, flags) {
			progress(fmt.Sprintf("note: the first build for %s/%s compiles Go's standard library for it "+
				"(once; a few minutes on a small machine)", p.GOOS, p.GOARCH))
		}
	}
	args := append([]string{"build", "-overlay", overlayFile, "-o", out}, flags...)
	cmd := exec.CommandContext(ctx, goCmd, append(args, "./"+p.Dir)...)
	cmd.Dir = root
	cmd.Env = p.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		msg = strings.ReplaceAll(msg, filepath.Join(root, p.Dir)+string(filepath.Separator), "<generated main>/")
		if msg == "" {
			msg = err.Error()
		}
		if fixed, ok := moduleAdvice(msg); ok {
			return &GoBuildError{Output: fixed, Hint: fmt.Sprintf("go.mod and go.sum do not record every module the %s needs: run `go mod tidy` in %s", p.Name, root)}
		}
		return &GoBuildError{Output: msg}
	}
	return nil
}

// stdStale reports whether the go build cache lacks the standard
// library as p's build compiles it (for its platform, with its flags),
// which makes the build minutes instead of seconds. The go command answers
// without building, in tens of milliseconds; the runtime package stands
// for the rest. When it cannot tell, it says false (nothing to announce).
func (p Program) stdStale(ctx context.Context, goCmd, root string, flags []string) bool {
	args := append([]string{"list"}, flags...)
	cmd := exec.CommandContext(ctx, goCmd, append(args, "-f", "{{.Stale}}", "runtime")...)
	cmd.Dir = root
	cmd.Env = p.environ()
	out, err := cmd.Output()
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// moduleAdvice rewrites go build's output about go.mod/go.sum
// bookkeeping: its advice (`go get <chalc package>@v0.0.0`) does not work
// for a chalc that is replaced by a local directory, while `go mod tidy`
// does once chalc_gen.go is written. ok is false for other failures.
func moduleAdvice(msg string) (string, bool) {
	if !strings.Contains(msg, "missing go.sum entry") && !strings.Contains(msg, "no required module provides package") &&
		!strings.Contains(msg, "updates to go.mod needed") {
		return msg, false
	}
	var lines []string
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(line, "\tgo get ") || strings.HasPrefix(line, "\tgo mod tidy") {
			continue
		}
		for _, cut := range []string{"; to add:", "; to add it:", "; to update it:"} {
			line = strings.TrimSuffix(line, cut)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), true
}

// requiresChalc checks that the module requires chalc: chalc_gen.go
// imports its runtime, and `go mod tidy` run before chalc_gen.go existed
// drops the requirement when no handler imports the chalice package.
func requiresChalc(root string) error {
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	mf, err := modfile.ParseLax("go.mod", b, nil)
	if err != nil {
		return fmt.Errorf("%s: %v", filepath.Join(root, "go.mod"), err)
	}
	for _, r := range mf.Require {
		if r.Mod.Path == chalcModule {
			return nil
		}
	}
	return fmt.Errorf("%s does not require %s, whose runtime chalc_gen.go imports; run `go mod tidy` in %s",
		filepath.Join(root, "go.mod"), chalcModule, root)
}

const chalcModule = "github.com/chalc-dev/chalc"

// zipKey is the key Package caches p's zip by: the cache holds zips,
// and their entry times come from SOURCE_DATE_EPOCH (zipTime), so the
// same binary zipped for another time is another entry. chalc's own Go
// version is there for its compress/flate, with the level and the piece
// size deflate uses.
func (p Program) zipKey(root string, env gocheck.Env, exclude []string) (string, error) {
	k, err := p.key(root, env, exclude)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "zip %s %d %s level %d chunk %d\n", k, zipTime().Unix(), runtime.Version(), zipLevel, deflateChunk)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// zipTime is the modification time of every zip entry: fixed, so the
// same binary always gives the same bytes. SOURCE_DATE_EPOCH overrides it,
// within what a zip holds (its MS-DOS date starts in 1980, its extended
// timestamp is 32-bit Unix time, ending in 2106): an earlier time,
// such as the common SOURCE_DATE_EPOCH=0, is 1980-01-01, not a date that
// wraps around to another century.
func zipTime() time.Time {
	first := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(2106, 1, 1, 0, 0, 0, 0, time.UTC)
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			t := time.Unix(n, 0).UTC()
			switch {
			case t.Before(first):
				return first
			case t.After(last):
				return last
			}
			return t
		}
	}
	return first
}

// Zip packs files (name → content) reproducibly: entries sorted, fixed
// times, Unix mode 0755 for bootstrap and 0644 otherwise, each deflated
// by deflate (on every core, with the same bytes whatever their number).
func Zip(files map[string][]byte) ([]byte, error) {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	mod := zipTime()
	for _, n := range names {
		data := files[n]
		compressed, err := deflate(data)
		if err != nil {
			return nil, err
		}
		h := &zip.FileHeader{
			Name:               n,
			Method:             zip.Deflate,
			Modified:           mod,
			CRC32:              crc32.ChecksumIEEE(data),
			CompressedSize64:   uint64(len(compressed)),
			UncompressedSize64: uint64(len(data)),
		}
		mode := fs.FileMode(0o644)
		if n == "bootstrap" || strings.HasSuffix(n, "/bootstrap") {
			mode = 0o755
		}
		h.SetMode(mode)
		w, err := zw.CreateRaw(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(compressed); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// deflateChunk is the size of the pieces deflate compresses
// independently. Each piece loses only the previous 32 KiB as a
// dictionary: a megabyte costs well under 1% in size, and lets a 2-core
// machine zip a bootstrap in half the time (smaller pieces balance the
// cores better but lose more; 512 KiB and 768 KiB measured no faster).
const deflateChunk = 1 << 20

// zipLevel is deflate's compression level. On a 6.7 MB bootstrap, on 2
// cores: level 6 (the default) 2.840 MB in 110 ms, 5 2.853 MB in 73 ms,
// 4 2.901 MB in 55 ms. The zip is on the path of every changed build and
// 2% of its size is not worth a fifth of that path's overhead.
const zipLevel = 4

// deflate compresses data into one raw deflate stream (what a zip entry
// holds) at zipLevel: it cuts data into deflateChunk pieces,
// compresses them on every core, each ending with a sync flush (a
// byte-aligned empty stored block) but the last, which ends the stream,
// and joins them. The output depends on data alone.
func deflate(data []byte) ([]byte, error) {
	n := max(1, (len(data)+deflateChunk-1)/deflateChunk)
	parts := make([][]byte, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.NumCPU()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				piece := data[i*deflateChunk : min(len(data), (i+1)*deflateChunk)]
				var b bytes.Buffer
				w, err := flate.NewWriter(&b, zipLevel)
				if err == nil {
					_, err = w.Write(piece)
				}
				if err == nil {
					if i == n-1 {
						err = w.Close()
					} else {
						err = w.Flush()
					}
				}
				parts[i], errs[i] = b.Bytes(), err
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return bytes.Join(parts, nil), nil
}

// key hashes everything that decides p's binary: p, and the go
// environment and local sources its go build reads (gocheck.Hash).
func (p Program) key(root string, env gocheck.Env, exclude []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "chalc build %s\n%s/%s\n", cacheVersion, p.GOOS, p.GOARCH)
	fmt.Fprintf(h, "%s\n%q\n%q\n%q\n%q\n", p.Dir, p.Env, p.Flags, p.Tags, p.LDFlags)
	h.Write(p.Main)
	if err := gocheck.Hash(h, root, env, exclude); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeAtomic writes through a temporary file and a rename, so a reader
// never sees half a file.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
