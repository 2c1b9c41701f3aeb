package build

import (
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"

	"github.com/chalc-dev/chalc/gocheck"
)

// stripModInfo is the linker flag that leaves the module information
// (runtime/debug.ReadBuildInfo) out of a binary.
const stripModInfo = "-X=runtime.modinfo="

// replacesLocally reports whether the build replaces a module with a
// local directory (go.mod's or the workspace's `replace X => ../dir`).
// A binary's module information records such a replacement as written —
// an absolute path names the builder's home directory, a relative one
// the layout of their disk — and -trimpath does not remove it. So the
// bootstrap of such a module is linked without module information: it
// then holds no local path and is the same on every machine (the
// runtime, aws-lambda-go and the AWS SDK do not read it).
func replacesLocally(root string, env gocheck.Env) bool {
	local := func(path string, parse func(string, []byte) ([]*modfile.Replace, error)) bool {
		b, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		rs, err := parse(path, b)
		if err != nil {
			return false
		}
		for _, r := range rs {
			if r.New.Version == "" { // a directory, not a module version
				return true
			}
		}
		return false
	}
	mod := func(path string, b []byte) ([]*modfile.Replace, error) {
		f, err := modfile.Parse(path, b, nil) // ParseLax drops replace directives
		if err != nil {
			return nil, err
		}
		return f.Replace, nil
	}
	work := func(path string, b []byte) ([]*modfile.Replace, error) {
		f, err := modfile.ParseWork(path, b, nil)
		if err != nil {
			return nil, err
		}
		return f.Replace, nil
	}
	if local(filepath.Join(root, "go.mod"), mod) {
		return true
	}
	w := env["GOWORK"]
	return w != "" && w != "off" && local(w, work)
}
