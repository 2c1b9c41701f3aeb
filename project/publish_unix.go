//go:build unix

package project

import (
	"errors"
	"os"
	"syscall"
)

var errLocked = errors.New("locked")

// lockDir takes an exclusive lock on dir (flock on its descriptor: no
// file is created), or fails with errLocked when another process holds
// it.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
