// Package build owns what ships: it generates chalc_gen.go (the dispatch
// table, func App() *chalice.App) into the app's handlers package and the
// main of the single bootstrap binary, builds that binary for Lambda with
// the go command (linux, CGO_ENABLED=0, -trimpath, stripped), and packs it
// into a reproducible deployment.zip. A content-hash cache skips the Go
// build when nothing that goes into it changed. Program builds such a
// generated main inside the app's module; `chalc local` (package local)
// uses it for its host server.
package build
