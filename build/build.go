package build

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/chalc-dev/chalc/compiler"
)

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
const cacheVersion = "1"

// Result is a built deployment package.
type Result struct {
	Zip []byte
	// Cached is true when no Go build ran.
	Cached bool
	Key    string
}

// GeneratedPath is where chalc_gen.go goes for app.
func GeneratedPath(app *compiler.App) string {
	return filepath.Join(app.Handlers.Dir, compiler.GeneratedFile)
}

// WriteGenerated writes chalc_gen.go when its content changed and reports
// whether it did (an unchanged file keeps its modification time).
func WriteGenerated(app *compiler.App) (bool, error) {
	src, err := GenerateApp(app)
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
	root, goCmd, goVersion, err := prepare(ctx, app, opts)
	if err != nil {
		return nil, err
	}
	key, err := p.key(root, goVersion, opts.Exclude)
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
	if err := p.build(ctx, goCmd, root, out, opts.Progress); err != nil {
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
	// Flags are go build flags (-trimpath, -ldflags ...).
	Flags []string
}

// bootstrap is the Lambda bootstrap of app's stage.
func bootstrap(app *compiler.App) Program {
	arch := "amd64"
	if app.Stage.Architecture.V == "arm64" {
		arch = "arm64"
	}
	return Program{
		Name:   "bootstrap",
		Dir:    "_chalc_bootstrap",
		Main:   GenerateMain(app),
		GOOS:   "linux",
		GOARCH: arch,
		Env:    []string{"CGO_ENABLED=0"},
		Flags:  []string{"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags", "-s -w -buildid="},
	}
}

// Key returns the hash of everything that decides p's binary for app
// (the key Package caches deployment packages by): p itself, the Go
// toolchain, GOFLAGS, and the sources the go command may read in the
// app's module and in every module it replaces with a local directory,
// except below opts.Exclude. It fails as Build would when the module
// cannot be built (no module, chalc not required, no go command).
func (p Program) Key(ctx context.Context, app *compiler.App, opts Options) (string, error) {
	root, _, goVersion, err := prepare(ctx, app, opts)
	if err != nil {
		return "", err
	}
	return p.key(root, goVersion, opts.Exclude)
}

// Build builds p in app's module into the file out. chalc_gen.go must be
// current (WriteGenerated); opts.CacheDir is not used (the go command's
// own cache applies).
func (p Program) Build(ctx context.Context, app *compiler.App, out string, opts Options) error {
	root, goCmd, _, err := prepare(ctx, app, opts)
	if err != nil {
		return err
	}
	return p.build(ctx, goCmd, root, out, opts.Progress)
}

// prepare finds the module root of app's handlers and the go command,
// and checks that the module can build a program importing chalc.
func prepare(ctx context.Context, app *compiler.App, opts Options) (root, goCmd, version string, err error) {
	goCmd = opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	root = compiler.ModuleRoot(app.Handlers.Dir)
	if root == "" {
		return "", "", "", fmt.Errorf("the handlers package %s is not in a Go module", app.Handlers.Dir)
	}
	if err := requiresChalc(root); err != nil {
		return "", "", "", err
	}
	version, err = goVersion(ctx, goCmd)
	if err != nil {
		return "", "", "", err
	}
	return root, goCmd, version, nil
}

func (p Program) build(ctx context.Context, goCmd, root, out string, progress func(string)) error {
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
	if progress != nil {
		progress(fmt.Sprintf("building %s (%s/%s)", p.Name, p.GOOS, p.GOARCH))
	}
	args := append([]string{"build", "-overlay", overlayFile, "-o", out}, p.Flags...)
	cmd := exec.CommandContext(ctx, goCmd, append(args, "./"+p.Dir)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS="+p.GOOS, "GOARCH="+p.GOARCH)
	cmd.Env = append(cmd.Env, p.Env...)
	cmd.Env = append(cmd.Env, "GOFLAGS="+os.Getenv("GOFLAGS"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		msg = strings.ReplaceAll(msg, filepath.Join(root, p.Dir)+string(filepath.Separator), "<generated main>/")
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("go build failed:\n%s", msg)
	}
	return nil
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

func goVersion(ctx context.Context, goCmd string) (string, error) {
	out, err := exec.CommandContext(ctx, goCmd, "env", "GOVERSION").Output()
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return "", fmt.Errorf("chalc needs the go command (Go 1.26 or newer) on PATH to build the bootstrap: %v", ee.Err)
		}
		return "", fmt.Errorf("go env GOVERSION: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// zipTime is the modification time of every zip entry: fixed, so the
// same binary always gives the same bytes. SOURCE_DATE_EPOCH overrides it.
func zipTime() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
}

// Zip packs files (name → content) reproducibly: entries sorted, fixed
// times, Unix mode 0755 for bootstrap and 0644 otherwise.
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
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: mod}
		mode := fs.FileMode(0o644)
		if n == "bootstrap" || strings.HasSuffix(n, "/bootstrap") {
			mode = 0o755
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// key hashes everything that decides p's binary: p, the Go toolchain,
// GOFLAGS, and the sources of the module and of every module it replaces
// with a local directory.
func (p Program) key(root, goVersion string, exclude []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "chalc build %s\n%s\n%s/%s\n%s\n", cacheVersion, goVersion, p.GOOS, p.GOARCH, os.Getenv("GOFLAGS"))
	fmt.Fprintf(h, "%s\n%q\n%q\n", p.Dir, p.Env, p.Flags)
	h.Write(p.Main)
	dirs := []string{root}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		if mf, err := modfile.ParseLax("go.mod", b, nil); err == nil {
			for _, r := range mf.Replace {
				if modfile.IsDirectoryPath(r.New.Path) {
					p := r.New.Path
					if !filepath.IsAbs(p) {
						p = filepath.Join(root, p)
					}
					dirs = append(dirs, filepath.Clean(p))
				}
			}
		}
	}
	for _, d := range dirs {
		if err := hashTree(h, d, exclude); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashTree hashes the files of a module tree the go command may read:
// Go sources (not tests), assembly and C, go.mod/go.sum, vendor's
// modules.txt, and every file of a directory whose Go files use
// //go:embed. Hidden directories, testdata and nested modules are skipped.
func hashTree(h io.Writer, root string, exclude []string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root {
				if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			for _, ex := range exclude {
				if path == ex {
					return filepath.SkipDir
				}
			}
			if usesEmbed(path) {
				return hashAll(h, path, exclude)
			}
			return nil
		}
		if !d.Type().IsRegular() || !buildInput(name) {
			return nil
		}
		return hashFile(h, root, path)
	})
}

func buildInput(name string) bool {
	switch {
	case strings.HasSuffix(name, "_test.go"):
		return false
	case name == "go.mod", name == "go.sum", name == "modules.txt", name == "go.work", name == "go.work.sum":
		return true
	}
	switch filepath.Ext(name) {
	case ".go", ".s", ".c", ".h", ".syso":
		return true
	}
	return false
}

// usesEmbed reports whether a Go file in dir (not recursive) embeds files.
func usesEmbed(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil && bytes.Contains(b, []byte("//go:embed")) {
			return true
		}
	}
	return false
}

// hashAll hashes every regular file below dir (embedded files), then stops
// the outer walk from descending again.
func hashAll(h io.Writer, dir string, exclude []string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			for _, ex := range exclude {
				if path == ex {
					return filepath.SkipDir
				}
			}
			if path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasSuffix(d.Name(), "_test.go") {
			return nil
		}
		return hashFile(h, dir, path)
	})
	if err != nil {
		return err
	}
	return filepath.SkipDir
}

func hashFile(h io.Writer, root, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	rel, _ := filepath.Rel(root, path)
	fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
	_, err = h.Write(b)
	return err
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
