package project

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/internal/rie"
)

// TestRIEStageCORS: the gallery app packaged for prod answers, from the
// bootstrap under the Runtime Interface Emulator, with prod's CORS
// origin (its allow_origin is ${env:ALLOWED_ORIGIN}), and its template
// gives the function prod's environment; the dev package answers with
// dev's.
func TestRIEStageCORS(t *testing.T) {
	rie.Require(t)
	for stage, origin := range map[string]string{"dev": "http://localhost:3000", "prod": "https://gallery.example.com"} {
		t.Run(stage, func(t *testing.T) {
			tmp := t.TempDir()
			opts := Options{Dir: filepath.Join("..", "testdata", "apps", "gallery"), Stage: stage, CacheDir: testCache(t)}
			c, err := Check(opts)
			if err != nil || c.App == nil {
				t.Fatalf("%v %v", err, c.Diagnostics)
			}
			p, err := Package(context.Background(), c, PackageOptions{Out: filepath.Join(tmp, "out")}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(p.Template), `"ALLOWED_ORIGIN": "`+origin+`"`) {
				t.Errorf("the template does not set ALLOWED_ORIGIN to %s", origin)
			}
			rieCanRun(t, "amd64")
			e := rie.Start(t, rie.ExtractBootstrap(t, p.Zip), "api_handler")
			got := rieInvokeJSON(t, e, string(rieRequest{Method: "GET", Resource: "/photos/{id}", Path: "/photos/x",
				PathParams: map[string]string{"id": "x"}}.event()))
			if !strings.Contains(got, `"Access-Control-Allow-Origin":"`+origin+`"`) || !strings.Contains(got, `"statusCode":404`) {
				t.Errorf("GET /photos/x = %s", got)
			}
		})
	}
}
