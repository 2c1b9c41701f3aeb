package build

import "github.com/chalc-dev/chalc/gocheck/gomodel"

// Config is p's go build as the Go check knows builds: the check lists
// and reads the dependencies with these flags, so that p's build finds
// them compiled.
func (p Program) Config() gomodel.BuildConfig {
	return gomodel.BuildConfig{GOOS: p.GOOS, GOARCH: p.GOARCH, Env: p.Env, Flags: p.Flags, Tags: p.Tags, LDFlags: p.LDFlags}
}

// buildArgs are p's go build flags given the GOFLAGS the go command
// sees (gomodel.BuildConfig.Args: the user's -tags and -ldflags merged
// with p's own).
func (p Program) buildArgs(goflags string) ([]string, error) {
	return p.Config().Args(goflags)
}
