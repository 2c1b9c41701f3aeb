package chalicetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chalc-dev/chalc/runtime/samples"
)

// websocketEndpointVar is where WebsocketEvent.API() sends management
// calls outside Lambda (runtime/devserver sets it for `chalc local`).
const websocketEndpointVar = "CHALC_WEBSOCKET_ENDPOINT"

// WebsocketClient connects emulated clients to the app's websocket API:
// each connection runs websocket_connect, each message
// websocket_message, Close websocket_disconnect, with API Gateway's
// events; what the handlers send back through the management API
// (WebsocketEvent.API().Send, Close, Info) is recorded on the
// connection, no AWS credentials needed. The first Connect points
// WebsocketEvent.API() at a management API of the client's own (with
// t.Setenv: such a test cannot be parallel).
type WebsocketClient struct {
	c *Client

	once  sync.Once
	mu    sync.Mutex
	conns map[string]*WebsocketConn
	n     int
}

// WebsocketConn is one emulated client connection.
type WebsocketConn struct {
	// ID is the connection's id, as the handlers see it.
	ID string

	ws          *WebsocketClient
	mu          sync.Mutex
	received    []string
	connectedAt time.Time
}

// Connect opens a connection: websocket_connect (when the app has it)
// runs with a $connect event. A connect handler that fails or answers a
// statusCode outside 2xx refuses the connection: the error says so.
func (w *WebsocketClient) Connect() (*WebsocketConn, error) {
	w.c.t.Helper()
	w.once.Do(w.start)
	w.mu.Lock()
	w.n++
	conn := &WebsocketConn{ID: fmt.Sprintf("conn-%d=", w.n), ws: w, connectedAt: time.Now()}
	w.conns[conn.ID] = conn
	w.mu.Unlock()
	if err := w.run("websocket_connect", samples.Websocket("$connect", conn.ID, "")); err != nil {
		w.mu.Lock()
		delete(w.conns, conn.ID)
		w.mu.Unlock()
		return nil, fmt.Errorf("connect refused: %w", err)
	}
	return conn, nil
}

// run invokes a websocket function, when the app has it, and checks its
// statusCode.
func (w *WebsocketClient) run(name string, event json.RawMessage) error {
	if _, ok := w.c.app.Lookup(name); !ok {
		return nil
	}
	res, err := w.c.Lambda.Invoke(name, event)
	if err != nil {
		return err
	}
	var resp struct {
		StatusCode int `json:"statusCode"`
	}
	if err := res.JSON(&resp); err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", name, res)
	}
	return nil
}

// Send sends a text message from the client: websocket_message runs with
// it as the body (route $default). Its error is the handler's (API
// Gateway would send the client {"message": "Internal server error"}).
func (c *WebsocketConn) Send(message string) error {
	c.ws.c.t.Helper()
	if c.Closed() {
		return fmt.Errorf("connection %s is closed", c.ID)
	}
	_, err := c.ws.c.Lambda.Invoke("websocket_message", samples.Websocket("$default", c.ID, message))
	return err
}

// Received returns the messages the app sent to this client so far
// (WebsocketAPI.Send), in order.
func (c *WebsocketConn) Received() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.received...)
}

// Closed reports whether the app closed the connection
// (WebsocketAPI.Close; websocket_disconnect does not run then) or Close
// was called.
func (c *WebsocketConn) Closed() bool {
	c.ws.mu.Lock()
	defer c.ws.mu.Unlock()
	_, open := c.ws.conns[c.ID]
	return !open
}

// Close closes the connection from the client's side:
// websocket_disconnect runs with a $disconnect event.
func (c *WebsocketConn) Close() error {
	c.ws.mu.Lock()
	delete(c.ws.conns, c.ID)
	c.ws.mu.Unlock()
	return c.ws.run("websocket_disconnect", samples.Websocket("$disconnect", c.ID, ""))
}

// start serves the management API for the test and points
// WebsocketEvent.API() at it.
func (w *WebsocketClient) start() {
	w.conns = map[string]*WebsocketConn{}
	srv := httptest.NewServer(http.HandlerFunc(w.serveManagement))
	w.c.t.Cleanup(srv.Close)
	w.c.t.Setenv(websocketEndpointVar, srv.URL)
}

// serveManagement answers POST, GET and DELETE /{stage}/@connections/{id}
// as API Gateway's management API; a connection that is gone is 410.
func (w *WebsocketClient) serveManagement(rw http.ResponseWriter, r *http.Request) {
	_, rest, _ := strings.Cut(r.URL.EscapedPath(), "/@connections/")
	id, _ := url.PathUnescape(rest)
	w.mu.Lock()
	conn := w.conns[id]
	w.mu.Unlock()
	if conn == nil {
		rw.WriteHeader(http.StatusGone)
		_, _ = io.WriteString(rw, `{"message":null}`)
		return
	}
	switch r.Method {
	case http.MethodPost:
		b, _ := io.ReadAll(r.Body)
		conn.mu.Lock()
		conn.received = append(conn.received, string(b))
		conn.mu.Unlock()
	case http.MethodGet:
		rw.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(rw).Encode(map[string]any{
			"connectedAt":  conn.connectedAt.UTC().Format(time.RFC3339Nano),
			"lastActiveAt": time.Now().UTC().Format(time.RFC3339Nano),
			"identity":     map[string]string{"sourceIp": "127.0.0.1", "userAgent": "chalicetest"},
		})
	case http.MethodDelete:
		w.mu.Lock()
		delete(w.conns, id)
		w.mu.Unlock()
		rw.WriteHeader(http.StatusNoContent)
	default:
		rw.WriteHeader(http.StatusMethodNotAllowed)
	}
}
