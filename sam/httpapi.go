package sam

import (
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/logs"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/sam/swagger"
)

// A stage with api_kind: http serves its routes through an HTTP API (API
// Gateway v2), written as plain CloudFormation resources rather than
// SAM's AWS::Serverless::HttpApi: goformation's HttpApi type names
// AccessLogSetting what SAM reads as AccessLogSettings and lacks other
// properties, and with plain resources every logical ID is chalc's own
// (nothing hashed by the transform to claim), as for the websocket API.
// The API is an AWS::ApiGatewayV2::Api whose Body is its OpenAPI 3.0
// document (sam/swagger.HTTPDocument: one resource however many routes,
// where AWS::ApiGatewayV2::Route resources would reach CloudFormation's
// 500 resources at about 480 routes), FailOnWarnings so that a part API
// Gateway cannot import (an authorizer) fails the deploy instead of
// being dropped; one AWS::ApiGatewayV2::Stage that deploys every change
// itself (AutoDeploy, as SAM's HttpApi stage), so no deployment resource
// has to follow the routes.

// accessLogFormat is the HTTP API's access log line: JSON, one object a
// request.
const accessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",` +
	`"httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol",` +
	`"responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage"}`

// httpAPI emits HttpAPI, its stage, the API handler's invoke permission,
// the access log group and the outputs.
func (g *generator) httpAPI() error {
	st := g.app.Stage
	placeholder := bodyToken(awsfacts.IDHTTPAPI)
	g.bodies[placeholder] = sync.OnceValues(func() (any, error) { return swagger.HTTPDocument(g.app) })
	g.t.Resources[awsfacts.IDHTTPAPI] = &apigatewayv2.Api{
		Body:           placeholder,
		FailOnWarnings: cloudformation.Bool(true),
	}
	stage := &apigatewayv2.Stage{
		ApiId:      ref(awsfacts.IDHTTPAPI),
		StageName:  st.APIGatewayStage.V,
		AutoDeploy: cloudformation.Bool(true),
	}
	if st.APIAccessLog.V {
		group := &logs.LogGroup{}
		if r := st.Defaults.LogRetentionInDays; r.Set {
			group.RetentionInDays = cloudformation.Int(r.V)
		}
		g.t.Resources[awsfacts.IDHTTPAPIAccessLogGroup] = group
		stage.AccessLogSettings = &apigatewayv2.Stage_AccessLogSettings{
			DestinationArn: cloudformation.String(getAtt(awsfacts.IDHTTPAPIAccessLogGroup, "Arn")),
			Format:         cloudformation.String(accessLogFormat),
		}
	}
	g.t.Resources[awsfacts.IDHTTPAPIStage] = stage
	g.t.Resources[awsfacts.InvokePermissionID(awsfacts.IDAPIHandler)] = g.apiPermission(ref(awsfacts.IDAPIHandler), "*")
	g.t.Outputs["HttpAPIId"] = cloudformation.Output{Value: ref(awsfacts.IDHTTPAPI)}
	g.t.Outputs["APIHandlerName"] = cloudformation.Output{Value: ref(awsfacts.IDAPIHandler)}
	g.t.Outputs["APIHandlerArn"] = cloudformation.Output{Value: getAtt(awsfacts.IDAPIHandler, "Arn")}
	g.t.Outputs["EndpointURL"] = cloudformation.Output{Value: sub(
		"https://${" + awsfacts.IDHTTPAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + st.APIGatewayStage.V + "/")}
	if d := st.APICustomDomain; d != nil {
		g.httpDomain(d)
	}
	return nil
}

// httpDomain emits the HTTP API's custom domain and its mapping to the
// stage.
func (g *generator) httpDomain(d *manifest.Domain) {
	g.v2Domain(d, awsfacts.IDHTTPAPICustomDomain, awsfacts.IDHTTPAPIDomainMapping, awsfacts.IDHTTPAPI, awsfacts.IDHTTPAPIStage, "AliasDomainName")
}
