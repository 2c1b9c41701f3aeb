package apidoc

import (
	"strings"

	"github.com/chalc-dev/chalc/sam/swagger"

	"github.com/chalc-dev/chalc/compiler"
)

// Swagger returns the swagger 2.0 document of app's REST API: the one the
// template deploys (swagger.Document), without API Gateway's extensions
// (x-amazon-apigateway-integration, -authorizer, -authtype,
// -binary-media-types, -policy, ...) and without CloudFormation
// intrinsics, which only mean something inside the template.
func Swagger(app *compiler.App) (map[string]any, error) {
	if len(app.Routes) == 0 {
		return nil, ErrNoRoutes
	}
	doc, err := swagger.Document(app)
	if err != nil {
		return nil, err
	}
	return strip(doc).(map[string]any), nil
}

// strip removes, recursively, the keys starting with
// x-amazon-apigateway- and the values that are intrinsic functions
// (objects whose only key is Ref or Fn::*).
func strip(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if strings.HasPrefix(k, "x-amazon-apigateway-") || isIntrinsic(e) {
				continue
			}
			out[k] = strip(e)
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if !isIntrinsic(e) {
				out = append(out, strip(e))
			}
		}
		return out
	}
	return v
}

func isIntrinsic(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}
