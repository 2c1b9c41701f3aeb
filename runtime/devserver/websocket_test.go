package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/chalc-dev/chalc/internal/syncbuf"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// chatApp echoes every message through the management API (Send), and
// records the events it saw.
func chatApp(seen *[]string, mu *sync.Mutex) *chalice.App {
	app := chalice.New("chat", chalice.Config{})
	record := func(s string) {
		mu.Lock()
		*seen = append(*seen, s)
		mu.Unlock()
	}
	app.Function(chalice.Function{Name: "websocket_connect", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		if e.Raw.QueryStringParameters["token"] != "ok" {
			return &chalice.Response{StatusCode: 403, Body: map[string]string{"message": "Forbidden"}}, nil
		}
		record("connect " + e.RequestContext.EventType + " " + e.Stage)
		return nil, nil
	}})
	app.Function(chalice.Function{Name: "websocket_message", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		if e.Body == "fail" {
			return nil, errors.New("cannot handle fail")
		}
		if e.Body == "close me" {
			return nil, e.API().Close(ctx, e.ConnectionID)
		}
		info, err := e.API().Info(ctx, e.ConnectionID)
		if err != nil {
			return nil, err
		}
		reply := fmt.Sprintf("echo %s from %s", e.Body, info.Identity.SourceIP)
		return nil, e.API().Send(ctx, e.ConnectionID, []byte(reply))
	}})
	app.Function(chalice.Function{Name: "websocket_disconnect", Kind: chalice.KindWebsocket, Websocket: func(ctx context.Context, e chalice.WebsocketEvent) (any, error) {
		record(fmt.Sprintf("disconnect %d", e.RequestContext.DisconnectStatusCode))
		// The client is gone: Send says so.
		var gone *chalice.WebsocketDisconnectedError
		if err := e.API().Send(ctx, e.ConnectionID, []byte("late")); !errors.As(err, &gone) {
			record(fmt.Sprintf("send after disconnect: %v", err))
		}
		return nil, nil
	}})
	app.Route(chalice.Route{Path: "/health", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) { return "ok", nil }})
	return app
}

// TestWebsocket: a real websocket client connects, is echoed through
// WebsocketAPI.Send, sees the error frame of a failing handler, and
// disconnects; the handlers see API Gateway's events.
func TestWebsocket(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	var log syncbuf.Buffer
	base := startServe(t, chatApp(&seen, &mu), Options{Log: &log})
	ws := "ws" + strings.TrimPrefix(base, "http")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// The connect handler refuses: the handshake gets its status.
	_, resp, err := websocket.Dial(ctx, ws+"/?token=bad", nil)
	if err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("refused connect: %v %v", resp, err)
	}

	conn, _, err := websocket.Dial(ctx, ws+"/?token=ok", nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 20)
	read := func() string {
		t.Helper()
		typ, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if typ != websocket.MessageText {
			t.Errorf("message type %v", typ)
		}
		return string(b)
	}
	for _, msg := range []string{"hello", strings.Repeat("x", 70000)} {
		if err := conn.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		if got, want := read(), "echo "+msg+" from 127.0.0.1"; got != want {
			t.Errorf("reply %.40q; want %.40q", got, want)
		}
	}
	// A failing handler: API Gateway's error message.
	if err := conn.Write(ctx, websocket.MessageText, []byte("fail")); err != nil {
		t.Fatal(err)
	}
	var e map[string]string
	if err := json.Unmarshal([]byte(read()), &e); err != nil || e["message"] != "Internal server error" || e["connectionId"] == "" {
		t.Errorf("error frame %v %v", e, err)
	}
	// The REST API is still served on the same port.
	if r, err := http.Get(base + "/health"); err != nil || r.StatusCode != 200 {
		t.Errorf("GET /health: %v %v", r, err)
	}
	if err := conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Errorf("close: %v", err)
	}

	// A binary message is refused with 1003, as API Gateway does.
	conn2, _, err := websocket.Dial(ctx, ws+"/?token=ok", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn2.Write(ctx, websocket.MessageBinary, []byte{1, 2})
	if _, _, err := conn2.Read(ctx); websocket.CloseStatus(err) != websocket.StatusUnsupportedData {
		t.Errorf("binary message: %v", err)
	}
	// The handler closes the connection through the management API.
	conn3, _, err := websocket.Dial(ctx, ws+"/?token=ok", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn3.Write(ctx, websocket.MessageText, []byte("close me"))
	if _, _, err := conn3.Read(ctx); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("closed by the handler: %v", err)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n >= 6 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	sorted := slices.Sorted(slices.Values(seen)) // disconnects run as connections end
	mu.Unlock()
	got := strings.Join(sorted, "\n")
	want := "connect CONNECT api\nconnect CONNECT api\nconnect CONNECT api\ndisconnect 1000\ndisconnect 1000\ndisconnect 1003"
	if got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(log.String(), " CONNECT ") || !strings.Contains(log.String(), " MESSAGE ") {
		t.Errorf("log:\n%s", log.String())
	}
}
