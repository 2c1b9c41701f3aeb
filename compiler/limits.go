package compiler

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/manifest"
)

// Lambda's and API Gateway's rules for environment variables and tags.
// They are checked where the values are written (every layer, every
// stage), so a mistake is reported once, at its place, before a deploy
// fails on it.

// envVarName is Lambda's pattern for an environment variable's name
// (Environment.Variables keys): a letter, then at least one letter,
// digit or "_".
var envVarName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]+$`)

// reservedEnvVars are the names Lambda sets itself and refuses in a
// function's configuration: the Lambda Developer Guide's "Reserved
// environment variables", as cfn-lint's E3663 checks them. Older editions
// of the guide also listed TZ; like cfn-lint, chalc does not refuse it
// (a false error would block a working app).
var reservedEnvVars = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_DEFAULT_REGION": true, "AWS_REGION": true,
	"AWS_EXECUTION_ENV": true, "AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true, "AWS_LAMBDA_LOG_GROUP_NAME": true,
	"AWS_LAMBDA_LOG_STREAM_NAME": true, "AWS_ACCESS_KEY": true, "AWS_ACCESS_KEY_ID": true,
	"AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true, "AWS_LAMBDA_RUNTIME_API": true,
	"LAMBDA_TASK_ROOT": true, "LAMBDA_RUNTIME_DIR": true,
}

// Tag limits shared by Lambda functions and API Gateway domain names
// (how many tags one takes is stages.MaxTags).
const (
	maxTagKey   = 128
	maxTagValue = 256
)

// envVars checks the names of one layer's environment_variables.
func (c *checker) envVars(m manifest.Map) {
	for _, e := range m.Entries {
		name := e.Key.V
		switch {
		case reservedEnvVars[name]:
			d := c.ds.Errorf(e.Key.Key, "environment variable %s is reserved: Lambda sets it itself and refuses a function that sets it", name)
			switch {
			case strings.Contains(name, "KEY") || strings.Contains(name, "TOKEN"):
				d.Hint("remove it: the function runs with its role's credentials; allow what it needs in the role's policy")
			case strings.Contains(name, "REGION"):
				d.Hint("remove it: the function reads the region it runs in from %s already", name)
			default:
				d.Hint("remove it, or use a name of your own such as APP_%s", strings.TrimLeft(name, "_"))
			}
		case !envVarName.MatchString(name):
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
	if fixed == name || !envVarName.MatchString(fixed) {
		return ""
	}
	return fixed
}

// tagChars are the characters Lambda and API Gateway take in tag keys and
// values: letters, digits, spaces and _ . : / = + - @.
var tagChars = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

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
		case utf8.RuneCountInString(k) > maxTagKey:
			c.ds.Errorf(e.Key.Key, "tag key %.20s... is %d characters long; the limit is %d", k, utf8.RuneCountInString(k), maxTagKey)
		case !tagChars.MatchString(k):
			c.ds.Errorf(e.Key.Key, "tag key %q holds a character %s refuses", k, of).
				Hint("tag keys and values hold letters, digits, spaces and _ . : / = + - @")
		}
		if !e.Value.Set || e.Value.Tagged {
			continue // not a string: the schema reports it
		}
		v := e.Value.V
		switch {
		case utf8.RuneCountInString(v) > maxTagValue:
			c.ds.Errorf(e.Value.Range, "the value of tag %s is %d characters long; the limit is %d", k, utf8.RuneCountInString(v), maxTagValue)
		case !tagChars.MatchString(v):
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
