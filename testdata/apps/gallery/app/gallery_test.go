package app_test

import (
	"testing"

	"example.com/gallery/app"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// Each stage's test runs the app as that stage's Lambda functions do:
// its environment, its CORS origin.

var stages = map[string]struct{ origin, bucket, topic string }{
	"dev":  {"http://localhost:3000", "gallery-dev-uploads", "gallery-dev-moderation"},
	"prod": {"https://gallery.example.com", "gallery-prod-uploads", "arn:aws:sns:us-west-2:210987654321:gallery-moderation"},
}

func TestDevStage(t *testing.T)  { testStage(t, "dev") }
func TestProdStage(t *testing.T) { testStage(t, "prod") }

func testStage(t *testing.T, stage string) {
	want := stages[stage]
	c := chalicetest.New(t, app.App(), chalicetest.Stage(stage))

	// The stage's CORS origin, on responses and on the preflight.
	resp := c.HTTP.Get("/photos")
	if resp.StatusCode != 200 || resp.Headers.Get("Access-Control-Allow-Origin") != want.origin ||
		resp.Headers.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("GET /photos = %d %v", resp.StatusCode, resp.Headers)
	}
	pre := c.HTTP.Options("/photos/1")
	if pre.StatusCode != 200 || pre.Headers.Get("Access-Control-Allow-Origin") != want.origin {
		t.Errorf("OPTIONS /photos/1 = %d %v", pre.StatusCode, pre.Headers)
	}

	// An upload to the stage's bucket: the function is subscribed to it
	// and reads the same name from its environment.
	res, err := c.Lambda.Invoke("on_upload", c.Events.S3(want.bucket, "incoming/sunset.jpg"))
	var up app.Upload
	if err != nil || res.JSON(&up) != nil || !up.Expected || up.Bucket != want.bucket {
		t.Fatalf("on_upload = %v %s", err, res)
	}
	var photo app.Photo
	if resp := c.HTTP.Get("/photos/sunset"); resp.JSON(&photo) != nil || photo.Bucket != want.bucket {
		t.Errorf("GET /photos/sunset = %d %s", resp.StatusCode, resp)
	}

	// The stage's moderation topic removes it.
	res, err = c.Lambda.Invoke("on_moderation", c.Events.SNS("sunset", "flagged"))
	var m app.Moderation
	if err != nil || res.JSON(&m) != nil || !m.Removed || m.Topic != want.topic {
		t.Errorf("on_moderation = %v %s", err, res)
	}
	if resp := c.HTTP.Get("/photos/sunset"); resp.StatusCode != 404 || resp.Headers.Get("Access-Control-Allow-Origin") != want.origin {
		t.Errorf("GET /photos/sunset after moderation = %d %v", resp.StatusCode, resp.Headers)
	}
}
