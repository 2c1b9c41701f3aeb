package app_test

import (
	"context"
	"reflect"
	"sort"
	"sync"
	"testing"

	"example.com/todo/app"
	"example.com/todo/store"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// fakeDB is store.TodoDB in memory: the handlers never see DynamoDB in
// tests (and the SDK-call analysis, which loads no test file, never sees
// the fake).
type fakeDB struct {
	mu    sync.Mutex
	todos map[string]*store.Todo
}

func (f *fakeDB) Get(_ context.Context, id string) (*store.Todo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.todos[id]; ok {
		return t, nil
	}
	return nil, store.ErrNotFound
}

func (f *fakeDB) Put(_ context.Context, t *store.Todo) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.todos[t.ID] = t
	return nil
}

func (f *fakeDB) Delete(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.todos, id)
	return nil
}

func (f *fakeDB) List(context.Context) ([]*store.Todo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*store.Todo
	for _, t := range f.todos {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func setup(t *testing.T) (*chalicetest.Client, *fakeDB, *[]string) {
	db := &fakeDB{todos: map[string]*store.Todo{}}
	var archived []string
	oldDB, oldArchiver := app.DB, app.Archiver
	app.DB = db
	app.Archiver = func(_ context.Context, t *store.Todo) error { archived = append(archived, t.ID); return nil }
	t.Cleanup(func() { app.DB, app.Archiver = oldDB, oldArchiver })
	return chalicetest.New(t, app.App()), db, &archived
}

func TestTodos(t *testing.T) {
	c, db, archived := setup(t)
	if resp := c.HTTP.Post("/todos", chalicetest.JSON(store.Todo{ID: "1", Title: "milk"})); resp.StatusCode != 200 {
		t.Fatalf("POST /todos = %d %s", resp.StatusCode, resp.Body)
	}
	if resp := c.HTTP.Post("/todos", chalicetest.JSON(store.Todo{Title: "no id"})); resp.StatusCode != 400 {
		t.Errorf("POST without id = %d", resp.StatusCode)
	}
	if resp := c.HTTP.Get("/todos/1"); resp.StatusCode != 200 {
		t.Errorf("GET /todos/1 = %d %s", resp.StatusCode, resp.Body)
	}
	if resp := c.HTTP.Get("/todos/2"); resp.StatusCode != 404 {
		t.Errorf("GET /todos/2 = %d", resp.StatusCode)
	}
	if resp := c.HTTP.Delete("/todos/1"); resp.StatusCode != 200 {
		t.Errorf("DELETE /todos/1 = %d %s", resp.StatusCode, resp.Body)
	}
	if len(db.todos) != 0 || !reflect.DeepEqual(*archived, []string{"1"}) {
		t.Errorf("after DELETE: todos %v, archived %v", db.todos, *archived)
	}
}

func TestArchive(t *testing.T) {
	c, db, archived := setup(t)
	db.todos["a"] = &store.Todo{ID: "a", Done: true}
	db.todos["b"] = &store.Todo{ID: "b"}
	res, err := c.Lambda.Invoke("archive", map[string]any{"detail-type": "Scheduled Event", "source": "aws.events", "detail": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Payload) != "1" || !reflect.DeepEqual(*archived, []string{"a"}) || len(db.todos) != 1 {
		t.Errorf("archive = %s; archived %v, left %v", res.Payload, *archived, db.todos)
	}
}

func TestTagPhoto(t *testing.T) {
	c, _, _ := setup(t)
	old := app.Labeler
	app.Labeler = func(_ context.Context, key string) ([]string, error) { return []string{"cat:" + key}, nil }
	t.Cleanup(func() { app.Labeler = old })
	res, err := c.Lambda.Invoke("tag_photo", map[string]any{"Records": []any{map[string]any{"body": "p.jpg", "eventSource": "aws:sqs"}}})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Payload) != `{"p.jpg":["cat:p.jpg"]}` {
		t.Errorf("tag_photo = %s", res.Payload)
	}
}
