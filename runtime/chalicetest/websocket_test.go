package chalicetest_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/chalicetest"
)

// TestWebsocketClient: connect (refused or accepted), messages whose
// replies go through the management API, the app closing a connection.
func TestWebsocketClient(t *testing.T) {
	app := chalice.New("ws", chalice.Config{})
	var disconnected []string
	app.Function(chalice.Function{Name: "websocket_connect", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		if e.ConnectionID == "conn-2=" {
			return &chalice.Response{StatusCode: 403}, nil
		}
		return nil, nil
	}})
	app.Function(chalice.Function{Name: "websocket_message", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		switch e.Body {
		case "bye":
			return nil, e.API().Close(ctx, e.ConnectionID)
		case "fail":
			return nil, errors.New("cannot")
		}
		info, err := e.API().Info(ctx, e.ConnectionID)
		if err != nil {
			return nil, err
		}
		return nil, e.API().Send(ctx, e.ConnectionID, []byte(strings.ToUpper(e.Body)+" "+info.Identity.SourceIP))
	}})
	app.Function(chalice.Function{Name: "websocket_disconnect", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		disconnected = append(disconnected, e.ConnectionID)
		return nil, nil
	}})
	c := chalicetest.New(t, app)
	conn, err := c.Websocket.Connect()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Websocket.Connect(); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("refused connect: %v", err)
	}
	if err := conn.Send("hi"); err != nil {
		t.Fatal(err)
	}
	if err := conn.Send("fail"); err == nil || err.Error() != "cannot" {
		t.Errorf("failing message: %v", err)
	}
	if got := conn.Received(); !reflect.DeepEqual(got, []string{"HI 127.0.0.1"}) {
		t.Errorf("received %q", got)
	}
	if err := conn.Send("bye"); err != nil || !conn.Closed() {
		t.Errorf("closed by the app: %v %v", conn.Closed(), err)
	}
	if err := conn.Send("again"); err == nil {
		t.Error("a closed connection must refuse to send")
	}
	conn3, err := c.Websocket.Connect()
	if err != nil {
		t.Fatal(err)
	}
	if err := conn3.Close(); err != nil || !reflect.DeepEqual(disconnected, []string{"conn-3="}) {
		t.Errorf("close: %v %v", err, disconnected)
	}
}
