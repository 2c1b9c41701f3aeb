package devserver

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The server side of the websocket protocol (RFC 6455) that the local
// websocket API needs: the opening handshake, reading a client's
// (masked, possibly fragmented) messages, answering pings, writing
// unmasked frames, and the closing handshake. No extensions (the
// handshake accepts none, so no compression) and no subprotocols. It is
// chalc's own rather than a library's: the local server is built inside
// the user's module, where a dependency of runtime/devserver would have
// to be in every app's go.mod and go.sum (and vendor/).

// Opcodes.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Close codes.
const (
	closeNormal          = 1000
	closeGoingAway       = 1001
	closeProtocolError   = 1002
	closeUnsupportedData = 1003
	closeNoStatus        = 1005 // none was sent (never sent itself)
	closeAbnormal        = 1006 // the connection dropped (never sent itself)
	closeInvalidPayload  = 1007
	closeTooBig          = 1009
	closeServiceRestart  = 1012
)

// wsGUID is the protocol's fixed key suffix (RFC 6455 section 1.3).
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// isUpgrade reports whether r asks to open a websocket.
func isUpgrade(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// handshakeError says why an upgrade request is not a valid opening
// handshake; "" when it is.
func handshakeError(r *http.Request) string {
	switch {
	case r.Method != http.MethodGet:
		return "a websocket handshake is a GET request"
	case r.Header.Get("Sec-Websocket-Version") != "13":
		return "Sec-WebSocket-Version must be 13"
	}
	key, err := base64.StdEncoding.DecodeString(r.Header.Get("Sec-Websocket-Key"))
	if err != nil || len(key) != 16 {
		return "Sec-WebSocket-Key must be 16 bytes, base64-encoded"
	}
	return ""
}

// acceptKey is the Sec-WebSocket-Accept answer to a client's key.
func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// wsConn is an open websocket connection, server side.
type wsConn struct {
	nc net.Conn
	br *bufio.Reader
	// maxMessage is the largest message read; a larger one closes the
	// connection with closeTooBig.
	maxMessage int

	wmu    sync.Mutex // serializes frames written
	closed bool       // a close frame was written
}

// upgrade completes the opening handshake of a request handshakeError
// accepted, with extra response headers, and takes the connection over.
func upgrade(w http.ResponseWriter, r *http.Request, extra http.Header, maxMessage int) (*wsConn, error) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, errors.New("the connection cannot be taken over")
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
	b.WriteString("Sec-WebSocket-Accept: " + acceptKey(r.Header.Get("Sec-Websocket-Key")) + "\r\n")
	for k, vs := range extra {
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	_ = nc.SetDeadline(time.Time{})
	if _, err := io.WriteString(nc, b.String()); err != nil {
		nc.Close()
		return nil, err
	}
	return &wsConn{nc: nc, br: brw.Reader, maxMessage: maxMessage}, nil
}

// closeError is the end of a connection: the close code and reason the
// client sent (or closeAbnormal when it dropped), and, for a protocol
// violation, the code the server closes with.
type closeError struct {
	code   int
	reason string
}

func (e *closeError) Error() string { return fmt.Sprintf("websocket closed: %d %s", e.code, e.reason) }

// readMessage returns the next complete data message (its opcode,
// opText or opBinary, and payload), answering pings and skipping pongs
// meanwhile. It returns a *closeError when the connection ends: the
// client closed it (its code; the closing handshake is answered), it
// dropped (closeAbnormal), or it broke the protocol (the connection is
// closed with the code in the error).
func (c *wsConn) readMessage() (int, []byte, error) {
	var msg []byte
	msgOp := -1
	for {
		fin, op, payload, err := c.readFrame()
		if err != nil {
			var ce *closeError
			if errors.As(err, &ce) {
				c.closeWith(ce.code, ce.reason)
				return 0, nil, ce
			}
			c.nc.Close()
			return 0, nil, &closeError{code: closeAbnormal, reason: err.Error()}
		}
		switch op {
		case opPing:
			if err := c.writeFrame(opPong, payload); err != nil {
				return 0, nil, &closeError{code: closeAbnormal, reason: err.Error()}
			}
			continue
		case opPong:
			continue
		case opClose:
			code, reason := closeNoStatus, ""
			if len(payload) >= 2 {
				code = int(binary.BigEndian.Uint16(payload))
				reason = string(payload[2:])
			}
			echo := code
			if code == closeNoStatus {
				echo = closeNormal
			}
			c.closeWith(echo, "")
			return 0, nil, &closeError{code: code, reason: reason}
		case opText, opBinary:
			if msgOp >= 0 {
				return 0, nil, c.fail(closeProtocolError, "a new message began before the last one ended")
			}
			msgOp = op
		case opContinuation:
			if msgOp < 0 {
				return 0, nil, c.fail(closeProtocolError, "a continuation frame without a message")
			}
		default:
			return 0, nil, c.fail(closeProtocolError, fmt.Sprintf("unknown opcode %#x", op))
		}
		if len(msg)+len(payload) > c.maxMessage {
			return 0, nil, c.fail(closeTooBig, fmt.Sprintf("a message over %d bytes", c.maxMessage))
		}
		msg = append(msg, payload...)
		if fin {
			if msgOp == opText && !utf8.Valid(msg) {
				return 0, nil, c.fail(closeInvalidPayload, "a text message that is not UTF-8")
			}
			return msgOp, msg, nil
		}
	}
}

// fail closes the connection for a protocol violation.
func (c *wsConn) fail(code int, reason string) error {
	c.closeWith(code, reason)
	return &closeError{code: code, reason: reason}
}

// readFrame reads one frame, unmasked. A *closeError reports a frame
// that breaks the protocol.
func (c *wsConn) readFrame() (fin bool, op int, payload []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(c.br, h[:]); err != nil {
		return false, 0, nil, err
	}
	fin, op = h[0]&0x80 != 0, int(h[0]&0x0f)
	if h[0]&0x70 != 0 {
		return false, 0, nil, &closeError{code: closeProtocolError, reason: "reserved bits set (no extension was agreed)"}
	}
	if h[1]&0x80 == 0 {
		return false, 0, nil, &closeError{code: closeProtocolError, reason: "a client frame must be masked"}
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return false, 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return false, 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if op >= opClose && (n > 125 || !fin) {
		return false, 0, nil, &closeError{code: closeProtocolError, reason: "a control frame over 125 bytes or fragmented"}
	}
	if n > uint64(c.maxMessage) {
		return false, 0, nil, &closeError{code: closeTooBig, reason: fmt.Sprintf("a message over %d bytes", c.maxMessage)}
	}
	var mask [4]byte
	if _, err := io.ReadFull(c.br, mask[:]); err != nil {
		return false, 0, nil, err
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(c.br, payload); err != nil {
		return false, 0, nil, err
	}
	for i := range payload {
		payload[i] ^= mask[i%4]
	}
	return fin, op, payload, nil
}

// writeFrame writes one unfragmented, unmasked frame.
func (c *wsConn) writeFrame(op int, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closed {
		return net.ErrClosed
	}
	return c.writeFrameLocked(op, payload)
}

func (c *wsConn) writeFrameLocked(op int, payload []byte) error {
	h := make([]byte, 0, 10+len(payload))
	h = append(h, 0x80|byte(op))
	switch n := len(payload); {
	case n <= 125:
		h = append(h, byte(n))
	case n <= 0xffff:
		h = append(h, 126)
		h = binary.BigEndian.AppendUint16(h, uint16(n))
	default:
		h = append(h, 127)
		h = binary.BigEndian.AppendUint64(h, uint64(n))
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.nc.Write(append(h, payload...))
	return err
}

// sendClose writes a close frame, once.
func (c *wsConn) sendClose(code int, reason string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closed {
		return
	}
	if len(reason) > 123 {
		reason = reason[:123]
	}
	payload := binary.BigEndian.AppendUint16(nil, uint16(code))
	_ = c.writeFrameLocked(opClose, append(payload, reason...))
	c.closed = true
}

// closeWith ends the connection from the reading side: a close frame
// (unless one was sent), then the TCP connection is closed.
func (c *wsConn) closeWith(code int, reason string) {
	c.sendClose(code, reason)
	c.nc.Close()
}

// close starts the closing handshake from the server's side: a close
// frame now; the reading side (readMessage) ends the connection when
// the client answers, or after a second without an answer.
func (c *wsConn) close(code int, reason string) {
	c.sendClose(code, reason)
	_ = c.nc.SetReadDeadline(time.Now().Add(time.Second))
}
