package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

// ChalicePath is the import path of the handler API package.
const ChalicePath = "github.com/chalc-dev/chalc/runtime/chalice"

// GeneratedFile is the name of the file chalc writes into the handlers
// package; the Go check ignores it (it may be stale, or reference handlers
// that no longer exist).
const GeneratedFile = "chalc_gen.go"

// goCheckVersion is part of the cache key: bump it when GoFunc changes.
const goCheckVersion = "3"

// GoFunc is what the Go check learns about one exported top-level func.
type GoFunc struct {
	Name string
	// At is the declaration (file:line:col of the name).
	At diag.Range
	// Doc is the doc comment text.
	Doc string
	// Params and Results are canonical type strings: "context.Context",
	// "*chalice.Request", "string", "chalice.SQSEvent", "error", "any",
	// "chalice.Next[*chalice.Request, *chalice.Response]"; other types are
	// fully qualified ("example.com/app/models.User").
	Params     []string
	ParamNames []string
	Results    []string
	Variadic   bool
	// Signature is the func type as the user wrote it, for messages.
	Signature string
	// Generic is true for a func with type parameters (never a handler).
	Generic bool
}

// goCheck loads each handler package with go/packages and records its
// exported funcs. Results are cached by a hash of the package's sources and
// its module's go.mod/go.sum, so an unchanged project skips `go list`.
func goCheck(pkgs []*Package, cacheDir string) diag.Diagnostics {
	var ds diag.Diagnostics
	for _, p := range pkgs {
		ds = append(ds, checkPackage(p, cacheDir)...)
	}
	return ds
}

type cachedPackage struct {
	ImportPath string
	Name       string
	Funcs      map[string]*GoFunc
	Errors     []string
}

func checkPackage(p *Package, cacheDir string) diag.Diagnostics {
	var ds diag.Diagnostics
	key, err := sourceKey(p.Dir)
	if err != nil {
		ds.Errorf(diag.Range{Filename: manifest.DisplayPath(p.Dir)}, "cannot read the handlers package: %v", err)
		return ds
	}
	var cp *cachedPackage
	cacheFile := ""
	if cacheDir != "" && key != "" {
		cacheFile = filepath.Join(cacheDir, "gocheck", key+".json")
		if b, err := os.ReadFile(cacheFile); err == nil {
			var c cachedPackage
			if json.Unmarshal(b, &c) == nil {
				cp = &c
			}
		}
	}
	if cp == nil {
		cp, ds = loadPackage(p.Dir)
		if ds.HasErrors() {
			return ds
		}
		if cacheFile != "" && len(cp.Errors) == 0 {
			if b, err := json.Marshal(cp); err == nil {
				_ = os.MkdirAll(filepath.Dir(cacheFile), 0o755)
				tmp := cacheFile + ".tmp"
				if os.WriteFile(tmp, b, 0o644) == nil {
					_ = os.Rename(tmp, cacheFile)
				}
			}
		}
	}
	p.ImportPath, p.Name, p.Funcs, p.Checked = cp.ImportPath, cp.Name, cp.Funcs, true
	if len(cp.Errors) > 0 {
		d := ds.Errorf(diag.Range{Filename: manifest.DisplayPath(p.Dir)}, "the handlers package does not compile")
		for i, e := range cp.Errors {
			if i == 10 {
				d.Note(diag.Range{}, "... and %d more", len(cp.Errors)-10)
				break
			}
			d.Note(diag.Range{}, "%s", e)
		}
		d.Hint("fix the Go errors above (`go build ./...` shows them too)")
	}
	return ds
}

// sourceKey hashes what decides the Go check's answer.
func sourceKey(dir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "gocheck %s\n%s\n", goCheckVersion, dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || n == GeneratedFile {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	if root := moduleRoot(dir); root != "" {
		for _, n := range []string{"go.mod", "go.sum"} {
			b, _ := os.ReadFile(filepath.Join(root, n))
			fmt.Fprintf(h, "%s %d\n", n, len(b))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleRoot returns the directory holding the go.mod above dir, or "".
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// ModuleRoot returns the directory of the go.mod governing dir, or "".
func ModuleRoot(dir string) string { return moduleRoot(dir) }

func loadPackage(dir string) (*cachedPackage, diag.Diagnostics) {
	var ds diag.Diagnostics
	at := diag.Range{Filename: manifest.DisplayPath(dir)}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		ds.Errorf(at, "the handlers directory does not exist").
			Hint("set handlers: to the directory (relative to the manifest) holding your handler funcs")
		return nil, ds
	}
	if moduleRoot(dir) == "" {
		ds.Errorf(at, "the handlers package is not in a Go module").
			Hint("run `go mod init example.com/myapp` in the project directory")
		return nil, ds
	}
	overlay := map[string][]byte{}
	gen := filepath.Join(dir, GeneratedFile)
	if _, err := os.Stat(gen); err == nil {
		// Hide the generated file: it may name handlers that are gone.
		overlay[gen] = []byte("package " + packageName(dir) + "\n")
	}
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     dir,
		Overlay: overlay,
		// Check as the build compiles: for Lambda's OS, without cgo.
		Env: append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0"),
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		d := ds.Errorf(at, "cannot load the handlers package: %s", firstLine(err.Error()))
		if strings.Contains(err.Error(), "executable file not found") {
			d.Hint("chalc needs the go command (Go 1.26 or newer) on PATH")
		}
		return nil, ds
	}
	if len(pkgs) != 1 {
		// go/packages hides module-level failures of `go list` (a go.mod
		// that needs tidying, a missing go.sum entry): ask the go command.
		msg := goListError(dir)
		if msg == "" {
			msg = fmt.Sprintf("expected one Go package, found %d", len(pkgs))
		}
		d := ds.Errorf(at, "the go command cannot load the handlers package: %s", msg)
		if strings.Contains(msg, "go mod tidy") || strings.Contains(msg, "go.sum") {
			if root := manifest.DisplayPath(moduleRoot(dir)); root == "." {
				d.Hint("run `go mod tidy`")
			} else {
				d.Hint("run `go mod tidy` in %s", root)
			}
		}
		return nil, ds
	}
	pkg := pkgs[0]
	cp := &cachedPackage{ImportPath: pkg.PkgPath, Name: pkg.Name, Funcs: map[string]*GoFunc{}}
	for _, e := range pkg.Errors {
		msg := e.Msg
		if e.Pos != "" && e.Pos != "-" {
			msg = relPos(e.Pos) + ": " + e.Msg
		}
		cp.Errors = append(cp.Errors, msg)
	}
	if pkg.Types == nil || pkg.Fset == nil {
		return cp, ds
	}
	if len(pkg.GoFiles) == 0 && len(cp.Errors) == 0 {
		cp.Errors = append(cp.Errors, "no Go files in "+manifest.DisplayPath(dir))
	}
	docs := map[string]string{}
	for _, f := range pkg.Syntax {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Doc != nil {
				docs[fd.Name.Name] = fd.Doc.Text()
			}
		}
	}
	scope := pkg.Types.Scope()
	for _, name := range scope.Names() {
		fn, ok := scope.Lookup(name).(*types.Func)
		if !ok || !fn.Exported() {
			continue
		}
		sig := fn.Type().(*types.Signature)
		gf := &GoFunc{
			Name:      name,
			Doc:       docs[name],
			Variadic:  sig.Variadic(),
			Generic:   sig.TypeParams().Len() > 0,
			Signature: "func" + strings.TrimPrefix(types.TypeString(sig, shortQualifier), "func"),
		}
		if pos := pkg.Fset.Position(fn.Pos()); pos.IsValid() {
			gf.At = diag.Range{Filename: manifest.DisplayPath(pos.Filename), Start: diag.Pos{Line: pos.Line, Column: pos.Column}}
		}
		for i := 0; i < sig.Params().Len(); i++ {
			v := sig.Params().At(i)
			gf.Params = append(gf.Params, canonicalType(v.Type()))
			gf.ParamNames = append(gf.ParamNames, v.Name())
		}
		for i := 0; i < sig.Results().Len(); i++ {
			gf.Results = append(gf.Results, canonicalType(sig.Results().At(i).Type()))
		}
		cp.Funcs[name] = gf
	}
	return cp, ds
}

// goListError returns the go command's complaint about dir, on one line.
func goListError(dir string) string {
	cmd := exec.Command("go", "list", "-e", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return ""
	}
	return strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(string(out)), "go: ")), " ")
}

// canonicalType renders t so that the types handlers may use compare as
// strings: the handler API as chalice.X, context.Context, json.RawMessage,
// interface{} as any, everything else fully qualified.
func canonicalType(t types.Type) string {
	s := types.TypeString(t, func(p *types.Package) string {
		switch p.Path() {
		case ChalicePath:
			return "chalice"
		case "context":
			return "context"
		case "encoding/json":
			return "json"
		}
		return p.Path()
	})
	return strings.ReplaceAll(s, "interface{}", "any")
}

func shortQualifier(p *types.Package) string { return p.Name() }

// packageName reads the package clause of any Go file in dir.
func packageName(dir string) string {
	entries, _ := os.ReadDir(dir)
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || n == GeneratedFile {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.PackageClauseOnly)
		if err == nil {
			return f.Name.Name
		}
	}
	return filepath.Base(dir)
}

// PackageName is the Go package name declared in dir's files.
func PackageName(dir string) string { return packageName(dir) }

func relPos(pos string) string {
	// pos is file:line:col with an absolute file.
	i := strings.Index(pos, ".go:")
	if i < 0 {
		return pos
	}
	return manifest.DisplayPath(pos[:i+3]) + pos[i+3:]
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
