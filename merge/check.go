package merge

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/cfnjson"
	"github.com/chalc-dev/chalc/internal/jsonvalue"
	"github.com/chalc-dev/chalc/internal/suggest"
)

// Check finds what would make `aws cloudformation deploy` fail later:
// references to things the template does not define, bad logical IDs and
// CloudFormation's and Lambda's limits. size is the byte size of the
// template as it will be written; compactSize the size of its minified
// form. file names the template in diagnostics; files are the merge
// templates, whose positions are used when an offender came from one.
func Check(t map[string]any, file string, size, compactSize int, files []*File) diag.Diagnostics {
	return CheckFrom(t, file, size, compactSize, files, nil)
}

// Origins maps JSON pointers of the generated template to where the
// manifest writes their value (an environment variable's intrinsic, a
// *_resource key), so that what the checks find there is reported at the
// manifest's line rather than in the generated file.
type Origins map[string]diag.Range

// CheckFrom is Check with the origins of the generated template's values;
// it also finds dependency cycles (cycles.go).
func CheckFrom(t map[string]any, file string, size, compactSize int, files []*File, origins Origins) diag.Diagnostics {
	c := &checker{t: t, file: file, files: files, origins: origins}
	c.shapes()
	c.references()
	c.limits(size, compactSize)
	c.cycles()
	return c.ds
}

type checker struct {
	t       map[string]any
	file    string
	files   []*File
	origins Origins
	ds      diag.Diagnostics
	// generated are the resources the SAM transform adds (by logical ID,
	// what they are): references to them are valid.
	generated map[string]string
	// deployments match the IDs SAM gives each AWS::Serverless::Api's
	// deployment, which change with the API: never valid to name.
	deployments map[string]*regexp.Regexp
	// stages are the IDs of the APIs' generated stages, by API.
	stages map[string]string
}

// at points at path in the last merge template that defines it, else
// where the manifest writes it (origins, the path or the nearest of its
// parents), else at the generated template.
func (c *checker) at(path []string) diag.Range {
	for i := len(c.files) - 1; i >= 0; i-- {
		if _, ok := c.files[i].positions[Pointer(path)]; ok {
			return c.files[i].Pos(path)
		}
	}
	for p := path; len(p) > 0 && c.origins != nil; p = p[:len(p)-1] {
		if r, ok := c.origins[Pointer(p)]; ok {
			return r
		}
	}
	return diag.Range{Filename: c.file}
}

// fromMergeFile reports whether a merge template writes path (a value
// below it gives its parents positions too).
func (c *checker) fromMergeFile(path []string) bool {
	for _, f := range c.files {
		if _, ok := f.positions[Pointer(path)]; ok {
			return true
		}
	}
	return false
}

// atKey points at the key of path in the last merge template that
// writes it (for a name that is wrong), else like at.
func (c *checker) atKey(path []string) diag.Range {
	for i := len(c.files) - 1; i >= 0; i-- {
		if pos, ok := c.files[i].keys[Pointer(path)]; ok {
			return diag.Range{Filename: c.files[i].Name, Start: pos}
		}
	}
	return c.at(path)
}

func section(t map[string]any, name string) map[string]any {
	m, _ := t[name].(map[string]any)
	return m
}

func (c *checker) references() {
	resources := section(c.t, "Resources")
	params := section(c.t, "Parameters")
	conditions := section(c.t, "Conditions")
	c.samGenerated(resources)
	isResource := func(name string) bool {
		_, r := resources[name]
		_, g := c.generated[name]
		return r || g
	}
	defined := func(name string) bool {
		_, p := params[name]
		return isResource(name) || p || awsfacts.PseudoParameters[name]
	}
	for _, sec := range []string{"Parameters", "Outputs", "Conditions"} {
		for _, id := range sortedKeys(section(c.t, sec)) {
			c.logicalID(sec, id)
		}
	}
	for _, id := range sortedKeys(resources) {
		c.logicalID("Resources", id)
		if what, ok := c.generated[id]; ok {
			c.ds.Errorf(diag.TemplateResource, c.atKey([]string{"Resources", id}), "resource %s has the logical ID of %s", id, what).
				Hint("SAM adds that resource when it transforms the template, and CloudFormation refuses two resources with one ID: rename yours")
		}
		r, ok := resources[id].(map[string]any)
		if !ok {
			d := c.ds.Errorf(diag.TemplateResource, c.atKey([]string{"Resources", id}), "resource %s is %s, not a mapping with a Type", id, kind(resources[id]))
			if resources[id] == nil {
				d.Hint("null in a merge template does not delete a resource: it replaces it with null, which CloudFormation rejects")
			}
			continue
		}
		if typ, ok := r["Type"].(string); !ok || typ == "" {
			d := c.ds.Errorf(diag.TemplateResource, c.atKey([]string{"Resources", id}), "resource %s has no Type", id)
			if s := suggest.Closest(id, sortedKeys(resources)); s != "" {
				d.Hint("did you mean %s? A merge template changes a generated resource only under its exact logical ID", s)
			} else {
				d.Hint("a resource added by a merge template needs a Type, such as \"AWS::DynamoDB::Table\"")
			}
		}
		for _, dep := range jsonvalue.Strings(r["DependsOn"]) {
			if !isResource(dep) {
				d := c.ds.Errorf(diag.TemplateReference, c.at([]string{"Resources", id, "DependsOn"}), "resource %s depends on %s, which the template does not define", id, dep)
				c.hintResource(d, dep)
			}
		}
		if cond, ok := r["Condition"].(string); ok && !hasKey(conditions, cond) {
			d := c.ds.Errorf(diag.TemplateReference, c.at([]string{"Resources", id, "Condition"}), "resource %s uses condition %s, which the template does not define", id, cond)
			suggestCondition(d, cond, conditions)
		}
	}
	outputs := section(c.t, "Outputs")
	for _, id := range sortedKeys(outputs) {
		o, _ := outputs[id].(map[string]any)
		if cond, ok := o["Condition"].(string); ok && !hasKey(conditions, cond) {
			d := c.ds.Errorf(diag.TemplateReference, c.at([]string{"Outputs", id, "Condition"}), "output %s uses condition %s, which the template does not define", id, cond)
			suggestCondition(d, cond, conditions)
		}
	}
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 1 {
				for k, arg := range x {
					switch k {
					case "Ref":
						name, ok := arg.(string)
						if !ok || name == "" || defined(name) {
							break // not a name: shapes reports it
						}
						// SAM's references to what it generates:
						// RestAPI.Stage, Fn.Alias, ...
						if res, _, dotted := strings.Cut(name, "."); dotted && hasKey(resources, res) {
							break
						}
						c.undefined(path, "Ref", name, false)
					case "Fn::GetAtt", "Fn::Sub":
						for _, r := range cfnjson.References(k, arg) {
							switch {
							case r.Attribute && !isResource(r.Name):
								c.undefined(path, k, r.Name, true)
							case !r.Attribute && !defined(r.Name):
								c.undefined(path, k, r.Name, false)
							}
						}
					case "Condition":
						if name, ok := arg.(string); ok && !hasKey(conditions, name) && len(path) > 0 && path[0] != "Resources" {
							c.undefinedCondition(path, name, conditions)
						}
					case "Fn::If":
						for _, r := range cfnjson.References(k, arg) {
							if !hasKey(conditions, r.Name) {
								c.undefinedCondition(path, r.Name, conditions)
							}
						}
					}
				}
			}
			for _, k := range sortedKeys(x) {
				walk(x[k], append(path, k))
			}
		case []any:
			for i, e := range x {
				walk(e, append(path, fmt.Sprint(i)))
			}
		}
	}
	for _, sec := range []string{"Resources", "Outputs", "Conditions", "Globals"} {
		if s, ok := c.t[sec]; ok {
			walk(s, []string{sec})
		}
	}
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// logicalID checks the name of a resource, parameter, output or condition.
func (c *checker) logicalID(sec, id string) {
	if !awsfacts.LogicalIDPattern.MatchString(id) {
		c.ds.Errorf(diag.TemplateLogicalID, c.atKey([]string{sec, id}), "logical ID %q in %s may only hold letters and digits", id, sec).
			Hint("CloudFormation rejects any other character")
	}
	if len(id) > awsfacts.MaxLogicalID {
		c.ds.Errorf(diag.TemplateLogicalID, c.atKey([]string{sec, id}), "logical ID %s... in %s is %d characters; the limit is %d", id[:20], sec, len(id), awsfacts.MaxLogicalID)
	}
}

func (c *checker) undefinedCondition(path []string, name string, conditions map[string]any) {
	d := c.ds.Errorf(diag.TemplateReference, c.at(path), "%s: condition %s is not defined in the template's Conditions", Pointer(path), name)
	suggestCondition(d, name, conditions)
}

func suggestCondition(d *diag.Diagnostic, name string, conditions map[string]any) {
	if s := suggest.Closest(name, sortedKeys(conditions)); s != "" {
		d.Hint("did you mean %s?", s)
	}
}

// undefined reports a reference to a name the template does not define;
// resourcesOnly is for Fn::GetAtt and ${Res.Attr}, which name resources.
func (c *checker) undefined(path []string, fn, name string, resourcesOnly bool) {
	what := "a resource, parameter or pseudo parameter"
	names := sortedKeys(section(c.t, "Resources"))
	if resourcesOnly {
		what = "a resource"
	} else {
		names = append(names, sortedKeys(section(c.t, "Parameters"))...)
		for p := range awsfacts.PseudoParameters {
			names = append(names, p)
		}
		sort.Strings(names)
	}
	at := c.at(path)
	code := diag.TemplateReference
	if at.Filename == c.file {
		// A generated reference to the user's resource (bucket_resource):
		// the compiler's checks report it at the manifest line too.
		code = diag.GeneratedReference
	}
	d := c.ds.Errorf(code, at, "%s: %s names %s, which is not %s of the template", Pointer(path), fn, name, what)
	if c.hintDeployment(d, name) {
		return
	}
	if s := suggest.Closest(name, append(names, slices.Sorted(maps.Keys(c.generated))...)); s != "" {
		d.Hint("did you mean %s?", s)
	} else if at.Filename == c.file {
		// Generated references to the user's resources (bucket_resource:).
		d.Hint("the reference is in the generated template: define %s in a --merge-template", name)
	}
}

// samGenerated records the resources the SAM transform will add: the
// resources of each function's events (and its role when it names none),
// and each API's stage; deployments are matched by pattern.
func (c *checker) samGenerated(resources map[string]any) {
	c.generated = map[string]string{}
	c.deployments = map[string]*regexp.Regexp{}
	c.stages = map[string]string{}
	for _, id := range sortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		switch typ {
		case "AWS::Serverless::Function":
			events, _ := props["Events"].(map[string]any)
			for _, ev := range sortedKeys(events) {
				e, _ := events[ev].(map[string]any)
				et, _ := e["Type"].(string)
				for _, g := range awsfacts.SAMEventResources(id, ev, et) {
					c.generated[g.ID] = fmt.Sprintf("the %s SAM generates for event %s of %s", g.What, ev, id)
				}
			}
			if _, ok := props["Role"]; !ok {
				c.generated[id+"Role"] = "the role SAM generates for " + id
			}
		case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::WebSocketApi":
			stage, isString := props["StageName"].(string)
			if _, set := props["StageName"]; !set && typ == "AWS::Serverless::HttpApi" {
				stage, isString = "$default", true
			}
			if isString && stage != "" {
				c.stages[id] = awsfacts.SAMStageID(typ, id, stage)
				c.generated[c.stages[id]] = "the stage SAM generates for " + id
			}
			if typ == "AWS::Serverless::Api" {
				c.deployments[id] = awsfacts.SAMDeploymentPattern(id)
			}
		}
	}
}

// hintDeployment explains a reference to a SAM-generated deployment ID:
// it is a hash of the API's definition, so it is never stable. It reports
// whether name is one.
func (c *checker) hintDeployment(d *diag.Diagnostic, name string) bool {
	for _, api := range slices.Sorted(maps.Keys(c.deployments)) {
		if !c.deployments[api].MatchString(name) && name != api+"Deployment" {
			continue
		}
		stage := c.stages[api]
		d.Hint("SAM names %s's deployment after a hash of its definition, so the ID changes whenever the API does", api)
		if stage != "" {
			d.Hint("refer to the stage instead: %s (or {\"Ref\": \"%s.Stage\"}), which is created after the deployment", stage, api)
		}
		return true
	}
	return false
}

// hintResource suggests what a DependsOn entry may have meant.
func (c *checker) hintResource(d *diag.Diagnostic, name string) {
	if c.hintDeployment(d, name) {
		return
	}
	if s := suggest.Closest(name, append(sortedKeys(section(c.t, "Resources")), slices.Sorted(maps.Keys(c.generated))...)); s != "" {
		d.Hint("did you mean %s?", s)
	}
}

func (c *checker) limits(size, compactSize int) {
	count := func(sec string, max int) {
		if n := len(section(c.t, sec)); n > max {
			c.ds.Errorf(diag.TemplateQuota, diag.Range{Filename: c.file}, "the template has %d %s; CloudFormation allows %d", n, strings.ToLower(sec), max).
				Hint("split the app into two stacks, or move resources to a nested stack")
		}
	}
	count("Resources", awsfacts.MaxResources)
	count("Outputs", awsfacts.MaxOutputs)
	count("Parameters", awsfacts.MaxParameters)
	switch {
	case size > awsfacts.MaxTemplateBytes && compactSize <= awsfacts.MaxTemplateBytes:
		flags := "--compact"
		if !strings.HasSuffix(c.file, ".json") {
			flags = "--template-format json --compact"
		}
		c.ds.Errorf(diag.TemplateSize, diag.Range{Filename: c.file}, "the template is %d bytes; CloudFormation accepts at most %d", size, awsfacts.MaxTemplateBytes).
			Hint("minified JSON it is %d bytes, which fits: run chalc package with %s", compactSize, flags)
	case size > awsfacts.MaxTemplateBytes:
		c.ds.Errorf(diag.TemplateSize, diag.Range{Filename: c.file}, "the template is %d bytes (%d minified); CloudFormation accepts at most %d", size, compactSize, awsfacts.MaxTemplateBytes).
			Hint("split the app into two stacks")
	case size > awsfacts.MaxInlineBytes:
		c.ds.Warnf(diag.TemplateSize, diag.Range{Filename: c.file}, "the template is %d bytes, over the %d CloudFormation takes inline", size, awsfacts.MaxInlineBytes).
			Hint("deploy it through S3: add --s3-bucket BUCKET to `aws cloudformation deploy`")
	}
	resources := section(c.t, "Resources")
	for _, id := range sortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		switch typ {
		case "AWS::Serverless::Function", "AWS::Lambda::Function":
			if name, ok := props["FunctionName"].(string); ok && len(name) > awsfacts.MaxFunctionName {
				c.ds.Errorf(diag.FunctionNameLength, c.at([]string{"Resources", id, "Properties", "FunctionName"}), "function %s: FunctionName %q is %d characters; Lambda allows %d", id, name, len(name), awsfacts.MaxFunctionName)
			}
			// chalc's own Environment is checked at the manifest line that
			// set it; here, only one a merge template wrote.
			envPath := []string{"Resources", id, "Properties", "Environment"}
			if env, ok := props["Environment"].(map[string]any); ok && c.fromMergeFile(envPath) {
				if vars, ok := env["Variables"].(map[string]any); ok {
					n := 0
					for k, v := range vars {
						b, _ := json.Marshal(v)
						n += len(k) + len(b)
					}
					if n > awsfacts.MaxEnvironment {
						c.ds.Errorf(diag.EnvSize, c.at(envPath), "function %s: its environment variables take %d bytes; Lambda allows %d", id, n, awsfacts.MaxEnvironment).
							Hint("keep large values in SSM Parameter Store or S3 and read them at start-up")
					}
				}
			}
		case "AWS::Serverless::Api":
			if body, ok := props["DefinitionBody"].(map[string]any); ok {
				if paths, ok := body["paths"].(map[string]any); ok {
					if n := apiResources(paths); n > awsfacts.APIResourcesQuota {
						c.ds.Warnf(diag.TemplateQuota, c.at([]string{"Resources", id}), "REST API %s has %d resources, over API Gateway's default quota of %d", id, n, awsfacts.APIResourcesQuota).
							Hint("ask AWS for a higher \"Resources per API\" quota before deploying")
					}
				}
			}
		}
	}
}

// apiResources counts API Gateway resources: every distinct path prefix.
func apiResources(paths map[string]any) int {
	seen := map[string]bool{"/": true}
	for p := range paths {
		cur := ""
		for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
			if seg == "" {
				continue
			}
			cur += "/" + seg
			seen[cur] = true
		}
	}
	return len(seen)
}
