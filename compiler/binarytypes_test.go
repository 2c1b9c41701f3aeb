package compiler

import (
	"reflect"
	"testing"

	"github.com/chalc-dev/chalc/manifest"
)

// TestBinaryTypes: api.binary_types adds to Chalice's 16 defaults; with
// binary_types_replace_defaults it replaces them (Chalice's
// app.api.binary_types = [...]), and an empty replacement is an empty,
// non-nil list (nil would mean the defaults to the runtime).
func TestBinaryTypes(t *testing.T) {
	for _, tc := range []struct {
		name, api string
		want      []string
	}{
		{"defaults", "{}", DefaultBinaryTypes},
		{"added", "{binary_types: [application/pdf, image/png]}", append(append([]string{}, DefaultBinaryTypes...), "application/pdf")},
		{"replaced", "{binary_types: [application/pdf, application/pdf], binary_types_replace_defaults: true}", []string{"application/pdf"}},
		{"replaced by none", "{binary_types_replace_defaults: true}", []string{}},
		{"not replaced", "{binary_types: [application/pdf], binary_types_replace_defaults: false}", append(append([]string{}, DefaultBinaryTypes...), "application/pdf")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, ds := manifest.Parsed("chalice.yaml", []byte("version: 1\napp_name: bin\nhandlers: ./app\napi: "+tc.api+"\nroutes:\n  /: {GET: Index}\n"))
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			app, cds := Compile(set, Options{})
			if app == nil {
				t.Fatal(cds)
			}
			if !reflect.DeepEqual(app.BinaryTypes, tc.want) || app.BinaryTypes == nil {
				t.Errorf("BinaryTypes = %#v, want %#v", app.BinaryTypes, tc.want)
			}
		})
	}
}
