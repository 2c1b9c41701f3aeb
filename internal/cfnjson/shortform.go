package cfnjson

import (
	"sort"
	"strings"
)

// CloudFormation's YAML short forms. A merge template and an
// environment_variables value of chalice.yaml both write intrinsics as
// YAML tags (!Ref X, !GetAtt Res.Attr, !Sub "..."); both readers turn
// them into the long form with these two functions, so the two files
// mean the same by the same tag.

// shortForms maps each short-form tag to its long form.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub",
	"!Join": "Fn::Join", "!If": "Fn::If", "!Select": "Fn::Select", "!Split": "Fn::Split",
	"!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64",
	"!Cidr": "Fn::Cidr", "!GetAZs": "Fn::GetAZs", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!Transform": "Fn::Transform", "!ToJsonString": "Fn::ToJsonString",
	"!Length": "Fn::Length",
}

// ShortForm returns the long form of a short-form tag ("!GetAtt" →
// "Fn::GetAtt", "!Ref" → "Ref"); ok is false for any other tag.
func ShortForm(tag string) (long string, ok bool) {
	long, ok = shortForms[tag]
	return long, ok
}

// ShortTags lists the short-form tags, sorted (for "did you mean").
func ShortTags() []string {
	tags := make([]string, 0, len(shortForms))
	for t := range shortForms {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	return tags
}

// LongForm is the intrinsic a short-form tag writes: {long: arg}, with
// !GetAtt's "Res.Attr" split at its first dot into ["Res", "Attr"], as
// CloudFormation (and Chalice's loader) reads it.
func LongForm(long string, arg any) map[string]any {
	if long == "Fn::GetAtt" {
		if s, ok := arg.(string); ok {
			if res, attr, found := SplitGetAtt(s); found {
				arg = []any{res, attr}
			}
		}
	}
	return map[string]any{long: arg}
}

// SplitGetAtt splits the argument of a short-form !GetAtt, "Res.Attr", at
// its first dot (attributes such as Endpoint.Address keep theirs).
func SplitGetAtt(s string) (resource, attribute string, ok bool) {
	return strings.Cut(s, ".")
}
