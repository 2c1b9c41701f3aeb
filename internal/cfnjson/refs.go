package cfnjson

import (
	"regexp"
	"strings"
)

// Reference is one name an intrinsic function refers to.
type Reference struct {
	// Fn is the function: Ref, Fn::GetAtt, Fn::Sub or Fn::If.
	Fn string
	// Name is what is referred to: a Ref's argument as written (SAM's
	// RestAPI.Stage included), a GetAtt's resource, a ${Name} of Fn::Sub
	// (its resource for ${Res.Attr}), Fn::If's condition.
	Name string
	// Attribute: a GetAtt or ${Res.Attr}, so Name is a resource's.
	Attribute bool
	// Condition: Fn::If's condition.
	Condition bool
}

// subVar is a ${...} of Fn::Sub (not ${!Literal}).
var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

// References returns the names the intrinsic {fn: arg} refers to, in
// order; nil for a function that names nothing, or an argument of a shape
// CloudFormation rejects (which its own check reports).
func References(fn string, arg any) []Reference {
	switch fn {
	case "Ref":
		if s, ok := arg.(string); ok && s != "" {
			return []Reference{{Fn: fn, Name: s}}
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
		if name != "" {
			return []Reference{{Fn: fn, Name: name, Attribute: true}}
		}
	case "Fn::Sub":
		text, vars := "", map[string]any{}
		switch a := arg.(type) {
		case string:
			text = a
		case []any:
			if len(a) != 2 {
				return nil // malformed
			}
			text, _ = a[0].(string)
			vars, _ = a[1].(map[string]any)
		}
		var out []Reference
		for _, m := range subVar.FindAllStringSubmatch(text, -1) {
			if _, local := vars[m[1]]; local {
				continue
			}
			res, _, dotted := strings.Cut(m[1], ".")
			out = append(out, Reference{Fn: fn, Name: res, Attribute: dotted})
		}
		return out
	case "Fn::If":
		if a, ok := arg.([]any); ok && len(a) > 0 {
			if s, ok := a[0].(string); ok {
				return []Reference{{Fn: fn, Name: s, Condition: true}}
			}
		}
	}
	return nil
}
