package bench

import (
	"bufio"
	"context"
	"fmt"
	"github.com/chalc-dev/chalc/gocheck/gomodel"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/gocheck"
	"github.com/chalc-dev/chalc/internal/testgen"
	"github.com/chalc-dev/chalc/local"
	"github.com/chalc-dev/chalc/project"
)

// minSamples is the fewest runs a benchmark times, whatever b.N: its
// ns/op is their median (a whole process varies by ±15% on a shared
// machine; the median of 7 is what the README reports).
const minSamples = 7

var (
	chalcOnce sync.Once
	chalcBin  string
	chalcErr  error
	workDir   string
)

// chalc builds chalc once for the benchmarks of this run, as `make
// build` does, into a temporary directory.
func chalc(b *testing.B) string {
	b.Helper()
	chalcOnce.Do(func() {
		workDir, chalcErr = os.MkdirTemp("", "chalc-bench-")
		if chalcErr != nil {
			return
		}
		chalcBin = filepath.Join(workDir, "chalc")
		cmd := exec.Command("go", "build", "-o", chalcBin, "../cmd/chalc")
		if out, err := cmd.CombinedOutput(); err != nil {
			chalcErr = fmt.Errorf("go build chalc: %v\n%s", err, out)
		}
	})
	if chalcErr != nil {
		b.Fatal(chalcErr)
	}
	return chalcBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if workDir != "" {
		os.RemoveAll(workDir)
	}
	os.Exit(code)
}

// app is a generated project (testgen.Project: routes routes, one
// handler each, chalc replaced by this checkout) with a cache of its own.
type app struct {
	dir, cache string
	routes     int
}

func newApp(b *testing.B, routes int) *app {
	b.Helper()
	checkout, err := filepath.Abs("..")
	if err != nil {
		b.Fatal(err)
	}
	a := &app{dir: b.TempDir(), cache: b.TempDir(), routes: routes}
	if err := testgen.Project(a.dir, routes, 0, checkout); err != nil {
		b.Fatal(err)
	}
	return a
}

// run runs chalc in the app's directory and fails on a non-zero exit.
func (a *app) run(b *testing.B, args ...string) {
	b.Helper()
	cmd := exec.Command(chalc(b), args...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), "CHALC_CACHE="+a.cache)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("chalc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

var route0 = regexp.MustCompile(`return map\[string\]string\{"id": id[^}]*\}, nil`)

// edit changes one line of one handler (Route0's result), as a user
// saving a file, and returns the value the handler now answers with.
func (a *app) edit(b *testing.B, n int) string {
	b.Helper()
	file := filepath.Join(a.dir, "app", "app.go")
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	token := fmt.Sprintf("edit-%d-%d", time.Now().UnixNano(), n)
	loc := route0.FindIndex(src)
	if loc == nil {
		b.Fatal("no Route0 result to edit")
	}
	edited := slices.Concat(src[:loc[0]], []byte(fmt.Sprintf(`return map[string]string{"id": id, "v": %q}, nil`, token)), src[loc[1]:])
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		b.Fatal(err)
	}
	return token
}

// samples times fn (after setup, untimed) max(b.N, minSamples) times and
// returns the durations.
func samples(b *testing.B, setup func(i int), fn func(i int)) []time.Duration {
	b.Helper()
	n := max(b.N, minSamples)
	ds := make([]time.Duration, n)
	b.ResetTimer()
	for i := range n {
		b.StopTimer()
		if setup != nil {
			setup(i)
		}
		b.StartTimer()
		start := time.Now()
		fn(i)
		ds[i] = time.Since(start)
	}
	b.StopTimer()
	return ds
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// report makes the median the benchmark's ns/op, and adds it in ms.
func report(b *testing.B, ds []time.Duration) time.Duration {
	m := median(ds)
	b.ReportMetric(float64(m.Nanoseconds()), "ns/op")
	b.ReportMetric(float64(m.Microseconds())/1000, "median-ms")
	return m
}

// BenchmarkVersion: `chalc --version`, the start-up alone. Target: ≤ 10 ms.
func BenchmarkVersion(b *testing.B) {
	bin := chalc(b)
	report(b, samples(b, nil, func(int) {
		if out, err := exec.Command(bin, "--version").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}))
}

// BenchmarkValidate: `chalc validate` with nothing changed (every cache
// warm). Targets: ≤ 15 ms for 1 route, ≤ 40 ms for 1000.
func BenchmarkValidate(b *testing.B) {
	for _, routes := range []int{1, 1000} {
		b.Run(fmt.Sprintf("routes=%d", routes), func(b *testing.B) {
			a := newApp(b, routes)
			a.run(b, "validate")
			report(b, samples(b, nil, func(int) { a.run(b, "validate") }))
		})
	}
}

// BenchmarkPackage: `chalc package` with nothing changed (the check's and
// the build's caches hit; the 1000-route template is written minified).
// Target: ≤ 100 ms for 1000 routes.
func BenchmarkPackage(b *testing.B) {
	for _, routes := range []int{1, 1000} {
		b.Run(fmt.Sprintf("routes=%d", routes), func(b *testing.B) {
			a := newApp(b, routes)
			a.run(b, "package", "out")
			report(b, samples(b, nil, func(int) { a.run(b, "package", "out") }))
		})
	}
}

// bareBuild is a go build of the same main as chalc's, with the same
// flags and environment, from a real file (the main chalc builds exists
// only in its -overlay), in a directory the go command's patterns and
// chalc's source hashing skip.
type bareBuild struct {
	dir     string
	args    []string
	environ []string
}

func (bb bareBuild) run(b *testing.B) {
	b.Helper()
	cmd := exec.Command("go", append(append([]string{"build", "-o", filepath.Join(bb.dir, "_bare", "out")}, bb.args...), "./_bare")...)
	cmd.Dir = bb.dir
	cmd.Env = bb.environ
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("bare go build: %v\n%s", err, out)
	}
}

func newBareBuild(b *testing.B, a *app, main []byte, cfg gomodel.BuildConfig) bareBuild {
	b.Helper()
	env, err := gocheck.ReadEnv(context.Background(), "go", a.dir, cfg.Environ())
	if err != nil {
		b.Fatal(err)
	}
	args, err := cfg.Args(env["GOFLAGS"])
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(a.dir, "_bare"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a.dir, "_bare", "main.go"), main, 0o644); err != nil {
		b.Fatal(err)
	}
	return bareBuild{dir: a.dir, args: args, environ: cfg.Environ()}
}

// checked loads the app as chalc does (for the mains to build bare).
func (a *app) checked(b *testing.B) *project.Checked {
	b.Helper()
	c, err := project.Check(project.Options{Dir: a.dir, CacheDir: a.cache})
	if err != nil || c.App == nil {
		b.Fatalf("%v %v", err, c.Diagnostics)
	}
	return c
}

// BenchmarkEditPackage: one line of one handler edited, then `chalc
// package`, beside the same edit then a bare `go build` of the same
// bootstrap (same main, flags and environment), alternating, in the same
// run. ns/op is chalc's median; bare-ms the bare build's; ratio chalc's
// over the bare build's. Target: ratio ≤ 1.5.
func BenchmarkEditPackage(b *testing.B) {
	for _, routes := range []int{1, 1000} {
		b.Run(fmt.Sprintf("handlers=%d", routes), func(b *testing.B) {
			a := newApp(b, routes)
			a.run(b, "package", "out")
			c := a.checked(b)
			bare := newBareBuild(b, a, build.GenerateMain(c.App), build.BootstrapConfig(c.App.Stage.Architecture.V))
			bare.run(b)
			var bareTimes []time.Duration
			chalcTimes := samples(b, func(i int) {
				a.edit(b, 2*i)
				start := time.Now()
				bare.run(b)
				bareTimes = append(bareTimes, time.Since(start))
				a.edit(b, 2*i+1)
			}, func(int) { a.run(b, "package", "out") })
			m := report(b, chalcTimes)
			bm := median(bareTimes)
			b.ReportMetric(float64(bm.Microseconds())/1000, "bare-ms")
			b.ReportMetric(float64(m)/float64(bm), "ratio")
		})
	}
}

// BenchmarkLocalRebuild: `chalc local` serving the app; one line of one
// handler edited, timed until the server answers with the new code
// (the poll, the check, the build and the swap), beside the same edit then
// a bare `go build` of the same server. Target: ratio ≤ 1.5.
func BenchmarkLocalRebuild(b *testing.B) {
	if runtime.GOOS == "windows" {
		b.Skip("chalc local is Unix only")
	}
	for _, routes := range []int{1, 1000} {
		b.Run(fmt.Sprintf("handlers=%d", routes), func(b *testing.B) {
			a := newApp(b, routes)
			// The bare builds edit and build a copy, so that chalc local
			// does not see their edits.
			copied := newApp(b, routes)
			copied.run(b, "generate")
			c := copied.checked(b)
			bare := newBareBuild(b, copied, local.GenerateMain(c.App, "dev"), local.ServerBuild())
			bare.run(b)

			cmd := exec.Command(chalc(b), "local", "--port", "0")
			cmd.Dir = a.dir
			cmd.Env = append(os.Environ(), "CHALC_CACHE="+a.cache)
			cmd.WaitDelay = 10 * time.Second
			stderr, err := cmd.StderrPipe()
			if err != nil {
				b.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				// Ctrl-C: chalc local stops its server and exits.
				_ = cmd.Process.Signal(os.Interrupt)
				_ = cmd.Wait()
			})
			url := serving(b, stderr)
			answers := func(token string) bool {
				resp, err := http.Get(url + "/resource0/x")
				if err != nil {
					return false
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return strings.Contains(string(body), token)
			}

			var bareTimes []time.Duration
			chalcTimes := samples(b, func(i int) {
				copied.edit(b, i)
				start := time.Now()
				bare.run(b)
				bareTimes = append(bareTimes, time.Since(start))
			}, func(i int) {
				token := a.edit(b, i)
				deadline := time.Now().Add(2 * time.Minute)
				for !answers(token) {
					if time.Now().After(deadline) {
						b.Fatal("the server never answered with the edited handler")
					}
					time.Sleep(2 * time.Millisecond)
				}
			})
			m := report(b, chalcTimes)
			bm := median(bareTimes)
			b.ReportMetric(float64(bm.Microseconds())/1000, "bare-ms")
			b.ReportMetric(float64(m)/float64(bm), "ratio")
		})
	}
}

// serving reads chalc local's stderr until it says where it serves, then
// drains it in the background.
func serving(b *testing.B, stderr io.Reader) string {
	b.Helper()
	lines := bufio.NewScanner(stderr)
	var seen []string
	for lines.Scan() {
		line := lines.Text()
		seen = append(seen, line)
		if u, ok := strings.CutPrefix(line, "Serving on "); ok {
			go io.Copy(io.Discard, stderr)
			u, _, _ = strings.Cut(u, " ")
			return u
		}
	}
	b.Fatalf("chalc local did not start:\n%s", strings.Join(seen, "\n"))
	return ""
}
