package sam

import (
	"sync"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/sam/swagger"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
)

// restAPI emits RestAPI, the API handler's invoke permission and the
// REST outputs.
func (g *generator) restAPI() error {
	st := g.app.Stage
	// The swagger document (most of a large template) is built on the
	// other core while the rest of the template is built and marshalled;
	// value puts it in place.
	placeholder := bodyToken(awsfacts.IDRestAPI)
	g.bodies[placeholder] = sync.OnceValues(g.startSwagger())
	api := &serverless.Api{
		EndpointConfiguration: &serverless.Api_EndpointConfiguration{Type: cloudformation.String(st.EndpointType.V)},
		StageName:             st.APIGatewayStage.V,
		DefinitionBody:        placeholder,
	}
	if st.MinimumCompressionSize.Set {
		api.MinimumCompressionSize = cloudformation.Int(st.MinimumCompressionSize.V)
	}
	g.t.Resources[awsfacts.IDRestAPI] = api
	g.t.Resources[awsfacts.InvokePermissionID(awsfacts.IDAPIHandler)] = g.apiPermission(ref(awsfacts.IDAPIHandler), "*")
	g.t.Outputs["RestAPIId"] = cloudformation.Output{Value: ref(awsfacts.IDRestAPI)}
	g.t.Outputs["APIHandlerName"] = cloudformation.Output{Value: ref(awsfacts.IDAPIHandler)}
	g.t.Outputs["APIHandlerArn"] = cloudformation.Output{Value: getAtt(awsfacts.IDAPIHandler, "Arn")}
	g.t.Outputs["EndpointURL"] = cloudformation.Output{Value: sub(
		"https://${" + awsfacts.IDRestAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + st.APIGatewayStage.V + "/")}
	return nil
}

// startSwagger builds the swagger document in a goroutine and returns
// the function that waits for it.
func (g *generator) startSwagger() func() (any, error) {
	type result struct {
		doc any
		err error
	}
	ch := make(chan result, 1)
	go func() {
		doc, err := swagger.Document(g.app)
		ch <- result{doc: doc, err: err}
	}()
	return func() (any, error) {
		r := <-ch
		return r.doc, r.err
	}
}
