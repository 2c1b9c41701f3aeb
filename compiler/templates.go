package compiler

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/cfnjson"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/stages"
)

// References to the merge templates. A trigger may name a resource a
// merge template defines (bucket_resource, topic_resource,
// queue_resource, stream_resource) and an environment variable may be an
// intrinsic function naming one (!Ref MusicTable): with the templates
// known (Options.Templates: chalc validate, package and deploy), each
// name is checked here, at the manifest line, before any template is
// generated. The merged template is checked again after the merge
// (merge.Check), which covers what only the whole template shows.

// MergeTemplates are the merge templates an app is packaged with, as the
// compiler checks the manifest's references to them.
type MergeTemplates struct {
	// Value is the templates merged onto each other in order, without
	// the generated template.
	Value map[string]any
	// Names are the files as diagnostics show them, in order.
	Names []string
	// KeyAt is where path's key is written in the last file writing it,
	// zero when none does.
	KeyAt func(path ...string) diag.Range
}

func (t *MergeTemplates) section(name string) map[string]any {
	m, _ := t.Value[name].(map[string]any)
	return m
}

// resourceType is the Type of a template resource, "" when it has none.
func (t *MergeTemplates) resourceType(id string) (string, bool) {
	r, ok := t.section("Resources")[id].(map[string]any)
	if !ok {
		return "", false
	}
	typ, _ := r["Type"].(string)
	return typ, true
}

func (t *MergeTemplates) properties(id string) map[string]any {
	r, _ := t.section("Resources")[id].(map[string]any)
	p, _ := r["Properties"].(map[string]any)
	return p
}

// where names the merge templates for hints.
func (t *MergeTemplates) where() string {
	if len(t.Names) == 0 {
		return "a template passed with --merge-template"
	}
	return strings.Join(t.Names, " or ")
}

// triggerResources checks each *_resource a trigger names: a resource of
// a type it can read, defined by a merge template.
func (c *checker) triggerResources(checked []*stages.Stage) {
	t := c.opts.Templates
	if t == nil {
		return
	}
	var g stages.Grouped
	for _, f := range c.app.Functions {
		var id string
		var at diag.Range
		trigger := f.Kind.Trigger()
		switch {
		case f.S3 != nil:
			id, at = f.S3.BucketResource, f.S3.BucketResourceAt
		case f.SNS != nil:
			id, at = f.SNS.TopicResource, f.SNS.ResourceAt
		case f.SQS != nil:
			id, at = f.SQS.QueueResource, f.SQS.ResourceAt
		case f.Kinesis != nil:
			id, at = f.Kinesis.StreamResource, f.Kinesis.ResourceAt
		case f.DynamoDB != nil:
			id, at = f.DynamoDB.StreamResource, f.DynamoDB.ResourceAt
		}
		if id == "" {
			continue
		}
		want := awsfacts.TriggerResources[trigger]
		code := diag.TriggerResource
		if trigger == awsfacts.TriggerS3 {
			code = diag.BucketResource
		}
		typ, defined := t.resourceType(id)
		ofType := func() []string {
			var ids []string
			for _, rid := range slices.Sorted(maps.Keys(t.section("Resources"))) {
				if rt, _ := t.resourceType(rid); slices.Contains(want.Types, rt) {
					ids = append(ids, rid)
				}
			}
			return ids
		}
		switch {
		case !defined:
			d := c.ds.Errorf(code, at, "%s %s is not a resource of the merge templates", want.Key, id)
			candidates := ofType()
			if len(candidates) == 0 {
				candidates = slices.Sorted(maps.Keys(t.section("Resources")))
			}
			switch s := suggest.Closest(id, candidates); {
			case s != "":
				d.Hint("did you mean %s? (defined in %s)", s, t.KeyAt("Resources", s).Filename)
			case len(t.Names) == 0:
				d.Hint("declare it (Type: %s) in a template passed with --merge-template, or name an existing one with %s", want.Types[0], existingKey(trigger))
			default:
				d.Hint("declare %s (Type: %s) in %s", id, want.Types[0], t.where())
			}
		case !slices.Contains(want.Types, typ):
			what := "has no Type"
			if typ != "" {
				what = "is an " + typ
			}
			d := c.ds.Errorf(code, at, "%s %s %s, not %s", want.Key, id, what, article(strings.Join(want.Types, " or ")))
			d.Note(t.KeyAt("Resources", id), "%s is defined here", id)
			if s := suggest.Closest(id, ofType()); s != "" {
				d.Hint("did you mean %s?", s)
			}
		default:
			c.resourceProperties(f, id, at, t)
			if f.SQS != nil {
				c.visibilityTimeout(&g, f, id, at, t, checked)
			}
		}
	}
	c.ds = append(c.ds, g.Diagnostics("")...)
}

// visibilityTimeout reports a queue_resource whose visibility timeout is
// shorter than the function's timeout in a stage checked: Lambda refuses
// the event source mapping.
func (c *checker) visibilityTimeout(g *stages.Grouped, f *Function, id string, at diag.Range, t *MergeTemplates, checked []*stages.Stage) {
	vis := awsfacts.DefaultQueueVisibilityTimeout
	written := "the default"
	switch v := t.properties(id)["VisibilityTimeout"].(type) {
	case nil:
	case json.Number:
		n, err := strconv.Atoi(v.String())
		if err != nil {
			return
		}
		vis, written = n, "set"
	case string:
		n, err := strconv.Atoi(v)
		if err != nil {
			return
		}
		vis, written = n, "set"
	default:
		return // an intrinsic: known when deployed
	}
	for _, st := range checked {
		cfg := st.Functions[f.Name]
		if cfg == nil || cfg.Timeout.V <= vis {
			continue
		}
		d := diag.Errorf(diag.TriggerResource, at, "queue %s has a visibility timeout of %d s (%s), shorter than function %s's timeout of %d s: Lambda refuses to read it",
			id, vis, written, f.Name, cfg.Timeout.V).
			Note(t.KeyAt("Resources", id), "%s is defined here", id).
			Hint("set VisibilityTimeout to %d or more in its Properties (AWS advises six times the function's timeout), or lower lambda_timeout", cfg.Timeout.V)
		if cfg.Timeout.Set {
			d.Note(cfg.Timeout.From, "the timeout is set here")
		}
		g.Add(d.Subject.String()+"\x00"+d.Message, d, "", st.Name)
	}
}

// existingKey is the key of a trigger that names an existing resource.
func existingKey(t awsfacts.Trigger) string {
	switch t {
	case awsfacts.TriggerS3:
		return "bucket:"
	case awsfacts.TriggerSNS:
		return "topic:"
	case awsfacts.TriggerSQS:
		return "queue: or queue_arn:"
	case awsfacts.TriggerKinesis:
		return "stream: or stream_arn:"
	}
	return "stream_arn:"
}

func article(s string) string {
	if strings.HasPrefix(s, "AWS::") {
		return "an " + s
	}
	return "a " + s
}

// resourceProperties checks what a trigger needs of the resource it
// names: a table's stream, a FIFO queue's batch limits.
func (c *checker) resourceProperties(f *Function, id string, at diag.Range, t *MergeTemplates) {
	props := t.properties(id)
	switch {
	case f.DynamoDB != nil:
		if typ, _ := t.resourceType(id); typ == "AWS::DynamoDB::Table" && props["StreamSpecification"] == nil {
			c.ds.Errorf(diag.TriggerResource, at, "table %s has no stream: its StreamSpecification is not set", id).
				Note(t.KeyAt("Resources", id), "%s is defined here", id).
				Hint("add StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES} to its Properties")
		}
	case f.SQS != nil:
		fifo := props["FifoQueue"] == true || props["FifoQueue"] == "true"
		if name, ok := props["QueueName"].(string); ok && strings.HasSuffix(name, ".fifo") {
			fifo = true
		}
		if src := c.sqsSources[f]; fifo && src != nil {
			c.sqsBatch(src, f.SQS, true)
		}
	}
}

// envReferences checks the names the intrinsic functions of environment
// variables refer to, in every stage checked: a resource of the merge
// templates or one chalc or SAM generates, a parameter, a pseudo
// parameter; a condition of Fn::If. One mistake is one error, noting the
// functions and stages it affects.
func (c *checker) envReferences(checked []*stages.Stage) {
	t := c.opts.Templates
	if t == nil {
		return
	}
	resources := slices.Sorted(maps.Keys(t.section("Resources")))
	resources = append(resources, slices.Sorted(maps.Keys(c.ids))...)
	isResource := func(name string) bool { return slices.Contains(resources, name) }
	params := slices.Sorted(maps.Keys(t.section("Parameters")))
	defined := func(name string) bool {
		if awsfacts.PseudoParameters[name] || slices.Contains(params, name) || isResource(name) {
			return true
		}
		// SAM's references to what it generates: RestAPI.Stage, Fn.Alias.
		res, _, dotted := strings.Cut(name, ".")
		return dotted && isResource(res)
	}
	conditions := slices.Sorted(maps.Keys(t.section("Conditions")))
	var g stages.Grouped
	for _, st := range checked {
		for _, name := range st.Order {
			for _, kv := range st.Functions[name].Environment {
				if kv.Intrinsic == nil {
					continue
				}
				for _, r := range intrinsicRefs(kv.Intrinsic) {
					var d *diag.Diagnostic
					switch {
					case r.condition && !slices.Contains(conditions, r.name):
						d = diag.Errorf(diag.TemplateReference, kv.From, "environment variable %s: Fn::If names condition %s, which the merge templates do not define", kv.Key, r.name)
						if s := suggest.Closest(r.name, conditions); s != "" {
							d.Hint("did you mean %s?", s)
						}
					case r.condition:
					case r.resourceOnly && !isResource(r.name), !r.resourceOnly && !defined(r.name):
						what := "a resource, parameter or pseudo parameter"
						candidates := append(append([]string(nil), resources...), params...)
						if r.resourceOnly {
							what, candidates = "a resource", resources
						}
						d = diag.Errorf(diag.TemplateReference, kv.From, "environment variable %s: %s names %s, which is not %s of the template", kv.Key, r.fn, r.name, what)
						if s := suggest.Closest(r.name, candidates); s != "" {
							d.Hint("did you mean %s?", s)
						} else {
							d.Hint("define %s in %s", r.name, t.where())
						}
					}
					if d != nil {
						g.Add(d.Subject.String()+"\x00"+d.Message, d, name, st.Name)
					}
				}
			}
		}
	}
	c.ds = append(c.ds, g.Diagnostics("")...)
}

// intrinsicRef is a name an intrinsic function refers to.
type intrinsicRef struct {
	fn           string // Ref, Fn::GetAtt, Fn::Sub, Fn::If
	name         string
	resourceOnly bool // GetAtt and ${Res.Attr} name resources only
	condition    bool // Fn::If names a condition
}

// intrinsicRefs lists the names v refers to, in document order.
func intrinsicRefs(v any) []intrinsicRef {
	var out []intrinsicRef
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 1 {
				for k, arg := range x {
					for _, r := range cfnjson.References(k, arg) {
						out = append(out, intrinsicRef{fn: r.Fn, name: r.Name, resourceOnly: r.Attribute, condition: r.Condition})
					}
				}
			}
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}
