package manifest

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/chalc-dev/chalc/diag"
)

// The decoder turns normalised nodes into the typed model. It is tolerant:
// a value of the wrong shape is skipped (left unset), because the schema
// step, which always runs on the same nodes, reports it with a better
// message. The decoder itself reports nothing.

type decoder struct {
	doc *Document
	// ph collects the document's stage values (placeholder.go).
	ph *Placeholders
}

func (d *decoder) rng(n *Node) diag.Range { return d.doc.Range(n) }

// pairs calls fn for each key/value of a mapping node.
func pairs(n *Node, fn func(k, v *Node)) {
	if n == nil || n.Kind != MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], n.Content[i+1])
	}
}

func (d *decoder) str(k, v *Node) Value[string] {
	out := Value[string]{Key: d.rng(k), Range: d.rng(v)}
	if v != nil && v.Kind == ScalarNode && (v.ShortTag() == TagStr || customTag(v)) {
		out.V, out.Set, out.Tagged = v.Value, true, customTag(v)
	}
	return out
}

// stageStr is str for a field that takes stage values.
func (d *decoder) stageStr(k, v *Node) Value[string] {
	out := d.str(k, v)
	if out.Set && !out.Tagged {
		out.Template = d.template(v)
	}
	return out
}

// template records v as a value of a field that takes stage values and
// returns its Template, or nil when it holds no placeholder or escape.
func (d *decoder) template(v *Node) *Template {
	d.ph.allow(v)
	if !hasPlaceholderSyntax(v.Value) {
		return nil
	}
	t := parseTemplate(v.Value, d.rng(v), func(i, j int) diag.Range { return d.doc.placeholderRange(v, i, j) })
	d.ph.Templates = append(d.ph.Templates, t)
	return t
}

// customTag: a scalar with a tag like !Ref, which the parser reported;
// reading it as its string keeps one mistake from causing more errors.
func customTag(n *Node) bool { return !strings.HasPrefix(n.ShortTag(), "!!") }

func (d *decoder) integer(k, v *Node) Value[int] {
	out := Value[int]{Key: d.rng(k), Range: d.rng(v)}
	if v != nil && v.Kind == ScalarNode && v.ShortTag() == TagInt {
		if i, ok := parseInt(v.Value); ok {
			out.V, out.Set = i, true
		}
	}
	return out
}

// stageInteger is integer for a field that takes stage values: a string
// with a placeholder ("${env:TTL}") is a number once expanded.
func (d *decoder) stageInteger(k, v *Node) Value[int] {
	out := d.integer(k, v)
	if v != nil && v.Kind == ScalarNode && v.ShortTag() == TagStr {
		if t := d.template(v); t != nil {
			out.Set, out.Template = true, t
		}
	}
	return out
}

// parseInt accepts YAML 1.2 integers (decimal, 0x, 0o) that fit an int32
// range comfortably; larger values are not meaningful anywhere in a
// manifest and the schema's maximum reports them.
func parseInt(s string) (int, bool) {
	s = strings.ReplaceAll(s, "_", "")
	i, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0O") {
			i, err = strconv.ParseInt(s[2:], 8, 64)
		}
		if err != nil {
			return 0, false
		}
	}
	if i > math.MaxInt32 || i < math.MinInt32 {
		return 0, false
	}
	return int(i), true
}

func (d *decoder) boolean(k, v *Node) Value[bool] {
	out := Value[bool]{Key: d.rng(k), Range: d.rng(v)}
	if v != nil && v.Kind == ScalarNode && v.ShortTag() == TagBool {
		b, err := strconv.ParseBool(strings.ToLower(v.Value))
		if err == nil {
			out.V, out.Set = b, true
		}
	}
	return out
}

func (d *decoder) list(k, v *Node) List { return d.listOf(k, v, false) }

// listOf decodes a list of strings; stage: its items take stage values.
func (d *decoder) listOf(k, v *Node, stage bool) List {
	out := List{Key: d.rng(k), Range: d.rng(v)}
	if v == nil {
		return out
	}
	switch v.Kind {
	case SequenceNode:
		out.Set = true
		for _, it := range v.Content {
			if it.Kind == ScalarNode && it.ShortTag() == TagStr {
				item := Value[string]{V: it.Value, Set: true, Key: d.rng(k), Range: d.rng(it)}
				if stage {
					item.Template = d.template(it)
				}
				out.Items = append(out.Items, item)
			}
		}
	case ScalarNode:
		if v.ShortTag() == TagStr {
			out.Set, out.Scalar = true, true
			item := Value[string]{V: v.Value, Set: true, Key: d.rng(k), Range: d.rng(v)}
			if stage {
				item.Template = d.template(v)
			}
			out.Items = []Value[string]{item}
		}
	}
	return out
}

func (d *decoder) strMap(k, v *Node) Map { return d.mapOf(k, v, mapOptions{}) }

// mapOptions say what the values of a string map may be besides strings.
type mapOptions struct {
	stage     bool // strings take stage values (tags)
	intrinsic bool // a value may be an intrinsic function (environment_variables)
}

func (d *decoder) mapOf(k, v *Node, o mapOptions) Map {
	out := Map{Key: d.rng(k), Range: d.rng(v)}
	if v == nil || v.Kind != MappingNode {
		return out
	}
	out.Set = true
	pairs(v, func(kk, vv *Node) {
		e := Entry{Key: Value[string]{V: kk.Value, Set: true, Key: d.rng(kk), Range: d.rng(kk)}}
		switch {
		case vv.Kind == ScalarNode && vv.ShortTag() == TagStr:
			e.Value = Value[string]{V: vv.Value, Set: true, Key: d.rng(kk), Range: d.rng(vv)}
			if o.stage {
				e.Value.Template = d.template(vv)
			}
		case o.intrinsic && IntrinsicNode(vv):
			e.Value = Value[string]{Key: d.rng(kk), Range: d.rng(vv)}
			e.Intrinsic = anyValue(vv)
		default:
			e.Value = Value[string]{Key: d.rng(kk), Range: d.rng(vv)}
		}
		out.Entries = append(out.Entries, e)
	})
	return out
}

// IntrinsicNode reports whether n is written as a CloudFormation
// intrinsic function: a mapping whose only key is Ref or starts with
// "Fn::" (the parser has turned short forms such as !Ref into it).
func IntrinsicNode(n *Node) bool {
	if n == nil || n.Kind != MappingNode || len(n.Content) != 2 {
		return false
	}
	k := n.Content[0].Value
	return k == "Ref" || strings.HasPrefix(k, "Fn::")
}

// The model's structs name their manifest keys in `key:"..."` tags, and
// fields decodes a mapping into one: each field by its type (Value[string],
// Value[int], Value[bool], List, Map, or one of the composite types below).
// A key without a field is left to the schema.

// keyField is one tagged field: where it is and how it is decoded.
type keyField struct {
	index  []int
	decode func(d *decoder, k, v *Node, dst reflect.Value)
}

// A key tag may carry options after the key: `key:"bucket,stage"`.
//
//	stage      the field takes stage values (placeholder.go)
//	intrinsic  a value of the map may be a CloudFormation intrinsic
type keyOptions struct{ stage, intrinsic bool }

// parseKeyTag splits a key tag into the key and its options.
func parseKeyTag(tag string) (string, keyOptions) {
	key, rest, _ := strings.Cut(tag, ",")
	var o keyOptions
	for _, opt := range strings.Split(rest, ",") {
		switch opt {
		case "stage":
			o.stage = true
		case "intrinsic":
			o.intrinsic = true
		case "":
		default:
			panic("manifest: unknown key tag option " + opt)
		}
	}
	return key, o
}

// StageKeys lists the keys of the model's fields that take stage values,
// as "<struct>.<key>" (for the test that pins the schema to them).
func StageKeys() []string {
	var out []string
	for _, t := range []reflect.Type{reflect.TypeFor[CORS](), reflect.TypeFor[Authorizer](), reflect.TypeFor[Schedule](),
		reflect.TypeFor[S3Source](), reflect.TypeFor[SNSSource](), reflect.TypeFor[SQSSource](), reflect.TypeFor[KinesisSource](),
		reflect.TypeFor[DynamoDBSource](), reflect.TypeFor[Domain](), reflect.TypeFor[Config]()} {
		for _, f := range reflect.VisibleFields(t) {
			if key, o := parseKeyTag(f.Tag.Get("key")); o.stage {
				out = append(out, t.Name()+"."+key)
			}
		}
	}
	return out
}

// keyFields caches the tagged fields of each struct type, by key.
var keyFields sync.Map // reflect.Type → map[string]keyField

func fieldsOf(t reflect.Type) map[string]keyField {
	if m, ok := keyFields.Load(t); ok {
		return m.(map[string]keyField)
	}
	m := map[string]keyField{}
	for _, f := range reflect.VisibleFields(t) {
		key, opts := parseKeyTag(f.Tag.Get("key"))
		if key == "" {
			continue
		}
		dec := fieldDecoder(f.Type, opts)
		if dec == nil {
			panic(fmt.Sprintf("manifest: no decoder for %s.%s (%s)", t.Name(), f.Name, f.Type))
		}
		m[key] = keyField{index: f.Index, decode: dec}
	}
	keyFields.Store(t, m)
	return m
}

// fieldDecoder decodes a value into a field of type t, one of the types
// the model uses; nil for any other.
func fieldDecoder(t reflect.Type, o keyOptions) func(d *decoder, k, v *Node, dst reflect.Value) {
	set := func(x any, dst reflect.Value) { dst.Set(reflect.ValueOf(x)) }
	switch t {
	case reflect.TypeFor[Value[string]]():
		if o.stage {
			return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.stageStr(k, v), dst) }
		}
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.str(k, v), dst) }
	case reflect.TypeFor[Value[int]]():
		if o.stage {
			return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.stageInteger(k, v), dst) }
		}
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.integer(k, v), dst) }
	case reflect.TypeFor[Value[bool]]():
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.boolean(k, v), dst) }
	case reflect.TypeFor[List]():
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.listOf(k, v, o.stage), dst) }
	case reflect.TypeFor[Map]():
		mo := mapOptions{stage: o.stage, intrinsic: o.intrinsic}
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.mapOf(k, v, mo), dst) }
	case reflect.TypeFor[*CORS]():
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.cors(k, v), dst) }
	case reflect.TypeFor[*Domain]():
		return func(d *decoder, k, v *Node, dst reflect.Value) { set(d.domain(v), dst) }
	}
	return nil
}

// field decodes the key k (value v) into the struct ptr points at, and
// reports whether the struct has a field for it.
func (d *decoder) field(ptr any, k, v *Node) bool {
	dst := reflect.ValueOf(ptr).Elem()
	f, ok := fieldsOf(dst.Type())[k.Value]
	if ok {
		f.decode(d, k, v, dst.FieldByIndex(f.index))
	}
	return ok
}

// fields decodes every key of the mapping n that the struct ptr points at
// has a field for.
func (d *decoder) fields(n *Node, ptr any) {
	pairs(n, func(k, v *Node) { d.field(ptr, k, v) })
}

// any converts a node to plain JSON-compatible Go values (event patterns).
func anyValue(n *Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case MappingNode:
		m := map[string]any{}
		pairs(n, func(k, v *Node) { m[k.Value] = anyValue(v) })
		return m
	case SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			s = append(s, anyValue(c))
		}
		return s
	}
	switch n.ShortTag() {
	case TagNull:
		return nil
	case TagBool:
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return b
	case TagInt:
		if i, ok := parseInt(n.Value); ok {
			return i
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	case TagFloat:
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// AnyValue is the JSON-compatible value of n (for the schema step).
func AnyValue(n *Node) any { return anyValue(n) }

// Decode builds the typed manifest from a parsed app document. Fragments
// of blueprints are attached from frags (keyed by absolute path), as
// Load resolves them.
func Decode(doc *Document, frags map[string]*Fragment) *Manifest {
	m := &Manifest{Doc: doc}
	d := &decoder{doc: doc, ph: &m.Placeholders}
	pairs(doc.Root, func(k, v *Node) {
		if d.field(m, k, v) {
			return
		}
		switch k.Value {
		case "api":
			m.API = d.api(v)
		case "routes":
			m.Routes = d.routes(v, nil)
		case "authorizers":
			m.Authorizers = d.authorizers(v, nil)
		case "functions":
			m.Functions = d.functions(v, nil)
		case "websocket":
			m.Websocket = d.websocket(k, v)
		case "middleware":
			m.Middleware = d.middleware(v, nil)
		case "blueprints":
			m.Blueprints = d.blueprints(v, frags)
		case "lambda_functions":
			m.LambdaFunctions = d.lambdaFunctions(v)
		case "stages":
			m.StagesKey = d.rng(k)
			pairs(v, func(sk, sv *Node) {
				st := &Stage{Name: Value[string]{V: sk.Value, Set: true, Key: d.rng(sk), Range: d.rng(sk)}}
				pairs(sv, func(ck, cv *Node) {
					if ck.Value == "lambda_functions" {
						st.LambdaFunctions = d.lambdaFunctions(cv)
						return
					}
					d.field(&st.Config, ck, cv)
				})
				m.Stages = append(m.Stages, st)
			})
		default:
			d.field(&m.Config, k, v)
		}
	})
	return m
}

// DecodeFragment builds a blueprint fragment from its document.
func DecodeFragment(doc *Document) *Fragment {
	f := &Fragment{Doc: doc}
	d := &decoder{doc: doc, ph: &f.Placeholders}
	pairs(doc.Root, func(k, v *Node) {
		switch k.Value {
		case "handlers":
			f.Handlers = d.str(k, v) // a fragment's only plain key
		case "routes":
			f.Routes = d.routes(v, f)
		case "authorizers":
			f.Authorizers = d.authorizers(v, f)
		case "functions":
			f.Functions = d.functions(v, f)
		case "middleware":
			f.Middleware = d.middleware(v, f)
		case "blueprints":
			f.BlueprintsKey = d.rng(k)
		}
	})
	return f
}

func (d *decoder) api(v *Node) API {
	var a API
	d.fields(v, &a)
	return a
}

func (d *decoder) cors(k, v *Node) *CORS {
	c := &CORS{Key: d.rng(k), Range: d.rng(v)}
	switch {
	case v.Kind == ScalarNode && v.ShortTag() == TagBool:
		c.Enabled = d.boolean(k, v).V
	case v.Kind == MappingNode:
		c.Enabled, c.Object = true, true
		d.fields(v, c)
	default:
		return nil
	}
	return c
}

func (d *decoder) routes(v *Node, f *Fragment) []*Route {
	var out []*Route
	pairs(v, func(pk, pv *Node) {
		path := Value[string]{V: pk.Value, Set: true, Key: d.rng(pk), Range: d.rng(pk)}
		pairs(pv, func(mk, mv *Node) {
			r := &Route{Path: path, Fragment: f,
				Method: Value[string]{V: mk.Value, Set: true, Key: d.rng(mk), Range: d.rng(mk)}}
			switch mv.Kind {
			case ScalarNode:
				r.Handler = d.str(mk, mv)
			case MappingNode:
				d.fields(mv, r)
				if !r.Handler.Set && r.Handler.Key.Start.Line == 0 {
					r.Handler.Key = d.rng(mk)
				}
			default:
				r.Handler.Key = d.rng(mk)
			}
			out = append(out, r)
		})
	})
	return out
}

func (d *decoder) authorizers(v *Node, f *Fragment) []*Authorizer {
	var out []*Authorizer
	pairs(v, func(ak, av *Node) {
		a := &Authorizer{Fragment: f, Key: Value[string]{V: ak.Value, Set: true, Key: d.rng(ak), Range: d.rng(ak)}}
		d.fields(av, a)
		out = append(out, a)
	})
	return out
}

func (d *decoder) functions(v *Node, f *Fragment) []*Function {
	var out []*Function
	pairs(v, func(fk, fv *Node) {
		fn := &Function{Fragment: f, Name: Value[string]{V: fk.Value, Set: true, Key: d.rng(fk), Range: d.rng(fk)}}
		pairs(fv, func(k, v *Node) {
			trigger := true
			switch k.Value {
			case "handler":
				fn.Handler = d.str(k, v)
				trigger = false
			case "schedule":
				fn.Schedule = d.schedule(k, v)
			case "cloudwatch_event":
				c := &CloudWatchEvent{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					if k.Value == "event_pattern" {
						c.EventPattern = Value[any]{V: anyValue(v), Set: v.Kind == MappingNode, Key: d.rng(k), Range: d.rng(v)}
						d.patternStrings(c, v, nil)
					}
				})
				fn.CloudWatchEvent = c
			case "s3":
				fn.S3 = &S3Source{Range: d.rng(v)}
				d.fields(v, fn.S3)
			case "sns":
				fn.SNS = &SNSSource{Range: d.rng(v)}
				d.fields(v, fn.SNS)
			case "sqs":
				fn.SQS = &SQSSource{Range: d.rng(v)}
				d.fields(v, fn.SQS)
			case "kinesis":
				fn.Kinesis = &KinesisSource{Range: d.rng(v)}
				d.fields(v, fn.Kinesis)
			case "dynamodb":
				fn.DynamoDB = &DynamoDBSource{Range: d.rng(v)}
				d.fields(v, fn.DynamoDB)
			case "url":
				fn.URL = &FunctionURL{Range: d.rng(v)}
				d.fields(v, fn.URL)
			default:
				trigger = false
			}
			if trigger {
				fn.Triggers = append(fn.Triggers, Value[string]{V: k.Value, Set: true, Key: d.rng(k), Range: d.rng(k)})
			}
		})
		if !fn.Handler.Set && fn.Handler.Key.Start.Line == 0 {
			fn.Handler.Key = d.rng(fk)
		}
		out = append(out, fn)
	})
	return out
}

// patternStrings records the strings of an event pattern: every one
// takes stage values (EventBridge matches on values an app usually gets
// from its environment: a bucket, an account, a detail-type).
func (d *decoder) patternStrings(c *CloudWatchEvent, n *Node, path []any) {
	switch n.Kind {
	case MappingNode:
		pairs(n, func(k, v *Node) { d.patternStrings(c, v, append(append([]any(nil), path...), k.Value)) })
	case SequenceNode:
		for i, it := range n.Content {
			d.patternStrings(c, it, append(append([]any(nil), path...), i))
		}
	case ScalarNode:
		if n.ShortTag() == TagStr {
			if t := d.template(n); t != nil {
				c.Strings = append(c.Strings, &PatternString{Path: path, Template: t})
			}
		}
	}
}

func (d *decoder) schedule(k, v *Node) *Schedule {
	s := &Schedule{Range: d.rng(v)}
	switch v.Kind {
	case ScalarNode:
		s.Expression = d.stageStr(k, v)
	case MappingNode:
		d.fields(v, s)
	}
	return s
}

func (d *decoder) websocket(k, v *Node) *Websocket {
	w := &Websocket{Range: d.rng(k)}
	d.fields(v, w)
	return w
}

func (d *decoder) middleware(v *Node, f *Fragment) []*Middleware {
	if v == nil || v.Kind != SequenceNode {
		return nil
	}
	var out []*Middleware
	for _, it := range v.Content {
		mw := &Middleware{Fragment: f}
		switch it.Kind {
		case ScalarNode:
			mw.Handler = d.str(it, it)
		case MappingNode:
			mw.Handler.Key = d.rng(it)
			d.fields(it, mw)
		default:
			continue
		}
		out = append(out, mw)
	}
	return out
}

func (d *decoder) blueprints(v *Node, frags map[string]*Fragment) []*Blueprint {
	if v == nil || v.Kind != SequenceNode {
		return nil
	}
	var out []*Blueprint
	for _, it := range v.Content {
		if it.Kind != MappingNode {
			continue
		}
		b := &Blueprint{Range: d.rng(it)}
		d.fields(it, b)
		if b.Manifest.Set && frags != nil {
			b.Fragment = frags[resolvePath(d.doc, b.Manifest.V)]
		}
		out = append(out, b)
	}
	return out
}

func (d *decoder) lambdaFunctions(v *Node) []*FunctionConfig {
	var out []*FunctionConfig
	pairs(v, func(fk, fv *Node) {
		fc := &FunctionConfig{Name: Value[string]{V: fk.Value, Set: true, Key: d.rng(fk), Range: d.rng(fk)}}
		d.fields(fv, &fc.Config)
		out = append(out, fc)
	})
	return out
}

func (d *decoder) domain(v *Node) *Domain {
	if v == nil || v.Kind != MappingNode {
		return nil
	}
	dm := &Domain{Range: d.rng(v)}
	d.fields(v, dm)
	return dm
}
