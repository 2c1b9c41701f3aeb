//go:build unix

package local

import (
	"os/exec"
	"syscall"
)

// supported: the server inherits its listener (exec.Cmd.ExtraFiles).
const supported = true

// setProcessGroup starts the server in a process group of its own: a
// Ctrl-C in the terminal reaches chalc only, which stops the server in
// order, and killGroup also ends whatever the server started.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate asks the server to stop gracefully.
func terminate(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
}

// killGroup kills the server's process group. Call it only before the
// server is waited for, while the group id is certainly the server's.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
