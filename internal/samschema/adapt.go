package samschema

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// intrinsicDef names the definition the adapter adds for an intrinsic
// function object.
const intrinsicDef = "Intrinsic"

// samSpec is the base of the AWS SAM specification pages cited below;
// cfnSpec that of the CloudFormation template reference.
const (
	samSpec = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/"
	cfnSpec = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
)

// An extension adds a real SAM property that the bundled schema lacks to a
// property-type definition, or a real CloudFormation property to a
// resource's. Keep the list short: one entry per property chalc
// emits, each with the page of the SAM specification that defines it.
type extension struct {
	definition string
	property   string
	schema     func() map[string]any
	reason     string
	// resource: the definition is a resource's, whose properties are
	// under properties.Properties.properties.
	resource bool
}

var extensions = []extension{
	{
		"AWS::Serverless::Function.SQSEvent", "MaximumBatchingWindowInSeconds", integer,
		samSpec + "sam-property-function-sqs.html#sam-function-sqs-maximumbatchingwindowinseconds (Integer)",
		false,
	},
	{
		"AWS::Serverless::Function.SQSEvent", "ScalingConfig", scalingConfig,
		samSpec + "sam-property-function-sqs.html#sam-function-sqs-scalingconfig (passed to " +
			"AWS::Lambda::EventSourceMapping ScalingConfig: MaximumConcurrency Integer)",
		false,
	},
	{
		"AWS::Serverless::Function.SQSEvent", "FunctionResponseTypes", stringList,
		samSpec + "sam-property-function-sqs.html#sam-function-sqs-functionresponsetypes (List of String)",
		false,
	},
	{
		"AWS::Serverless::Function.KinesisEvent", "MaximumBatchingWindowInSeconds", integer,
		samSpec + "sam-property-function-kinesis.html#sam-function-kinesis-maximumbatchingwindowinseconds (Integer)",
		false,
	},
	{
		"AWS::Serverless::Function.DynamoDBEvent", "FunctionResponseTypes", stringList,
		samSpec + "sam-property-function-dynamodb.html#sam-function-dynamodb-functionresponsetypes (List of String)",
		false,
	},
	{
		"AWS::Lambda::Permission", "InvokedViaFunctionUrl", boolean,
		cfnSpec + "aws-resource-lambda-permission.html " +
			"(Boolean; added for Lambda's October 2025 rule that function URLs need lambda:InvokeFunction too, after goformation's last schema)",
		true,
	},
}

// An alternative lets a definition also take another shape: the definition
// becomes {"anyOf": [alternative, original]}.
type alternative struct {
	definition string
	schema     func() map[string]any
	reason     string
}

var alternatives = []alternative{
	{
		"AWS::Serverless::Api.EndpointConfiguration", endpointTypeString,
		samSpec + "sam-resource-api.html#sam-api-endpointconfiguration: \"EndpointConfiguration | String\"; " +
			"the string is the endpoint type (EDGE, REGIONAL or PRIVATE), as Chalice writes it",
	},
}

// A removal drops a keyword of the bundled schema that rejects what
// CloudFormation accepts; old is the bundled value, checked so that an
// upstream change is noticed.
type removal struct {
	pointer []string
	keyword string
	old     string
	reason  string
}

var removals = []removal{
	{
		[]string{"properties", "Outputs"}, "minProperties", "1",
		"Chalice 1.33's `chalice package` writes \"Outputs\": {} for apps without a REST API (see " +
			"testdata/chalice-reference) and AWS's own linter does not require an output: cfn-lint's outputs " +
			"schema has no minProperties " +
			"(https://github.com/aws-cloudformation/cfn-lint/blob/main/src/cfnlint/data/schemas/other/outputs/configuration.json)",
	},
}

func integer() map[string]any { return map[string]any{"type": "integer"} }

func boolean() map[string]any { return map[string]any{"type": "boolean"} }

func stringList() map[string]any {
	return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
}

func scalingConfig() map[string]any {
	return map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"properties":           map[string]any{"MaximumConcurrency": integer()},
	}
}

func endpointTypeString() map[string]any {
	return map[string]any{"type": "string", "enum": []any{"EDGE", "REGIONAL", "PRIVATE"}}
}

// A union is an anyOf whose branch is chosen by the value's "Type": the
// Resources map and the function and state-machine events.
type union struct {
	noun  string   // "resource type", "event type"
	types []string // the Type values it knows, sorted
}

// adapted is the adapted schema document and what the error reporter needs
// to know about it.
type adapted struct {
	doc map[string]any
	// unions by the JSON pointer (in doc) of the schema holding the anyOf.
	unions map[string]union
	// what each object schema declares, by JSON pointer (see index).
	declared map[string]declared
}

// resourcesPattern is the patternProperties key of the template's Resources.
const resourcesPattern = "^[a-zA-Z0-9]+$"

// adapt rewrites the decoded SamSchema in place; see the package doc.
func adapt(doc map[string]any) (*adapted, error) {
	a := &adapted{doc: doc, unions: map[string]union{}, declared: map[string]declared{}}
	defs, ok := doc["definitions"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema has no definitions")
	}
	if _, ok := defs[intrinsicDef]; ok {
		return nil, fmt.Errorf("schema already defines %q", intrinsicDef)
	}
	// Its "$id" is the draft-04 metaschema's URL; state the draft instead.
	delete(doc, "$id")
	doc["$schema"] = "http://json-schema.org/draft-04/schema#"

	for _, e := range extensions {
		at := []string{e.definition, "properties"}
		if e.resource {
			at = []string{e.definition, "properties", "Properties", "properties"}
		}
		props, err := objectAt(defs, at...)
		if err != nil {
			return nil, fmt.Errorf("extension %s.%s: %w", e.definition, e.property, err)
		}
		if _, ok := props[e.property]; ok {
			return nil, fmt.Errorf("extension %s.%s: the bundled schema has it now; drop the extension",
				e.definition, e.property)
		}
		props[e.property] = e.schema()
	}
	for _, alt := range alternatives {
		def, err := objectAt(defs, alt.definition)
		if err != nil {
			return nil, fmt.Errorf("alternative for %s: %w", alt.definition, err)
		}
		if _, ok := def["anyOf"]; ok {
			return nil, fmt.Errorf("alternative for %s: the bundled schema has an anyOf there now; review it", alt.definition)
		}
		defs[alt.definition] = map[string]any{"anyOf": []any{alt.schema(), def}}
	}

	for _, r := range removals {
		s, err := objectAt(doc, r.pointer...)
		if err != nil {
			return nil, fmt.Errorf("removal of %s/%s: %w", jsonvalue.Pointer(r.pointer...), r.keyword, err)
		}
		if v, ok := s[r.keyword]; !ok || fmt.Sprint(v) != r.old {
			return nil, fmt.Errorf("removal of %s/%s: the bundled value is %v now, not %s; review it",
				jsonvalue.Pointer(r.pointer...), r.keyword, v, r.old)
		}
		delete(s, r.keyword)
	}

	// CloudFormation custom resources (Custom::Name, with a ServiceToken),
	// which the bundled schema does not model: chalc emits
	// Custom::S3BucketNotification.
	if entry, ok := objectField(doc, "properties", "Resources", "patternProperties", resourcesPattern); ok {
		if branches, ok := entry["anyOf"].([]any); ok {
			defs[customResourceDef] = customResourceSchema()
			entry["anyOf"] = append(branches, map[string]any{"$ref": "#/definitions/" + customResourceDef})
		}
	}

	resources, err := a.resourceUnion()
	if err != nil {
		return nil, err
	}
	eventSources := map[string]bool{}
	for _, name := range []string{"AWS::Serverless::Function.EventSource", "AWS::Serverless::StateMachine.EventSource"} {
		if err := a.discriminateEvents(defs, name); err != nil {
			return nil, err
		}
		eventSources[name] = true
	}

	w := wrapper{eventSources: eventSources}
	for name, d := range defs {
		def, ok := d.(map[string]any)
		switch {
		case !ok:
			return nil, fmt.Errorf("definition %s is not an object", name)
		case name == "Parameter" || eventSources[name]:
			// A template section, and the unions built above.
		case resources[name]:
			if props, ok := objectField(def, "properties", "Properties"); ok {
				w.inside(props)
			}
		default:
			w.inside(def)
		}
	}
	if globals, ok := objectField(doc, "properties", "Globals", "properties"); ok {
		for _, section := range globals {
			if s, ok := section.(map[string]any); ok {
				w.inside(s)
			}
		}
	}
	defs[intrinsicDef] = intrinsicSchema()
	a.index(doc, nil)
	return a, nil
}

// resourceUnion records the Resources anyOf as a union and returns the set
// of resource definitions.
func (a *adapted) resourceUnion() (map[string]bool, error) {
	entry, ok := objectField(a.doc, "properties", "Resources", "patternProperties", resourcesPattern)
	if !ok {
		return nil, fmt.Errorf("schema has no Resources patternProperties %q", resourcesPattern)
	}
	branches, ok := entry["anyOf"].([]any)
	if !ok {
		return nil, fmt.Errorf("the Resources entries are not an anyOf")
	}
	defs := a.doc["definitions"].(map[string]any)
	set := map[string]bool{}
	var types []string
	for _, b := range branches {
		name, ok := refName(b)
		if !ok {
			return nil, fmt.Errorf("the Resources anyOf branch %v is not a $ref to a definition", b)
		}
		set[name] = true
		typ, _ := objectField(defs, name, "properties", "Type")
		if enum, ok := typ["enum"].([]any); ok && len(enum) == 1 {
			types = append(types, fmt.Sprint(enum[0]))
		}
	}
	slices.Sort(types)
	a.unions[jsonvalue.Pointer("properties", "Resources", "patternProperties", resourcesPattern)] = union{"resource type", types}
	return set, nil
}

// discriminateEvents turns an EventSource definition, whose Properties were
// an anyOf over every event shape, into one branch per event Type.
func (a *adapted) discriminateEvents(defs map[string]any, name string) error {
	def, err := objectAt(defs, name)
	if err != nil {
		return err
	}
	props, _ := def["properties"].(map[string]any)
	if len(props) != 2 || props["Type"] == nil || def["additionalProperties"] != false {
		return fmt.Errorf("%s: unexpected shape; review discriminateEvents", name)
	}
	shapes, ok := objectField(props, "Properties")
	if !ok {
		return fmt.Errorf("%s: no Properties", name)
	}
	refs, ok := shapes["anyOf"].([]any)
	if !ok {
		return fmt.Errorf("%s: Properties is not an anyOf", name)
	}
	var branches []any
	var types []string
	for _, r := range refs {
		shape, ok := refName(r)
		if !ok {
			return fmt.Errorf("%s: branch %v is not a $ref", name, r)
		}
		// "AWS::Serverless::Function.SQSEvent" is the shape of Type "SQS".
		_, local, _ := strings.Cut(shape, ".")
		typ, ok := strings.CutSuffix(local, "Event")
		if !ok || typ == "" {
			return fmt.Errorf("%s: cannot derive the event Type of %s", name, shape)
		}
		types = append(types, typ)
		branches = append(branches, map[string]any{
			"properties": map[string]any{
				"Type":       map[string]any{"enum": []any{typ}},
				"Properties": map[string]any{"$ref": "#/definitions/" + shape},
			},
		})
	}
	slices.Sort(types)
	defs[name] = map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []any{"Properties", "Type"},
		"properties": map[string]any{
			"Type":       map[string]any{"type": "string"},
			"Properties": map[string]any{"type": "object"},
		},
		"anyOf": branches,
	}
	a.unions[jsonvalue.Pointer("definitions", name)] = union{"event type", types}
	return nil
}

// declared is what an object schema declares: its property names and
// patternProperties patterns, sorted.
type declared struct {
	properties, patterns []string
}

// index records what v and every schema under it declare.
func (a *adapted) index(v any, path []string) {
	switch v := v.(type) {
	case map[string]any:
		props, _ := v["properties"].(map[string]any)
		patterns, _ := v["patternProperties"].(map[string]any)
		if len(props) > 0 || len(patterns) > 0 {
			a.declared[jsonvalue.Pointer(path...)] = declared{slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(patterns))}
		}
		for k, x := range v {
			a.index(x, append(slices.Clip(path), k))
		}
	case []any:
		for i, x := range v {
			a.index(x, append(slices.Clip(path), strconv.Itoa(i)))
		}
	}
}

// wrapper makes value schemas accept an intrinsic function.
type wrapper struct {
	eventSources map[string]bool
}

// wrap returns s, adapted inside, as {"anyOf": [Intrinsic, s]}.
func (w wrapper) wrap(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return v // a boolean schema
	}
	w.inside(s)
	if acceptsAnyObject(s) || w.literalOnly(s) {
		return s
	}
	return map[string]any{"anyOf": []any{map[string]any{"$ref": "#/definitions/" + intrinsicDef}, s}}
}

// inside wraps the schemas s describes its members with, without wrapping s.
func (w wrapper) inside(s map[string]any) {
	for _, kw := range []string{"properties", "patternProperties"} {
		if m, ok := s[kw].(map[string]any); ok {
			for k, v := range m {
				m[k] = w.wrap(v)
			}
		}
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		s["additionalProperties"] = w.wrap(ap)
	}
	switch items := s["items"].(type) {
	case map[string]any:
		s["items"] = w.wrap(items)
	case []any:
		for i, it := range items {
			items[i] = w.wrap(it)
		}
	}
	for _, kw := range []string{"anyOf", "oneOf", "allOf"} {
		if branches, ok := s[kw].([]any); ok {
			for _, b := range branches {
				if b, ok := b.(map[string]any); ok {
					w.inside(b)
				}
			}
		}
	}
}

// literalOnly reports whether s is an event source, or the Events map of
// them: SAM expands these, so they cannot be intrinsic functions.
func (w wrapper) literalOnly(s map[string]any) bool {
	if name, ok := refName(s); ok {
		return w.eventSources[name]
	}
	pp, ok := s["patternProperties"].(map[string]any)
	if !ok || len(pp) == 0 {
		return false
	}
	for _, v := range pp {
		name, ok := refName(v)
		if !ok || !w.eventSources[name] {
			return false
		}
	}
	return true
}

// acceptsAnyObject reports whether s accepts every object already
// ({"type": "object"}, {}).
func acceptsAnyObject(s map[string]any) bool {
	for k, v := range s {
		switch {
		case k == "description":
		case k == "type" && v == "object":
		default:
			return false
		}
	}
	return true
}

// intrinsicFunctions are the keys of an intrinsic-function object.
var intrinsicFunctions = []string{
	"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split",
	"Fn::FindInMap", "Fn::ImportValue", "Fn::Base64", "Fn::Cidr", "Fn::GetAZs",
	"Fn::Transform", "Condition",
}

// intrinsicSchema describes an intrinsic function: an object with exactly one
// key, the function, and its argument in the shape the CloudFormation
// reference gives
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
func intrinsicSchema() map[string]any {
	str := func() map[string]any { return map[string]any{"type": "string"} }
	ref := func() map[string]any { return map[string]any{"$ref": "#/definitions/" + intrinsicDef} }
	strOrFn := func() map[string]any { return map[string]any{"anyOf": []any{str(), ref()}} }
	listOrFn := func() map[string]any { return map[string]any{"anyOf": []any{map[string]any{"type": "array"}, ref()}} }
	tuple := func(items ...any) map[string]any {
		return map[string]any{"type": "array", "items": items, "minItems": len(items), "additionalItems": false}
	}
	findInMap := tuple(strOrFn(), strOrFn(), strOrFn())
	// AWS::LanguageExtensions adds an optional fourth {"DefaultValue": ...}.
	findInMap["additionalItems"] = map[string]any{"type": "object"}
	findInMap["maxItems"] = 4
	return map[string]any{
		"type":                 "object",
		"minProperties":        1,
		"maxProperties":        1,
		"additionalProperties": false,
		"properties": map[string]any{
			"Ref": str(),
			"Fn::GetAtt": map[string]any{"anyOf": []any{
				map[string]any{"type": "string", "pattern": `^[A-Za-z0-9]+\..+$`},
				tuple(str(), strOrFn()),
			}},
			"Fn::Sub":  map[string]any{"anyOf": []any{str(), tuple(str(), map[string]any{"type": "object"})}},
			"Fn::Join": tuple(str(), listOrFn()),
			"Fn::If":   tuple(str(), map[string]any{}, map[string]any{}),
			"Fn::Select": tuple(
				map[string]any{"anyOf": []any{map[string]any{"type": []any{"integer", "string"}}, ref()}},
				listOrFn(),
			),
			"Fn::Split":       tuple(str(), strOrFn()),
			"Fn::FindInMap":   findInMap,
			"Fn::ImportValue": strOrFn(),
			"Fn::Base64":      strOrFn(),
			"Fn::Cidr":        tuple(strOrFn(), map[string]any{}, map[string]any{}),
			"Fn::GetAZs":      strOrFn(),
			"Fn::Transform":   map[string]any{"type": "object"},
			"Condition":       str(),
		},
	}
}

// refName returns the definition a {"$ref": "#/definitions/X"} schema names.
func refName(v any) (string, bool) {
	s, ok := v.(map[string]any)
	if !ok || len(s) != 1 {
		return "", false
	}
	ref, ok := s["$ref"].(string)
	if !ok {
		return "", false
	}
	return strings.CutPrefix(ref, "#/definitions/")
}

// objectField walks nested objects by key.
func objectField(m map[string]any, path ...string) (map[string]any, bool) {
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	return m, true
}

func objectAt(m map[string]any, path ...string) (map[string]any, error) {
	o, ok := objectField(m, path...)
	if !ok {
		return nil, fmt.Errorf("no object at %s", jsonvalue.Pointer(path...))
	}
	return o, nil
}

// customResourceDef names the definition of Custom:: resources.
const customResourceDef = "chalc.CustomResource"

// customResourceSchema: Type Custom::<Name> (CloudFormation's rule), a
// ServiceToken, and any other properties (they are the provider's).
func customResourceSchema() map[string]any {
	return map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []any{"Type", "Properties"},
		"properties": map[string]any{
			"Type":                map[string]any{"type": "string", "pattern": "^Custom::[A-Za-z0-9_@-]{1,60}$"},
			"DependsOn":           map[string]any{"anyOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "array", "items": map[string]any{"type": "string"}}}},
			"Condition":           map[string]any{"type": "string"},
			"Metadata":            map[string]any{"type": "object"},
			"DeletionPolicy":      map[string]any{"enum": []any{"Delete", "Retain", "Snapshot"}},
			"UpdateReplacePolicy": map[string]any{"enum": []any{"Delete", "Retain", "Snapshot"}},
			"Properties": map[string]any{
				"type":                 "object",
				"required":             []any{"ServiceToken"},
				"additionalProperties": true,
				"properties":           map[string]any{"ServiceToken": map[string]any{"type": "string"}},
			},
		},
	}
}
