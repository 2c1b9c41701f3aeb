package sam

import (
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/compiler"
)

// A function's url: is an AWS::Lambda::Url (<Fn>Url) and, with auth:
// none, the two permissions a public URL needs since October 2025:
// lambda:InvokeFunctionUrl for anyone under FunctionUrlAuthType NONE
// (<Fn>UrlPublicPermission), and lambda:InvokeFunction for anyone, only
// through the function URL (<Fn>UrlInvokePermission,
// InvokedViaFunctionUrl). Plain resources rather than SAM's
// FunctionUrlConfig, which names them itself and writes only the first
// permission. With auth: aws_iam no permission is written: the callers'
// own IAM policies allow them. The output <Fn>Url holds the URL.

// functionURL emits f's function URL, its permissions and its output.
func (g *generator) functionURL(f *compiler.Function) {
	u := f.URL
	url := &lambda.Url{
		AuthType:          u.Auth,
		TargetFunctionArn: getAtt(f.LogicalID, "Arn"),
		InvokeMode:        cloudformation.String(u.InvokeMode),
	}
	if c := u.CORS.Native([]string{"*"}); c != nil {
		url.Cors = &lambda.Url_Cors{
			AllowOrigins:  c.AllowOrigins,
			AllowMethods:  c.AllowMethods,
			AllowHeaders:  c.AllowHeaders,
			ExposeHeaders: c.ExposeHeaders,
			MaxAge:        c.MaxAge,
		}
		if c.AllowCredentials {
			url.Cors.AllowCredentials = cloudformation.Bool(true)
		}
	}
	id := awsfacts.FunctionURLID(f.LogicalID)
	g.t.Resources[id] = url
	g.t.Outputs[id] = cloudformation.Output{Value: getAtt(id, "FunctionUrl")}
	if u.Auth != compiler.URLAuthNone {
		return
	}
	g.t.Resources[awsfacts.FunctionURLPublicPermissionID(f.LogicalID)] = &lambda.Permission{
		FunctionName:        ref(f.LogicalID),
		Action:              "lambda:InvokeFunctionUrl",
		Principal:           "*",
		FunctionUrlAuthType: cloudformation.String(compiler.URLAuthNone),
	}
	g.t.Resources[awsfacts.FunctionURLInvokePermissionID(f.LogicalID)] = &urlInvokePermission{
		FunctionName:          ref(f.LogicalID),
		Action:                "lambda:InvokeFunction",
		Principal:             "*",
		InvokedViaFunctionUrl: true,
	}
}

// urlInvokePermission is an AWS::Lambda::Permission with
// InvokedViaFunctionUrl, which CloudFormation added with Lambda's October
// 2025 rule and goformation v7 (archived in 2024) does not have.
type urlInvokePermission struct {
	Action                string
	FunctionName          string
	Principal             string
	InvokedViaFunctionUrl bool
}

// AWSCloudFormationType implements cloudformation.Resource.
func (p *urlInvokePermission) AWSCloudFormationType() string { return "AWS::Lambda::Permission" }

// MarshalJSON writes the resource envelope.
func (p urlInvokePermission) MarshalJSON() ([]byte, error) {
	type properties urlInvokePermission
	return json.Marshal(struct {
		Type       string
		Properties properties
	}{p.AWSCloudFormationType(), properties(p)})
}
