// Package app is a photo gallery whose stages differ in their bucket,
// topic, CORS origin and user pool: the handlers read them from the
// environment, as a Chalice app does, and the manifest wires the same
// values into the template.
package app

import (
	"context"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Photo is a stored photo.
type Photo struct {
	ID     string `json:"id"`
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

var (
	mu     sync.Mutex
	photos = map[string]Photo{}
)

// ListPhotos lists the photos, by ID.
func ListPhotos() ([]Photo, error) {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Photo, 0, len(photos))
	for _, p := range photos {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// GetPhoto returns one photo.
func GetPhoto(id string) (Photo, error) {
	mu.Lock()
	defer mu.Unlock()
	p, ok := photos[id]
	if !ok {
		return Photo{}, &chalice.NotFoundError{Message: "no photo " + id}
	}
	return p, nil
}

// AddPhoto records a photo uploaded to the stage's bucket.
func AddPhoto(req *chalice.Request) (*chalice.Response, error) {
	var p Photo
	if err := req.JSONBody(&p); err != nil {
		return nil, err
	}
	if p.ID == "" {
		return nil, &chalice.BadRequestError{Message: "id is required"}
	}
	p.Bucket = os.Getenv("UPLOAD_BUCKET")
	p.Key = "incoming/" + p.ID + ".jpg"
	mu.Lock()
	photos[p.ID] = p
	mu.Unlock()
	return &chalice.Response{StatusCode: 201, Body: p}, nil
}

// Upload is what OnUpload saw.
type Upload struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	// Expected says whether the event came from the stage's own bucket.
	Expected bool `json:"expected"`
}

// OnUpload records a new object of the stage's uploads bucket.
func OnUpload(ctx context.Context, e chalice.S3Event) (Upload, error) {
	id := strings.TrimSuffix(strings.TrimPrefix(e.Key, "incoming/"), ".jpg")
	mu.Lock()
	photos[id] = Photo{ID: id, Bucket: e.Bucket, Key: e.Key}
	mu.Unlock()
	return Upload{Bucket: e.Bucket, Key: e.Key, Expected: e.Bucket == os.Getenv("UPLOAD_BUCKET")}, nil
}

// Moderation is OnModeration's verdict.
type Moderation struct {
	Photo   string `json:"photo"`
	Removed bool   `json:"removed"`
	Topic   string `json:"topic"`
}

// OnModeration removes a photo a moderator flagged.
func OnModeration(ctx context.Context, e chalice.SNSEvent) (Moderation, error) {
	mu.Lock()
	_, ok := photos[e.Message]
	delete(photos, e.Message)
	mu.Unlock()
	return Moderation{Photo: e.Message, Removed: ok, Topic: os.Getenv("MODERATION_TOPIC")}, nil
}
