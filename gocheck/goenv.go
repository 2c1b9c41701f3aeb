package gocheck

// `go env` answers from a handful of files and variables, so its answer
// is cached by them: a run of chalc with nothing changed starts no go
// command at all.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// goEnvVersion is part of the go env cache key: bump it when the key or
// the entry changes.
const goEnvVersion = "1"

// ReadEnvCached is ReadEnv through a cache in cacheDir ("" reads the go
// command every time). The key is what decides the go command's answer
// for KeyEnv (envKey): the go binary, the environment, the go env files
// and the go.mod and go.work the go command finds from dir. A changed
// input changes the key, so an entry is never stale; the files the answer
// itself names are checked on every hit.
func ReadEnvCached(ctx context.Context, goCmd, dir string, environ []string, cacheDir string) (Env, error) {
	key, ok := envKey(goCmd, dir, environ)
	if !ok {
		return ReadEnv(ctx, goCmd, dir, environ)
	}
	if e, ok := envMemo.Load(key); ok {
		return e.(Env), nil
	}
	file := ""
	if cacheDir != "" {
		file = filepath.Join(cacheDir, "goenv", key+".json")
		var c cachedEnv
		if readJSON(file, &c) && c.Env != nil && c.current() {
			envMemo.Store(key, c.Env)
			return c.Env, nil
		}
	}
	env, err := ReadEnv(ctx, goCmd, dir, environ)
	if err != nil {
		return nil, err
	}
	envMemo.Store(key, env)
	if file != "" {
		writeJSON(file, newCachedEnv(env))
	}
	return env, nil
}

// envMemo holds the answers of this process by key: chalc local asks
// again after every change.
var envMemo sync.Map

type cachedEnv struct {
	Env Env
	// Files are the hashes of files the answer names, which the key
	// cannot know in advance: $GOROOT/go.env (the toolchain's defaults)
	// and the go.work of GOWORK (its toolchain line).
	Files map[string]string
}

func newCachedEnv(env Env) cachedEnv {
	c := cachedEnv{Env: env, Files: map[string]string{}}
	if r := env["GOROOT"]; r != "" {
		f := filepath.Join(r, "go.env")
		c.Files[f] = fileHash(f)
	}
	if w := env["GOWORK"]; w != "" && w != "off" {
		c.Files[w] = fileHash(w)
	}
	return c
}

// current reports whether the files the answer names are unchanged.
func (c cachedEnv) current() bool {
	for f, h := range c.Files {
		if fileHash(f) != h {
			return false
		}
	}
	return true
}

// envKey hashes what `go env` reads to answer for KeyEnv, run as goCmd in
// dir with environ; ok is false when goCmd cannot be found (ReadEnv then
// says so):
//   - the go binary: its path, symbolic links resolved, size and
//     modification time (an upgrade in place changes them);
//   - every GO* variable of environ, and those that locate the go env file
//     (GOENV, else the user config directory: HOME, XDG_CONFIG_HOME,
//     AppData) and toolchains (PATH, for GOTOOLCHAIN=path);
//   - the go env file's content (`go env -w`);
//   - the go.mod governing dir and the go.work the go command would use
//     (GOWORK, else the first go.work in dir or a parent directory):
//     their go and toolchain lines can switch toolchains, and go.work's
//     place is GOWORK's value;
//   - GOROOT's go.env (the toolchain's defaults) and the go.work GOWORK
//     names are known from the answer: each hit checks them (cachedEnv).
func envKey(goCmd, dir string, environ []string) (string, bool) {
	bin, err := exec.LookPath(goCmd)
	if err != nil {
		return "", false
	}
	if real, err := filepath.EvalSymlinks(bin); err == nil {
		bin = real
	}
	st, err := os.Stat(bin)
	if err != nil {
		return "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "goenv %s\n%s %d %d\n%s\n", goEnvVersion, bin, st.Size(), st.ModTime().UnixNano(), dir)
	vars := lastValues(environ)
	names := make([]string, 0, len(vars))
	for k := range vars {
		if strings.HasPrefix(k, "GO") || k == "HOME" || k == "XDG_CONFIG_HOME" || k == "AppData" || k == "home" || k == "PATH" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(h, "%s=%q\n", k, vars[k])
	}
	envFile := vars["GOENV"]
	if envFile == "" {
		if d := userConfigDir(vars); d != "" {
			envFile = filepath.Join(d, "go", "env")
		}
	}
	if envFile != "" && envFile != "off" {
		fmt.Fprintf(h, "env file %s %s\n", envFile, fileHash(envFile))
	}
	if root := ModuleRoot(dir); root != "" {
		fmt.Fprintf(h, "go.mod %s\n", fileHash(filepath.Join(root, "go.mod")))
	}
	work, set := vars["GOWORK"]
	if !set || work == "" {
		work = findWork(dir)
	}
	if work != "" && work != "off" {
		fmt.Fprintf(h, "go.work %s %s\n", work, fileHash(work))
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// lastValues maps each variable of environ to its last value, as a
// process started with environ sees it.
func lastValues(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// userConfigDir is os.UserConfigDir as a process with vars computes it
// (the go env file is go/env there).
func userConfigDir(vars map[string]string) string {
	switch runtime.GOOS {
	case "windows":
		return vars["AppData"]
	case "darwin", "ios":
		if h := vars["HOME"]; h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
	case "plan9":
		if h := vars["home"]; h != "" {
			return filepath.Join(h, "lib")
		}
	default:
		if d := vars["XDG_CONFIG_HOME"]; d != "" {
			if filepath.IsAbs(d) {
				return d
			}
			return ""
		}
		if h := vars["HOME"]; h != "" {
			return filepath.Join(h, ".config")
		}
	}
	return ""
}

// findWork is the go.work the go command finds from dir: in dir or the
// nearest parent directory that has one.
func findWork(dir string) string {
	for d := dir; ; {
		f := filepath.Join(d, "go.work")
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			return f
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// fileHash is the SHA-256 of a file's content, "none" when it does not
// exist and "unreadable" when it cannot be read (both differ from every
// hash).
func fileHash(path string) string {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "none"
		}
		return "unreadable"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable"
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readJSON decodes a cache file into v; false when it is missing or
// unreadable (a cache miss).
func readJSON(file string, v any) bool {
	b, err := os.ReadFile(file)
	return err == nil && json.Unmarshal(b, v) == nil
}

// readGob decodes a gob cache file into v; false on a miss.
func readGob(file string, v any) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	return gob.NewDecoder(bufio.NewReader(f)).Decode(v) == nil
}

// writeGob writes a gob cache file atomically (writeCacheFile).
func writeGob(file string, v any) {
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(v) == nil {
		writeCacheFile(file, b.Bytes())
	}
}

// writeJSON writes a JSON cache file atomically (writeCacheFile).
func writeJSON(file string, v any) {
	if b, err := json.Marshal(v); err == nil {
		writeCacheFile(file, b)
	}
}

// writeCacheFile writes a cache file atomically (a temporary file, then a
// rename: a concurrent reader sees the old entry, the new one or none).
// Failures are ignored: the cache is an optimisation.
func writeCacheFile(file string, b []byte) {
	if os.MkdirAll(filepath.Dir(file), 0o755) != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), file) != nil {
		os.Remove(f.Name())
	}
}
