package compiler

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/stages"

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
			d := c.ds.Errorf(diag.EnvVarName, e.Key.Key, "environment variable %s is reserved: Lambda sets it itself and refuses a function that sets it", name)
			switch {
			case strings.Contains(name, "KEY") || strings.Contains(name, "TOKEN"):
				d.Hint("remove it: the function runs with its role's credentials; allow what it needs in the role's policy")
			case strings.Contains(name, "REGION"):
				d.Hint("remove it: the function reads the region it runs in from %s already", name)
			default:
				d.Hint("remove it, or use a name of your own such as APP_%s", strings.TrimLeft(name, "_"))
			}
		case !awsfacts.EnvVarName.MatchString(name):
			d := c.ds.Errorf(diag.EnvVarName, e.Key.Key, "environment variable name %q is not valid for Lambda", name).
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
			c.ds.Errorf(diag.Tag, e.Key.Key, "a tag key cannot be empty")
		case len(k) >= 4 && strings.EqualFold(k[:4], "aws:"):
			c.ds.Errorf(diag.Tag, e.Key.Key, "tag %s uses the prefix aws:, which AWS reserves for its own tags", k).
				Hint("choose a key without it, e.g. %s", strings.TrimLeft(k[4:], ":"))
		case utf8.RuneCountInString(k) > awsfacts.MaxTagKey:
			c.ds.Errorf(diag.Tag, e.Key.Key, "tag key %.20s... is %d characters long; the limit is %d", k, utf8.RuneCountInString(k), awsfacts.MaxTagKey)
		case !awsfacts.TagChars.MatchString(k):
			c.ds.Errorf(diag.Tag, e.Key.Key, "tag key %q holds a character %s refuses", k, of).
				Hint("tag keys and values hold letters, digits, spaces and _ . : / = + - @")
		}
		if !e.Value.Set || e.Value.Tagged || e.Value.Templated() {
			continue // not a string (the schema reports it), or one checked per stage
		}
		c.tagValue(k, e.Value, of)
	}
}

// tagValue checks the value of tag k (of a resource of service of).
func (c *checker) tagValue(k string, value manifest.Value[string], of string) {
	v, at := value.V, value.Range
	switch {
	case utf8.RuneCountInString(v) > awsfacts.MaxTagValue:
		c.ds.Errorf(diag.Tag, at, "the value of tag %s is %d characters long; the limit is %d", k, utf8.RuneCountInString(v), awsfacts.MaxTagValue)
	case !awsfacts.TagChars.MatchString(v):
		c.ds.Errorf(diag.Tag, at, "the value of tag %s holds a character %s refuses", k, of).
			Hint("tag keys and values hold letters, digits, spaces and _ . : / = + - @")
	case len(v) >= 4 && strings.EqualFold(v[:4], "aws:"):
		// CloudFormation applies it, but a tag with the reserved
		// prefix can then be neither changed nor removed.
		c.ds.Warnf(diag.TagReservedValue, at, "the value of tag %s starts with aws:, which AWS reserves", k).
			Hint("once applied, a tag whose key or value starts with aws: cannot be updated or removed")
	}
}

// chalcTag checks the value of the tag chalc puts on every function,
// stage=<stage>:app=<app_name>, against the tag value limit in each stage
// checked: a long app_name (or stage name) would make every function's
// deploy fail. One error at app_name, noting the stages it affects.
func (c *checker) chalcTag(checked []*stages.Stage) {
	app := c.m.AppName
	if !app.Set || app.Tagged {
		return
	}
	var d *diag.Diagnostic
	for _, st := range checked {
		v := ChalcTagValue(st.Name, app.V)
		n := utf8.RuneCountInString(v)
		if n <= awsfacts.MaxTagValue {
			continue
		}
		room := awsfacts.MaxTagValue - (n - utf8.RuneCountInString(app.V))
		if d == nil {
			d = c.ds.Errorf(diag.Tag, app.At(), "with this app_name the value of the chalc tag on every function (stage=%s:app=<app_name>) is %d characters long; a tag value takes at most %d",
				st.Name, n, awsfacts.MaxTagValue)
			if room > 0 {
				d.Hint("shorten app_name to at most %d characters (or shorten the stage name)", room)
			} else {
				d.Hint("shorten the stage name and app_name: together they take at most %d characters", awsfacts.MaxTagValue-len(ChalcTagValue("", "")))
			}
		}
		for _, ms := range c.m.Stages {
			if ms.Name.V == st.Name {
				d.Note(ms.Name.Key, "in stage %s, named here", st.Name)
			}
		}
	}
}

// DefaultStackName is the stack chalc deploys a stage of an app to when
// no --stack-name is given: <app_name>-<stage>, each "_" made "-", since
// CloudFormation's stack names hold letters, digits and hyphens only and
// Chalice apps often have underscores in their names (my_app-dev would be
// refused; my-app-dev is not). StackNameProblem says whether it is valid.
func DefaultStackName(app, stage string) string {
	return strings.ReplaceAll(app+"-"+stage, "_", "-")
}

// StackNameProblem says what CloudFormation refuses in a stack name, ""
// when nothing.
func StackNameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case len(name) > awsfacts.MaxStackName:
		return fmt.Sprintf("it is %d characters long; the limit is %d", len(name), awsfacts.MaxStackName)
	case !awsfacts.StackNamePattern.MatchString(name):
		return "stack names start with a letter and hold only letters, digits and hyphens"
	}
	return ""
}

// ChalcTagValue is the value of the tag chalc puts on every function (and
// on chalc's own S3 notification handler): the stage and the app.
func ChalcTagValue(stage, app string) string { return "stage=" + stage + ":app=" + app }

// functionLimits reports what Lambda refuses in a function's effective
// configuration in each stage checked: more layers than it takes (chalc's
// automatic_layer included), more tags (chalc adds one), or environment
// variables over its size limit. Each is reported where the value was
// set, once per mistake, noting the functions and stages it affects.
func (c *checker) functionLimits(checked []*stages.Stage) {
	var g stages.Grouped
	add := func(d *diag.Diagnostic, fn, stage string) {
		g.Add(d.Subject.String()+"\x00"+d.Message, d, fn, stage)
	}
	for _, st := range checked {
		for _, name := range st.Order {
			f := st.Functions[name]
			n := len(f.Layers.V)
			managed := st.AutomaticLayer.V
			if managed {
				n++
			}
			if n > awsfacts.MaxLayers {
				switch {
				case !managed:
					add(diag.Errorf(diag.Layers, f.Layers.From, "layers lists %d layers; Lambda allows at most %d per function", n, awsfacts.MaxLayers).
						Hint("merge layers, or ship what they hold in the function's own package"), f.Name, st.Name)
				case f.Layers.Set:
					add(diag.Errorf(diag.Layers, f.Layers.From, "layers lists %d layers and automatic_layer adds chalc's own: %d in all, and Lambda allows at most %d per function", n-1, n, awsfacts.MaxLayers).
						Note(st.AutomaticLayer.From, "automatic_layer is turned on here").
						Hint("list at most %d layers here, or turn automatic_layer off", awsfacts.MaxLayers-1), f.Name, st.Name)
				}
			}
			if len(f.Tags)+1 > awsfacts.MaxTags {
				over := f.Tags[awsfacts.MaxTags-1]
				add(diag.Errorf(diag.TagsCount, over.From, "a function gets %d tags here plus chalc's own; Lambda allows at most %d", len(f.Tags), awsfacts.MaxTags).
					Hint("keep at most %d tags (chalc adds its chalc tag to every function)", awsfacts.MaxTags-1), f.Name, st.Name)
			}
			if size, largest := environmentSize(f.Environment); size > awsfacts.MaxEnvironment {
				add(diag.Errorf(diag.EnvSize, largest.From, "a function's environment variables take %d bytes; Lambda allows %d in all", size, awsfacts.MaxEnvironment).
					Hint("keep large values in SSM Parameter Store or S3 and read them at start-up").
					Note(diag.Range{}, "%s is the largest, with %d bytes", largest.Key, kvSize(largest)), f.Name, st.Name)
			}
		}
	}
	c.ds = append(c.ds, g.Diagnostics("")...)
}

// environmentSize is the size of a function's environment variables as
// Lambda counts it (each name and its value as a JSON string), and the
// largest of them.
func environmentSize(env []stages.KV) (int, stages.KV) {
	total, largest := 0, stages.KV{}
	for _, kv := range env {
		n := kvSize(kv)
		total += n
		if n > kvSize(largest) {
			largest = kv
		}
	}
	return total, largest
}

func kvSize(kv stages.KV) int {
	if kv.Key == "" {
		return 0
	}
	var v any = kv.Value
	if kv.Intrinsic != nil {
		// Known only when deployed: its JSON stands in, as the merged
		// template's check counts it.
		v = kv.Intrinsic
	}
	b, _ := json.Marshal(v)
	return len(kv.Key) + len(b)
}
