package chalice

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestHeaders(t *testing.T) {
	multi := NewHeaders(map[string][]string{
		"Content-Type": {"application/json"},
		"X-Many":       {"1", "2"},
		"x-dup":        {"lower"},
		"X-Dup":        {"upper"},
	}, map[string]string{"Ignored": "because multi is set"})
	single := NewHeaders(nil, map[string]string{"Content-Type": "text/plain", "x-dup": "lower", "X-DUP": "upper"})
	tests := []struct {
		h      Headers
		name   string
		get    string
		values []string
	}{
		{multi, "content-type", "application/json", []string{"application/json"}},
		{multi, "CONTENT-TYPE", "application/json", []string{"application/json"}},
		{multi, "x-many", "2", []string{"1", "2"}},
		{multi, "X-Dup", "lower", []string{"upper", "lower"}}, // spellings sorted: X-Dup < x-dup
		{multi, "Ignored", "", nil},
		{multi, "missing", "", nil},
		{single, "content-type", "text/plain", []string{"text/plain"}},
		{single, "x-dup", "lower", []string{"lower"}}, // exact spelling first
		{single, "X-dup", "lower", []string{"lower"}}, // else the last sorted spelling
		{Headers{}, "anything", "", nil},
	}
	for _, tc := range tests {
		if got := tc.h.Get(tc.name); got != tc.get {
			t.Errorf("Get(%q) = %q; want %q", tc.name, got, tc.get)
		}
		if got := tc.h.Values(tc.name); !slices.Equal(got, tc.values) {
			t.Errorf("Values(%q) = %q; want %q", tc.name, got, tc.values)
		}
		if got := tc.h.Has(tc.name); got != (tc.values != nil) {
			t.Errorf("Has(%q) = %v", tc.name, got)
		}
	}
	var names []string
	for k, vs := range multi.All() {
		names = append(names, fmt.Sprint(k, " ", vs))
	}
	if want := []string{"content-type [application/json]", "x-dup [upper lower]", "x-many [1 2]"}; !slices.Equal(names, want) {
		t.Errorf("All = %q; want %q", names, want)
	}
	if multi.Len() != 3 || single.Len() != 2 {
		t.Errorf("Len = %d, %d", multi.Len(), single.Len())
	}
}

func TestQueryParams(t *testing.T) {
	q := NewQueryParams(map[string][]string{"tag": {"a", "b"}, "x": {"1"}}, map[string]string{"tag": "b", "x": "1"})
	if q.Get("tag") != "b" || !slices.Equal(q.GetAll("tag"), []string{"a", "b"}) || q.Get("Tag") != "" || q.Len() != 2 {
		t.Errorf("multi: Get=%q GetAll=%q Len=%d", q.Get("tag"), q.GetAll("tag"), q.Len())
	}
	s := NewQueryParams(nil, map[string]string{"tag": "b"})
	if s.Get("tag") != "b" || !slices.Equal(s.GetAll("tag"), []string{"b"}) || s.GetAll("no") != nil || s.Has("no") {
		t.Errorf("single: Get=%q GetAll=%q", s.Get("tag"), s.GetAll("tag"))
	}
	var empty QueryParams
	if empty.Len() != 0 || empty.Get("x") != "" || empty.Has("x") {
		t.Error("zero QueryParams is not empty")
	}
	var all []string
	for k, vs := range q.All() {
		all = append(all, fmt.Sprint(k, " ", vs))
	}
	if want := []string{"tag [a b]", "x [1]"}; !slices.Equal(all, want) {
		t.Errorf("All = %q", all)
	}
}

func TestNewRequest(t *testing.T) {
	ev := &events.APIGatewayProxyRequest{
		Resource:   "/users/{id}",
		Path:       "/users/42",
		HTTPMethod: "POST",
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       "eyJhIjogMX0=",
		RequestContext: events.APIGatewayProxyRequestContext{
			Authorizer: map[string]any{"principalId": "u"},
		},
		PathParameters:  map[string]string{"id": "42"},
		IsBase64Encoded: true,
	}
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	r := NewRequest(ctx, ev)
	if r.Method != "POST" || r.Path != "/users/{id}" || r.RawPath != "/users/42" || r.URIParams["id"] != "42" ||
		string(r.RawBody) != `{"a": 1}` || r.Raw != ev || r.Context().Value(key{}) != "v" || r.RequestContext.Authorizer["principalId"] != "u" {
		t.Errorf("request = %+v", r)
	}
	var v struct{ A int }
	if err := r.JSONBody(&v); err != nil || v.A != 1 {
		t.Errorf("JSONBody = %v, %+v", err, v)
	}
	if r2 := r.WithContext(context.Background()); r2.Context().Value(key{}) != nil || r.Context().Value(key{}) != "v" {
		t.Error("WithContext")
	}
	ev.Body = "!!"
	if r := NewRequest(ctx, ev); r.BodyError() == nil || r.RawBody != nil {
		t.Error("bad base64 must be a BodyError")
	}
	if (&Request{}).Context() == nil {
		t.Error("Context of a hand-built Request must not be nil")
	}
}

func TestJSONBody(t *testing.T) {
	tests := []struct {
		name, ct, body string
		want           string // the value after, or the error
	}{
		{"json", "application/json", `{"a":1}`, "1"},
		{"json charset", "application/json; charset=utf-8", `{"a":2}`, "2"},
		{"not json content type", "text/plain", `{"a":3}`, "untouched"},
		{"case-sensitive, as Chalice", "Application/JSON", `{"a":3}`, "untouched"},
		{"no content type", "", `{"a":3}`, "untouched"},
		{"bad json", "application/json", `{"a":`, "Error Parsing JSON"},
		{"empty body", "application/json", ``, "Error Parsing JSON"},
		{"wrong type", "application/json", `{"b":"x"}`, "Error Parsing JSON"},
		{"null", "application/json", `null`, "untouched"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.ct != "" {
				h["Content-Type"] = tc.ct
			}
			r := NewRequest(context.Background(), &events.APIGatewayProxyRequest{Headers: h, Body: tc.body})
			v := struct {
				A any
				B int
			}{A: "untouched"}
			err := r.JSONBody(&v)
			got := fmt.Sprint(v.A)
			if err != nil {
				var bre *BadRequestError
				if !errors.As(err, &bre) {
					t.Fatalf("error %T, not a BadRequestError", err)
				}
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got %s; want %s", got, tc.want)
			}
		})
	}
	r := NewRequest(context.Background(), &events.APIGatewayProxyRequest{Headers: map[string]string{"Content-Type": "application/json"}, Body: "{}"})
	var notPointer struct{}
	var bre *BadRequestError
	if err := r.JSONBody(notPointer); err == nil || errors.As(err, &bre) {
		t.Errorf("non-pointer: %v; want encoding/json's error", err)
	}
}

func TestResponseHeader(t *testing.T) {
	r := &Response{Headers: map[string]string{"content-type": "text/plain"}, MultiValueHeaders: map[string][]string{"Set-Cookie": {"a", "b"}}}
	if r.Header("Content-Type") != "text/plain" || r.Header("set-cookie") != "a" || r.Header("x") != "" || r.Status() != 200 {
		t.Errorf("Header/Status wrong")
	}
}
