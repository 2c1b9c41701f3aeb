//go:build unix

package rie

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// setProcessGroup starts the emulator in a process group of its own, so
// that killGroup ends it and anything it runs in that group.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate asks the emulator to shut down: on SIGTERM it kills the
// bootstrap and exits.
func terminate(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
}

// killGroup kills the emulator's process group.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// child is a child process of the emulator, identified by its pid and
// start time (so that a reused pid is never killed).
type child struct {
	pid   int
	start string
}

// children lists the emulator's child processes from /proc (Linux; none
// elsewhere). The emulator starts the bootstrap in a process group of
// its own.
func children(ppid int) []child {
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []child
	for _, d := range dirs {
		st, ok := readStat(d)
		if ok && st.ppid == ppid {
			out = append(out, child{pid: st.pid, start: st.start})
		}
	}
	return out
}

// kill kills the child's process group (the bootstrap leads its own)
// and the child, if it is still the same process.
func (c child) kill() {
	st, ok := readStat("/proc/" + strconv.Itoa(c.pid) + "/stat")
	if !ok || st.start != c.start {
		return // gone, or the pid was reused
	}
	if st.pgrp == c.pid {
		_ = syscall.Kill(-c.pid, syscall.SIGKILL)
	}
	_ = syscall.Kill(c.pid, syscall.SIGKILL)
}

type procStat struct {
	pid, ppid, pgrp int
	start           string
}

// readStat parses /proc/<pid>/stat: "pid (comm) state ppid pgrp ...",
// field 22 being the start time. comm may hold spaces and parentheses:
// the fields after it start after the last ')'.
func readStat(path string) (procStat, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return procStat{}, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	j := strings.IndexByte(s, ' ')
	if i < 0 || j < 0 {
		return procStat{}, false
	}
	pid, err := strconv.Atoi(s[:j])
	if err != nil {
		return procStat{}, false
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 20 {
		return procStat{}, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil {
		return procStat{}, false
	}
	return procStat{pid: pid, ppid: ppid, pgrp: pgrp, start: f[19]}, true
}
