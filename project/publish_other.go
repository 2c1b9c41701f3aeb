//go:build !linux && !darwin

package project

import "errors"

// exchange: no atomic exchange of directories on this system; swap
// renames the old output away first.
func exchange(a, b string) error { return errors.ErrUnsupported }
