package sam

import (
	"encoding/json"

	"github.com/chalc-dev/chalc/internal/cfnjson"
)

// value renders t as plain JSON values (numbers kept exact): one marshal
// of the typed template, one decode, then each token (intrinsics.go)
// becomes its intrinsic object or document. goformation's Template.JSON()
// is not used: it would also evaluate raw intrinsic maps (FACTS.md),
// decode any user string that looks like its base64 encoding, and cost
// three marshal/unmarshal passes.
func (t *typedTemplate) value() (map[string]any, error) {
	raw, err := json.Marshal(t.Template)
	if err != nil {
		return nil, err
	}
	v, err := cfnjson.Decode(raw)
	if err != nil {
		return nil, err
	}
	out, err := render(v, t.bodies)
	if err != nil {
		return nil, err
	}
	return out.(map[string]any), nil
}
