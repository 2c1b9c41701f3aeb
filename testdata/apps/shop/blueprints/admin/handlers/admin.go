// Package handlers serves the admin blueprint.
package handlers

import (
	"context"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// CheckStaff allows the token "staff".
func CheckStaff(req chalice.AuthRequest) (chalice.AuthResponse, error) {
	if req.Token != "staff" {
		return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "Unauthorized"}
	}
	return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "*"}}, PrincipalID: "staff"}, nil
}

// Dashboard summarises the shop.
func Dashboard() (map[string]int, error) { return map[string]int{"orders": 3}, nil }

// CancelOrder cancels an order.
func CancelOrder(orderID string) (map[string]string, error) {
	return map[string]string{"cancelled": orderID}, nil
}

// Cleanup runs daily.
func Cleanup(ctx context.Context, e chalice.CloudWatchEvent) error { return nil }

// Audit logs every admin request.
func Audit(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
	chalice.Logger().Info("admin request " + req.Method + " " + req.Path)
	return next(ctx, req)
}
