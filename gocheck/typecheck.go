package gocheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/packages"

	"github.com/chalc-dev/chalc/diag"
)

// goCheckVersion is part of the cache key: bump it when GoFunc or
// cachedPackage changes.
const goCheckVersion = "4"

// Func is what the type-check learns about one exported top-level func.
type Func struct {
	Name string
	// At is the declaration (file:line:col of the name).
	At diag.Range
	// Doc is the doc comment text.
	Doc string
	// Params and Results are canonical type strings, aliases resolved:
	// "context.Context", "*chalice.Request", "string", "chalice.SQSEvent",
	// "error", "any", "chalice.Next[*chalice.Request, *chalice.Response]";
	// other types are fully qualified ("example.com/app/models.User").
	Params     []string
	ParamNames []string
	Results    []string
	Variadic   bool
	// Signature is the func type as the user wrote it, for messages.
	Signature string
	// Generic is true for a func with type parameters (never a handler).
	Generic bool
	// NotJSON says why encoding/json cannot encode the first of two
	// results; nil when it can, as far as the static type tells.
	NotJSON *JSONIssue
	// RawBytes: the first of two results is a plain []byte, which a route
	// can only answer with a binary Content-Type.
	RawBytes bool
}

// TakesContext reports whether the func's first parameter is a context.
func (g *Func) TakesContext() bool { return len(g.Params) > 0 && g.Params[0] == "context.Context" }

// ReturnsValue reports whether the func returns (T, error), not just error.
func (g *Func) ReturnsValue() bool { return len(g.Results) == 2 }

// TakesRequest reports whether a route handler takes *chalice.Request.
func (g *Func) TakesRequest() bool {
	p := g.Params
	if g.TakesContext() {
		p = p[1:]
	}
	return len(p) > 0 && p[0] == "*chalice.Request"
}

// Object is a package-level name that is not an exported func: what a
// handler name that is not a handler turned out to be.
type Object struct {
	// Kind is "func", "type", "variable" or "constant".
	Kind string
	At   diag.Range
	// Type is the object's type as written, for messages; FuncType says
	// that a variable holds a func.
	Type     string
	FuncType bool
}

type cachedPackage struct {
	Package
	// Errors are the package's Go errors (never cached: a package with
	// errors is loaded again).
	Errors []goError `json:"-"`
}

// goError is one error of the Go toolchain; File is absolute, or "" when
// the error has no position.
type goError struct {
	File      string
	Line, Col int // Col counts bytes, as Go does
	Msg       string
}

func checkPackage(p Target, runtime []RuntimeImport, cacheDir string, sources *moduleSources, src diag.Sources) (*Package, diag.Diagnostics) {
	var ds diag.Diagnostics
	if d := checkHandlersDir(p); d != nil {
		ds.Append(d)
		return nil, ds
	}
	key, err := sourceKey(p.Dir, sources, runtime)
	if err != nil {
		ds.Errorf(diag.HandlersDir, p.at(), "cannot read the handlers package %s: %v", p.display(), err)
		return nil, ds
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
		if ModuleRoot(p.Dir) == "" {
			ds.Errorf(diag.GoModule, p.at(), "the handlers package %s is not in a Go module", p.display()).
				Hint("run `go mod init example.com/myapp` in the project directory")
			return nil, ds
		}
		// Module bookkeeping first: with a dependency of the handlers
		// missing from go.mod/go.sum, type errors would be its echoes.
		mds, handlersBroken := moduleCheck(p, runtime)
		if handlersBroken {
			return nil, mds
		}
		cp, ds = loadPackage(p)
		ds = append(ds, mds...)
		if cp == nil {
			return nil, ds
		}
		if cacheFile != "" && len(cp.Errors) == 0 && !ds.HasErrors() {
			if b, err := json.Marshal(cp); err == nil {
				_ = os.MkdirAll(filepath.Dir(cacheFile), 0o755)
				tmp := cacheFile + ".tmp"
				if os.WriteFile(tmp, b, 0o644) == nil {
					_ = os.Rename(tmp, cacheFile)
				}
			}
		}
	}
	ds = append(ds, goErrorDiagnostics(p, cp.Errors, src)...)
	pkg := cp.Package
	return &pkg, ds
}

// maxGoErrors is how many Go errors are shown, as the Go compiler does.
const maxGoErrors = 10

// goErrorDiagnostics reports each Go error once, at its own position.
func goErrorDiagnostics(p Target, errs []goError, src diag.Sources) diag.Diagnostics {
	var ds diag.Diagnostics
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	for i, e := range errs {
		if i == maxGoErrors {
			ds.Errorf(diag.GoError, p.at(), "the handlers package %s has %d more Go errors", p.display(), len(errs)-maxGoErrors).
				Hint("fix the ones shown first; `go build -gcflags=-e ./...` in %s lists them all", p.display())
			break
		}
		msg, more, _ := strings.Cut(e.Msg, "\n")
		at := p.at()
		if e.File != "" {
			at = goRange(e.File, e.Line, e.Col, src)
		}
		d := ds.Errorf(diag.GoError, at, "%s", msg)
		for _, line := range strings.Split(more, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				d.Note(diag.Range{}, "%s", line)
			}
		}
	}
	return ds
}

// goRange is the diagnostic range of a Go position (byte column), with
// the file's source registered so the line is shown.
func goRange(file string, line, col int, src diag.Sources) diag.Range {
	name := diag.DisplayPath(file)
	r := diag.Range{Filename: name, Start: diag.Pos{Line: line, Column: col}}
	if src == nil {
		return r
	}
	b, ok := src[name]
	if !ok {
		var err error
		if b, err = os.ReadFile(file); err != nil {
			return r
		}
		src[name] = b
	}
	// diag counts columns in characters, and underlines the Go token
	// at the position (its own guess is for YAML).
	if text, ok := src.Line(name, line); ok && col >= 1 && col-1 <= len(text) {
		r.Start.Column = utf8.RuneCountInString(text[:col-1]) + 1
		if w := goTokenWidth(text[col-1:]); w > 0 {
			r.End = diag.Pos{Line: line, Column: r.Start.Column + w}
		}
	}
	return r
}

// goTokenWidth is the width in characters of the Go token s starts with.
func goTokenWidth(s string) int {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	src := []byte(s)
	sc.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	pos, tok, lit := sc.Scan()
	if tok == token.EOF || tok == token.ILLEGAL || fset.Position(pos).Offset != 0 {
		return 0
	}
	text := lit
	if !tok.IsLiteral() {
		text = tok.String()
	}
	if tok == token.SEMICOLON && lit == "\n" {
		return 0
	}
	return utf8.RuneCountInString(text)
}

// sourceKey hashes what decides the Go check's answer: the runtime
// packages the module must provide, and the module's sources digest
// (moduleSources). "" (no caching) outside a module or without a go
// command: the check itself then says what is wrong.
func sourceKey(dir string, sources *moduleSources, runtime []RuntimeImport) (string, error) {
	root := ModuleRoot(dir)
	if root == "" {
		return "", nil
	}
	digest, err := sources.digest(root)
	var envErr *goEnvError
	if errors.As(err, &envErr) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "gocheck %s\n%s\n", goCheckVersion, dir)
	for _, r := range runtime {
		fmt.Fprintf(h, "runtime %s\n", r.Path)
	}
	fmt.Fprintf(h, "sources %s\n", digest)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleSources digests, once per module root and compile, what the
// go command may read locally for the handlers (gosources.Hash: the go
// environment, the module, a workspace, replacements), less the
// handlers' chalc_gen.go files, which the Go check and the SDK-call
// analysis replace. Both caches' keys include the digest; hashing the
// sources once serves both.
type moduleSources struct {
	targets []Target
	digests map[string]string // module root → digest
}

// goEnvError is a failure to ask the go command for its environment.
type goEnvError struct{ err error }

func (e *goEnvError) Error() string { return e.err.Error() }

func (m *moduleSources) digest(root string) (string, error) {
	if d, ok := m.digests[root]; ok {
		return d, nil
	}
	env, err := ReadEnv(context.Background(), "go", root, goEnv())
	if err != nil {
		return "", &goEnvError{err}
	}
	exclude := make([]string, len(m.targets))
	for i, p := range m.targets {
		exclude[i] = filepath.Join(p.Dir, GeneratedFile)
	}
	h := sha256.New()
	if err := Hash(h, root, env, exclude); err != nil {
		return "", err
	}
	d := hex.EncodeToString(h.Sum(nil))
	if m.digests == nil {
		m.digests = map[string]string{}
	}
	m.digests[root] = d
	return d, nil
}

// ModuleRoot returns the directory holding the go.mod governing dir, or
// "".
func ModuleRoot(dir string) string {
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

// goEnv is the environment of every go command the check runs: the
// handlers are checked as the build compiles them, for Lambda's OS and
// without cgo.
func goEnv() []string { return append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0") }

func loadPackage(p Target) (*cachedPackage, diag.Diagnostics) {
	var ds diag.Diagnostics
	dir := p.Dir
	overlay := map[string][]byte{}
	gen := filepath.Join(dir, GeneratedFile)
	if _, err := os.Stat(gen); err == nil {
		// Hide the generated file: it may name handlers that are gone.
		overlay[gen] = []byte("package " + PackageName(dir) + "\n")
	}
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     dir,
		Overlay: overlay,
		Env:     goEnv(),
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		d := ds.Errorf(diag.GoLoad, p.at(), "cannot load the handlers package %s: %s", p.display(), firstLine(err.Error()))
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
		d := ds.Errorf(diag.GoLoad, p.at(), "the go command cannot load the handlers package %s: %s", p.display(), msg)
		if isModuleProblem(msg) {
			d.Hint("%s", tidyHint(ModuleRoot(dir), msg))
		}
		return nil, ds
	}
	pkg := pkgs[0]
	cp := &cachedPackage{Package: Package{ImportPath: pkg.PkgPath, Name: pkg.Name, Funcs: map[string]*Func{}, Objects: map[string]*Object{}}}
	cp.Errors = packageErrors(dir, pkg.Errors)
	if pkg.Types == nil || pkg.Fset == nil {
		return cp, ds
	}
	docs := map[string]string{}
	for _, f := range pkg.Syntax {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Doc != nil {
				docs[fd.Name.Name] = fd.Doc.Text()
			}
		}
	}
	at := func(o types.Object) diag.Range {
		if pos := pkg.Fset.Position(o.Pos()); pos.IsValid() {
			return diag.Range{Filename: diag.DisplayPath(pos.Filename), Start: diag.Pos{Line: pos.Line, Column: pos.Column}}
		}
		return diag.Range{}
	}
	// Names of the package itself are written unqualified, as in its code.
	qf := func(other *types.Package) string {
		if other == pkg.Types {
			return ""
		}
		return other.Name()
	}
	scope := pkg.Types.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		fn, ok := obj.(*types.Func)
		if !ok || !fn.Exported() {
			cp.Objects[name] = describeObject(obj, at(obj), qf)
			continue
		}
		sig := fn.Type().(*types.Signature)
		gf := &Func{
			Name:      name,
			At:        at(fn),
			Doc:       docs[name],
			Variadic:  sig.Variadic(),
			Generic:   sig.TypeParams().Len() > 0,
			Signature: "func" + strings.TrimPrefix(types.TypeString(sig, qf), "func"),
		}
		for i := 0; i < sig.Params().Len(); i++ {
			v := sig.Params().At(i)
			gf.Params = append(gf.Params, canonicalType(v.Type()))
			gf.ParamNames = append(gf.ParamNames, v.Name())
		}
		for i := 0; i < sig.Results().Len(); i++ {
			gf.Results = append(gf.Results, canonicalType(sig.Results().At(i).Type()))
		}
		if sig.Results().Len() == 2 {
			t := sig.Results().At(0).Type()
			gf.NotJSON = jsonProblem(t, qf)
			gf.RawBytes = isRawBytes(t)
		}
		cp.Funcs[name] = gf
	}
	return cp, ds
}

// describeObject records what a package-level name other than an
// exported func is.
func describeObject(obj types.Object, at diag.Range, qf types.Qualifier) *Object {
	o := &Object{At: at, Type: types.TypeString(obj.Type(), qf)}
	switch obj.(type) {
	case *types.Func:
		o.Kind = "func"
	case *types.TypeName:
		o.Kind = "type"
	case *types.Const:
		o.Kind = "constant"
	default:
		o.Kind = "variable"
		_, o.FuncType = types.Unalias(obj.Type()).Underlying().(*types.Signature)
	}
	return o
}

// packageErrors turns go/packages' errors into one goError per Go error.
// The go command's compiler output ("# pkg" then file:line:col lines) and
// the type checker usually report the same errors: those are kept once.
func packageErrors(dir string, errs []packages.Error) []goError {
	var out []goError
	seen := map[string]bool{}
	add := func(e goError) {
		k := fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
		if e.File == "" {
			k = e.Msg
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	// Type and parse errors first: their messages win over the compiler's.
	for _, e := range errs {
		if e.Kind != packages.ListError {
			add(parseGoError(e.Pos, e.Msg))
		}
	}
	for _, e := range errs {
		if e.Kind != packages.ListError {
			continue
		}
		if !strings.HasPrefix(e.Msg, "# ") {
			add(parseGoError(e.Pos, e.Msg))
			continue
		}
		// Compiler output: paths are relative to dir, continuation lines
		// start with a tab.
		for _, line := range strings.Split(e.Msg, "\n")[1:] {
			if strings.HasPrefix(line, "\t") && len(out) > 0 {
				continue
			}
			ge := parseGoError("", line)
			if ge.File == "" {
				continue // "too many errors"
			}
			if !filepath.IsAbs(ge.File) {
				ge.File = filepath.Join(dir, ge.File)
			}
			add(ge)
		}
	}
	return out
}

// parseGoError splits "file:line:col: msg" (or pos and msg given apart).
func parseGoError(pos, msg string) goError {
	if pos == "" || pos == "-" {
		// The position may lead the message.
		if i := strings.Index(msg, ".go:"); i > 0 {
			if rest := msg[i+4:]; strings.Contains(rest, ": ") {
				p, m, _ := strings.Cut(rest, ": ")
				if e := parseGoError(msg[:i+3]+":"+p, m); e.File != "" {
					return e
				}
			}
		}
		return goError{Msg: msg}
	}
	file, lc, ok := strings.Cut(pos, ".go:")
	if !ok {
		return goError{Msg: msg}
	}
	ls, cs, _ := strings.Cut(lc, ":")
	line, err := strconv.Atoi(ls)
	if err != nil {
		return goError{Msg: msg}
	}
	col, _ := strconv.Atoi(cs)
	return goError{File: file + ".go", Line: line, Col: col, Msg: msg}
}

// goListError returns the go command's complaint about dir, on one line.
func goListError(dir string) string {
	cmd := exec.Command("go", "list", "-e", ".")
	cmd.Dir = dir
	cmd.Env = goEnv()
	out, err := cmd.CombinedOutput()
	if err == nil {
		return ""
	}
	return oneLine(string(out))
}

// oneLine joins the go command's output into one line, without "go: ".
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(s), "go: ")), " ")
}

// canonicalType renders t so that the types handlers may use compare as
// strings: aliases resolved at every level (`type Str = string` is
// string), the handler API as chalice.X, context.Context, json.RawMessage,
// interface{} as any, everything else fully qualified.
func canonicalType(t types.Type) string {
	var b strings.Builder
	writeCanonical(&b, t)
	return b.String()
}

func writeCanonical(b *strings.Builder, t types.Type) {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			b.WriteString("unsafe.")
		}
		b.WriteString(t.Name())
	case *types.Pointer:
		b.WriteString("*")
		writeCanonical(b, t.Elem())
	case *types.Slice:
		b.WriteString("[]")
		writeCanonical(b, t.Elem())
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		writeCanonical(b, t.Elem())
	case *types.Map:
		b.WriteString("map[")
		writeCanonical(b, t.Key())
		b.WriteString("]")
		writeCanonical(b, t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			b.WriteString("chan<- ")
		case types.RecvOnly:
			b.WriteString("<-chan ")
		default:
			b.WriteString("chan ")
		}
		writeCanonical(b, t.Elem())
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil {
			b.WriteString(canonicalQualifier(obj.Pkg()) + ".")
		}
		b.WriteString(obj.Name())
		if args := t.TypeArgs(); args.Len() > 0 {
			b.WriteString("[")
			for i := 0; i < args.Len(); i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				writeCanonical(b, args.At(i))
			}
			b.WriteString("]")
		}
	case *types.Interface:
		if t.Empty() {
			b.WriteString("any")
			return
		}
		b.WriteString(strings.ReplaceAll(types.TypeString(t, canonicalQualifier), "interface{}", "any"))
	default:
		// Structs and func types are never what a handler signature is
		// compared with; aliases inside them stay as written.
		b.WriteString(strings.ReplaceAll(types.TypeString(t, canonicalQualifier), "interface{}", "any"))
	}
}

func canonicalQualifier(p *types.Package) string {
	switch p.Path() {
	case ChalicePath:
		return "chalice"
	case "context":
		return "context"
	case "encoding/json":
		return "json"
	}
	return p.Path()
}

func shortQualifier(p *types.Package) string { return p.Name() }

// PackageName reads the package clause of a Go file in dir (not a test,
// not chalc_gen.go), else returns the directory's name.
func PackageName(dir string) string {
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

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
