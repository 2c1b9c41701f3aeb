//go:build !unix

package userinput

import "os"

// openNonBlocking opens path for reading (named pipes are a Unix matter).
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
