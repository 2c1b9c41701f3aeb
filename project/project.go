// Package project runs chalc's steps on a project directory, in the order
// of the design card: load the manifest, check it (schema, stages,
// compiler), generate chalc_gen.go, build the bootstrap, write the
// template and the zip. It is the library behind every CLI command, so
// everything the CLI does is reachable from a test.
package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/gocheck"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/build"
	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/merge"
	"github.com/chalc-dev/chalc/sam"
	"github.com/chalc-dev/chalc/stages"
)

// ManifestName is the manifest's file name in a project directory.
const ManifestName = "chalice.yaml"

// Options say which project and stage to work on.
type Options struct {
	// Dir is the project directory (holding chalice.yaml); default ".".
	Dir string
	// Stage is the stage to compile; default dev.
	Stage string
	// AllStages checks the configuration rules of every stage.
	AllStages bool
	// SkipGo lists the checks of the Go code not to run (all run by
	// default): gomodel.All checks only the manifest (and so generates
	// nothing); gomodel.RuntimeModules is for `chalc generate`, which
	// writes the file whose imports `go mod tidy` then records;
	// gomodel.SDKCalls leaves the roles without SDK actions, for `chalc
	// local`, which deploys nothing.
	SkipGo gomodel.Checks
	// AllowOutsideProject lets the paths chalice.yaml writes (handlers,
	// blueprint fragments, policy files) lead outside the project
	// directory.
	AllowOutsideProject bool
	// CacheDir overrides the cache location (default: the user cache
	// directory's chalc/, or $CHALC_CACHE).
	CacheDir string
	// Progress receives a line per slow step; nil is quiet.
	Progress func(string)
	// Build is the go build that follows the Go check, for the stage's
	// architecture (default: the Lambda bootstrap's, build.BootstrapConfig,
	// which package and deploy build; chalc local builds for this machine).
	// The check takes the dependencies' export data from that build's
	// cache entries, so that it compiles nothing the build compiles again.
	Build func(architecture string) gomodel.BuildConfig
	// Templates: the command checks or writes the template (validate,
	// package, deploy). Check then loads MergeTemplates (paths relative
	// to the working directory) and checks what the manifest names in
	// them; Package merges the files it loaded.
	Templates      bool
	MergeTemplates []string
}

// UsageError is a mistake on the command line (exit status 2), such as a
// stage the manifest does not declare.
type UsageError struct{ Diagnostics diag.Diagnostics }

func (e *UsageError) Error() string { return e.Diagnostics.Error() }

// Checked is a loaded and checked project.
type Checked struct {
	Set *manifest.Set
	App *compiler.App // nil when Diagnostics has errors
	// Diagnostics holds every problem found, sorted.
	Diagnostics diag.Diagnostics

	cacheDir string // CacheDir(opts.CacheDir) of the check
	// MergeFiles are the merge templates Check loaded (Options.Templates).
	MergeFiles []*merge.File
	templates  bool
}

// Sources returns the file contents diagnostics refer to, merge
// templates included.
func (c *Checked) Sources() diag.Sources {
	if c == nil || c.Set == nil {
		return diag.Sources{}
	}
	if len(c.MergeFiles) == 0 {
		return c.Set.Sources
	}
	src := diag.Sources{}
	for name, b := range c.Set.Sources {
		src[name] = b
	}
	for _, f := range c.MergeFiles {
		src[f.Name] = f.Src
	}
	return src
}

// CacheDir is where chalc keeps its caches.
func CacheDir(override string) string {
	if override != "" {
		return override
	}
	if d := os.Getenv("CHALC_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "chalc")
	}
	return ""
}

func (o Options) manifestPath() string {
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	return filepath.Join(dir, ManifestName)
}

// Check loads and checks the project. A *UsageError is returned for an
// unknown stage; manifest problems are in Checked.Diagnostics.
func Check(opts Options) (*Checked, error) {
	set, ds := manifest.LoadWith(opts.manifestPath(), manifest.LoadOptions{AllowOutsideProject: opts.AllowOutsideProject})
	c := &Checked{Set: set, cacheDir: CacheDir(opts.CacheDir)}
	if set.Root == nil || set.Root.Root == nil || ds.HasErrors() && fatalLoad(ds) {
		c.Diagnostics = ds.Sorted()
		return c, nil
	}
	stage := opts.Stage
	if stage == "" {
		stage = stages.DefaultStage
	}
	copts := compiler.Options{Stage: stage, Go: gomodel.All &^ opts.SkipGo, GoCheck: gocheck.Check, CacheDir: CacheDir(opts.CacheDir), Build: opts.Build}
	if copts.Build == nil {
		copts.Build = build.BootstrapConfig
	}
	if opts.AllStages {
		copts.CheckStages = stages.Names(set.Decode())
	}
	if opts.Templates {
		// What the manifest names in the merge templates is checked
		// with the manifest (validate checks every stage).
		c.templates = true
		var files []*merge.File
		loaded := true
		for _, path := range opts.MergeTemplates {
			f, fds := merge.Load(path, filepath.ToSlash(path))
			ds = append(ds, fds...)
			if f != nil {
				files = append(files, f)
			}
			loaded = loaded && f != nil && f.Value != nil
		}
		c.MergeFiles = files
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		// A template that could not be read is the error: what it would
		// define is not checked against the rest.
		if loaded {
			copts.Templates = &compiler.MergeTemplates{Value: merge.Combined(files), Names: names,
				KeyAt: func(path ...string) diag.Range { return merge.KeyAt(files, path...) }}
		}
	}
	app, cds := compiler.Compile(set, copts)
	all := append(ds, cds...)
	if app == nil && set.Root.Root != nil {
		m := set.Decode()
		if !slices.Contains(stages.Names(m), stage) {
			_, uds := stages.Resolve(m, stage, nil)
			return c, &UsageError{Diagnostics: uds}
		}
	}
	c.App, c.Diagnostics = app, all.Sorted()
	if c.Diagnostics.HasErrors() {
		c.App = nil
	}
	return c, nil
}

// fatalLoad: the manifest file itself could not be read.
func fatalLoad(ds diag.Diagnostics) bool {
	for _, d := range ds {
		if d.Subject.Start.Line == 0 && d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// Generate writes chalc_gen.go for a checked app; it reports whether the
// file changed.
func Generate(c *Checked) (bool, error) {
	if c.App == nil {
		return false, errors.New("the project has errors")
	}
	return build.WriteGenerated(c.App, c.cacheDir)
}

// RecordRuntimeModules makes the app's go.mod and go.sum record what the
// runtime packages chalc_gen.go imports need (gocheck.RecordRuntime) and
// returns what changed, a line each; nothing when nothing was missing.
func RecordRuntimeModules(ctx context.Context, c *Checked) ([]string, error) {
	if c.App == nil {
		return nil, errors.New("the project has errors")
	}
	root := gocheck.ModuleRoot(c.App.Handlers.Dir)
	if root == "" {
		return nil, nil // the Go check has said so
	}
	return gocheck.RecordRuntime(ctx, root, c.App.RuntimePackages())
}

// GenerateCheck reports whether chalc_gen.go is current, without writing.
func GenerateCheck(c *Checked) (current bool, path string, err error) {
	src, err := build.GenerateAppCached(c.App, c.cacheDir)
	if err != nil {
		return false, "", err
	}
	path = build.GeneratedPath(c.App)
	old, err := os.ReadFile(path)
	if err != nil {
		return false, path, nil
	}
	return bytes.Equal(old, src), path, nil
}

// PackageOptions say what `chalc package` writes.
type PackageOptions struct {
	// Out is the output directory.
	Out string
	// Format is "json" (default) or "yaml".
	Format string
	// Compact writes minified JSON.
	Compact bool
	// MergeTemplates are merged onto the generated template, in order
	// (paths relative to the working directory).
	MergeTemplates []string
	// Deploy says the template goes to CloudFormation through chalc
	// deploy, which passes it as compact JSON and uploads it to S3 when
	// it is over the inline limit: the checks apply to that form, and
	// diagnostics name it "template" rather than a temporary file.
	Deploy bool
}

// Problems are diagnostics found after the manifest was checked (in merge
// templates), with the sources to render them.
type Problems struct {
	Diagnostics diag.Diagnostics
	Sources     diag.Sources
}

func (p *Problems) Error() string { return p.Diagnostics.Error() }

// Packaged is what Package wrote.
type Packaged struct {
	TemplatePath string
	ZipPath      string
	Template     []byte
	// Value is the template as plain JSON values (cfnjson), merged.
	Value       map[string]any
	Zip         []byte
	BuildCached bool
	// LayerPath is set when automatic_layer put the bootstrap in a layer.
	LayerPath string
	// Warnings are problems that do not stop packaging (a template over
	// the inline size, an API over API Gateway's default quota).
	Warnings *Problems
	// Kept are files of an earlier package in Out that this one would
	// have removed (the template of the other format, a layer zip), left
	// because chalc did not write them or they changed since.
	Kept []string
	// Minified is set when the JSON template was written minified
	// because indented it would be over CloudFormation's size limit:
	// PrettySize is its indented size.
	Minified   bool
	PrettySize int
}

// Package builds the template and the deployment package of a checked
// app and writes both into opts.Out, only once both are complete.
//
// Any error it returns is a *Problems, an *OutDirError (a usage error),
// or the context's error.
func Package(ctx context.Context, c *Checked, popts PackageOptions, opts Options) (p *Packaged, err error) {
	defer func() { err = asProblems(err) }()
	app := c.App
	if app == nil {
		return nil, errors.New("the project has errors")
	}
	if err := CheckOutDir(opts.Dir, popts.Out); err != nil {
		return nil, err
	}
	if _, err := build.WriteGenerated(app, c.cacheDir); err != nil {
		return nil, fmt.Errorf("writing %s: %w", gomodel.GeneratedFile, err)
	}
	value, err := sam.Generate(app)
	if err != nil {
		return nil, err
	}
	var mergeFiles []*merge.File
	probs := &Problems{Sources: diag.Sources{}}
	if c.templates || len(popts.MergeTemplates) > 0 {
		merged, files, mprobs := mergeTemplates(value, c.MergeFiles, popts.MergeTemplates)
		if mprobs != nil {
			return nil, mprobs
		}
		value, mergeFiles = merged, files
		for _, f := range files {
			probs.Sources[f.Name] = f.Src
		}
	}
	pretty, err := cfnjson.EncodeJSON(value, false)
	if err != nil {
		return nil, err
	}
	compact, err := cfnjson.EncodeJSON(value, true)
	if err != nil {
		return nil, err
	}
	var tmpl []byte
	name := "sam.json"
	minified := false
	switch {
	case popts.Format == "yaml":
		name = "sam.yaml"
		tmpl, err = cfnjson.EncodeYAML(value)
	case popts.Compact:
		tmpl = compact
	case len(pretty) > awsfacts.MaxTemplateBytes && len(compact) <= awsfacts.MaxTemplateBytes:
		// CloudFormation would refuse the indented template and takes
		// the minified one alike: write that (the caller says so).
		tmpl, minified = compact, true
	default:
		tmpl = pretty
	}
	if err != nil {
		return nil, err
	}
	// What CloudFormation would reject is an error now, not at deploy.
	// References the manifest writes (an environment variable's !Ref, a
	// *_resource) are reported at its lines.
	origins := merge.Origins(sam.Origins(app))
	probs.Diagnostics = append(probs.Diagnostics,
		checkTemplateFrom(value, filepath.ToSlash(filepath.Join(popts.Out, name)), len(tmpl), len(compact), mergeFiles, origins, popts.Deploy)...)
	for name, src := range c.Sources() {
		probs.Sources[name] = src
	}
	if probs.Diagnostics.HasErrors() {
		probs.Diagnostics = probs.Diagnostics.Sorted()
		return nil, probs
	}
	outAbs, err := filepath.Abs(popts.Out)
	if err != nil {
		return nil, err
	}
	res, err := build.Package(ctx, app, build.Options{
		CacheDir: CacheDir(opts.CacheDir),
		Exclude:  []string{outAbs},
		// nil when quiet: the build then does not ask the go command
		// whether the standard library is compiled yet.
		Progress: opts.Progress,
	})
	if err != nil {
		return nil, err
	}
	p = &Packaged{
		Warnings:     &Problems{Diagnostics: probs.Diagnostics.Sorted(), Sources: probs.Sources},
		TemplatePath: filepath.Join(popts.Out, name),
		ZipPath:      filepath.Join(popts.Out, "deployment.zip"),
		Template:     tmpl,
		Value:        value,
		Zip:          res.Zip,
		BuildCached:  res.Cached,
		Minified:     minified,
		PrettySize:   len(pretty),
	}
	files := map[string][]byte{}
	var stale []string
	code := res.Zip
	if app.Stage.AutomaticLayer.V {
		// The bootstrap ships once, in the layer (its zip is the same
		// archive); the functions' own package holds only a note, since
		// Lambda needs a non-empty package.
		p.LayerPath = filepath.Join(popts.Out, "layer-deployment.zip")
		files["layer-deployment.zip"] = res.Zip
		code, err = build.Zip(map[string][]byte{"README.txt": []byte(layerNote)})
		if err != nil {
			return nil, err
		}
		p.Zip = code
	} else {
		stale = append(stale, "layer-deployment.zip")
	}
	files["deployment.zip"] = code
	files[name] = tmpl
	// A template of the other format from an earlier run would be stale;
	// it goes only if chalc wrote it (a user's own sam.yaml stays).
	other := "sam.yaml"
	if name == "sam.yaml" {
		other = "sam.json"
	}
	stale = append(stale, other)
	// Everything is published at once (publish.go): never a new zip
	// beside an old template.
	if p.Kept, err = publish(outAbs, popts.Out, files, stale); err != nil {
		return nil, err
	}
	return p, nil
}

// asProblems gives an error of a step after the manifest check its
// diagnostic: a failed go build of the bootstrap, or output chalc cannot
// write.
func asProblems(err error) error {
	var probs *Problems
	var outDir *OutDirError
	var build *build.GoBuildError
	var busy *BusyError
	switch {
	case err == nil, errors.As(err, &probs), errors.As(err, &outDir), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &busy):
		return &Problems{Diagnostics: diag.Diagnostics{diag.Errorf(diag.OutputBusy, diag.Range{}, "%v", busy)}, Sources: diag.Sources{}}
	case errors.As(err, &build):
		d := diag.Errorf(diag.GoBuild, diag.Range{}, "the go build of the bootstrap failed")
		for _, line := range strings.Split(build.Output, "\n") {
			d.Note(diag.Range{}, "%s", line)
		}
		if build.Hint != "" {
			d.Hint("%s", build.Hint)
		}
		return &Problems{Diagnostics: diag.Diagnostics{d}, Sources: diag.Sources{}}
	}
	return &Problems{Diagnostics: diag.Diagnostics{diag.Errorf(diag.Output, diag.Range{}, "%v", err)}, Sources: diag.Sources{}}
}

// checkTemplate is merge.Check for the template as it will be deployed.
// Through chalc deploy it is the compact form, and one over the inline
// limit is uploaded, so no warning advises `aws cloudformation deploy
// --s3-bucket`: its size is counted as at most the inline limit unless it
// is over the 1 MB CloudFormation takes from S3.
func checkTemplate(value map[string]any, file string, size, compact int, files []*merge.File, deploy bool) diag.Diagnostics {
	return checkTemplateFrom(value, file, size, compact, files, nil, deploy)
}

// checkTemplateFrom is checkTemplate with the origins of the generated
// template's references in the manifest.
func checkTemplateFrom(value map[string]any, file string, size, compact int, files []*merge.File, origins merge.Origins, deploy bool) diag.Diagnostics {
	if deploy {
		file, size = "template", compact
		if size > awsfacts.MaxInlineBytes && size <= awsfacts.MaxTemplateBytes {
			size = awsfacts.MaxInlineBytes
		}
	}
	return merge.CheckFrom(value, file, size, compact, files, origins)
}

const layerNote = "This function's code is the bootstrap in the ManagedLayer layer (automatic_layer: true).\n"

func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp)
		return errors.Join(werr, cerr)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// mergeTemplates applies the merge templates in order: those Check
// loaded, then each file of paths.
func mergeTemplates(value map[string]any, loaded []*merge.File, paths []string) (map[string]any, []*merge.File, *Problems) {
	probs := &Problems{Sources: diag.Sources{}}
	var out any = value
	files := append([]*merge.File(nil), loaded...)
	for _, path := range paths {
		name := filepath.ToSlash(path)
		f, ds := merge.Load(path, name)
		probs.Diagnostics = append(probs.Diagnostics, ds...)
		if f != nil {
			files = append(files, f)
		}
	}
	for _, f := range files {
		probs.Sources[f.Name] = f.Src
		if f.Value == nil {
			continue // not loaded: reported
		}
		var mds diag.Diagnostics
		out, mds = merge.Merge(out, f.Value, f)
		probs.Diagnostics = append(probs.Diagnostics, mds...)
	}
	if probs.Diagnostics.HasErrors() {
		probs.Diagnostics = probs.Diagnostics.Sorted()
		return nil, nil, probs
	}
	return out.(map[string]any), files, nil
}
