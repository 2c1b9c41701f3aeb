package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/chalc-dev/chalc/internal/golden"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"chalc": func() { os.Exit(Main(os.Args, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the CLI end to end: each testdata/script/*.txtar is a
// scenario (commands, then the files it works on and the output it
// expects). CHALC_UPDATE=1 rewrites expected output inside the archives.
func TestScript(t *testing.T) {
	src, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	for _, k := range []string{"GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN", "GONOSUMDB", "GOPRIVATE", "GOINSECURE", "GONOPROXY"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		goEnv[k] = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       golden.Update(),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"holdport": holdPort,
			"freeport": freePort,
			"waitget":  waitGet,
			"wsecho":   wsEcho,
			"fakeaws":  fakeAWS,
			"copysource": func(ts *testscript.TestScript, neg bool, args []string) {
				copySource(ts, neg, args, src)
			},
		},
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			// Scripts point example modules at this checkout
			// (go mod edit -replace ...=$CHALC_SOURCE) and new-project
			// finds it the same way.
			env.Setenv("CHALC_SOURCE", src)
			env.Setenv("CHALC_CACHE", filepath.Join(env.WorkDir, ".cache", "chalc"))
			return nil
		},
	})
}

// holdport VAR listens on a free port of 127.0.0.1 until the script
// ends, and sets $VAR to it.
func holdPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	ts.Setenv(args[0], strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

// freeport VAR sets $VAR to a port of 127.0.0.1 that was free a moment
// ago.
func freePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ts.Check(ln.Close())
	ts.Setenv(args[0], strconv.Itoa(port))
}

// waitget URL PATTERN sends GET requests to URL until one answers 200
// with a body matching PATTERN (for a server that is still starting),
// for up to four minutes; nothing listening for 30 seconds fails sooner.
func waitGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitget URL PATTERN")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	client := &http.Client{Timeout: 30 * time.Second}
	start := time.Now()
	deadline := start.Add(4 * time.Minute)
	last := "no answer"
	for time.Now().Before(deadline) {
		resp, err := client.Get(args[0])
		if errors.Is(err, syscall.ECONNREFUSED) && time.Since(start) > 30*time.Second {
			ts.Fatalf("GET %s: %v", args[0], err)
		}
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && re.Match(b) {
				ts.Logf("GET %s: %s", args[0], b)
				return
			}
			last = resp.Status + " " + string(b)
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	ts.Fatalf("GET %s: no 200 matching %q; last: %s", args[0], args[1], last)
}

// wsecho URL MESSAGE PATTERN opens a websocket to URL with a real
// client (github.com/coder/websocket), sends MESSAGE as a text message,
// and waits (up to a minute) for a message matching PATTERN; then it
// closes the connection normally.
func wsEcho(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: wsecho URL MESSAGE PATTERN")
	}
	re, err := regexp.Compile(args[2])
	ts.Check(err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, args[0], nil)
	if err != nil {
		ts.Fatalf("dial %s: %v", args[0], err)
	}
	defer conn.CloseNow()
	ts.Check(conn.Write(ctx, websocket.MessageText, []byte(args[1])))
	for {
		_, b, err := conn.Read(ctx)
		if err != nil {
			ts.Fatalf("reading from %s: %v", args[0], err)
		}
		ts.Logf("received %s", b)
		if re.Match(b) {
			break
		}
	}
	ts.Check(conn.Close(websocket.StatusNormalClosure, ""))
}

// copysource DIR copies chalc's source, this checkout, into DIR, for
// scripts that build chalc as a user would (in a git repository of its
// own: a git worktree is not one the go command stamps versions from).
// From a git checkout it copies the files git lists, tracked or not but
// not ignored (no bin/, out/); else every file but .git.
func copySource(ts *testscript.TestScript, neg bool, args []string, src string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: copysource DIR")
	}
	dst := ts.MkAbs(args[0])
	var files []string
	out, err := exec.Command("git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err == nil {
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" {
				files = append(files, filepath.FromSlash(f))
			}
		}
	} else {
		ts.Check(filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == ".git" {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(src, path)
				files = append(files, rel)
			}
			return nil
		}))
	}
	for _, f := range files {
		from := filepath.Join(src, f)
		info, err := os.Lstat(from)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or a symlink
		}
		b, err := os.ReadFile(from)
		ts.Check(err)
		to := filepath.Join(dst, f)
		ts.Check(os.MkdirAll(filepath.Dir(to), 0o755))
		ts.Check(os.WriteFile(to, b, info.Mode().Perm()))
	}
}
