// Package app is a websocket chat: every message is echoed to its sender.
package app

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// OnConnect accepts every client.
func OnConnect(ctx context.Context, e chalice.WebsocketEvent) error {
	chalice.Logger().Info("connected " + e.ConnectionID)
	return nil
}

// Message is what clients send: {"action": "...", "text": "..."}.
type Message struct {
	Text string `json:"text"`
}

// OnMessage echoes the text back through the management API.
func OnMessage(ctx context.Context, e chalice.WebsocketEvent) (map[string]any, error) {
	var m Message
	if err := e.JSONBody(&m); err != nil {
		return map[string]any{"statusCode": 400}, nil
	}
	reply, _ := json.Marshal(map[string]string{"echo": m.Text})
	err := e.API().Send(ctx, e.ConnectionID, reply)
	var gone *chalice.WebsocketDisconnectedError
	if errors.As(err, &gone) {
		return nil, nil // the client left meanwhile
	}
	return nil, err
}

// OnDisconnect says goodbye in the log.
func OnDisconnect(ctx context.Context, e chalice.WebsocketEvent) error {
	chalice.Logger().Info("disconnected " + e.ConnectionID)
	return nil
}

// Health answers the REST health check.
func Health() (string, error) { return "ok", nil }
