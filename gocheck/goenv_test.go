package gocheck

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestEnvKey: whatever `go env` reads changes the key of its cached
// answer; nothing else does.
func TestEnvKey(t *testing.T) {
	if _, ok := envKey("go", t.TempDir(), nil); !ok {
		t.Skip("no go command")
	}
	top := t.TempDir()
	dir := filepath.Join(top, "app")
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/app\n\ngo 1.26\n")
	goenv := filepath.Join(top, "goenv")
	base := []string{"HOME=" + top, "PATH=" + os.Getenv("PATH"), "GOENV=" + goenv}
	key := func(environ ...string) string {
		t.Helper()
		k, ok := envKey("go", dir, append(append([]string(nil), base...), environ...))
		if !ok {
			t.Fatal("no key")
		}
		return k
	}
	seen := map[string]string{}
	step := func(what string, k string) {
		t.Helper()
		for prev, pk := range seen {
			if pk == k {
				t.Errorf("%s: the key is the same as after %s", what, prev)
			}
		}
		seen[what] = k
	}
	start := key()
	step("start", start)
	if key() != start || key("AWS_PROFILE=x", "TERM=dumb") != start {
		t.Errorf("the key changed with nothing go reads changed")
	}
	step("GOFLAGS set", key("GOFLAGS=-mod=mod"))
	step("GOOS set", key("GOOS=linux"))
	step("GOFLAGS set last", key("GOFLAGS=-mod=mod", "GOFLAGS=-mod=vendor"))
	writeFile(t, goenv, "GOFLAGS=-tags=x\n")
	step("the go env file written", key())
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/app\n\ngo 1.26\n\ntoolchain go1.26.8\n")
	step("go.mod's toolchain line", key())
	writeFile(t, filepath.Join(top, "go.work"), "go 1.26\n\nuse ./app\n")
	step("a go.work in a parent directory", key())
	step("GOWORK=off", key("GOWORK=off"))
}

// TestReadEnvCached: a second read with nothing changed asks no go
// command; a change to the go.work the answer names (its toolchain line)
// asks again.
func TestReadEnvCached(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goRuns := goLog(t)
	top := t.TempDir()
	dir := filepath.Join(top, "app")
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/app\n\ngo 1.26\n")
	work := filepath.Join(top, "elsewhere", "go.work")
	writeFile(t, work, "go 1.26\n\nuse ../app\n")
	environ := append(os.Environ(), "GOWORK="+work, "GOENV=off")
	cache := t.TempDir()
	read := func() Env {
		t.Helper()
		envMemo.Clear()
		env, err := ReadEnvCached(context.Background(), "go", dir, environ, cache)
		if err != nil {
			t.Fatal(err)
		}
		return env
	}
	if env := read(); env["GOWORK"] != work {
		t.Fatalf("GOWORK = %q, want %q", env["GOWORK"], work)
	}
	if got := goRuns(); len(got) != 1 {
		t.Errorf("first read: want one go env, got %q", got)
	}
	read()
	if got := goRuns(); len(got) != 0 {
		t.Errorf("nothing changed: want no go command, got %q", got)
	}
	writeFile(t, work, "go 1.26\n\nuse ../app\n\n// edited\n")
	read()
	if got := goRuns(); len(got) != 1 {
		t.Errorf("GOWORK's go.work edited: want go env again, got %q", got)
	}
}
