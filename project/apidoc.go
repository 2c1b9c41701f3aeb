package project

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/chalc-dev/chalc/apidoc"
)

// Models returns the document `chalc generate-models` prints for a
// checked app: its API as swagger 2.0 (without API Gateway's extensions),
// or as OpenAPI 3.0.3 when openapi3 is set. An app without routes is
// apidoc.ErrNoRoutes.
func Models(c *Checked, openapi3 bool) ([]byte, error) {
	if c.App == nil {
		return nil, errors.New("the project has errors")
	}
	build := apidoc.Swagger
	if openapi3 {
		build = apidoc.OpenAPI3
	}
	doc, err := build(c.App)
	if err != nil {
		return nil, err
	}
	return apidoc.Encode(doc)
}

// SDK writes the checked app's client of sdkType (see apidoc.SDK) into
// the directory out, creating it, once every file is generated; each file
// is replaced whole. It returns the paths written, sorted.
func SDK(c *Checked, sdkType, out string) ([]string, error) {
	if c.App == nil {
		return nil, errors.New("the project has errors")
	}
	if c.Set != nil && c.Set.Root != nil && c.Set.Root.Path != "" {
		// README.md and the rest would overwrite the project's own.
		if err := CheckOutDir(filepath.Dir(c.Set.Root.Path), out); err != nil {
			return nil, err
		}
	}
	files, err := apidoc.SDK(c.App, sdkType)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		path := filepath.Join(out, f.Name)
		if err := writeFile(path, f.Data); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
