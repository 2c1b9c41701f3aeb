package devserver

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// The websocket API's function names (the manifest's websocket:
// handlers) and its emulated identity.
const (
	wsConnect    = "websocket_connect"
	wsMessage    = "websocket_message"
	wsDisconnect = "websocket_disconnect"
	// WebsocketAPIID is the id of the emulated websocket API.
	WebsocketAPIID = "wslocal123"
	// MaxWebsocketMessage is API Gateway's limit on a websocket message
	// (128 KB); a larger one closes the connection with code 1009.
	MaxWebsocketMessage = 128 << 10
)

// WebsocketEndpointVar is the environment variable the server sets to
// its management API (@connections) for chalice.WebsocketEvent.API: the
// app's Send, Close and Info reach the local clients, unsigned, with no
// AWS credentials.
const WebsocketEndpointVar = "CHALC_WEBSOCKET_ENDPOINT"

// websocketAPI emulates an API Gateway websocket API in front of the
// app's websocket handlers, as chalc deploys it (route selection on
// $request.body.action with only $default, Lambda proxy integrations):
//
//   - A handshake (any path) is the $connect route: websocket_connect
//     runs with the request's headers and query; an error is 500, a
//     non-2xx statusCode refuses the connection with that status and
//     body; otherwise the connection opens (no connect handler: it
//     opens).
//   - Each text message is the $default route: websocket_message runs
//     with it as the body, one message at a time per connection. When it
//     fails, the client receives API Gateway's
//     {"message": "Internal server error", "connectionId", "requestId"}.
//     A binary message closes the connection with 1003, a message over
//     128 KB with 1009, as API Gateway does.
//   - When the connection ends (the client closes it, it drops, the
//     management API deletes it, the server stops), websocket_disconnect
//     runs with disconnectStatusCode and disconnectReason.
//   - The management API, POST/GET/DELETE /{stage}/@connections/{id},
//     served on a loopback port of its own (WebsocketEndpointVar): POST
//     sends its body as one message (text when it is UTF-8, else
//     binary), GET describes the connection, DELETE closes it (code
//     1000); an unknown connection is 410 GoneException.
//
// Idle and lifetime limits (10 minutes, 2 hours) are not emulated.
type websocketAPI struct {
	fns      *functions
	apiStage string
	log      io.Writer // one line per connect, message and disconnect; nil: quiet

	mu    sync.Mutex
	conns map[string]*wsClient
	wg    sync.WaitGroup // connections being served
}

// wsClient is one open connection.
type wsClient struct {
	id          string
	conn        *wsConn
	connectedAt time.Time
	sourceIP    string
	userAgent   string

	mu         sync.Mutex
	lastActive time.Time
	// closeCode and closeReason, when set, are why the server closed the
	// connection, for the disconnect event.
	closeCode   int
	closeReason string
}

func newWebsocketAPI(fns *functions, apiStage string, log io.Writer) *websocketAPI {
	return &websocketAPI{fns: fns, apiStage: apiStage, log: log, conns: map[string]*wsClient{}}
}

// hasWebsocket reports whether the app has any websocket handler.
func hasWebsocket(app *chalice.App) bool {
	for _, name := range []string{wsConnect, wsMessage, wsDisconnect} {
		if f, ok := app.Lookup(name); ok && f.Kind == chalice.KindWebsocket {
			return true
		}
	}
	return false
}

func (a *websocketAPI) logf(format string, args ...any) {
	if a.log != nil {
		fmt.Fprintf(a.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}

// has reports whether the app has the websocket function name.
func (a *websocketAPI) has(name string) bool {
	f, ok := a.fns.app.Lookup(name)
	return ok && f.Kind == chalice.KindWebsocket
}

// newConnectionID returns an id in the shape of API Gateway's.
func newConnectionID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])[:15] + "="
}

// requestContext is the websocket event's requestContext.
func (a *websocketAPI) requestContext(c *wsClient, routeKey, eventType, host string) events.APIGatewayWebsocketProxyRequestContext {
	now := time.Now().UTC()
	reqID := newConnectionID()
	return events.APIGatewayWebsocketProxyRequestContext{
		RouteKey:          routeKey,
		EventType:         eventType,
		ExtendedRequestID: reqID,
		RequestID:         reqID,
		RequestTime:       now.Format("02/Jan/2006:15:04:05 -0700"),
		RequestTimeEpoch:  now.UnixMilli(),
		MessageDirection:  "IN",
		Stage:             a.apiStage,
		ConnectedAt:       c.connectedAt.UnixMilli(),
		Identity:          events.APIGatewayRequestIdentity{SourceIP: c.sourceIP, UserAgent: c.userAgent},
		DomainName:        host,
		ConnectionID:      c.id,
		APIID:             WebsocketAPIID,
	}
}

// invoke runs a websocket function on an event; the result is decoded
// as the websocket proxy response.
func (a *websocketAPI) invoke(ctx context.Context, name string, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	var resp events.APIGatewayProxyResponse
	payload, err := json.Marshal(ev)
	if err != nil {
		return resp, err
	}
	out, err := a.fns.invoke(ctx, name, payload, ev.RequestContext.RequestID)
	if err != nil {
		return resp, err
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return resp, fmt.Errorf("%s answered %s, not a websocket response: %w", name, out, err)
	}
	return resp, nil
}

// serve handles a websocket handshake (see websocketAPI).
func (a *websocketAPI) serve(w http.ResponseWriter, r *http.Request) {
	if msg := handshakeError(r); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	now := time.Now()
	c := &wsClient{id: newConnectionID(), connectedAt: now, lastActive: now, sourceIP: ip, userAgent: r.UserAgent()}
	if a.has(wsConnect) {
		ev := events.APIGatewayWebsocketProxyRequest{RequestContext: a.requestContext(c, "$connect", "CONNECT", r.Host)}
		headers := r.Header.Clone()
		headers.Set("Host", r.Host)
		ev.Headers, ev.MultiValueHeaders = map[string]string{}, map[string][]string{}
		for k, vs := range headers {
			ev.Headers[k] = vs[len(vs)-1]
			ev.MultiValueHeaders[k] = vs
		}
		if q := r.URL.Query(); len(q) > 0 {
			ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
			for k, vs := range q {
				ev.QueryStringParameters[k] = vs[len(vs)-1]
				ev.MultiValueQueryStringParameters[k] = vs
			}
		}
		resp, err := a.invoke(r.Context(), wsConnect, ev)
		switch {
		case err != nil:
			chalice.Logger().Error(fmt.Sprintf("%s failed: %v", wsConnect, err))
			a.logf("CONNECT %s 500 (%s failed)", c.id, wsConnect)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"message": "Internal server error"}`)
			return
		case resp.StatusCode/100 != 2:
			a.logf("CONNECT %s %d (refused by %s)", c.id, resp.StatusCode, wsConnect)
			for k, v := range resp.Headers {
				w.Header().Set(k, v)
			}
			w.WriteHeader(resp.StatusCode)
			_, _ = io.WriteString(w, resp.Body)
			return
		}
	}
	conn, err := upgrade(w, r, nil, MaxWebsocketMessage)
	if err != nil {
		a.logf("CONNECT %s failed: %v", c.id, err)
		return
	}
	c.conn = conn
	a.mu.Lock()
	a.conns[c.id] = c
	a.wg.Add(1)
	a.mu.Unlock()
	a.logf("CONNECT %s", c.id)
	go a.read(c, r.Host)
}

// read runs the messages of a connection until it ends, then the
// disconnect handler.
func (a *websocketAPI) read(c *wsClient, host string) {
	defer a.wg.Done()
	ctx := context.Background()
	var end *closeError
	for {
		op, msg, err := c.conn.readMessage()
		if err != nil {
			end, _ = err.(*closeError)
			break
		}
		c.mu.Lock()
		c.lastActive = time.Now()
		c.mu.Unlock()
		if op == opBinary {
			c.conn.closeWith(closeUnsupportedData, "Binary frames are not supported")
			end = &closeError{code: closeUnsupportedData, reason: "Binary frames are not supported"}
			break
		}
		if !a.has(wsMessage) {
			continue
		}
		rc := a.requestContext(c, "$default", "MESSAGE", host)
		rc.MessageID = newConnectionID()
		resp, err := a.invoke(ctx, wsMessage, events.APIGatewayWebsocketProxyRequest{RequestContext: rc, Body: string(msg)})
		if err != nil {
			chalice.Logger().Error(fmt.Sprintf("%s failed: %v", wsMessage, err))
			a.logf("MESSAGE %s (%s failed)", c.id, wsMessage)
			b, _ := json.Marshal(map[string]string{"message": "Internal server error", "connectionId": c.id, "requestId": rc.RequestID})
			_ = c.conn.writeFrame(opText, b)
			continue
		}
		a.logf("MESSAGE %s %d", c.id, resp.StatusCode)
	}
	a.mu.Lock()
	delete(a.conns, c.id)
	a.mu.Unlock()
	// The code of the close frame read wins: a client that closed (1000)
	// just before the server stopped closed first. The server's own
	// reason counts when the client went without a close frame.
	c.mu.Lock()
	if end == nil && c.closeCode != 0 {
		end = &closeError{code: c.closeCode, reason: c.closeReason}
	}
	c.mu.Unlock()
	if end == nil {
		end = &closeError{code: closeAbnormal}
	}
	a.logf("DISCONNECT %s %d", c.id, end.code)
	if a.has(wsDisconnect) {
		rc := a.requestContext(c, "$disconnect", "DISCONNECT", host)
		rc.DisconnectStatusCode = int64(end.code)
		reason := end.reason
		rc.DisconnectReason = &reason
		if _, err := a.invoke(ctx, wsDisconnect, events.APIGatewayWebsocketProxyRequest{RequestContext: rc}); err != nil {
			chalice.Logger().Error(fmt.Sprintf("%s failed: %v", wsDisconnect, err))
		}
	}
}

// closeAll closes every connection with code and waits (up to ctx) for
// their disconnect handlers.
func (a *websocketAPI) closeAll(ctx context.Context, code int, reason string) {
	a.mu.Lock()
	for _, c := range a.conns {
		c.serverClose(code, reason)
	}
	a.mu.Unlock()
	done := make(chan struct{})
	go func() {
		a.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// serverClose closes the connection from the server's side.
func (c *wsClient) serverClose(code int, reason string) {
	c.mu.Lock()
	if c.closeCode == 0 {
		c.closeCode, c.closeReason = code, reason
	}
	c.mu.Unlock()
	c.conn.close(code, reason)
}

// startManagement serves the management API on a loopback port of its
// own and points WebsocketEndpointVar at it, until stop.
func (a *websocketAPI) startManagement() (stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("the websocket management API: %w", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(a.serveManagement), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	old, had := os.LookupEnv(WebsocketEndpointVar)
	os.Setenv(WebsocketEndpointVar, "http://"+ln.Addr().String())
	return func() {
		srv.Close()
		if had {
			os.Setenv(WebsocketEndpointVar, old)
		} else {
			os.Unsetenv(WebsocketEndpointVar)
		}
	}, nil
}

// serveManagement answers the management API (@connections).
func (a *websocketAPI) serveManagement(w http.ResponseWriter, r *http.Request) {
	_, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/@connections/")
	if !ok {
		mgmtError(w, http.StatusNotFound, "NotFoundException", "the management API is /{stage}/@connections/{connection_id}")
		return
	}
	id, err := url.PathUnescape(rest)
	if err != nil {
		id = rest
	}
	a.mu.Lock()
	c := a.conns[id]
	a.mu.Unlock()
	if c == nil {
		mgmtError(w, http.StatusGone, "GoneException", "")
		return
	}
	switch r.Method {
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebsocketMessage+1))
		if err != nil {
			mgmtError(w, http.StatusBadRequest, "BadRequestException", err.Error())
			return
		}
		if len(body) > MaxWebsocketMessage {
			mgmtError(w, http.StatusRequestEntityTooLarge, "PayloadTooLargeException", fmt.Sprintf("the data is over %d bytes", MaxWebsocketMessage))
			return
		}
		op := opText
		if !utf8.Valid(body) {
			op = opBinary
		}
		if err := c.conn.writeFrame(op, body); err != nil {
			mgmtError(w, http.StatusGone, "GoneException", "")
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		c.mu.Lock()
		info := map[string]any{
			"connectedAt":  c.connectedAt.UTC().Format(time.RFC3339Nano),
			"lastActiveAt": c.lastActive.UTC().Format(time.RFC3339Nano),
			"identity":     map[string]string{"sourceIp": c.sourceIP, "userAgent": c.userAgent},
		}
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(info)
	case http.MethodDelete:
		c.serverClose(closeNormal, "")
		w.WriteHeader(http.StatusNoContent)
	default:
		mgmtError(w, http.StatusMethodNotAllowed, "BadRequestException", "the management API takes POST, GET and DELETE")
	}
}

func mgmtError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"message": msg})
	_, _ = w.Write(b)
}
