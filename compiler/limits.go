package compiler

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/manifest"
)

// Lambda's and API Gateway's rules for environment variables and tags.
// They are checked where the values are written (every layer, every
// stage), so a mistake is reported once, at its place, before a deploy
// fails on it.

// envVars checks the names of one layer's environment_variables.
func (c *checker) envVars(m manifest.Map) {
	for _, e := range m.Entries {
		name := e.Key.V
		switch {
		case awsfacts.ReservedEnvVars[name]:
			d := c.ds.Errorf(e.Key.Key, "environment variable %s is reserved: Lambda sets it itself and refuses a function that sets it", name)
			switch {
			case strings.Contains(name, "KEY") || strings.Contains(name, "TOKEN"):
				d.Hint("remove it: the function runs with its role's credentials; allow what it needs in the role's policy")
			case strings.Contains(name, "REGION"):
				d.Hint("remove it: the function reads the region it runs in from %s already", name)
			default:
				d.Hint("remove it, or use a name of your own such as APP_%s", strings.TrimLeft(name, "_"))
			}
		case !awsfacts.EnvVarName.MatchString(name):
			d := c.ds.Errorf(e.Key.Key, "environment variable name %q is not valid for Lambda", name).
				Hint("names start with a letter and hold only letters, digits and \"_\", at least 2 characters")
			if fixed := fixEnvVarName(name); fixed != "" {
				d.Hint("write %s", fixed)
			}
		}
	}
}

// fixEnvVarName replaces what Lambda refuses in a name with "_", or
// returns "" when that does not make a valid name.
func fixEnvVarName(name string) string {
	fixed := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			return r
		}
		return '_'
	}, name)
	if fixed == name || !awsfacts.EnvVarName.MatchString(fixed) {
		return ""
	}
	return fixed
}

// tags checks one layer's tags (of functions, or of a custom domain).
func (c *checker) tags(m manifest.Map, of string) {
	for _, e := range m.Entries {
		k := e.Key.V
		switch {
		case k == "":
			c.ds.Errorf(e.Key.Key, "a tag key cannot be empty")
		case len(k) >= 4 && strings.EqualFold(k[:4], "aws:"):
			c.ds.Errorf(e.Key.Key, "tag %s uses the prefix aws:, which AWS reserves for its own tags", k).
				Hint("choose a key without it, e.g. %s", strings.TrimLeft(k[4:], ":"))
		case utf8.RuneCountInString(k) > awsfacts.MaxTagKey:
			c.ds.Errorf(e.Key.Key, "tag key %.20s... is %d characters long; the limit is %d", k, utf8.RuneCountInString(k), awsfacts.MaxTagKey)
		case !awsfacts.TagChars.MatchString(k):
			c.ds.Errorf(e.Key.Key, "tag key %q holds a character %s refuses", k, of).
				Hint("tag keys and values hold letters, digits, spaces and _ . : / = + - @")
		}
		if !e.Value.Set || e.Value.Tagged {
			continue // not a string: the schema reports it
		}
		v := e.Value.V
		switch {
		case utf8.RuneCountInString(v) > awsfacts.MaxTagValue:
			c.ds.Errorf(e.Value.Range, "the value of tag %s is %d characters long; the limit is %d", k, utf8.RuneCountInString(v), awsfacts.MaxTagValue)
		case !awsfacts.TagChars.MatchString(v):
			c.ds.Errorf(e.Value.Range, "the value of tag %s holds a character %s refuses", k, of).
				Hint("tag keys and values hold letters, digits, spaces and _ . : / = + - @")
		case len(v) >= 4 && strings.EqualFold(v[:4], "aws:"):
			// CloudFormation applies it, but a tag with the reserved
			// prefix can then be neither changed nor removed.
			c.ds.Warnf(e.Value.Range, "the value of tag %s starts with aws:, which AWS reserves", k).
				Hint("once applied, a tag whose key or value starts with aws: cannot be updated or removed")
		}
	}
}
