// Package app shows every kind of authorizer.
package app

import (
	"context"
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// CheckToken allows "allow-<user>" tokens: every route for admin, GET
// /me otherwise.
func CheckToken(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
	user, ok := strings.CutPrefix(req.Token, "allow-")
	if !ok {
		return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "Unauthorized"}
	}
	routes := []chalice.AuthRoute{{Path: "/me", Methods: []string{"GET"}}, {Path: "/partners/*"}}
	if user == "admin" {
		routes = []chalice.AuthRoute{{Path: "*"}}
	}
	return chalice.AuthResponse{Routes: routes, PrincipalID: user, Context: map[string]any{"user": user}}, nil
}

// Public needs no authorization.
func Public() (string, error) { return "public", nil }

// Me returns the caller, as the authorizer saw it.
func Me(req *chalice.Request) (map[string]any, error) {
	return map[string]any{"user": req.RequestContext.Authorizer["user"], "principal": req.RequestContext.Authorizer["principalId"]}, nil
}

// Partner returns a partner.
func Partner(id string) (map[string]string, error) { return map[string]string{"partner": id}, nil }

// Admin is for IAM-signed callers.
func Admin() (string, error) { return "ok", nil }

// Profile is for Cognito users with the right scopes.
func Profile(req *chalice.Request) (map[string]any, error) {
	return map[string]any{"claims": req.RequestContext.Authorizer["claims"]}, nil
}
