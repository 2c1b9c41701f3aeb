//go:build unix

package local

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/project"
)

// clientScript calls the generated JavaScript client against a running
// server and prints what it got as JSON.
const clientScript = `import { createClient, ApiError } from "./apig-client.js";
const api = createClient({ baseUrl: process.argv[2] });
const out = {};
out.hello = await api.hello("ada");
out.secret = await api.secret({ headers: { Authorization: "allow" } });
try { await api.secret({ headers: { Authorization: "wrong" } }); out.unauthorized = "resolved"; }
catch (e) { out.unauthorized = { apiError: e instanceof ApiError, status: e.status }; }
console.log(JSON.stringify(out));
`

// TestJavaScriptClientAgainstLocal: the client `chalc generate-sdk` writes,
// run with node against `chalc local` serving the same app.
func TestJavaScriptClientAgainstLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the local server with the go command")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found on PATH; install Node.js to run the generated JS client test")
	}
	dir := appModule(t)
	srv := serve(t, dir)

	c, err := project.Check(project.Options{Dir: dir, CacheDir: t.TempDir()})
	if err != nil || c.App == nil {
		t.Fatalf("check: %v %v", err, c.Diagnostics)
	}
	sdk := t.TempDir()
	if _, err := project.SDK(c, "javascript", sdk); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sdk, "run.mjs"), []byte(clientScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "run.mjs", srv.base)
	cmd.Dir = sdk
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node: %v\n%s", err, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	want := map[string]any{
		"hello":        map[string]any{"greeting": "hello", "name": "ada", "version": "v1"},
		"secret":       map[string]any{"good_token": "", "principal": "user-allow"},
		"unauthorized": map[string]any{"apiError": true, "status": 401.0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
