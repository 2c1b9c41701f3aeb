// Package bench holds the whole-process benchmarks: they build chalc
// once, as `make build` does, and run it as a user does on generated apps
// (internal/testgen: 1 route, and 1000 routes with a handler each), with
// warm go caches. Each reports the median of at least seven runs as its
// ns/op; the edit benchmarks also time, in the same run, a bare `go build`
// of the same program with the same flags (bare-ms) and report chalc's
// time over it (ratio). `make bench` runs them with the others; the
// README's performance table is theirs.
package bench
