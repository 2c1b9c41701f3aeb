// Package syncbuf is a bytes.Buffer safe for concurrent writes and reads:
// the output of a process or server that tests read while it runs.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer collects writes; String may be called at any time.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
