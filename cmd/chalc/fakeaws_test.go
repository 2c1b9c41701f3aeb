package main

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/chalc-dev/chalc/internal/fakeaws"
)

// fakes holds each script's fake AWS.
var fakes sync.Map // *testscript.TestScript → *fakeaws.Server

// fakeAWS runs a fake AWS (internal/fakeaws: CloudFormation, S3, STS,
// CloudWatch Logs on 127.0.0.1) for the rest of the script:
//
//	fakeaws start                         start it; AWS_ENDPOINT_URL points at it
//	fakeaws stack NAME STATUS [KEY=VALUE]...  add a stack with these outputs
//	                                      (resource:ID=TYPE adds a resource)
//	fakeaws log GROUP MESSAGE             add a log event, now
//	fakeaws fail ID REASON                fail resource ID in the next stack operation
//	fakeaws inject CALL FAULT SKIP COUNT  after SKIP requests of CALL (SERVICE.OP, or * for
//	                                      any), answer COUNT (-1: all) with FAULT: throttle
//	                                      or freeze (never answer)
//	fakeaws heal                          drop the injected faults
//	[!] fakeaws called SERVICE.OP         assert the call was (not) made
//	fakeaws param SERVICE.OP NAME REGEXP  assert a parameter of its last call
func fakeAWS(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: fakeaws start|stack|log|fail|inject|heal|called|param ...")
	}
	if args[0] == "start" {
		srv := fakeaws.New(fakeaws.Options{})
		fakes.Store(ts, srv)
		ts.Defer(srv.Close)
		ts.Setenv("AWS_ENDPOINT_URL", srv.URL)
		return
	}
	v, ok := fakes.Load(ts)
	if !ok {
		ts.Fatalf("fakeaws: run `fakeaws start` first")
	}
	srv := v.(*fakeaws.Server)
	switch {
	case args[0] == "stack" && len(args) >= 3 && !neg:
		info := fakeaws.StackInfo{Name: args[1], Status: args[2], Outputs: map[string]string{}, Resources: map[string]string{}}
		for _, kv := range args[3:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				ts.Fatalf("fakeaws stack: %q is not KEY=VALUE", kv)
			}
			if id, isRes := strings.CutPrefix(k, "resource:"); isRes {
				info.Resources[id] = v
			} else {
				info.Outputs[k] = v
			}
		}
		srv.AddStack(info)
	case args[0] == "log" && len(args) == 3 && !neg:
		srv.AddLogEvents(args[1], fakeaws.LogEvent{Time: time.Now().Add(-time.Minute), Message: args[2] + "\n"})
	case args[0] == "fail" && len(args) == 3 && !neg:
		srv.Fail(args[1], args[2])
	case args[0] == "inject" && len(args) == 5 && !neg:
		call := strings.TrimPrefix(args[1], "*")
		kind, ok := map[string]fakeaws.Fault{"throttle": fakeaws.Throttle, "freeze": fakeaws.Freeze}[args[2]]
		skip, err1 := strconv.Atoi(args[3])
		count, err2 := strconv.Atoi(args[4])
		if !ok || err1 != nil || err2 != nil {
			ts.Fatalf("usage: fakeaws inject CALL throttle|freeze SKIP COUNT")
		}
		srv.Inject(call, kind, skip, count)
	case args[0] == "heal" && len(args) == 1 && !neg:
		srv.Heal()
	case args[0] == "called" && len(args) == 2:
		n := len(srv.Find(args[1]))
		if neg && n > 0 {
			ts.Fatalf("%s was called %d times; calls: %q", args[1], n, srv.Calls())
		}
		if !neg && n == 0 {
			ts.Fatalf("%s was not called; calls: %q", args[1], srv.Calls())
		}
	case args[0] == "param" && len(args) == 4 && !neg:
		reqs := srv.Find(args[1])
		if len(reqs) == 0 {
			ts.Fatalf("%s was not called; calls: %q", args[1], srv.Calls())
		}
		got := reqs[len(reqs)-1].Param(args[2])
		if !regexp.MustCompile(args[3]).MatchString(got) {
			ts.Fatalf("%s %s = %q, does not match %q", args[1], args[2], got, args[3])
		}
	default:
		ts.Fatalf("fakeaws: bad arguments %q", args)
	}
}
