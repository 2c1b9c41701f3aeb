package build

import "testing"

// TestBinaryTypesLiteral: chalc_gen.go carries the app's binary types as
// the template lists them; nil is the runtime's "Chalice's defaults", so a
// replacement by none (binary_types_replace_defaults without types) is an
// empty list, not nil.
func TestBinaryTypesLiteral(t *testing.T) {
	for _, tc := range []struct {
		types []string
		want  string
	}{
		{[]string{}, "[]string{}"},
		{[]string{"application/pdf"}, `[]string{"application/pdf"}`},
		{nil, "nil"},
	} {
		if got := binaryTypesLiteral(tc.types); got != tc.want {
			t.Errorf("binaryTypesLiteral(%#v) = %s, want %s", tc.types, got, tc.want)
		}
	}
}
