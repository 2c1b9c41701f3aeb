// Command chalc compiles a chalice.yaml app into an AWS SAM template and a
// Lambda deployment package. See the README for the workflow.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	// A command runs for milliseconds and keeps most of what it
	// allocates (the manifest, the handlers' types, the template):
	// collecting while it runs is a quarter of validating a 1000-route
	// app. Collect at 5× the live heap instead of 2×; GOGC wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(Main(os.Args, os.Stdout, os.Stderr))
}
