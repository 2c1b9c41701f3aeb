package diag

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/golden"
)

// codeConstants returns the Code constants codes.go declares, by name.
func codeConstants(t *testing.T) map[string]Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Code{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			lit := vs.Values[0].(*ast.BasicLit)
			out[vs.Names[0].Name] = Code(strings.Trim(lit.Value, `"`))
		}
	}
	return out
}

// TestCatalog: every code is in the catalog once, with its kind, what it
// means and the fix; and every code is used by some diagnostic of chalc's.
func TestCatalog(t *testing.T) {
	consts := codeConstants(t)
	seen := map[Code]bool{}
	for _, c := range Catalog {
		if seen[c.Code] {
			t.Errorf("%s is in the catalog twice", c.Code)
		}
		seen[c.Code] = true
		if c.Kind == "" || c.What == "" || c.Fix == "" {
			t.Errorf("%s: kind, what and fix must be set: %+v", c.Code, c)
		}
	}
	for name, code := range consts {
		if !seen[code] {
			t.Errorf("%s (%s) is not in the catalog", name, code)
		}
	}
	if len(consts) != len(Catalog) {
		t.Errorf("%d codes, %d catalog entries", len(consts), len(Catalog))
	}
	// Every code is used: its name appears outside this package.
	var src strings.Builder
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "diag" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			src.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all := src.String()
	for name := range consts {
		if !strings.Contains(all, "diag."+name) {
			t.Errorf("code %s is used by no diagnostic", name)
		}
	}
}

// TestCatalogDoc: docs/diagnostics.md is the catalog (CHALC_UPDATE=1
// rewrites it).
func TestCatalogDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Diagnostic codes\n\n")
	b.WriteString("Every problem chalc reports has a stable code and a kind. The text of a message may\n" +
		"improve between releases; the code does not. Tools (and chalc itself) decide what a\n" +
		"diagnostic means by its code. This page is written from `diag/codes.go`\n" +
		"(`make golden`).\n")
	kind := Kind("")
	for _, c := range Catalog {
		if c.Kind != kind {
			kind = c.Kind
			fmt.Fprintf(&b, "\n## %s\n\n| code | what is wrong | fix |\n|---|---|---|\n", kind)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Code, escapeCell(c.What), escapeCell(c.Fix))
	}
	golden.Check(t, "../docs/diagnostics.md", []byte(b.String()))
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
