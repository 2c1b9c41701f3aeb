package merge

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
)

// CloudFormation's limits (AWS CloudFormation User Guide, "Quotas").
const (
	MaxResources      = 500
	MaxOutputs        = 200
	MaxParameters     = 200
	MaxTemplateBytes  = 1_000_000 // template body uploaded from S3
	MaxInlineBytes    = 51_200    // template body passed inline
	MaxLogicalID      = 255
	MaxFunctionName   = 64
	MaxEnvironment    = 4096 // bytes of a function's environment variables
	APIResourcesQuota = 300  // API Gateway resources per REST API (default quota)
)

var pseudoParameters = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

var logicalIDPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// Check finds what would make `aws cloudformation deploy` fail later:
// references to things the template does not define, bad logical IDs and
// CloudFormation's and Lambda's limits. size is the byte size of the
// template as it will be written; compactSize the size of its minified
// form. file names the template in diagnostics; files are the merge
// templates, whose positions are used when an offender came from one.
func Check(t map[string]any, file string, size, compactSize int, files []*File) diag.Diagnostics {
	c := &checker{t: t, file: file, files: files}
	c.references()
	c.limits(size, compactSize)
	return c.ds
}

type checker struct {
	t     map[string]any
	file  string
	files []*File
	ds    diag.Diagnostics
}

// at points at path in the last merge template that defines it, else at
// the generated template.
func (c *checker) at(path []string) diag.Range {
	for i := len(c.files) - 1; i >= 0; i-- {
		if _, ok := c.files[i].positions[Pointer(path)]; ok {
			return c.files[i].Pos(path)
		}
	}
	return diag.Range{Filename: c.file}
}

func section(t map[string]any, name string) map[string]any {
	m, _ := t[name].(map[string]any)
	return m
}

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

func (c *checker) references() {
	resources := section(c.t, "Resources")
	params := section(c.t, "Parameters")
	conditions := section(c.t, "Conditions")
	defined := func(name string) bool {
		_, r := resources[name]
		_, p := params[name]
		return r || p || pseudoParameters[name]
	}
	for _, id := range sortedKeys(resources) {
		if !logicalIDPattern.MatchString(id) {
			c.ds.Errorf(c.at([]string{"Resources", id}), "logical ID %q may only hold letters and digits", id).
				Hint("CloudFormation rejects any other character")
		}
		if len(id) > MaxLogicalID {
			c.ds.Errorf(c.at([]string{"Resources", id}), "logical ID %s... is %d characters; the limit is %d", id[:20], len(id), MaxLogicalID)
		}
		r, _ := resources[id].(map[string]any)
		for _, dep := range dependsOn(r["DependsOn"]) {
			if _, ok := resources[dep]; !ok {
				c.ds.Errorf(c.at([]string{"Resources", id, "DependsOn"}), "resource %s depends on %s, which the template does not define", id, dep)
			}
		}
		if cond, ok := r["Condition"].(string); ok && conditions[cond] == nil {
			c.ds.Errorf(c.at([]string{"Resources", id, "Condition"}), "resource %s uses condition %s, which the template does not define", id, cond)
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
						if name, ok := arg.(string); ok && !defined(name) {
							c.undefined(path, "Ref", name, resources, params)
						}
					case "Fn::GetAtt":
						name := ""
						switch a := arg.(type) {
						case []any:
							if len(a) > 0 {
								name, _ = a[0].(string)
							}
						case string:
							name, _, _ = strings.Cut(a, ".")
						}
						if _, ok := resources[name]; name != "" && !ok {
							c.undefined(path, "Fn::GetAtt", name, resources, nil)
						}
					case "Fn::Sub":
						c.sub(arg, path, defined, resources, params)
					case "Condition":
						if name, ok := arg.(string); ok && conditions[name] == nil && len(path) > 0 && path[0] != "Resources" {
							c.ds.Errorf(c.at(path), "%s: condition %s is not defined", Pointer(path), name)
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
	for _, sec := range []string{"Resources", "Outputs", "Conditions"} {
		if s, ok := c.t[sec]; ok {
			walk(s, []string{sec})
		}
	}
}

func (c *checker) sub(arg any, path []string, defined func(string) bool, resources, params map[string]any) {
	var text string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		text = a
	case []any:
		if len(a) > 0 {
			text, _ = a[0].(string)
		}
		if len(a) > 1 {
			vars, _ = a[1].(map[string]any)
		}
	}
	for _, m := range subVar.FindAllStringSubmatch(text, -1) {
		name := m[1]
		if _, ok := vars[name]; ok {
			continue
		}
		res, _, _ := strings.Cut(name, ".") // ${Res.Attr}
		if strings.Contains(name, ".") {
			if _, ok := resources[res]; !ok {
				c.undefined(path, "Fn::Sub", res, resources, nil)
			}
			continue
		}
		if !defined(name) {
			c.undefined(path, "Fn::Sub", name, resources, params)
		}
	}
}

func (c *checker) undefined(path []string, fn, name string, resources, params map[string]any) {
	d := c.ds.Errorf(c.at(path), "%s: %s names %s, which is not a resource, parameter or pseudo parameter of the template", Pointer(path), fn, name)
	var names []string
	for k := range resources {
		names = append(names, k)
	}
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	if s := suggest.Closest(name, names); s != "" {
		d.Hint("did you mean %s?", s)
	}
}

func dependsOn(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (c *checker) limits(size, compactSize int) {
	count := func(sec string, max int) {
		if n := len(section(c.t, sec)); n > max {
			c.ds.Errorf(diag.Range{Filename: c.file}, "the template has %d %s; CloudFormation allows %d", n, strings.ToLower(sec), max).
				Hint("split the app into two stacks, or move resources to a nested stack")
		}
	}
	count("Resources", MaxResources)
	count("Outputs", MaxOutputs)
	count("Parameters", MaxParameters)
	switch {
	case size > MaxTemplateBytes && compactSize <= MaxTemplateBytes:
		c.ds.Errorf(diag.Range{Filename: c.file}, "the template is %d bytes; CloudFormation accepts at most %d", size, MaxTemplateBytes).
			Hint("minified it is %d bytes, which fits: run chalc package with --compact", compactSize)
	case size > MaxTemplateBytes:
		c.ds.Errorf(diag.Range{Filename: c.file}, "the template is %d bytes (%d minified); CloudFormation accepts at most %d", size, compactSize, MaxTemplateBytes).
			Hint("split the app into two stacks")
	case size > MaxInlineBytes:
		c.ds.Warnf(diag.Range{Filename: c.file}, "the template is %d bytes, over the %d CloudFormation takes inline", size, MaxInlineBytes).
			Hint("deploy through S3: `aws cloudformation package`/`deploy --s3-bucket` upload it for you")
	}
	resources := section(c.t, "Resources")
	for _, id := range sortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		switch typ {
		case "AWS::Serverless::Function", "AWS::Lambda::Function":
			if name, ok := props["FunctionName"].(string); ok && len(name) > MaxFunctionName {
				c.ds.Errorf(c.at([]string{"Resources", id, "Properties", "FunctionName"}), "function %s: FunctionName %q is %d characters; Lambda allows %d", id, name, len(name), MaxFunctionName)
			}
			if env, ok := props["Environment"].(map[string]any); ok {
				if vars, ok := env["Variables"].(map[string]any); ok {
					n := 0
					for k, v := range vars {
						b, _ := json.Marshal(v)
						n += len(k) + len(b)
					}
					if n > MaxEnvironment {
						c.ds.Errorf(c.at([]string{"Resources", id, "Properties", "Environment"}), "function %s: its environment variables take %d bytes; Lambda allows %d", id, n, MaxEnvironment).
							Hint("keep large values in SSM Parameter Store or S3 and read them at start-up")
					}
				}
			}
		case "AWS::Serverless::Api":
			if body, ok := props["DefinitionBody"].(map[string]any); ok {
				if paths, ok := body["paths"].(map[string]any); ok {
					if n := apiResources(paths); n > APIResourcesQuota {
						c.ds.Warnf(c.at([]string{"Resources", id}), "REST API %s has %d resources, over API Gateway's default quota of %d", id, n, APIResourcesQuota).
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
