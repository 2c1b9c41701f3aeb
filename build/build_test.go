package build

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/gocheck"
)

// workspace writes a go.work workspace like a monorepo's, where the app's
// module is not at the top:
//
//	top/go.work       use ./svc, replace example.com/lib => ./lib
//	top/svc           the app's module (app/ and flavor/ packages)
//	top/lib           a module go.work replaces
//
// and returns top and the app whose handlers are in svc/app.
func workspace(t *testing.T) (string, *compiler.App) {
	t.Helper()
	src, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	top := t.TempDir()
	write(t, top, "go.work", "go 1.26\n\nuse ./svc\n\nreplace example.com/lib => ./lib\n")
	write(t, top, "svc/go.mod", "module example.com/svc\n\ngo 1.26\n\n"+
		"require (\n\tgithub.com/chalc-dev/chalc v0.0.0\n\texample.com/lib v0.0.0\n)\n\n"+
		"replace github.com/chalc-dev/chalc => "+src+"\n")
	write(t, top, "svc/app/app.go", "package app\n\nimport \"example.com/lib\"\n\nfunc Hello() string { return lib.Greeting() }\n")
	write(t, top, "svc/flavor/on.go", "//go:build usertag && lambda.norpc\n\npackage flavor\n\nconst Name = \"both-tags\"\n")
	write(t, top, "svc/flavor/off.go", "//go:build !(usertag && lambda.norpc)\n\npackage flavor\n\nconst Name = \"missing-tags\"\n")
	write(t, top, "lib/go.mod", "module example.com/lib\n\ngo 1.26\n")
	write(t, top, "lib/lib.go", "package lib\n\nfunc Greeting() string { return \"hello\" }\n")
	// The go command's own settings must not leak in from the machine.
	t.Setenv("GOWORK", "")
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOENV", filepath.Join(top, "goenv"))
	t.Setenv("SOURCE_DATE_EPOCH", "")
	return top, &compiler.App{Handlers: &compiler.Package{Dir: filepath.Join(top, "svc", "app")}}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// flavorProgram prints which flavor of svc/flavor its build tags chose
// and main.v, which only -ldflags -X sets. Like the bootstrap, it has
// tags and linker flags of its own.
func flavorProgram() Program {
	return Program{
		Name: "flavor",
		Dir:  "_flavor",
		Main: []byte("package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/svc/flavor\"\n)\n\n" +
			"var v = \"unset\"\n\nfunc main() { fmt.Println(flavor.Name, v) }\n"),
		GOOS:    runtime.GOOS,
		GOARCH:  runtime.GOARCH,
		Env:     []string{"CGO_ENABLED=0"},
		Flags:   []string{"-trimpath", "-buildvcs=false"},
		Tags:    []string{"lambda.norpc"},
		LDFlags: "-s -w -buildid=",
	}
}

func key(t *testing.T, p Program, app *compiler.App) string {
	t.Helper()
	k, err := p.Key(context.Background(), app, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestKeyWorkspace: the go command reads a go.work found in a parent
// directory, the modules it uses and the directories it replaces modules
// with; a change to any of them must change the key, or a cached
// deployment.zip would ship the old code.
func TestKeyWorkspace(t *testing.T) {
	top, app := workspace(t)
	p := flavorProgram()
	seen := map[string]string{}
	step := func(what string) {
		t.Helper()
		k := key(t, p, app)
		for prev, pk := range seen {
			if pk == k {
				t.Errorf("%s: the key is the same as after %s", what, prev)
			}
		}
		seen[what] = k
	}
	step("start")
	if k := key(t, p, app); k != seen["start"] {
		t.Fatalf("the key changed with nothing changed")
	}
	write(t, top, "lib/lib.go", "package lib\n\nfunc Greeting() string { return \"hi\" }\n")
	step("editing the module go.work replaces")
	write(t, top, "go.work", "go 1.26\n\nuse ./svc\n\nreplace example.com/lib => ./lib\n\n// edited\n")
	step("editing go.work")
	write(t, top, "go.work.sum", "example.com/x v1.0.0 h1:AAAA\n")
	step("adding go.work.sum")

	// A second module the workspace uses, with a replacement of its own.
	write(t, top, "tools/go.mod", "module example.com/tools\n\ngo 1.26\n\nreplace example.com/extra => ../extra\n")
	write(t, top, "tools/tools.go", "package tools\n\nconst V = 1\n")
	write(t, top, "extra/go.mod", "module example.com/extra\n\ngo 1.26\n")
	write(t, top, "extra/extra.go", "package extra\n\nconst V = 1\n")
	write(t, top, "go.work", "go 1.26\n\nuse (\n\t./svc\n\t./tools\n)\n\nreplace example.com/lib => ./lib\n")
	step("using another module")
	write(t, top, "tools/tools.go", "package tools\n\nconst V = 2\n")
	step("editing the other module")
	write(t, top, "extra/extra.go", "package extra\n\nconst V = 2\n")
	step("editing what the other module replaces")

	write(t, top, "vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n")
	write(t, top, "vendor/example.com/dep/dep.go", "package dep\n")
	step("vendoring the workspace")
	write(t, top, "vendor/example.com/dep/dep.go", "package dep\n\nconst V = 1\n")
	step("editing a vendored package")

	t.Setenv("GOWORK", "off")
	step("GOWORK=off")
	t.Setenv("GOWORK", "")
	if k := key(t, p, app); k != seen["editing a vendored package"] {
		t.Errorf("GOWORK unset again: want the key from before GOWORK=off")
	}

	// GOFLAGS counts as the go command sees it, also from `go env -w`.
	write(t, top, "goenv", "GOFLAGS=-tags=usertag\n")
	step("GOFLAGS in the go env file")
}

// TestZipKeySourceDateEpoch: the cache holds zips, whose entry times come
// from SOURCE_DATE_EPOCH, so it must be part of their key.
func TestZipKeySourceDateEpoch(t *testing.T) {
	top, _ := workspace(t)
	p := flavorProgram()
	root := filepath.Join(top, "svc")
	env, err := gocheck.ReadEnv(context.Background(), "go", root, p.environ())
	if err != nil {
		t.Fatal(err)
	}
	zk := func(epoch string) string {
		t.Helper()
		t.Setenv("SOURCE_DATE_EPOCH", epoch)
		k, err := p.zipKey(root, env, nil)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	unset := zk("")
	if zk("1700000000") == unset {
		t.Errorf("SOURCE_DATE_EPOCH=1700000000 gives the key of an unset SOURCE_DATE_EPOCH")
	}
	// What gives the same zip gives the same key.
	for _, same := range []string{"not-a-number", "0", "315532800"} {
		if zk(same) != unset {
			t.Errorf("SOURCE_DATE_EPOCH=%s: want the key of an unset SOURCE_DATE_EPOCH (the zip is the same)", same)
		}
	}
}

func TestZipTime(t *testing.T) {
	for epoch, want := range map[string]string{
		"":           "1980-01-01T00:00:00Z",
		"1700000000": "2023-11-14T22:13:20Z",
		"0":          "1980-01-01T00:00:00Z", // a zip cannot date earlier
		"-5":         "1980-01-01T00:00:00Z",
		"9999999999": "2106-01-01T00:00:00Z", // nor later than 32-bit Unix time
		"junk":       "1980-01-01T00:00:00Z",
	} {
		t.Setenv("SOURCE_DATE_EPOCH", epoch)
		if got := zipTime().Format(time.RFC3339); got != want {
			t.Errorf("SOURCE_DATE_EPOCH=%q: zip time %s, want %s", epoch, got, want)
		}
	}
}

func TestBuildArgs(t *testing.T) {
	p := flavorProgram()
	for _, tc := range []struct {
		goflags string
		want    []string
	}{
		{"", []string{"-tags", "lambda.norpc", "-ldflags", "-s -w -buildid="}},
		{"-mod=mod", []string{"-tags", "lambda.norpc", "-ldflags", "-s -w -buildid="}},
		{"-tags=prod,extra", []string{"-tags", "prod,extra,lambda.norpc", "-ldflags", "-s -w -buildid="}},
		{"--tags=lambda.norpc,prod", []string{"-tags", "lambda.norpc,prod", "-ldflags", "-s -w -buildid="}},
		{"-tags=old -tags=new", []string{"-tags", "new,lambda.norpc", "-ldflags", "-s -w -buildid="}},
		{"'-tags=a b'", []string{"-tags", "a,b,lambda.norpc", "-ldflags", "-s -w -buildid="}},
		{"-ldflags=-X=main.v=1", []string{"-tags", "lambda.norpc", "-ldflags", "-X=main.v=1 -s -w -buildid="}},
		{`"-ldflags=-X main.v=1 -X main.w=2" -tags=prod`, []string{"-tags", "prod,lambda.norpc", "-ldflags", "-X main.v=1 -X main.w=2 -s -w -buildid="}},
		{"'-ldflags=-X \"main.v=a b\"'", []string{"-tags", "lambda.norpc", "-ldflags", `-X "main.v=a b" -s -w -buildid=`}},
		{"-ldflags=", []string{"-tags", "lambda.norpc", "-ldflags", "-s -w -buildid="}},
	} {
		got, err := p.buildArgs(tc.goflags)
		if err != nil {
			t.Errorf("GOFLAGS=%s: %v", tc.goflags, err)
			continue
		}
		want := append([]string{"-trimpath", "-buildvcs=false"}, tc.want...)
		if !slices.Equal(got, want) {
			t.Errorf("GOFLAGS=%s:\n got %q\nwant %q", tc.goflags, got, want)
		}
	}
	for _, bad := range []string{"-ldflags=all=-X=main.v=1", "'-ldflags=-X main.v=1"} {
		if _, err := p.buildArgs(bad); err == nil {
			t.Errorf("GOFLAGS=%s: want an error", bad)
		} else {
			t.Logf("GOFLAGS=%s: %v", bad, err)
		}
	}
	// A program without tags and linker flags of its own (chalc local's)
	// leaves GOFLAGS to the go command.
	local := Program{Flags: []string{"-buildvcs=false"}}
	if got, err := local.buildArgs("-tags=prod -ldflags=all=-s"); err != nil || !slices.Equal(got, []string{"-buildvcs=false"}) {
		t.Errorf("local: got %q, %v", got, err)
	}
}

// TestBuildGOFLAGS builds for real: the user's GOFLAGS tags and -X
// settings reach a program that has tags and linker flags of its own.
func TestBuildGOFLAGS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	_, app := workspace(t)
	t.Setenv("GOFLAGS", "-tags=usertag '-ldflags=-X main.v=from-goflags'")
	out := filepath.Join(t.TempDir(), "flavor")
	if err := flavorProgram().Build(context.Background(), app, out, Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(out).Output()
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.TrimSpace(string(got)); s != "both-tags from-goflags" {
		t.Errorf("the program printed %q, want %q (GOFLAGS' tag and -X merged with the program's)", s, "both-tags from-goflags")
	}
}

// TestProgress: a build says what it builds, and notes that it compiles
// the standard library only when the build cache lacks it for the
// program's platform and flags (the slow first build of a platform).
func TestProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	top, app := workspace(t)
	p := flavorProgram()
	build := func() []string {
		t.Helper()
		var lines []string
		opts := Options{Progress: func(s string) { lines = append(lines, s) }}
		if err := p.Build(context.Background(), app, filepath.Join(t.TempDir(), "flavor"), opts); err != nil {
			t.Fatal(err)
		}
		return lines
	}
	build() // the standard library is in the cache after this
	want := []string{"building flavor (" + runtime.GOOS + "/" + runtime.GOARCH + ")"}
	if got := build(); !slices.Equal(got, want) {
		t.Errorf("progress with the standard library cached:\n got %q\nwant %q", got, want)
	}

	// With an empty build cache the go command reports the standard
	// library stale, without building it.
	flags, err := p.buildArgs("")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(top, "svc")
	if p.stdStale(context.Background(), "go", root, flags) {
		t.Errorf("stdStale with the standard library cached: true")
	}
	t.Setenv("GOCACHE", t.TempDir())
	if !p.stdStale(context.Background(), "go", root, flags) {
		t.Errorf("stdStale with an empty build cache: false, want true")
	}
}
