package cfnjson

import (
	"reflect"
	"testing"
)

func TestLongForm(t *testing.T) {
	cases := []struct {
		tag  string
		arg  any
		want map[string]any
	}{
		{"!Ref", "Table", map[string]any{"Ref": "Table"}},
		{"!Condition", "IsProd", map[string]any{"Condition": "IsProd"}},
		{"!GetAtt", "Queue.Arn", map[string]any{"Fn::GetAtt": []any{"Queue", "Arn"}}},
		// Split at the first dot only: nested attributes keep theirs.
		{"!GetAtt", "Db.Endpoint.Address", map[string]any{"Fn::GetAtt": []any{"Db", "Endpoint.Address"}}},
		{"!GetAtt", []any{"Queue", "Arn"}, map[string]any{"Fn::GetAtt": []any{"Queue", "Arn"}}},
		{"!Sub", "${AWS::StackName}-x", map[string]any{"Fn::Sub": "${AWS::StackName}-x"}},
	}
	for _, c := range cases {
		long, ok := ShortForm(c.tag)
		if !ok {
			t.Fatalf("ShortForm(%q) not found", c.tag)
		}
		if got := LongForm(long, c.arg); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %v = %v, want %v", c.tag, c.arg, got, c.want)
		}
	}
	if _, ok := ShortForm("!GetAttr"); ok {
		t.Error("!GetAttr is not a short form")
	}
}
