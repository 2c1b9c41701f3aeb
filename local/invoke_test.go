//go:build unix

package local

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/project"
)

const tokenEvent = `{"type":"TOKEN","authorizationToken":"allow","methodArn":"arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/api/GET/secret"}`

// TestInvoke runs the authorizer of testdata/app on events: its policy,
// its refusal (exit 1 with Lambda's error payload), an unknown name; the
// program is built once and then taken from the cache.
func TestInvoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the local program with the go command")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := appModule(t)
	cache := t.TempDir()
	invoke := func(name, event string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		var ev []byte // nil: the sample
		if event != "" {
			ev = []byte(event)
		}
		err := Invoke(context.Background(), InvokeOptions{
			Project:  project.Options{Dir: dir, CacheDir: cache},
			Function: name, Event: ev, Stdout: &stdout, Stderr: &stderr,
		}, nil)
		return stdout.String(), stderr.String(), err
	}
	out, errOut, err := invoke("token", tokenEvent)
	if err != nil || !strings.HasPrefix(out, `{"context":{},"principalId":"user-allow","policyDocument":`) {
		t.Fatalf("token: %v\nstdout: %s\nstderr: %s", err, out, errOut)
	}
	bins, _ := filepath.Glob(filepath.Join(cache, "local", "*"))
	if len(bins) != 1 {
		t.Fatalf("cached programs: %v", bins)
	}
	before, _ := os.Stat(bins[0])
	out, _, err = invoke("token", strings.Replace(tokenEvent, `"allow"`, `"deny-me"`, 1))
	if !errors.Is(err, ErrFunctionFailed) || out != `{"errorMessage":"Unauthorized","errorType":"unauthorizedError"}`+"\n" {
		t.Errorf("refused token: %v %q", err, out)
	}
	after, _ := os.Stat(bins[0])
	if bins2, _ := filepath.Glob(filepath.Join(cache, "local", "*")); len(bins2) != 1 || !before.ModTime().Equal(after.ModTime()) {
		t.Errorf("the program was built again: %v", bins2)
	}
	var unknown *UnknownFunctionError
	if _, _, err := invoke("tokn", "{}"); !errors.As(err, &unknown) || !strings.Contains(err.Error(), `did you mean "token"?`) {
		t.Errorf("unknown function: %v", err)
	}
	if _, _, err := invoke("api_handler", ""); err == nil {
		t.Error("api_handler without an event must fail")
	}
}

// BenchmarkInvokeCached measures `chalc invoke` when nothing changed:
// the project check (the Go type-check cached), the build key, and one
// run of the cached program.
func BenchmarkInvokeCached(b *testing.B) {
	dir := appModule(b)
	cache := b.TempDir()
	opts := InvokeOptions{Project: project.Options{Dir: dir, CacheDir: cache}, Function: "token", Event: []byte(tokenEvent)}
	if err := Invoke(context.Background(), opts, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := Invoke(context.Background(), opts, nil); err != nil {
			b.Fatal(err)
		}
	}
}
