// Package app is the frontdoor example: the same handlers behind a REST
// API (dev) and an HTTP API (prod).
package app

import (
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Order is an order of the shop.
type Order struct {
	ID    string `json:"id"`
	Item  string `json:"item"`
	Owner string `json:"owner,omitempty"`
}

// Index says which front door answered: the request looks the same.
func Index(req *chalice.Request) (map[string]any, error) {
	return map[string]any{"hello": "frontdoor", "path": req.Path, "rawPath": req.RawPath}, nil
}

// ListOrders lists the caller's orders (the Cognito user's).
func ListOrders(req *chalice.Request) (*chalice.Response, error) {
	claims := req.Claims()
	orders := []Order{{ID: "1", Item: "book", Owner: claims["sub"]}}
	return &chalice.Response{Headers: map[string]string{"X-Order-Count": "1"}, Body: map[string]any{"orders": orders, "email": claims["email"]}}, nil
}

// CreateOrder creates an order for the caller the token authorizer let in.
func CreateOrder(req *chalice.Request) (*chalice.Response, error) {
	var o Order
	if err := req.JSONBody(&o); err != nil {
		return nil, err
	}
	if o.Item == "" {
		return nil, &chalice.BadRequestError{Message: "item is required"}
	}
	o.ID = "2"
	if user, ok := req.RequestContext.Authorizer["user"].(string); ok {
		o.Owner = user
	}
	return &chalice.Response{StatusCode: 201, Body: o}, nil
}

// GetOrder returns one order; 404 for an unknown one.
func GetOrder(req *chalice.Request, orderID string) (Order, error) {
	if orderID != "1" {
		return Order{}, &chalice.NotFoundError{Message: "no order " + orderID}
	}
	return Order{ID: orderID, Item: "book", Owner: req.QueryParams.Get("owner")}, nil
}

// DeleteOrder deletes an order; only a signed (IAM) caller gets here.
func DeleteOrder(req *chalice.Request, orderID string) (map[string]string, error) {
	return map[string]string{"deleted": orderID, "by": req.RequestContext.Identity.UserArn}, nil
}

// Receipt is an order's receipt as a PNG image (a binary body).
func Receipt(orderID string) (*chalice.Response, error) {
	return &chalice.Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: receiptPNG}, nil
}

// receiptPNG is a 1x1 PNG.
var receiptPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// Session reads the session cookie and sets the next one: cookies work
// the same in both kinds of API.
func Session(req *chalice.Request) (*chalice.Response, error) {
	session := ""
	for _, c := range req.Cookies() {
		if v, ok := strings.CutPrefix(c, "session="); ok {
			session = v
		}
	}
	return &chalice.Response{
		Headers:           map[string]string{"Content-Type": "text/plain"},
		MultiValueHeaders: map[string][]string{"Set-Cookie": {"session=" + session + "+1; Path=/", "seen=1; Path=/"}},
		Body:              "session " + session,
	}, nil
}

// CheckToken is the builtin authorizer: "allow-<user>" may create orders.
func CheckToken(req chalice.AuthRequest) (chalice.AuthResponse, error) {
	user, ok := strings.CutPrefix(req.Token, "allow-")
	if !ok {
		return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "bad token"}
	}
	if user == "reader" {
		return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/orders", Methods: []string{"GET"}}}, PrincipalID: user}, nil
	}
	return chalice.AuthResponse{Routes: []chalice.AuthRoute{{Path: "/orders", Methods: []string{"POST"}}}, PrincipalID: user,
		Context: map[string]any{"user": user}}, nil
}
