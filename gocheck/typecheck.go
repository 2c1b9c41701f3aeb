package gocheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/diag"
)

// goCheckVersion is part of the cache key: bump it when Package, Func,
// SDKGraph or what the check records changes.
const goCheckVersion = "6"

// goError is one error of the Go toolchain; File is absolute, or "" when
// the error has no position.
type goError struct {
	File      string
	Line, Col int // Col counts bytes, as Go does
	Msg       string
}

// maxGoErrors is how many Go errors are shown, as the Go compiler does.
const maxGoErrors = 10

// goErrorDiagnostics reports each Go error once, at its own position.
func goErrorDiagnostics(p gomodel.Target, errs []goError, src diag.Sources) diag.Diagnostics {
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
			ds.Errorf(diag.GoError, targetAt(p), "the handlers package %s has %d more Go errors", targetName(p), len(errs)-maxGoErrors).
				Hint("fix the ones shown first; `go build -gcflags=-e ./...` in %s lists them all", targetName(p))
			break
		}
		msg, more, _ := strings.Cut(e.Msg, "\n")
		at := targetAt(p)
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

// describe is what the type-check learnt about a handlers package: its
// exported funcs with their signatures and doc comments, and its other
// package-level names.
func describe(p *loadedPackage, fset *token.FileSet) *gomodel.Package {
	pkg := &gomodel.Package{ImportPath: p.listed.ImportPath, Name: p.listed.Name, Funcs: map[string]*gomodel.Func{}, Objects: map[string]*gomodel.Object{}}
	if p.types == nil {
		return pkg
	}
	pkg.Name = p.types.Name()
	docs := map[string]string{}
	for _, f := range p.files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Doc != nil {
				docs[fd.Name.Name] = fd.Doc.Text()
			}
		}
	}
	at := func(o types.Object) diag.Range {
		if pos := fset.Position(o.Pos()); pos.IsValid() {
			return diag.Range{Filename: diag.DisplayPath(pos.Filename), Start: diag.Pos{Line: pos.Line, Column: pos.Column}}
		}
		return diag.Range{}
	}
	// Names of the package itself are written unqualified, as in its code.
	qf := func(other *types.Package) string {
		if other == p.types {
			return ""
		}
		return other.Name()
	}
	scope := p.types.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		fn, ok := obj.(*types.Func)
		if !ok || !fn.Exported() {
			pkg.Objects[name] = describeObject(obj, at(obj), qf)
			continue
		}
		sig := fn.Type().(*types.Signature)
		gf := &gomodel.Func{
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
		pkg.Funcs[name] = gf
	}
	return pkg
}

// describeObject records what a package-level name other than an
// exported func is.
func describeObject(obj types.Object, at diag.Range, qf types.Qualifier) *gomodel.Object {
	o := &gomodel.Object{At: at, Type: types.TypeString(obj.Type(), qf)}
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
	case gomodel.ChalicePath:
		return "chalice"
	case "context":
		return "context"
	case "encoding/json":
		return "json"
	}
	return p.Path()
}

// PackageName reads the package clause of a Go file in dir (not a test,
// not chalc_gen.go), else returns the directory's name.
func PackageName(dir string) string {
	entries, _ := os.ReadDir(dir)
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || n == gomodel.GeneratedFile {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.PackageClauseOnly)
		if err == nil {
			return f.Name.Name
		}
	}
	return filepath.Base(dir)
}
