package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/internal/cfnjson"
)

// MaxTemplateBody is the largest template CloudFormation takes inline
// (TemplateBody); a larger one is uploaded and passed as TemplateURL.
const MaxTemplateBody = 51200

// objectKey is the content-addressed key of data: chalc/<app>/<sha256><ext>.
func objectKey(app string, data []byte, ext string) (key string, sum [32]byte) {
	sum = sha256.Sum256(data)
	return "chalc/" + app + "/" + hex.EncodeToString(sum[:]) + ext, sum
}

// codeProps are the properties of SAM resources that `aws cloudformation
// package` would upload when they hold a local path.
var codeProps = map[string]string{
	"AWS::Serverless::Function":     "CodeUri",
	"AWS::Serverless::LayerVersion": "ContentUri",
	"AWS::Serverless::Api":          "DefinitionUri",
	"AWS::Serverless::HttpApi":      "DefinitionUri",
	"AWS::Serverless::StateMachine": "DefinitionUri",
}

// rewriteTemplate points the template's code at S3: a function's
// CodeUri awsfacts.CodeURI becomes codeURI and a layer's ContentUri
// awsfacts.LayerURI becomes layerURI (s3://bucket/key). Any other local path
// is an error (chalc uploads only what it built). The result is compact
// JSON; v is not changed (the resources rewritten are copies).
func rewriteTemplate(v map[string]any, codeURI, layerURI string) ([]byte, error) {
	resources, _ := v["Resources"].(map[string]any)
	out := maps.Clone(v)
	outResources := maps.Clone(resources)
	out["Resources"] = outResources
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		prop, ok := codeProps[typ]
		if !ok {
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		uri, isString := props[prop].(string)
		if !isString || strings.HasPrefix(uri, "s3://") || strings.HasPrefix(uri, "https://") {
			continue // an S3 location object, an intrinsic, or already remote
		}
		var remote string
		switch {
		case prop == "CodeUri" && uri == awsfacts.CodeURI && codeURI != "":
			remote = codeURI
		case prop == "ContentUri" && uri == awsfacts.LayerURI && layerURI != "":
			remote = layerURI
		default:
			return nil, fmt.Errorf("resource %s: %s %q is a local path; chalc deploy uploads only the packages it builds (use an s3:// URI)", id, prop, uri)
		}
		r, props = maps.Clone(r), maps.Clone(props)
		props[prop] = remote
		r["Properties"] = props
		outResources[id] = r
	}
	return cfnjson.EncodeJSON(out, true)
}
