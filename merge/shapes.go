package merge

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/suggest"
)

// The shapes CloudFormation (and SAM's Globals) take, checked after the
// merge: a merge template can write anything, and CloudFormation rejects
// a malformed intrinsic function or resource attribute only at deploy
// time, after the package is built and uploaded. Each problem is reported
// at the merge template that wrote it (at, atKey).

// arity is how many list elements an intrinsic function takes.
type arity struct{ min, max int }

// intrinsics are CloudFormation's functions with the shape of their
// argument: a list of min..max elements, or (list false) any value that is
// not a literal list. Fn::Sub takes a string or a list of two;
// Fn::GetAtt a list of two or "Resource.Attribute" (checked apart).
var intrinsics = map[string]struct {
	list  bool
	arity arity
}{
	"Fn::Base64":       {},
	"Fn::Cidr":         {list: true, arity: arity{3, 3}},
	"Fn::FindInMap":    {list: true, arity: arity{3, 4}}, // 4: a DefaultValue (AWS::LanguageExtensions)
	"Fn::GetAtt":       {list: true, arity: arity{2, 2}},
	"Fn::GetAZs":       {},
	"Fn::ImportValue":  {},
	"Fn::Join":         {list: true, arity: arity{2, 2}},
	"Fn::Select":       {list: true, arity: arity{2, 2}},
	"Fn::Split":        {list: true, arity: arity{2, 2}},
	"Fn::Sub":          {},
	"Fn::Transform":    {},
	"Fn::If":           {list: true, arity: arity{3, 3}},
	"Fn::Equals":       {list: true, arity: arity{2, 2}},
	"Fn::And":          {list: true, arity: arity{2, 10}},
	"Fn::Or":           {list: true, arity: arity{2, 10}},
	"Fn::Not":          {list: true, arity: arity{1, 1}},
	"Fn::ToJsonString": {},
	"Fn::Length":       {},
}

var intrinsicNames = sortedKeys(func() map[string]any {
	m := map[string]any{}
	for k := range intrinsics {
		m[k] = nil
	}
	return m
}())

// globalsSections are the SAM resource types the Globals section takes
// (the SAM Developer Guide, "Globals section of the AWS SAM template").
// SAM adds to the list, so a name outside it is a warning.
var globalsSections = []string{"Api", "CapacityProvider", "Function", "HttpApi", "LayerVersion", "SimpleTable", "StateMachine", "WebFunction"}

func (c *checker) shapes() {
	for _, sec := range []string{"Resources", "Outputs", "Conditions", "Globals"} {
		if s, ok := c.t[sec]; ok {
			c.intrinsicShapes(s, []string{sec})
		}
	}
	c.resourceAttributes()
	c.globals()
}

// intrinsicShapes checks every intrinsic function under v: a mapping of
// one key that is Ref, Condition or Fn::<name>.
func (c *checker) intrinsicShapes(v any, path []string) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				c.intrinsic(k, arg, path)
			}
		}
		for _, k := range sortedKeys(x) {
			c.intrinsicShapes(x[k], append(path, k))
		}
	case []any:
		for i, e := range x {
			c.intrinsicShapes(e, append(path, fmt.Sprint(i)))
		}
	}
}

// intrinsic checks the argument of function fn at path (the mapping
// {fn: arg}).
func (c *checker) intrinsic(fn string, arg any, path []string) {
	argPath := append(append([]string(nil), path...), fn)
	bad := func(format string, args ...any) *diag.Diagnostic {
		return c.ds.Errorf(diag.TemplateIntrinsic, c.at(argPath), "%s: %s", Pointer(path), fmt.Sprintf(format, args...))
	}
	switch {
	case fn == "Ref":
		if s, ok := arg.(string); !ok || s == "" {
			bad("Ref takes the name of a resource or parameter, not %s", describe(arg)).
				Hint("write {\"Ref\": \"LogicalID\"} (YAML: !Ref LogicalID)")
		}
		return
	case fn == "Condition":
		// {"Condition": name} inside Conditions; a resource's Condition
		// attribute is checked with the other attributes.
		if len(path) > 0 && path[0] == "Conditions" {
			if s, ok := arg.(string); !ok || s == "" {
				bad("Condition takes the name of a condition, not %s", describe(arg))
			}
		}
		return
	case !strings.HasPrefix(fn, "Fn::"), strings.HasPrefix(fn, "Fn::ForEach::"):
		return // Fn::ForEach::<Name> (AWS::LanguageExtensions) is a key, not a value
	}
	spec, known := intrinsics[fn]
	if !known {
		d := bad("%s is not a CloudFormation intrinsic function", fn)
		if s := suggest.Closest(fn, intrinsicNames); s != "" {
			d.Hint("did you mean %s?", s)
		} else {
			d.Hint("the functions are %s", strings.Join(intrinsicNames, ", "))
		}
		return
	}
	list, isList := arg.([]any)
	switch fn {
	case "Fn::GetAtt":
		c.getAtt(arg, bad)
		return
	case "Fn::Sub":
		switch a := arg.(type) {
		case string:
		case []any:
			if len(a) != 2 {
				bad("Fn::Sub takes a string, or a list of a string and a mapping of variables; this list has %d elements", len(a))
				return
			}
			if _, ok := a[0].(string); !ok {
				bad("the first element of Fn::Sub's list is the string to substitute, not %s", describe(a[0]))
			}
			if _, ok := a[1].(map[string]any); !ok {
				bad("the second element of Fn::Sub's list is a mapping of variables, not %s", describe(a[1]))
			}
		default:
			bad("Fn::Sub takes a string, or a list of a string and a mapping of variables, not %s", describe(arg))
		}
		return
	case "Fn::If":
		if !isList || len(list) != 3 {
			bad("Fn::If takes a list of three: a condition name, the value if true, the value if false; got %s", describe(arg)).
				Hint("write {\"Fn::If\": [\"Condition\", \"yes\", \"no\"]} (YAML: !If [Condition, yes, no])")
			return
		}
		if s, ok := list[0].(string); !ok || s == "" {
			bad("Fn::If's first element is a condition name, not %s", describe(list[0]))
		}
		return
	}
	if spec.list {
		if !isList {
			if isIntrinsic(arg) {
				return // a list computed by another function
			}
			bad("%s takes a list of %s, not %s", fn, elements(spec.arity), describe(arg))
			return
		}
		if len(list) < spec.arity.min || len(list) > spec.arity.max {
			bad("%s takes a list of %s; this one has %d", fn, elements(spec.arity), len(list))
		}
		return
	}
	if isList {
		switch fn {
		case "Fn::Base64", "Fn::GetAZs", "Fn::ImportValue", "Fn::Transform":
			bad("%s takes a single value, not a list", fn)
		}
	}
}

// getAtt checks Fn::GetAtt: [LogicalID, Attribute] (the attribute a
// string or a Ref), or "LogicalID.Attribute".
func (c *checker) getAtt(arg any, bad func(string, ...any) *diag.Diagnostic) {
	const hint = "write {\"Fn::GetAtt\": [\"LogicalID\", \"Attribute\"]} (YAML: !GetAtt LogicalID.Attribute)"
	switch a := arg.(type) {
	case string:
		res, attr, ok := strings.Cut(a, ".")
		if !ok || res == "" || attr == "" {
			bad("Fn::GetAtt %q names no attribute: it takes LogicalID.Attribute", a).Hint(hint)
		}
	case []any:
		if len(a) != 2 {
			bad("Fn::GetAtt takes a list of two, a logical ID and an attribute; this one has %d", len(a)).Hint(hint)
			return
		}
		if s, ok := a[0].(string); !ok || s == "" {
			bad("Fn::GetAtt's first element is a logical ID, not %s", describe(a[0])).Hint(hint)
		}
		switch attr := a[1].(type) {
		case string:
			if attr == "" {
				bad("Fn::GetAtt's attribute is empty").Hint(hint)
			}
		case map[string]any:
			if _, ok := attr["Ref"]; !ok || len(attr) != 1 {
				bad("Fn::GetAtt's attribute is a string or a Ref, not %s", describe(attr))
			}
		default:
			bad("Fn::GetAtt's attribute is a string or a Ref, not %s", describe(attr)).Hint(hint)
		}
	default:
		bad("Fn::GetAtt takes a list of a logical ID and an attribute, not %s", describe(arg)).Hint(hint)
	}
}

// resourceAttributes checks each resource's Properties, DependsOn and
// Condition.
func (c *checker) resourceAttributes() {
	resources := section(c.t, "Resources")
	for _, id := range sortedKeys(resources) {
		r, ok := resources[id].(map[string]any)
		if !ok {
			continue // reported by references
		}
		at := func(attr string) diag.Range { return c.at([]string{"Resources", id, attr}) }
		if p, ok := r["Properties"]; ok {
			if _, ok := p.(map[string]any); !ok && !isIntrinsic(p) {
				c.ds.Errorf(diag.TemplateResource, at("Properties"), "resource %s: Properties is %s, not a mapping", id, describe(p)).
					Hint("Properties maps each property name to its value")
			}
		}
		if dep, ok := r["DependsOn"]; ok {
			switch d := dep.(type) {
			case string:
			case []any:
				for i, e := range d {
					if _, ok := e.(string); !ok {
						c.ds.Errorf(diag.TemplateResource, c.at([]string{"Resources", id, "DependsOn", fmt.Sprint(i)}),
							"resource %s: DependsOn lists %s; it takes logical IDs", id, describe(e))
					}
				}
			default:
				c.ds.Errorf(diag.TemplateResource, at("DependsOn"), "resource %s: DependsOn is %s; it takes a logical ID or a list of them", id, describe(dep))
			}
		}
		if cond, ok := r["Condition"]; ok {
			if s, ok := cond.(string); !ok || s == "" {
				c.ds.Errorf(diag.TemplateResource, at("Condition"), "resource %s: Condition is %s; it takes the name of a condition in Conditions", id, describe(cond))
			}
		}
	}
}

// globals checks SAM's Globals section: a mapping of resource kinds
// (Function, Api, ...) to mappings of properties.
func (c *checker) globals() {
	g, ok := c.t["Globals"]
	if !ok {
		return
	}
	m, ok := g.(map[string]any)
	if !ok {
		c.ds.Errorf(diag.TemplateGlobals, c.at([]string{"Globals"}), "Globals is %s; it maps resource kinds (Function, Api, ...) to their shared properties", describe(g))
		return
	}
	for _, k := range sortedKeys(m) {
		if _, ok := m[k].(map[string]any); !ok {
			c.ds.Errorf(diag.TemplateGlobals, c.at([]string{"Globals", k}), "Globals.%s is %s; it maps property names to values", k, describe(m[k]))
		}
		known := false
		for _, s := range globalsSections {
			known = known || s == k
		}
		if !known {
			d := c.ds.Warnf(diag.TemplateGlobals, c.atKey([]string{"Globals", k}), "Globals.%s is not a section SAM documents (%s)", k, strings.Join(globalsSections, ", "))
			if s := suggest.Closest(k, globalsSections); s != "" {
				d.Hint("did you mean %s?", s)
			}
		}
	}
}

// describe names a JSON value for a message: its kind, and a short
// literal for scalars.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if x == "" {
			return "an empty string"
		}
		return fmt.Sprintf("the string %q", diag.Clip(x))
	case bool:
		return fmt.Sprintf("the boolean %t", x)
	case json.Number, float64, int:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return fmt.Sprintf("a list of %d", len(x))
	case map[string]any:
		return "a mapping"
	}
	return kind(v)
}

func elements(a arity) string {
	switch {
	case a.min == a.max:
		return fmt.Sprint(a.min)
	default:
		return fmt.Sprintf("%d to %d", a.min, a.max)
	}
}
