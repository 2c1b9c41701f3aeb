//go:build !unix

package rie

import "os/exec"

func setProcessGroup(cmd *exec.Cmd) {}

func terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

type child struct{}

func children(ppid int) []child { return nil }

func (child) kill() {}
