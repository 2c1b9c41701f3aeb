package handlers

import "github.com/chalc-dev/chalc/runtime/chalice"

// Raw returns bytes without a Content-Type.
func Raw() ([]byte, error) { return []byte("%PDF"), nil }

// Typed returns the bytes with a binary Content-Type.
func Typed() (*chalice.Response, error) {
	return &chalice.Response{Body: []byte("%PDF"), Headers: map[string]string{"Content-Type": "application/pdf"}}, nil
}

// PureBytes is a pure Lambda: its []byte result is JSON (base64).
func PureBytes() ([]byte, error) { return nil, nil }
