package apidoc_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/apidoc"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// pet is the test app's resource.
type pet struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// petApp is a small petstore built by hand (the real one is a module of
// its own): the routes the client test calls.
func petApp() *chalice.App {
	var mu sync.Mutex
	pets := map[string]pet{"1": {ID: "1", Name: "Rex", Kind: "dog"}}
	app := chalice.New("petshop", chalice.Config{})
	app.Route(chalice.Route{Path: "/pets", Method: "GET", HandlerName: "ListPets", ContentTypes: []string{"application/json"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			out := []pet{}
			for _, p := range pets {
				if k := req.QueryParams.Get("kind"); k == "" || k == p.Kind {
					out = append(out, p)
				}
			}
			sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
			return out, nil
		}})
	app.Route(chalice.Route{Path: "/pets", Method: "POST", HandlerName: "CreatePet", ContentTypes: []string{"application/json"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			var p pet
			if err := req.JSONBody(&p); err != nil {
				return nil, err
			}
			if p.ID == "" {
				return nil, &chalice.BadRequestError{Message: "id is required"}
			}
			mu.Lock()
			defer mu.Unlock()
			pets[p.ID] = p
			return &chalice.Response{StatusCode: 201, Body: p}, nil
		}})
	app.Route(chalice.Route{Path: "/pets/{pet_id}", Method: "GET", HandlerName: "GetPet", ContentTypes: []string{"application/json"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			id := req.URIParams["pet_id"]
			mu.Lock()
			defer mu.Unlock()
			p, ok := pets[id]
			if !ok {
				return nil, &chalice.NotFoundError{Message: "no pet " + id}
			}
			return p, nil
		}})
	app.Route(chalice.Route{Path: "/echo", Method: "POST", HandlerName: "Echo", ContentTypes: []string{"text/plain"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			return &chalice.Response{Body: strings.ToUpper(string(req.RawBody)), Headers: map[string]string{"Content-Type": "text/plain"}}, nil
		}})
	app.Route(chalice.Route{Path: "/greeting", Method: "GET", HandlerName: "Greeting", ContentTypes: []string{"application/json"},
		Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
			// A string result is sent as it is, under application/json.
			return "hello " + req.Headers.Get("X-Client"), nil
		}})
	return app
}

// compilerApp is the checked-app view of a hand-built App's routes, which
// is all the SDK generator reads.
func compilerApp(app *chalice.App) *compiler.App {
	params := regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)
	out := &compiler.App{Name: app.Name(), BinaryTypes: compiler.DefaultBinaryTypes}
	for _, r := range app.Routes() {
		cr := &compiler.Route{Path: r.Path, Method: r.Method, Handler: compiler.HandlerRef{Name: r.HandlerName}, ContentTypes: r.ContentTypes}
		if len(cr.ContentTypes) == 0 {
			cr.ContentTypes = []string{"application/json"}
		}
		for _, m := range params.FindAllStringSubmatch(r.Path, -1) {
			cr.Params = append(cr.Params, m[1])
		}
		out.Routes = append(out.Routes, cr)
	}
	return out
}

const clientScript = `import { createClient, ApiError } from "./apig-client.js";

const api = createClient({ baseUrl: process.argv[2] + "/", headers: { "X-Client": "node" } });
const out = {};
out.getPet = await api.getPet("1");
out.createPet = await api.createPet({ body: { id: "2", name: "Tom", kind: "cat" } });
out.getCreated = await api.getPet(2);
out.listCats = await api.listPets({ query: { kind: "cat", unused: undefined } });
out.echo = await api.echo({ body: "shout" });
out.greeting = await api.greeting();
for (const [key, call] of [["missing", () => api.getPet("a b/c")], ["badBody", () => api.createPet({ body: {} })]]) {
  try {
    await call();
    out[key] = "resolved";
  } catch (err) {
    out[key] = { apiError: err instanceof ApiError, error: err instanceof Error, name: err.name,
      status: err.status, code: err.code, message: err.message, body: err.body };
  }
}
try {
  await api.getPet();
  out.noParam = "resolved";
} catch (err) {
  out.noParam = { type: err.constructor.name, message: err.message };
}
console.log(JSON.stringify(out));
`

// TestJavaScriptClientWithNode generates the client of a small app, serves
// the app through the API Gateway emulation on 127.0.0.1 and calls it with
// node: a GET with a path parameter, a POST with a JSON body, a query, a
// text body, a string result, and rejections with the status and Code.
func TestJavaScriptClientWithNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found on PATH; install Node.js to run the generated JS client test")
	}
	app := petApp()
	gw, err := apigw.New(app)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw) // listens on 127.0.0.1
	defer srv.Close()

	dir := t.TempDir()
	files, err := apidoc.SDK(compilerApp(app), "javascript")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "run.mjs"), []byte(clientScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "run.mjs", srv.URL)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("node printed %q: %v", stdout, err)
	}
	want := map[string]any{
		"getPet":     map[string]any{"id": "1", "name": "Rex", "kind": "dog"},
		"createPet":  map[string]any{"id": "2", "name": "Tom", "kind": "cat"},
		"getCreated": map[string]any{"id": "2", "name": "Tom", "kind": "cat"},
		"listCats":   []any{map[string]any{"id": "2", "name": "Tom", "kind": "cat"}},
		"echo":       "SHOUT",
		"greeting":   "hello node",
		"missing": map[string]any{"apiError": true, "error": true, "name": "ApiError", "status": 404.0, "code": "NotFoundError",
			"message": "no pet a b/c", "body": map[string]any{"Code": "NotFoundError", "Message": "no pet a b/c"}},
		"badBody": map[string]any{"apiError": true, "error": true, "name": "ApiError", "status": 400.0, "code": "BadRequestError",
			"message": "id is required", "body": map[string]any{"Code": "BadRequestError", "Message": "id is required"}},
		"noParam": map[string]any{"type": "TypeError", "message": "getPet: the path parameter pet_id is required"},
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
}

// TestGeneratedClientsParse: node accepts every generated client,
// reserved words and all.
func TestGeneratedClientsParse(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found on PATH; install Node.js to run the generated JS client test")
	}
	files, err := apidoc.SDK(authApp(), "javascript")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.mjs")
	for _, f := range files {
		if f.Name == "apig-client.js" {
			if err := os.WriteFile(auth, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The golden petstore client is an ES module too: copy it to .mjs so
	// node parses it as one.
	pet, err := os.ReadFile("../golden/petstore/dev.sdk-javascript/apig-client.js")
	if err != nil {
		t.Fatal(err)
	}
	petFile := filepath.Join(dir, "petstore.mjs")
	if err := os.WriteFile(petFile, pet, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{auth, petFile} {
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("node --check %s: %v\n%s", filepath.Base(f), err, out)
		}
	}
}
