// Command chalc compiles a chalice.yaml app into an AWS SAM template and a
// Lambda deployment package. See the README for the workflow.
package main

import "os"

func main() { os.Exit(Main(os.Args, os.Stdout, os.Stderr)) }
