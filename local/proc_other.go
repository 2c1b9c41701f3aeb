//go:build !unix

package local

import "os/exec"

// supported: exec.Cmd.ExtraFiles, which passes the listener to the
// server, does not work on Windows.
const supported = false

func setProcessGroup(cmd *exec.Cmd) {}

func terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
