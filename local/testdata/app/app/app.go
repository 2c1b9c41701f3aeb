// Package app is a small app for chalc local's tests: a path parameter,
// a builtin authorizer, a CORS route and binary bodies.
package app

import (
	"os"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Hello greets name with the stage's GREETING.
func Hello(name string) (map[string]string, error) {
	return map[string]string{"greeting": os.Getenv("GREETING"), "name": name, "version": "v1"}, nil
}

// Secret is behind the token authorizer. GOOD_TOKEN is the authorizer's
// variable: the api_handler does not see it.
func Secret(req *chalice.Request) (map[string]any, error) {
	return map[string]any{"principal": req.RequestContext.Authorizer["principalId"], "good_token": os.Getenv("GOOD_TOKEN")}, nil
}

// PutCORS answers a CORS-enabled PUT.
func PutCORS() (string, error) { return "cors", nil }

// GetBlob returns binary bytes.
func GetBlob() (*chalice.Response, error) {
	return &chalice.Response{
		Body:    []byte{0x89, 'P', 'N', 'G', 0x00, 0xff, 0xfe},
		Headers: map[string]string{"Content-Type": "application/octet-stream"},
	}, nil
}

// PutBlob echoes the size and the first byte of a binary body.
func PutBlob(req *chalice.Request) (map[string]int, error) {
	first := -1
	if len(req.RawBody) > 0 {
		first = int(req.RawBody[0])
	}
	return map[string]int{"bytes": len(req.RawBody), "first": first}, nil
}

// Exit stops the server, as a handler calling log.Fatal would.
func Exit() error {
	os.Exit(3)
	return nil
}

// CheckToken allows the token the authorizer's environment names
// (GOOD_TOKEN), refuses "deny" with no routes (403), and anything else
// with a 401.
func CheckToken(req chalice.AuthRequest) (chalice.AuthResponse, error) {
	switch req.Token {
	case os.Getenv("GOOD_TOKEN"):
		return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "user-" + req.Token}, nil
	case "deny":
		return chalice.AuthResponse{PrincipalID: "nobody"}, nil
	}
	return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "bad token"}
}
