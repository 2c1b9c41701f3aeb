package app_test

import (
	"reflect"
	"testing"

	"example.com/chat/app"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestEcho: a client's message comes back through the management API
// (WebsocketEvent.API().Send), which the test client records.
func TestEcho(t *testing.T) {
	c := chalicetest.New(t, app.App())
	conn, err := c.Websocket.Connect()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"hello", "again"} {
		if err := conn.Send(`{"action": "say", "text": "` + text + `"}`); err != nil {
			t.Fatal(err)
		}
	}
	// A message that is not JSON is refused with 400, without a reply.
	if err := conn.Send("not json"); err != nil {
		t.Fatal(err)
	}
	if got, want := conn.Received(), []string{`{"echo":"hello"}`, `{"echo":"again"}`}; !reflect.DeepEqual(got, want) {
		t.Errorf("received %q; want %q", got, want)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestWebsocketEvents: each handler with API Gateway's raw events.
func TestWebsocketEvents(t *testing.T) {
	c := chalicetest.New(t, app.App())
	for _, tt := range []struct{ name, route, body, want string }{
		{"websocket_connect", "$connect", "", `{"statusCode":200}`},
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
