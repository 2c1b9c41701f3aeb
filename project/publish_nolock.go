//go:build !unix

package project

import "errors"

var errLocked = errors.New("locked")

// lockDir: no directory locks on this system; concurrent runs into one
// output directory are not detected.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
