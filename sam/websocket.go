package sam

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/sam/swagger"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/manifest"
)

// websocketAPI emits the websocket API as Chalice shapes it: the API,
// per handler an integration, an invoke permission and a route, then the
// deployment (after the routes), the stage and the outputs.
func (g *generator) websocketAPI() error {
	ws := g.app.Websocket
	if ws == nil {
		return nil
	}
	st := g.app.Stage
	g.t.Resources[awsfacts.IDWebsocketAPI] = &apigatewayv2.Api{
		Name:                     cloudformation.String(g.app.Name + "-" + st.Name + "-websocket-api"),
		RouteSelectionExpression: cloudformation.String("$request.body.action"),
		ProtocolType:             cloudformation.String("WEBSOCKET"),
	}
	g.t.Outputs["WebsocketAPIId"] = cloudformation.Output{Value: ref(awsfacts.IDWebsocketAPI)}
	var routes []string
	// snapshot is what a deployment of the API freezes: its routes and
	// their integrations, in this fixed order.
	var snapshot []cloudformation.Resource
	for _, fn := range []*compiler.Function{ws.Connect, ws.Message, ws.Disconnect} {
		if fn == nil {
			continue
		}
		id := fn.LogicalID // WebsocketConnect, WebsocketMessage, WebsocketDisconnect
		integration := id + "APIIntegration"
		in := &apigatewayv2.Integration{
			ApiId:                   ref(awsfacts.IDWebsocketAPI),
			ConnectionType:          cloudformation.String("INTERNET"),
			ContentHandlingStrategy: cloudformation.String("CONVERT_TO_TEXT"),
			IntegrationType:         "AWS_PROXY",
			IntegrationUri:          cloudformation.String(sub(swagger.LambdaURI(id))),
		}
		g.t.Resources[integration] = in
		g.t.Resources[awsfacts.InvokePermissionID(id)] = g.websocketPermission(id)
		route := id + "Route"
		r := &apigatewayv2.Route{
			ApiId:    ref(awsfacts.IDWebsocketAPI),
			RouteKey: fn.WebsocketRoute,
			Target:   cloudformation.String(join("/", "integrations", ref(integration))),
		}
		g.t.Resources[route] = r
		routes = append(routes, route)
		snapshot = append(snapshot, in, r)
		g.t.Outputs[id+"HandlerArn"] = cloudformation.Output{Value: getAtt(id, "Arn")}
		g.t.Outputs[id+"HandlerName"] = cloudformation.Output{Value: ref(id)}
	}
	deployment, err := websocketDeploymentID(snapshot)
	if err != nil {
		return err
	}
	if _, taken := g.t.Resources[deployment]; taken {
		return fmt.Errorf("the websocket deployment's logical ID %s is already taken", deployment)
	}
	g.t.Resources[deployment] = &apigatewayv2.Deployment{
		ApiId:                      ref(awsfacts.IDWebsocketAPI),
		AWSCloudFormationDependsOn: routes,
	}
	g.t.Resources[awsfacts.IDWebsocketStage] = &apigatewayv2.Stage{
		ApiId:        ref(awsfacts.IDWebsocketAPI),
		DeploymentId: cloudformation.String(ref(deployment)),
		StageName:    st.APIGatewayStage.V,
	}
	g.t.Outputs["WebsocketConnectEndpointURL"] = cloudformation.Output{Value: sub(
		"wss://${" + awsfacts.IDWebsocketAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + st.APIGatewayStage.V + "/")}
	if d := st.WebsocketCustomDomain; d != nil {
		g.websocketDomain(d)
	}
	return nil
}

// websocketDeploymentID names the websocket API's deployment after what
// it deploys: WebsocketAPIDeployment plus the first 10 hex digits of the
// SHA-256 of the routes' and integrations' resources. A deployment is a
// snapshot taken when it is created, and CloudFormation creates an
// AWS::ApiGatewayV2::Deployment only for a new logical ID (a property
// update changes its description, not what is deployed; DependsOn is
// no change at all). So a changed route or integration makes a new ID,
// hence a new deployment that the stage then points at; the old one is
// deleted in the update's cleanup. Unchanged routes keep the ID, and the
// template stays byte-stable. Chalice keeps one fixed ID, so its routes
// added in a later deploy never reach the stage.
func websocketDeploymentID(snapshot []cloudformation.Resource) (string, error) {
	h := sha256.New()
	for _, r := range snapshot {
		b, err := json.Marshal(r)
		if err != nil {
			return "", err
		}
		if b, err = legacyIntrinsics(b); err != nil {
			return "", err
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return awsfacts.IDWebsocketDeployment + hex.EncodeToString(h.Sum(nil))[:10], nil
}

func (g *generator) websocketPermission(fnID string) *lambdaPermission {
	p := g.apiPermission(ref(fnID), "*")
	p.SourceArn = cloudformation.String(sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + awsfacts.IDWebsocketAPI + "}/*"))
	return p
}

// mappingKey is a custom domain's base path: url_prefix without slashes;
// none (Chalice writes the literal "(none)", a listed bug) leaves the key
// out so the mapping covers the whole domain.
func mappingKey(d *manifest.Domain) *string {
	p := d.URLPrefix.V
	for len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	if p == "" {
		return nil
	}
	return cloudformation.String(p)
}

// restDomain emits the REST API's custom domain and base path mapping.
func (g *generator) restDomain(d *manifest.Domain) {
	st := g.app.Stage
	tls := "TLS_1_2"
	if d.TLSVersion.Set {
		tls = d.TLSVersion.V
	}
	dn := &apigateway.DomainName{
		DomainName:            cloudformation.String(d.DomainName.V),
		EndpointConfiguration: &apigateway.DomainName_EndpointConfiguration{Types: []string{st.EndpointType.V}},
		SecurityPolicy:        cloudformation.String(tls),
	}
	attr := "RegionalDomainName"
	if st.EndpointType.V == "EDGE" {
		dn.CertificateArn = cloudformation.String(d.CertificateARN.V)
		attr = "DistributionDomainName"
	} else {
		dn.RegionalCertificateArn = cloudformation.String(d.CertificateARN.V)
	}
	for _, e := range sortedEntries(d.Tags) {
		dn.Tags = append(dn.Tags, tags.Tag{Key: e[0], Value: e[1]})
	}
	g.t.Resources[awsfacts.IDAPICustomDomain] = dn
	g.t.Resources[awsfacts.IDAPIDomainMapping] = &apigateway.BasePathMapping{
		DomainName: ref(awsfacts.IDAPICustomDomain),
		RestApiId:  cloudformation.String(ref(awsfacts.IDRestAPI)),
		BasePath:   mappingKey(d),
		// RestAPI.Stage is SAM's reference to the stage it creates, so the
		// mapping waits for the stage to exist.
		Stage: cloudformation.String(ref(awsfacts.IDRestAPI + ".Stage")),
	}
	g.t.Outputs["AliasDomainName"] = cloudformation.Output{Value: getAtt(awsfacts.IDAPICustomDomain, attr)}
}

// websocketDomain emits the websocket API's custom domain and mapping.
func (g *generator) websocketDomain(d *manifest.Domain) {
	g.v2Domain(d, awsfacts.IDWebsocketDomain, awsfacts.IDWebsocketDomainMap, awsfacts.IDWebsocketAPI, awsfacts.IDWebsocketStage, "WebsocketAliasDomainName")
}

// v2Domain emits an API Gateway v2 custom domain (regional, TLS 1.2: the
// only kind v2 APIs take), its mapping to the API's stage, and the output
// naming the domain's target.
func (g *generator) v2Domain(d *manifest.Domain, domainID, mappingID, apiID, stageID, output string) {
	dn := &apigatewayv2.DomainName{
		DomainName: d.DomainName.V,
		DomainNameConfigurations: []apigatewayv2.DomainName_DomainNameConfiguration{{
			CertificateArn: cloudformation.String(d.CertificateARN.V),
			EndpointType:   cloudformation.String("REGIONAL"),
			SecurityPolicy: cloudformation.String("TLS_1_2"),
		}},
	}
	if len(d.Tags.Entries) > 0 {
		dn.Tags = map[string]string{}
		for _, e := range sortedEntries(d.Tags) {
			dn.Tags[e[0]] = e[1]
		}
	}
	g.t.Resources[domainID] = dn
	g.t.Resources[mappingID] = &apigatewayv2.ApiMapping{
		DomainName:    ref(domainID),
		ApiId:         ref(apiID),
		ApiMappingKey: mappingKey(d),
		Stage:         ref(stageID),
	}
	g.t.Outputs[output] = cloudformation.Output{Value: getAtt(domainID, "RegionalDomainName")}
}

func sortedEntries(m manifest.Map) [][2]string {
	var out [][2]string
	for _, e := range m.Entries {
		if e.Value.Set {
			out = append(out, [2]string{e.Key.V, e.Value.V})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// managedLayer emits the layer holding the bootstrap when automatic_layer
// is on: every function lists it first and the provided runtime finds
// /opt/bootstrap.
func (g *generator) managedLayer() {
	st := g.app.Stage
	if !st.AutomaticLayer.V {
		return
	}
	g.t.Resources[awsfacts.IDManagedLayer] = &serverless.LayerVersion{
		CompatibleRuntimes: []string{Runtime},
		ContentUri:         &serverless.LayerVersion_ContentUri{String: cloudformation.String(awsfacts.LayerURI)},
		LayerName:          cloudformation.String(g.app.Name + "-" + st.Name + "-managed-layer"),
	}
}
