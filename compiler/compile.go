package compiler

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/chalc-dev/chalc/gocheck/gomodel"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/schema"
	"github.com/chalc-dev/chalc/stages"
)

// Options tune a compile.
type Options struct {
	// Stage is the stage to compile ("" means dev).
	Stage string
	// CheckStages lists further stages whose configuration rules are
	// checked (chalc validate checks every stage).
	CheckStages []string
	// Go selects the checks of the Go code (gocheck); none by default
	// (benchmarks, and tools that only need the manifest). Without
	// gomodel.SDKCalls every function with autogen_policy shares
	// DefaultRole, without SDK actions.
	Go gomodel.Checks
	// GoCheck runs the checks of the Go code (gocheck.Check; tests may
	// give a fake). The compiler never loads Go code or runs the go
	// command itself: with GoCheck nil, no Go check runs whatever Go says.
	GoCheck func(gomodel.Request) (*gomodel.Result, diag.Diagnostics)
	// CacheDir holds the Go check caches; "" disables caching.
	CacheDir string
	// Build returns the go build that follows the Go check for the
	// compiled stage's architecture (x86_64 or arm64): the check reads
	// the dependencies' export data as that build compiles them, so that
	// nothing is compiled twice. nil: gomodel.DefaultBuild.
	Build func(architecture string) gomodel.BuildConfig
	// Templates are the merge templates the app is packaged with, for
	// the checks of what the manifest names in them (*_resource keys,
	// environment variables' intrinsics); nil skips those checks, for
	// commands that write no template.
	Templates *MergeTemplates
}

// checker accumulates diagnostics while the passes build the App.
type checker struct {
	set  *manifest.Set
	m    *manifest.Manifest
	opts Options
	ds   diag.Diagnostics
	app  *App

	pkgs map[string]*Package // by directory
	// handlerRefs are checked against Go funcs once packages are loaded.
	handlerRefs []handlerUse
	// pendingFns are builtin-authorizer Lambdas waiting for their scope's
	// functions to be registered first.
	pendingFns []*Function
	// fragmentAuthorizers resolve a fragment route's authorizer: its own
	// fragment's first.
	fragmentAuthorizers []scopedAuthorizer

	// Route indexes keep the checks linear in the number of routes.
	routeIndex map[string]*Route   // "METHOD /path"
	byPath     map[string][]*Route // routes of a path, in order
	paramAt    map[string]paramUse // parent resource shape → its {param}

	namePrefixAt map[*Function]diag.Range // where a blueprint prefixed the name
	duplicate    map[*Function]bool       // reported as a duplicate name
	// ids are the generated logical IDs claimed so far (logicalIDs, then
	// the SDK roles of assignRoles).
	ids map[string]idOwner

	middlewareDone map[*manifest.Fragment]bool
	// sites are the parts of the app whose values differ per stage
	// (stagevalues.go).
	sites []*stageSite
	// sdkDone: the SDK-call analysis filled the functions' actions.
	sdkDone bool
	// sqsSources are the sqs triggers as written, for the checks that
	// need the merge templates (a queue_resource's FIFO limits).
	sqsSources map[*Function]*manifest.SQSSource
}

// Compile checks a loaded manifest set and builds the App for one stage.
// The returned diagnostics hold every problem found (errors and warnings);
// the App is nil when there is an error.
func Compile(set *manifest.Set, opts Options) (*App, diag.Diagnostics) {
	if opts.Stage == "" {
		opts.Stage = stages.DefaultStage
	}
	c := &checker{set: set, opts: opts, pkgs: map[string]*Package{},
		routeIndex: map[string]*Route{}, byPath: map[string][]*Route{}, paramAt: map[string]paramUse{},
		namePrefixAt: map[*Function]diag.Range{}, duplicate: map[*Function]bool{},
		middlewareDone: map[*manifest.Fragment]bool{}, sqsSources: map[*Function]*manifest.SQSSource{}}
	if set.Root == nil || set.Root.Root == nil {
		return nil, nil // the parser has reported why
	}
	// The schema and the checks below read the same (immutable) nodes
	// and do not depend on each other: validate on the other core.
	schemaDone := make(chan diag.Diagnostics, 1)
	go func() {
		ds := schema.Validate(set.Root)
		for _, f := range set.Fragments {
			if f.Root != nil {
				ds = append(ds, schema.ValidateFragment(f)...)
			}
		}
		schemaDone <- ds
	}()
	joined := false
	joinSchema := func() {
		if !joined {
			joined = true
			c.ds = append(c.ds, <-schemaDone...)
		}
	}
	c.m = set.Decode()
	c.app = &App{
		Name:         c.m.AppName.V,
		Manifest:     c.m,
		ManifestPath: set.Root.Path,
		Dir:          filepath.Dir(set.Root.Path),
	}
	for _, doc := range append([]*manifest.Document{set.Root}, set.Fragments...) {
		if src, ok := set.Sources[doc.Filename]; ok && doc.Path != "" {
			c.app.Inputs = append(c.app.Inputs, Input{Path: doc.Path, SHA256: inputDigest(src)})
		}
	}
	c.packages()
	c.binaryTypes() // fills app.BinaryTypes: Chalice's defaults (unless replaced) plus api.binary_types
	c.routes()
	c.functions()
	c.middleware()
	c.blueprints()
	c.uniqueNames()
	names := c.functionNames()
	c.ds = append(c.ds, stages.CheckNames(c.m, names)...)
	c.configValues()
	c.ds = append(c.ds, manifest.CheckPlaceholders(c.m)...)

	st, ds := stages.Resolve(c.m, opts.Stage, names)
	c.ds = append(c.ds, ds...)
	if st == nil {
		joinSchema()
		return nil, c.ds.Sorted()
	}
	c.app.Stage = st
	// Every stage is resolved: the generated code carries each stage's
	// run-time settings. Config rules are checked where asked.
	checked := []*stages.Stage{st}
	for _, other := range opts.CheckStages {
		if other != opts.Stage && !slices.Contains(stages.Names(c.m), other) {
			_, ods := stages.Resolve(c.m, other, names)
			c.ds = append(c.ds, ods...)
		}
	}
	for _, name := range stages.Names(c.m) {
		if name == opts.Stage {
			c.app.Stages = append(c.app.Stages, st)
			continue
		}
		ost, _ := stages.Resolve(c.m, name, names)
		c.app.Stages = append(c.app.Stages, ost)
		if slices.Contains(opts.CheckStages, name) {
			checked = append(checked, ost)
		}
	}
	c.ds = append(c.ds, stages.Check(checked...)...)
	c.stageValues(checked)
	c.apiKinds(checked)
	c.triggerResources(checked)
	c.functionLimits(checked)
	c.chalcTag(checked)
	for _, f := range c.allFunctions() {
		f.Config = st.Functions[f.Name]
	}
	c.policyFiles(checked)
	c.logicalIDs()
	c.envReferences(checked)
	joinSchema()
	if opts.Go&gomodel.Handlers != 0 && opts.GoCheck != nil && !c.ds.HasErrors() {
		c.goCheck()
	}
	if !c.ds.HasErrors() {
		c.extraActions()
		c.extraActionsUnused()
		c.assignRoles()
		c.checkRoleSizes()
	}
	if c.ds.HasErrors() {
		return nil, c.ds.Sorted()
	}
	return c.app, c.ds.Sorted()
}

// goCheck type-checks the handlers packages, checks each handler named
// in the manifest against its Go func, and finds each function's SDK
// actions.
func (c *checker) goCheck() {
	req := gomodel.Request{Checks: c.opts.Go, CacheDir: c.opts.CacheDir, Sources: c.set.Sources, Runtime: c.runtimeImports()}
	if c.opts.Build != nil {
		req.Build = c.opts.Build(c.app.Stage.Architecture.V)
	}
	if !c.needsSDKAnalysis() {
		req.Checks &^= gomodel.SDKCalls
	}
	for _, p := range c.app.Packages {
		req.Packages = append(req.Packages, gomodel.Target{Dir: p.Dir, At: p.At, Written: p.Written})
	}
	res, ds := c.opts.GoCheck(req)
	c.ds = append(c.ds, ds...)
	for i, gp := range res.Packages {
		if p := c.app.Packages[i]; gp != nil {
			p.ImportPath, p.Name, p.Funcs, p.Objects, p.Checked = gp.ImportPath, gp.Name, gp.Funcs, gp.Objects, true
		}
	}
	// Handlers are checked against every package that loaded, even when
	// another problem (chalc's runtime missing from go.mod) was found.
	c.checkHandlers()
	if res.SDK != nil && !c.ds.HasErrors() {
		c.sdkActions(res.SDK)
	}
}

// runtimeImports lists the runtime packages the app's generated code
// imports, which its module must provide.
func (c *checker) runtimeImports() []gomodel.RuntimeImport {
	at := c.app.Handlers.At
	if at.Start.Line == 0 {
		at = diag.Range{Filename: diag.DisplayPath(c.app.ManifestPath)}
	}
	const core, why = "chalc's runtime", "the generated code (chalc_gen.go and the bootstrap) imports it"
	rs := []gomodel.RuntimeImport{{Path: gomodel.ChalicePath, At: at, What: core, Why: why}, {Path: gomodel.DispatchPath, At: at, What: core, Why: why}}
	if f := c.app.s3NotifyAt(); f != nil {
		rs = append(rs, gomodel.RuntimeImport{Path: gomodel.S3NotifyPath, At: f.S3.At, What: "chalc's S3 notification runtime",
			Why: fmt.Sprintf("the bootstrap includes it because function %q subscribes to an existing bucket", f.Name)})
	}
	return rs
}

// allFunctions returns the API handler (if any) and every other function.
func (c *checker) allFunctions() []*Function {
	var out []*Function
	if c.app.APIHandler != nil {
		out = append(out, c.app.APIHandler)
	}
	return append(out, c.app.Functions...)
}

// functionNames lists every function name, as lambda_functions keys use
// them: api_handler first, then registration order.
func (c *checker) functionNames() []string {
	var names []string
	for _, f := range c.allFunctions() {
		names = append(names, f.Name)
	}
	return names
}

// packages registers the app's handlers package.
func (c *checker) packages() {
	dir := "."
	if c.m.Handlers.Set {
		dir = c.m.Handlers.V
	}
	c.app.Handlers = c.pkg(manifest.ResolvePath(c.set.Root, dir), c.m.Handlers)
}

// pkg returns the package in dir, registered where handlers: (v) first
// names it.
func (c *checker) pkg(dir string, v manifest.Value[string]) *Package {
	if p, ok := c.pkgs[dir]; ok {
		return p
	}
	p := &Package{Dir: dir}
	if v.Set {
		p.At, p.Written = v.Range, v.V
		// chalc writes chalc_gen.go into the package: never outside
		// the project unless allowed.
		if d := c.set.CheckInside(dir, v.Range, "handlers", v.V); d != nil {
			c.ds = append(c.ds, d)
		}
	}
	c.pkgs[dir] = p
	c.app.Packages = append(c.app.Packages, p)
	return p
}

// fragmentPackage is the handlers package of a blueprint fragment.
func (c *checker) fragmentPackage(f *manifest.Fragment) *Package {
	if f == nil {
		return c.app.Handlers
	}
	dir := "."
	if f.Handlers.Set {
		dir = f.Handlers.V
	}
	return c.pkg(manifest.ResolvePath(f.Doc, dir), f.Handlers)
}

// blueprintScope is how a fragment is registered: the url_prefix and
// name_prefix of one blueprints: entry (empty for the app itself).
type blueprintScope struct {
	urlPrefix  string
	namePrefix string
	fragment   *manifest.Fragment
	entry      *manifest.Blueprint
	// badPrefix: the url_prefix is invalid (reported); the fragment's
	// routes are checked on their own but not against the app's, whose
	// conflicts with a wrong prefix would be a second report of one
	// mistake.
	badPrefix bool
}

func (s blueprintScope) name(n string) string { return s.namePrefix + n }

// joinPrefix joins a url_prefix and a route path as Chalice does.
func joinPrefix(prefix, path string) string {
	if prefix == "" {
		return path
	}
	p := strings.TrimRight(prefix, "/") + "/" + strings.Trim(path, "/")
	if p != "/" {
		p = strings.TrimRight(p, "/")
	}
	return p
}

func (c *checker) blueprints() {
	for _, b := range c.m.Blueprints {
		if b.Fragment == nil {
			continue // not loaded: the loader reported it
		}
		f := b.Fragment
		// A fragment's own blueprints: key is reported by the schema.
		scope := blueprintScope{fragment: f, entry: b, namePrefix: b.NamePrefix.V}
		if b.URLPrefix.Set {
			p := b.URLPrefix.V
			if !strings.HasPrefix(p, "/") {
				c.ds.Errorf(diag.BlueprintPrefix, b.URLPrefix.Range, "url_prefix %q must start with \"/\"", p).Hint("write url_prefix: /%s", strings.TrimLeft(p, "/"))
				scope.badPrefix = true
			}
			scope.urlPrefix = strings.TrimRight(p, "/")
			if strings.Contains(p, "{") || strings.Contains(p, "}") {
				c.ds.Errorf(diag.BlueprintPrefix, b.URLPrefix.Range, "url_prefix %q cannot hold {parameters}", p).
					Hint("url_prefix is a fixed path: put {parameters} in the fragment's route paths")
				scope.badPrefix = true
			}
			if strings.IndexFunc(p, unicode.IsControl) >= 0 {
				c.ds.Errorf(diag.BlueprintPrefix, b.URLPrefix.Range, "url_prefix %q holds a control character; API Gateway takes only printable characters in a path", p).
					Hint("remove it (a YAML double-quoted string turns \\n, \\t and \\x.. into control characters)")
				scope.badPrefix = true
			}
		}
		if b.NamePrefix.Set && !validName(b.NamePrefix.V) {
			c.ds.Errorf(diag.BlueprintPrefix, b.NamePrefix.Range, "name_prefix %q may only hold letters, digits, \"_\" and \"-\"", b.NamePrefix.V)
		}
		c.fragmentRoutes(scope)
		c.fragmentFunctions(scope)
	}
}

func validName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func relOrAbs(dir string) string { return diag.DisplayPath(dir) }
