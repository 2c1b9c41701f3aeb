package app_test

import (
	"testing"

	"example.com/chat/app"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestWebsocketHandlers: the connect, message and disconnect handlers
// with API Gateway's events. (The echo itself goes through the
// management API: see `chalc local`, which serves the websocket API.)
func TestWebsocketHandlers(t *testing.T) {
	c := chalicetest.New(t, app.App())
	for _, tt := range []struct{ name, route, body, want string }{
		{"websocket_connect", "$connect", "", `{"statusCode":200}`},
		// A message that is not JSON is refused with 400, without a reply.
		{"websocket_message", "$default", "not json", `{"statusCode":400}`},
		{"websocket_disconnect", "$disconnect", "", `{"statusCode":200}`},
	} {
		res, err := c.Lambda.Invoke(tt.name, c.Events.Websocket(tt.route, "conn-1=", tt.body))
		if err != nil || res.String() != tt.want {
			t.Errorf("%s: %s %v; want %s", tt.name, res, err, tt.want)
		}
	}
}

func TestHealth(t *testing.T) {
	c := chalicetest.New(t, app.App())
	if resp := c.HTTP.Get("/health"); resp.StatusCode != 200 || resp.String() != "ok" {
		t.Errorf("GET /health = %d %s", resp.StatusCode, resp)
	}
}
