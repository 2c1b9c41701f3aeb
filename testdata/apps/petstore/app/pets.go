// Package app holds the petstore's handlers.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Pet is one animal in the store.
type Pet struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

var (
	mu   sync.Mutex
	pets = map[string]Pet{"1": {ID: "1", Name: "Rex", Kind: "dog"}}
)

// Index describes the store.
func Index() (map[string]string, error) {
	return map[string]string{"store": os.Getenv("STORE_NAME"), "table": os.Getenv("TABLE_NAME")}, nil
}

// ListPets lists every pet, sorted by ID.
//
// The kind query parameter filters by kind.
func ListPets(req *chalice.Request) ([]Pet, error) {
	mu.Lock()
	defer mu.Unlock()
	out := []Pet{}
	for _, p := range pets {
		if k := req.QueryParams.Get("kind"); k != "" && k != p.Kind {
			continue
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// CreatePet adds a pet.
func CreatePet(ctx context.Context, req *chalice.Request) (*chalice.Response, error) {
	var p Pet
	if err := req.JSONBody(&p); err != nil {
		return nil, err
	}
	if p.ID == "" || p.Name == "" {
		return nil, &chalice.BadRequestError{Message: "id and name are required"}
	}
	mu.Lock()
	defer mu.Unlock()
	if _, ok := pets[p.ID]; ok {
		return nil, &chalice.ConflictError{Message: "pet " + p.ID + " exists"}
	}
	pets[p.ID] = p
	return &chalice.Response{StatusCode: 201, Body: p, Headers: map[string]string{"Location": "/pets/" + p.ID}}, nil
}

// GetPet returns one pet.
func GetPet(petID string) (Pet, error) {
	mu.Lock()
	defer mu.Unlock()
	p, ok := pets[petID]
	if !ok {
		return Pet{}, &chalice.NotFoundError{Message: "no pet " + petID}
	}
	return p, nil
}

// ReplacePet replaces a pet.
func ReplacePet(req *chalice.Request, petID string) (Pet, error) {
	var p Pet
	if err := req.JSONBody(&p); err != nil {
		return Pet{}, err
	}
	p.ID = petID
	mu.Lock()
	defer mu.Unlock()
	pets[petID] = p
	return p, nil
}

// DeletePet removes a pet.
func DeletePet(ctx context.Context, petID string) error {
	mu.Lock()
	defer mu.Unlock()
	if _, ok := pets[petID]; !ok {
		return fmt.Errorf("delete %s: %w", petID, &chalice.NotFoundError{Message: "no pet " + petID})
	}
	delete(pets, petID)
	return nil
}

// GetPhoto returns a pet's photo (a tiny PNG signature).
func GetPhoto(petID string) (*chalice.Response, error) {
	return &chalice.Response{
		Body:    []byte("\x89PNG\r\n\x1a\n" + petID),
		Headers: map[string]string{"Content-Type": "image/png"},
	}, nil
}

// PutPhoto stores a photo and echoes its size.
func PutPhoto(req *chalice.Request, petID string) (map[string]any, error) {
	return map[string]any{"pet": petID, "bytes": len(req.RawBody)}, nil
}

// Echo returns the text it was sent, upper-cased.
func Echo(req *chalice.Request) (*chalice.Response, error) {
	return &chalice.Response{
		Body:    strings.ToUpper(string(req.RawBody)),
		Headers: map[string]string{"Content-Type": "text/plain"},
	}, nil
}

// Boom always fails with an unexpected error.
func Boom() (string, error) {
	return "", errors.New("the database is on fire")
}

// ReportInput is the report function's payload.
type ReportInput struct {
	Kinds []string `json:"kinds"`
}

// Report counts pets by kind.
func Report(ctx context.Context, in ReportInput) (map[string]int, error) {
	mu.Lock()
	defer mu.Unlock()
	out := map[string]int{}
	for _, k := range in.Kinds {
		out[k] = 0
	}
	for _, p := range pets {
		if _, ok := out[p.Kind]; ok || len(in.Kinds) == 0 {
			out[p.Kind]++
		}
	}
	return out, nil
}
