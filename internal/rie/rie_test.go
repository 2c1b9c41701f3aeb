//go:build unix

package rie

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestVersionMatchesMakefile: the version in skip messages is the one
// `make tools` installs.
func TestVersionMatchesMakefile(t *testing.T) {
	b, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^RIE_VERSION\s*:?=\s*(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("the Makefile sets no RIE_VERSION")
	}
	if string(m[1]) != Version {
		t.Errorf("Makefile RIE_VERSION = %s, rie.Version = %s", m[1], Version)
	}
}

// fakeTB records Skip and Fatal instead of ending the real test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func runRequire(t *testing.T) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Require(f)
	}()
	<-done
	return f
}

// TestRequireMissing: without the emulator a test is skipped with the
// install command, or fails under CHALC_REQUIRE_RIE=1.
func TestRequireMissing(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := t.TempDir()
	if err := os.Symlink(goCmd, filepath.Join(bin, "go")); err != nil {
		t.Skip(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("GOPATH", t.TempDir())
	t.Setenv("GOBIN", "")
	t.Setenv("GOENV", "off")

	if _, err := Find(); err == nil {
		t.Fatal("Find found an emulator on an empty PATH and GOPATH")
	}
	t.Setenv(RequireEnv, "")
	f := runRequire(t)
	if !f.skipped || f.failed {
		t.Fatalf("skipped=%v failed=%v, want a skip", f.skipped, f.failed)
	}
	for _, want := range []string{"make tools", Module + "@" + Version, RequireEnv + "=1"} {
		if !strings.Contains(f.msg, want) {
			t.Errorf("skip message lacks %q:\n%s", want, f.msg)
		}
	}
	t.Setenv(RequireEnv, "1")
	f = runRequire(t)
	if !f.failed || f.skipped {
		t.Fatalf("skipped=%v failed=%v, want a failure", f.skipped, f.failed)
	}
	if !strings.Contains(f.msg, "make tools") {
		t.Errorf("failure message lacks `make tools`:\n%s", f.msg)
	}
}

func TestExtractBootstrapErrors(t *testing.T) {
	if _, err := extract([]byte("not a zip"), t.TempDir()); err == nil {
		t.Error("a non-zip was accepted")
	}
	z := zipOf(t, map[string]os.FileMode{"README.txt": 0o644})
	if _, err := extract(z, t.TempDir()); err == nil || !strings.Contains(err.Error(), "README.txt") {
		t.Errorf("zip without bootstrap: err = %v", err)
	}
	z = zipOf(t, map[string]os.FileMode{"bootstrap": 0o644})
	if _, err := extract(z, t.TempDir()); err == nil || !strings.Contains(err.Error(), "cannot execute") {
		t.Errorf("non-executable bootstrap: err = %v", err)
	}
	z = zipOf(t, map[string]os.FileMode{"bootstrap": 0o755})
	p := ExtractBootstrap(t, z)
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("extracted bootstrap: %v, %v", fi.Mode(), err)
	}
}

// TestEmulator runs the bare aws-lambda-go bootstrap of testdata/bare:
// invoke, then Stop leaves no process behind.
func TestEmulator(t *testing.T) {
	Require(t)
	if runtime.GOOS != "linux" {
		t.Skip("the emulator runs linux bootstraps")
	}
	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w", "-o", bootstrap, ".")
	cmd.Dir = "../../testdata/bare"
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH, "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/bare: %v\n%s", err, out)
	}

	e := Start(t, bootstrap, "hello", "BARE_TEST=1")
	if !e.Ready.After(e.Started) {
		t.Errorf("Ready %v is not after Started %v", e.Ready, e.Started)
	}
	for i := range 2 { // cold, then warm
		status, body, err := e.Invoke([]byte(`{"resource":"/","path":"/","httpMethod":"GET"}`))
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			StatusCode int    `json:"statusCode"`
			Body       string `json:"body"`
		}
		if status != 200 || json.Unmarshal(body, &resp) != nil || resp.StatusCode != 200 || resp.Body != `{"hello":"world"}` {
			t.Fatalf("invoke %d: status %d, body %s", i, status, body)
		}
	}
	kids := children(e.Pid())
	if len(kids) != 1 {
		t.Fatalf("the emulator has %d children, want 1 (the bootstrap): %v", len(kids), kids)
	}
	if !strings.Contains(e.Output(), "handler=") {
		t.Errorf("output lacks the emulator's log:\n%s", e.Output())
	}
	start := time.Now()
	e.Stop()
	e.Stop() // idempotent
	t.Logf("stopped in %v", time.Since(start))
	if !e.Exited() {
		t.Error("the emulator is still running after Stop")
	}
	pids := []int{e.Pid(), kids[0].pid}
	for _, pid := range pids {
		if st, ok := readStat(fmt.Sprintf("/proc/%d/stat", pid)); ok && (pid == e.Pid() || st.start == kids[0].start) {
			t.Errorf("process %d is still there after Stop", pid)
		}
	}
	if _, _, err := e.Invoke([]byte(`{}`)); err == nil {
		t.Error("Invoke succeeded after Stop")
	}
}

func zipOf(t *testing.T, files map[string]os.FileMode) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, mode := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "content of %s", name)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
