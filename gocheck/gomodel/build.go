package gomodel

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
)

// BuildConfig is a go build as chalc runs it: the platform, the
// environment and the flags. The check asks the go command with the
// flags of the build that follows it (the bootstrap's for `chalc
// package`, the local server's for `chalc local`), so that the export
// data it reads for the dependencies is what that build compiles: the
// build then finds those packages in the go build cache instead of
// compiling them again.
type BuildConfig struct {
	GOOS, GOARCH string
	// Env is added to the go command's environment (CGO_ENABLED=0).
	Env []string
	// Flags are go build flags other than -tags and -ldflags
	// (-trimpath, -buildvcs=false).
	Flags []string
	// Tags and LDFlags are the program's own build tags and linker flags,
	// merged with those of GOFLAGS (Args).
	Tags    []string
	LDFlags string
}

// DefaultBuild is the check's build when the Request names none: Lambda's
// OS on this machine's architecture, without cgo and without flags.
func DefaultBuild() BuildConfig {
	return BuildConfig{GOOS: "linux", GOARCH: runtime.GOARCH, Env: []string{"CGO_ENABLED=0"}}
}

// Environ is the environment of the go commands of c: the process's,
// then GOOS, GOARCH and c.Env.
func (c BuildConfig) Environ() []string {
	env := append(os.Environ(), "GOOS="+c.GOOS, "GOARCH="+c.GOARCH)
	return append(env, c.Env...)
}

// String identifies c in cache keys.
func (c BuildConfig) String() string {
	return fmt.Sprintf("%s/%s env=%q flags=%q tags=%q ldflags=%q", c.GOOS, c.GOARCH, c.Env, c.Flags, c.Tags, c.LDFlags)
}

// Args are c's go build flags given the GOFLAGS the go command sees. On
// its command line, -tags and -ldflags replace those of GOFLAGS instead
// of adding to them, so a program that needs its own (the bootstrap:
// lambda.norpc, -s -w -buildid=) gets the user's merged in: the deployed
// binary is built with the tags and -X settings `go build`, `go test`
// and `chalc local` use. The user's linker flags come first, so that
// chalc's (stripping, no build ID) win where both set the same flag. A
// program without tags or linker flags of its own leaves GOFLAGS alone.
func (c BuildConfig) Args(goflags string) ([]string, error) {
	args := slices.Clone(c.Flags)
	if len(c.Tags) == 0 && c.LDFlags == "" {
		return args, nil
	}
	fields, err := SplitFlags(goflags)
	if err != nil {
		return nil, err
	}
	var userTags []string
	userLD, hasLD := "", false
	for _, f := range fields {
		name, value, ok := CutFlag(f)
		if !ok {
			continue
		}
		switch name {
		case "tags":
			// The go command keeps the last -tags; so does chalc.
			userTags = splitTags(value)
		case "ldflags":
			userLD, hasLD = value, true
		}
	}
	if len(c.Tags) > 0 {
		tags := slices.Clone(userTags)
		for _, t := range c.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	if c.LDFlags != "" {
		ld := c.LDFlags
		if hasLD && userLD != "" {
			// -ldflags=PATTERN=FLAGS applies FLAGS to the packages
			// matching PATTERN; whether the generated main package is one
			// of them is the go command's business, and a wrong guess
			// would silently drop or misapply the user's flags.
			if !strings.HasPrefix(userLD, "-") {
				return nil, fmt.Errorf("GOFLAGS sets -ldflags=%s, for the packages matching a pattern; chalc merges only linker flags without a pattern into the bootstrap's own (%s)\n"+
					"  hint: write GOFLAGS's -ldflags without the pattern, e.g. '-ldflags=-X=main.version=1.2'", userLD, c.LDFlags)
			}
			ld = userLD + " " + c.LDFlags
		}
		args = append(args, "-ldflags", ld)
	}
	return args, nil
}

// splitTags reads a -tags value: a comma-separated list, or the older
// space-separated form.
func splitTags(v string) []string {
	var tags []string
	for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\'' }) {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}
