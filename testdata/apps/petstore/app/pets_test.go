package app_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"example.com/petstore/app"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

func TestGetPet(t *testing.T) {
	c := chalicetest.New(t, app.App())
	resp := c.HTTP.Get("/pets/1")
	var pet app.Pet
	if resp.StatusCode != 200 || resp.JSON(&pet) != nil || pet != (app.Pet{ID: "1", Name: "Rex", Kind: "dog"}) {
		t.Errorf("GET /pets/1 = %d %s", resp.StatusCode, resp)
	}
}

func TestCreatePet(t *testing.T) {
	c := chalicetest.New(t, app.App())
	resp := c.HTTP.Post("/pets", chalicetest.JSON(app.Pet{ID: "ct-7", Name: "Tom", Kind: "cat"}))
	if resp.StatusCode != 201 || resp.Headers.Get("Location") != "/pets/ct-7" || resp.String() != `{"id":"ct-7","name":"Tom","kind":"cat"}` {
		t.Errorf("POST /pets = %d %v %s", resp.StatusCode, resp.Headers, resp)
	}
	t.Cleanup(func() { c.HTTP.Delete("/pets/ct-7") })
	if resp := c.HTTP.Get("/pets/ct-7"); resp.StatusCode != 200 {
		t.Errorf("GET /pets/ct-7 after POST = %d %s", resp.StatusCode, resp)
	}
	if resp := c.HTTP.Post("/pets", chalicetest.Body([]byte("x")), chalicetest.Header("Content-Type", "text/plain")); resp.StatusCode != 415 {
		t.Errorf("POST text/plain = %d %s", resp.StatusCode, resp)
	}
}

func TestNotFound(t *testing.T) {
	c := chalicetest.New(t, app.App())
	resp := c.HTTP.Get("/pets/999")
	if resp.StatusCode != 404 || resp.String() != `{"Code":"NotFoundError","Message":"no pet 999"}` {
		t.Errorf("GET /pets/999 = %d %s", resp.StatusCode, resp)
	}
	// A path the API does not have is API Gateway's answer, not the app's.
	resp = c.HTTP.Get("/cats")
	if resp.StatusCode != 403 || resp.String() != `{"message":"Missing Authentication Token"}` {
		t.Errorf("GET /cats = %d %s", resp.StatusCode, resp)
	}
}

func TestPhotoRoundTrip(t *testing.T) {
	c := chalicetest.New(t, app.App())
	png := []byte("\x89PNG\r\n\x1a\n\x00\xffpixels")
	resp := c.HTTP.Put("/pets/1/photo", chalicetest.Body(png), chalicetest.Header("Content-Type", "image/png"))
	var put struct {
		Pet   string `json:"pet"`
		Bytes int    `json:"bytes"`
	}
	if resp.StatusCode != 200 || resp.JSON(&put) != nil || put.Pet != "1" || put.Bytes != len(png) {
		t.Errorf("PUT /pets/1/photo = %d %s", resp.StatusCode, resp)
	}
	resp = c.HTTP.Get("/pets/1/photo", chalicetest.Header("Accept", "image/png"))
	if resp.StatusCode != 200 || resp.Headers.Get("Content-Type") != "image/png" || resp.String() != "\x89PNG\r\n\x1a\n1" {
		t.Errorf("GET /pets/1/photo = %d %v %q", resp.StatusCode, resp.Headers, resp.Body)
	}
	// Without a binary Accept header the runtime refuses, as Chalice.
	if resp := c.HTTP.Get("/pets/1/photo"); resp.StatusCode != 400 {
		t.Errorf("GET /pets/1/photo without Accept = %d %s", resp.StatusCode, resp)
	}
}

func TestCORS(t *testing.T) {
	c := chalicetest.New(t, app.App())
	resp := c.HTTP.Put("/pets/1", chalicetest.JSON(app.Pet{Name: "Rex", Kind: "dog"}))
	if resp.StatusCode != 200 || resp.Headers.Get("Access-Control-Allow-Origin") != "*" ||
		resp.Headers.Get("Access-Control-Allow-Headers") != "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key" {
		t.Errorf("PUT /pets/1 = %d %v %s", resp.StatusCode, resp.Headers, resp)
	}
	// GET /pets/{pet_id} does not enable CORS.
	if resp := c.HTTP.Get("/pets/1"); resp.Headers.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET /pets/1 has CORS headers: %v", resp.Headers)
	}
	// The preflight is answered by API Gateway.
	resp = c.HTTP.Options("/pets/1")
	if resp.StatusCode != 200 || resp.Headers.Get("Access-Control-Allow-Methods") != "PUT,DELETE,OPTIONS" {
		t.Errorf("OPTIONS /pets/1 = %d %v", resp.StatusCode, resp.Headers)
	}
}

func TestReportInProd(t *testing.T) {
	a := app.App()
	// Record the environment the report function runs with.
	var table string
	chalice.Use(a, chalice.KindPureLambda, "probe", func(ctx context.Context, ev json.RawMessage, next chalice.Next[json.RawMessage, any]) (any, error) {
		table = os.Getenv("TABLE_NAME")
		return next(ctx, ev)
	})
	c := chalicetest.New(t, a, chalicetest.Stage("prod"))
	res, err := c.Lambda.Invoke("report", app.ReportInput{Kinds: []string{"dog", "bird"}})
	if err != nil {
		t.Fatal(err)
	}
	var counts map[string]int
	if err := res.JSON(&counts); err != nil || counts["dog"] < 1 || counts["bird"] != 0 {
		t.Errorf("report = %s (%v)", res, err)
	}
	if table != "pets-prod" {
		t.Errorf("report ran with TABLE_NAME=%q; want pets-prod", table)
	}
	// The API sees the prod stage too.
	var index map[string]string
	if resp := c.HTTP.Get("/"); resp.JSON(&index) != nil || index["table"] != "pets-prod" || index["store"] != "Friendly Pets" {
		t.Errorf("GET / = %s", resp)
	}
}
