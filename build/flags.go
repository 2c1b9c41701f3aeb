package build

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chalc-dev/chalc/gocheck"
)

// buildArgs are p's go build flags given the GOFLAGS the go command
// sees. On its command line, -tags and -ldflags replace those of GOFLAGS
// instead of adding to them, so a program that needs its own (the
// bootstrap: lambda.norpc, -s -w -buildid=) gets the user's merged in:
// the deployed binary is built with the tags and -X settings `go build`,
// `go test` and `chalc local` use. The user's linker flags come first, so
// that chalc's (stripping, no build ID) win where both set the same
// flag. A program without tags or linker flags of its own leaves GOFLAGS
// alone.
func (p Program) buildArgs(goflags string) ([]string, error) {
	args := slices.Clone(p.Flags)
	if len(p.Tags) == 0 && p.LDFlags == "" {
		return args, nil
	}
	fields, err := gocheck.SplitFlags(goflags)
	if err != nil {
		return nil, err
	}
	var userTags []string
	userLD, hasLD := "", false
	for _, f := range fields {
		name, value, ok := gocheck.CutFlag(f)
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
	if len(p.Tags) > 0 {
		tags := slices.Clone(userTags)
		for _, t := range p.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	if p.LDFlags != "" {
		ld := p.LDFlags
		if hasLD && userLD != "" {
			// -ldflags=PATTERN=FLAGS applies FLAGS to the packages
			// matching PATTERN; whether the generated main package is one
			// of them is the go command's business, and a wrong guess
			// would silently drop or misapply the user's flags.
			if !strings.HasPrefix(userLD, "-") {
				return nil, fmt.Errorf("GOFLAGS sets -ldflags=%s, for the packages matching a pattern; chalc merges only linker flags without a pattern into the bootstrap's own (%s)\n"+
					"  hint: write GOFLAGS's -ldflags without the pattern, e.g. '-ldflags=-X=main.version=1.2'", userLD, p.LDFlags)
			}
			ld = userLD + " " + p.LDFlags
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
