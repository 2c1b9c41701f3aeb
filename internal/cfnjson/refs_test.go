package cfnjson

import (
	"reflect"
	"testing"
)

func TestReferences(t *testing.T) {
	for _, c := range []struct {
		fn   string
		arg  any
		want []Reference
	}{
		{"Ref", "RestAPI.Stage", []Reference{{Fn: "Ref", Name: "RestAPI.Stage"}}},
		{"Ref", 3, nil},
		{"Fn::GetAtt", []any{"Queue", "Arn"}, []Reference{{Fn: "Fn::GetAtt", Name: "Queue", Attribute: true}}},
		{"Fn::GetAtt", "Queue.Arn", []Reference{{Fn: "Fn::GetAtt", Name: "Queue", Attribute: true}}},
		{"Fn::Sub", "arn:${AWS::Partition}:${Fn.Arn}/${!Literal}", []Reference{
			{Fn: "Fn::Sub", Name: "AWS::Partition"}, {Fn: "Fn::Sub", Name: "Fn", Attribute: true}}},
		{"Fn::Sub", []any{"${Local}-${Table}", map[string]any{"Local": "x"}}, []Reference{{Fn: "Fn::Sub", Name: "Table"}}},
		{"Fn::Sub", []any{"${Table}"}, nil}, // malformed: its own error
		{"Fn::If", []any{"IsProd", "a", "b"}, []Reference{{Fn: "Fn::If", Name: "IsProd", Condition: true}}},
		{"Fn::Join", []any{"-", []any{"a"}}, nil},
	} {
		if got := References(c.fn, c.arg); !reflect.DeepEqual(got, c.want) {
			t.Errorf("References(%s, %v) = %+v, want %+v", c.fn, c.arg, got, c.want)
		}
	}
}
