package gocheck

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
	"golang.org/x/mod/modfile"
)

// RecordRuntime makes the module at root record every module the
// runtime packages paths need (chalc's runtime, which chalc_gen.go
// imports: `chalc generate` writes that file, so it also does what the
// go command would then ask the user to do). When `go list` finds
// nothing missing it changes nothing. Otherwise it runs `go mod tidy`,
// first offline (GOPROXY=off: the module cache holds what chalc itself
// was built with), then, if that fails, as the user's go command would.
// It returns what changed in go.mod and go.sum, one line each.
func RecordRuntime(ctx context.Context, root string, paths []string) ([]string, error) {
	if !runtimeMissing(ctx, root, paths) {
		return nil, nil
	}
	modPath, sumPath := filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum")
	oldMod, err := os.ReadFile(modPath)
	if err != nil {
		return nil, err
	}
	oldSum, _ := os.ReadFile(sumPath)
	offline := append(gomodel.DefaultBuild().Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	if _, err := tidy(ctx, root, offline); err != nil {
		if out, err := tidy(ctx, root, gomodel.DefaultBuild().Environ()); err != nil {
			return nil, fmt.Errorf("go mod tidy in %s failed:\n%s", diag.DisplayPath(root), strings.TrimSpace(string(out)))
		}
	}
	newMod, err := os.ReadFile(modPath)
	if err != nil {
		return nil, err
	}
	newSum, _ := os.ReadFile(sumPath)
	return modChanges(oldMod, newMod, oldSum, newSum), nil
}

// runtimeMissing: `go list` reports an error for one of paths or their
// dependencies (a module go.mod or go.sum does not record).
func runtimeMissing(ctx context.Context, root string, paths []string) bool {
	args := append([]string{"list", "-e", "-deps", "-f", "{{if .Error}}{{.ImportPath}}{{end}}"}, paths...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = gomodel.DefaultBuild().Environ()
	out, err := cmd.Output()
	return err != nil || len(bytes.TrimSpace(out)) > 0
}

func tidy(ctx context.Context, root string, env []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
	cmd.Dir = root
	cmd.Env = env
	return cmd.CombinedOutput()
}

// modChanges describes what changed between two versions of go.mod and
// go.sum: each requirement added, removed or changed, and how many
// go.sum lines were added or removed.
func modChanges(oldMod, newMod, oldSum, newSum []byte) []string {
	var out []string
	before, after := requires(oldMod), requires(newMod)
	for _, path := range slices.Sorted(maps.Keys(after)) {
		switch v, ok := before[path]; {
		case !ok:
			out = append(out, fmt.Sprintf("go.mod: added require %s %s", path, after[path]))
		case v != after[path]:
			out = append(out, fmt.Sprintf("go.mod: require %s %s (was %s)", path, after[path], v))
		}
	}
	for _, path := range slices.Sorted(maps.Keys(before)) {
		if _, ok := after[path]; !ok {
			out = append(out, fmt.Sprintf("go.mod: removed require %s %s", path, before[path]))
		}
	}
	added, removed := lineDiff(oldSum, newSum)
	if added > 0 || removed > 0 {
		out = append(out, fmt.Sprintf("go.sum: %d lines added, %d removed", added, removed))
	}
	return out
}

func requires(mod []byte) map[string]string {
	f, err := modfile.ParseLax("go.mod", mod, nil)
	out := map[string]string{}
	if err != nil {
		return out
	}
	for _, r := range f.Require {
		out[r.Mod.Path] = r.Mod.Version
	}
	return out
}

func lineDiff(a, b []byte) (added, removed int) {
	count := func(s []byte) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(string(s), "\n") {
			if l != "" {
				m[l]++
			}
		}
		return m
	}
	ma, mb := count(a), count(b)
	for l, n := range mb {
		if n > ma[l] {
			added += n - ma[l]
		}
	}
	for l, n := range ma {
		if n > mb[l] {
			removed += n - mb[l]
		}
	}
	return added, removed
}
