package apidoc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chalc-dev/chalc/apidoc"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/golden"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/project"
	"github.com/chalc-dev/chalc/sam"
	"github.com/chalc-dev/chalc/stages"
)

// The official JSON Schemas of the two formats, vendored verbatim (see
// testdata/schemas/README.md), under the ids they declare.
const (
	swaggerSchema = "testdata/schemas/swagger-2.0.schema.json"
	openAPISchema = "testdata/schemas/openapi-3.0.schema.json"
)

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

func compileSchemas() (map[string]*jsonschema.Schema, error) {
	schemasOnce.Do(func() {
		schemas = map[string]*jsonschema.Schema{}
		for _, file := range []string{swaggerSchema, openAPISchema} {
			f, err := os.Open(file)
			if err != nil {
				schemasErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(f)
			f.Close()
			if err != nil {
				schemasErr = err
				return
			}
			c := jsonschema.NewCompiler()
			url := "https://chalc.invalid/" + filepath.Base(file)
			if err := c.AddResource(url, doc); err != nil {
				schemasErr = err
				return
			}
			s, err := c.Compile(url)
			if err != nil {
				schemasErr = err
				return
			}
			schemas[file] = s
		}
	})
	return schemas, schemasErr
}

// validate checks a JSON document against one of the official schemas.
func validate(t *testing.T, schemaFile string, doc []byte) {
	t.Helper()
	ss, err := compileSchemas()
	if err != nil {
		t.Fatalf("compiling the schemas: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := ss[schemaFile].Validate(inst); err != nil {
		t.Errorf("the document fails %s:\n%v", schemaFile, err)
	}
}

// The validator itself must reject what the formats do not allow, or a
// passing test would prove nothing.
func TestSchemasReject(t *testing.T) {
	ss, err := compileSchemas()
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		swaggerSchema: `{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {"responses": {}}}}}`,
		openAPISchema: `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {}}}}}}`,
	}
	for file, doc := range bad {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if ss[file].Validate(inst) == nil {
			t.Errorf("%s accepts an invalid document: %s", file, doc)
		}
	}
}

var (
	cacheOnce sync.Once
	cacheDir  string
)

func testCache(t *testing.T) string {
	cacheOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chalc-apidoc-test-")
		if err != nil {
			t.Fatal(err)
		}
		cacheDir = dir
	})
	return cacheDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cacheDir != "" {
		os.RemoveAll(cacheDir)
	}
	os.Exit(code)
}

// petstore checks testdata/apps/petstore for stage.
func petstore(t *testing.T, stage string) *compiler.App {
	t.Helper()
	c, err := project.Check(project.Options{Dir: "../testdata/apps/petstore", Stage: stage, CacheDir: testCache(t)})
	if err != nil {
		t.Fatal(err)
	}
	if c.App == nil {
		var b strings.Builder
		diag.Fprint(&b, c.Sources(), c.Diagnostics)
		t.Fatalf("petstore has errors:\n%s", b.String())
	}
	return c.App
}

func encode(t *testing.T, build func(*compiler.App) (map[string]any, error), app *compiler.App) []byte {
	t.Helper()
	doc, err := build(app)
	if err != nil {
		t.Fatal(err)
	}
	out, err := apidoc.Encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGoldenPetstore pins generate-models (both formats) and generate-sdk
// for the bundled example, validating the documents against the official
// schemas. CHALC_UPDATE=1 rewrites the golden files.
func TestGoldenPetstore(t *testing.T) {
	for _, stage := range []string{"dev", "prod"} {
		t.Run(stage, func(t *testing.T) {
			app := petstore(t, stage)
			dir := filepath.Join("..", "golden", "petstore")

			sw := encode(t, apidoc.Swagger, app)
			golden.Check(t, filepath.Join(dir, stage+".swagger.json"), sw)
			validate(t, swaggerSchema, sw)

			oa := encode(t, apidoc.OpenAPI3, app)
			golden.Check(t, filepath.Join(dir, stage+".openapi3.json"), oa)
			validate(t, openAPISchema, oa)

			if stage != "dev" {
				return
			}
			files, err := apidoc.SDK(app, "javascript")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
				golden.Check(t, filepath.Join(dir, "dev.sdk-javascript", f.Name), f.Data)
				if !strings.Contains(strings.SplitN(string(f.Data), "\n", 2)[0], apidoc.GeneratedHeader) {
					t.Errorf("%s does not start with %q", f.Name, apidoc.GeneratedHeader)
				}
			}
			if want := []string{"README.md", "apig-client.d.ts", "apig-client.js"}; !slices.Equal(names, want) {
				t.Errorf("SDK files = %v, want %v", names, want)
			}
		})
	}
}

// TestSwaggerIsTheTemplates: generate-models' swagger is exactly the
// deployed template's DefinitionBody less API Gateway's extensions.
func TestSwaggerIsTheTemplates(t *testing.T) {
	app := petstore(t, "dev")
	v, err := sam.Generate(app)
	if err != nil {
		t.Fatal(err)
	}
	body := v["Resources"].(map[string]any)[awsfacts.IDRestAPI].(map[string]any)["Properties"].(map[string]any)["DefinitionBody"]
	want := withoutExtensions(body)
	got, err := apidoc.Swagger(app)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(roundTrip(t, got), roundTrip(t, want)) {
		g, _ := apidoc.Encode(got)
		w, _ := apidoc.Encode(want.(map[string]any))
		t.Errorf("swagger differs from the template's:\n%s", golden.Diff(string(w), string(g)))
	}
}

func withoutExtensions(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if !strings.HasPrefix(k, "x-amazon-apigateway-") {
				out[k] = withoutExtensions(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutExtensions(e)
		}
		return out
	}
	return v
}

func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// authApp is a hand-built app with every kind of authorizer, an API key,
// CORS, one handler on three methods, binary and form bodies, reserved
// words as names and a custom domain.
func authApp() *compiler.App {
	builtin := &compiler.Authorizer{Key: "token", Type: compiler.AuthBuiltin, SecurityName: "token_auth", Header: "X-Token",
		Function: &compiler.Function{Name: "token_auth", LogicalID: "TokenAuth", Kind: compiler.FuncAuthorizer}}
	iam := &compiler.Authorizer{Key: "signed", Type: compiler.AuthIAM, SecurityName: "sigv4", Header: "Authorization"}
	cognito := &compiler.Authorizer{Key: "pool", Type: compiler.AuthCognito, SecurityName: "pool", Header: "Authorization",
		ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"}}
	custom := &compiler.Authorizer{Key: "outside", Type: compiler.AuthCustom, SecurityName: "outside", Header: "X-Custom",
		AuthorizerURI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"}
	jsonOnly := []string{"application/json"}
	route := func(path, method, handler string, params ...string) *compiler.Route {
		return &compiler.Route{Path: path, Method: method, Params: params, Handler: compiler.HandlerRef{Name: handler}, ContentTypes: jsonOnly}
	}
	users := func(method string) *compiler.Route {
		r := route("/users/{user_id}", method, "User", "user_id")
		r.Authorizer, r.APIKeyRequired = builtin, true
		r.Summary = "User reads, replaces or deletes a user."
		r.Description = "Needs a token and an API key. A */ in text stays inside the comment."
		return r
	}
	signed := route("/signed", "GET", "Signed")
	signed.Authorizer = iam
	pooled := route("/pool", "POST", "Pooled")
	pooled.Authorizer, pooled.Scopes = cognito, []string{"pets/read"}
	pooled.ContentTypes = []string{"application/json", "application/x-www-form-urlencoded"}
	outside := route("/outside", "GET", "Outside")
	outside.Authorizer = custom
	cors := route("/cors", "GET", "Cors")
	cors.CORS = &compiler.CORS{AllowOrigin: "https://example.com", ExposeHeaders: []string{"X-Trace"}}
	photo := route("/photos/{class}", "PATCH", "Photo", "class")
	photo.ContentTypes = []string{"image/png"}
	del := route("/things/{delete}/{options}", "DELETE", "Delete", "delete", "options")
	head := route("/things/{delete}/{options}", "HEAD", "HTTPHead", "delete", "options")
	return &compiler.App{
		Name: "auth",
		Stage: &stages.Stage{
			Name:            "prod",
			APIGatewayStage: stages.Setting[string]{V: "v1"},
			EndpointType:    stages.Setting[string]{V: "EDGE"},
			APICustomDomain: &manifest.Domain{
				DomainName: manifest.Value[string]{V: "api.example.com"},
				URLPrefix:  manifest.Value[string]{V: "pets"},
			},
		},
		Routes:      []*compiler.Route{users("GET"), users("PUT"), users("DELETE"), signed, pooled, outside, cors, photo, del, head},
		Authorizers: []*compiler.Authorizer{builtin, iam, cognito, custom},
		BinaryTypes: compiler.DefaultBinaryTypes,
	}
}

func TestAuthorizersAndShapes(t *testing.T) {
	app := authApp()
	sw := encode(t, apidoc.Swagger, app)
	validate(t, swaggerSchema, sw)
	if strings.Contains(string(sw), "x-amazon-apigateway") || strings.Contains(string(sw), "Fn::") {
		t.Errorf("swagger keeps API Gateway extensions or intrinsics:\n%s", sw)
	}
	oa := encode(t, apidoc.OpenAPI3, app)
	validate(t, openAPISchema, oa)

	var doc struct {
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			SecuritySchemes map[string]map[string]string `json:"securitySchemes"`
			Responses       map[string]any               `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(oa, &doc); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	if want := []string{"https://{restApiId}.execute-api.{region}.amazonaws.com/v1", "https://api.example.com/pets"}; !slices.Equal(urls, want) {
		t.Errorf("servers = %v, want %v", urls, want)
	}
	wantSchemes := map[string][2]string{ // name → header, description fragment
		"api_key":    {"x-api-key", "API key"},
		"token_auth": {"X-Token", "Lambda authorizer token_auth (authorizer token, type builtin)"},
		"sigv4":      {"Authorization", "Signature Version 4"},
		"pool":       {"Authorization", "Cognito user pool"},
		"outside":    {"X-Custom", "type custom"},
	}
	if len(doc.Components.SecuritySchemes) != len(wantSchemes) {
		t.Errorf("security schemes = %v, want %d", doc.Components.SecuritySchemes, len(wantSchemes))
	}
	for name, w := range wantSchemes {
		s := doc.Components.SecuritySchemes[name]
		if s["type"] != "apiKey" || s["in"] != "header" || s["name"] != w[0] || !strings.Contains(s["description"], w[1]) {
			t.Errorf("security scheme %s = %v, want an apiKey header %s described with %q", name, s, w[0], w[1])
		}
	}
	op := func(path, method string) map[string]any {
		o, ok := doc.Paths[path][method]
		if !ok {
			t.Fatalf("no %s %s in %v", method, path, doc.Paths)
		}
		return o
	}
	for method, id := range map[string]string{"get": "UserGet", "put": "UserPut", "delete": "UserDelete"} {
		if got := op("/users/{user_id}", method)["operationId"]; got != id {
			t.Errorf("%s /users/{user_id} operationId = %v, want %s", method, got, id)
		}
	}
	users := op("/users/{user_id}", "get")
	if got, want := users["security"], []any{map[string]any{"api_key": []any{}, "token_auth": []any{}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("security = %v, want %v (the key AND the authorizer)", got, want)
	}
	codes := func(o map[string]any) []string {
		var out []string
		for c := range o["responses"].(map[string]any) {
			out = append(out, c)
		}
		sort.Strings(out)
		return out
	}
	if got, want := codes(users), []string{"200", "401", "403", "415", "500", "502", "default"}; !slices.Equal(got, want) {
		t.Errorf("responses of a guarded route = %v, want %v", got, want)
	}
	if got, want := codes(op("/signed", "get")), []string{"200", "403", "415", "500", "502", "default"}; !slices.Equal(got, want) {
		t.Errorf("responses of an iam route = %v, want %v", got, want)
	}
	// An apiKey scheme's requirement lists no scopes (OpenAPI 3.0.3,
	// Security Requirement Object); the Cognito scopes are an extension.
	if got := op("/pool", "post")["security"]; !reflect.DeepEqual(got, []any{map[string]any{"pool": []any{}}}) {
		t.Errorf("cognito security = %v, want no scopes", got)
	}
	if got := op("/pool", "post")["x-authorization-scopes"]; !reflect.DeepEqual(got, []any{"pets/read"}) {
		t.Errorf("x-authorization-scopes = %v, want the route's scopes", got)
	}
	for path, item := range doc.Paths {
		for method, o := range item {
			reqs, _ := o["security"].([]any)
			for _, req := range reqs {
				for name, scopes := range req.(map[string]any) {
					if len(scopes.([]any)) > 0 {
						t.Errorf("%s %s: security %s lists scopes %v, but every scheme is an apiKey", method, path, name, scopes)
					}
				}
			}
		}
	}
	body := op("/pool", "post")["requestBody"].(map[string]any)["content"].(map[string]any)
	if !reflect.DeepEqual(body["application/x-www-form-urlencoded"], map[string]any{"schema": map[string]any{"type": "object"}}) ||
		!reflect.DeepEqual(body["application/json"], map[string]any{"schema": map[string]any{}}) {
		t.Errorf("request body content = %v", body)
	}
	png := op("/photos/{class}", "patch")["requestBody"].(map[string]any)["content"].(map[string]any)["image/png"]
	if !reflect.DeepEqual(png, map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}) {
		t.Errorf("a binary body = %v, want a binary string", png)
	}
	if _, ok := op("/signed", "get")["requestBody"]; ok {
		t.Errorf("a GET has a requestBody")
	}
	pre := op("/cors", "options")["responses"].(map[string]any)["200"].(map[string]any)["headers"].(map[string]any)
	if got := pre["Access-Control-Allow-Methods"].(map[string]any)["example"]; got != "GET,OPTIONS" {
		t.Errorf("preflight Allow-Methods = %v", got)
	}
	if _, ok := pre["Access-Control-Expose-Headers"]; !ok {
		t.Errorf("preflight headers %v lack Access-Control-Expose-Headers", pre)
	}
	if _, ok := doc.Paths["/users/{user_id}"]["options"]; ok {
		t.Errorf("a path without CORS has a preflight")
	}
	for _, name := range []string{"Unauthorized", "Forbidden", "UnsupportedMediaType", "InternalServerError", "BadGateway", "Error"} {
		if _, ok := doc.Components.Responses[name]; !ok {
			t.Errorf("components.responses lacks %s", name)
		}
	}
}

// TestSameAPI: the OpenAPI 3 document describes the swagger's operations,
// no more, no fewer, with the same summaries, parameters and security.
func TestSameAPI(t *testing.T) {
	for name, app := range map[string]*compiler.App{"petstore": petstore(t, "dev"), "auth": authApp()} {
		t.Run(name, func(t *testing.T) {
			sw, err := apidoc.Swagger(app)
			if err != nil {
				t.Fatal(err)
			}
			oa, err := apidoc.OpenAPI3(app)
			if err != nil {
				t.Fatal(err)
			}
			swPaths := roundTrip(t, sw["paths"]).(map[string]any)
			oaPaths := roundTrip(t, oa["paths"]).(map[string]any)
			if len(swPaths) != len(oaPaths) {
				t.Errorf("%d swagger paths, %d OpenAPI paths", len(swPaths), len(oaPaths))
			}
			for path, item := range swPaths {
				for method, v := range item.(map[string]any) {
					s := v.(map[string]any)
					o, ok := oaPaths[path].(map[string]any)[method].(map[string]any)
					if !ok {
						t.Errorf("OpenAPI lacks %s %s", method, path)
						continue
					}
					if method == "options" {
						continue
					}
					for _, k := range []string{"summary", "description"} {
						if s[k] != o[k] {
							t.Errorf("%s %s %s: swagger %q, OpenAPI %q", method, path, k, s[k], o[k])
						}
					}
					if got, want := paramNames(o["parameters"]), paramNames(s["parameters"]); !slices.Equal(got, want) {
						t.Errorf("%s %s parameters: OpenAPI %v, swagger %v", method, path, got, want)
					}
					if got, want := securityNames(o["security"]), securityNames(s["security"]); !slices.Equal(got, want) {
						t.Errorf("%s %s security: OpenAPI %v, swagger %v", method, path, got, want)
					}
				}
				if n, m := len(item.(map[string]any)), len(oaPaths[path].(map[string]any)); n != m {
					t.Errorf("%s: %d swagger operations, %d OpenAPI operations", path, n, m)
				}
			}
		})
	}
}

func paramNames(v any) []string {
	var out []string
	ps, _ := v.([]any)
	for _, p := range ps {
		out = append(out, p.(map[string]any)["name"].(string))
	}
	return out
}

func securityNames(v any) []string {
	var out []string
	reqs, _ := v.([]any)
	for _, r := range reqs {
		for k := range r.(map[string]any) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestOperationNames(t *testing.T) {
	r := func(path, method, handler string, params ...string) *compiler.Route {
		return &compiler.Route{Path: path, Method: method, Handler: compiler.HandlerRef{Name: handler}, Params: params}
	}
	app := &compiler.App{Routes: []*compiler.Route{
		r("/a", "GET", "Thing"),
		r("/b/{item_id}", "GET", "Thing", "item_id"),
		r("/b/{item_id}", "PUT", "Thing", "item_id"),
		r("/c", "GET", "ThingGetA"), // taken by the first route's name
		r("/d", "GET", "HTTPStatus"),
		r("/e", "GET", "HttpStatus"), // the same method name as HTTPStatus
		r("/f/{class}/{options}/{a_b}/{aB}/{_}", "GET", "ID", "class", "options", "a_b", "aB", "_"),
		r("/", "POST", "Root"),
	}}
	var ids, methods []string
	for _, op := range apidoc.Operations(app) {
		ids = append(ids, op.ID)
		methods = append(methods, op.Method)
	}
	wantIDs := []string{"ThingGetA", "ThingGetBByItemId", "ThingPut", "ThingGetA2", "HTTPStatus", "HttpStatus2", "ID", "Root"}
	wantMethods := []string{"thingGetA", "thingGetBByItemId", "thingPut", "thingGetA2", "httpStatus", "httpStatus2", "id", "root"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("IDs = %v, want %v", ids, wantIDs)
	}
	if !slices.Equal(methods, wantMethods) {
		t.Errorf("methods = %v, want %v", methods, wantMethods)
	}
	args := apidoc.Operations(app)[6].Args
	if want := []string{"class_", "options_", "aB", "aB_", "param"}; !slices.Equal(args, want) {
		t.Errorf("args = %v, want %v", args, want)
	}
}

func TestNoRoutes(t *testing.T) {
	app := &compiler.App{Name: "empty"}
	if _, err := apidoc.Swagger(app); !errors.Is(err, apidoc.ErrNoRoutes) {
		t.Errorf("Swagger: %v, want ErrNoRoutes", err)
	}
	if _, err := apidoc.OpenAPI3(app); !errors.Is(err, apidoc.ErrNoRoutes) {
		t.Errorf("OpenAPI3: %v, want ErrNoRoutes", err)
	}
	if _, err := apidoc.SDK(app, "javascript"); !errors.Is(err, apidoc.ErrNoRoutes) {
		t.Errorf("SDK: %v, want ErrNoRoutes", err)
	}
}

func TestUnsupportedSDK(t *testing.T) {
	_, err := apidoc.SDK(authApp(), "python")
	var ue *apidoc.UnsupportedSDKError
	if !errors.As(err, &ue) || err.Error() != `unsupported --sdk-type "python" (supported: javascript)` {
		t.Errorf("SDK(python) = %v", err)
	}
}

// TestDeterministic: the same app gives the same bytes (map order, the
// OpenAPI components built from sets).
func TestDeterministic(t *testing.T) {
	app := authApp()
	first := encode(t, apidoc.OpenAPI3, app)
	sdk, err := apidoc.SDK(app, "javascript")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if again := encode(t, apidoc.OpenAPI3, app); !bytes.Equal(first, again) {
			t.Fatal("OpenAPI3 output varies")
		}
		again, err := apidoc.SDK(app, "javascript")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sdk, again) {
			t.Fatal("SDK output varies")
		}
	}
}
