package awsfacts

import (
	"reflect"
	"testing"
)

func TestStageID(t *testing.T) {
	for _, c := range []struct{ typ, api, stage, want string }{
		{"AWS::Serverless::Api", "RestAPI", "api", "RestAPIapiStage"},
		{"AWS::Serverless::Api", "RestAPI", "v1", "RestAPIv1Stage"},
		// Not alphanumeric: SHA-1 of the name, as samtranslator's
		// LogicalIdGenerator (sha1("v1-beta") = 2817521297...).
		{"AWS::Serverless::Api", "RestAPI", "v1-beta", "RestAPIStage2817521297"},
		{"AWS::Serverless::HttpApi", "Http", "$default", "HttpApiGatewayDefaultStage"},
		{"AWS::Serverless::HttpApi", "Http", "prod", "HttpprodStage"},
		{"AWS::Serverless::WebSocketApi", "Ws", "$default", "WsDefaultStage"},
		{"AWS::Serverless::WebSocketApi", "Ws", "prod", "WsprodStage"},
	} {
		if got := SAMStageID(c.typ, c.api, c.stage); got != c.want {
			t.Errorf("StageID(%s, %s, %q) = %s, want %s", c.typ, c.api, c.stage, got, c.want)
		}
	}
}

func TestSAMEventResources(t *testing.T) {
	ids := func(gs []Generated) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.ID)
		}
		return out
	}
	for _, c := range []struct {
		typ  string
		want []string
	}{
		{"Schedule", []string{"EveryHourEveryHourEvent", "EveryHourEveryHourEventPermission"}},
		{"SNS", []string{"EveryHourEveryHourEvent", "EveryHourEveryHourEventPermission"}},
		{"SQS", []string{"EveryHourEveryHourEvent"}},
		{"S3", []string{"EveryHourEveryHourEventPermission"}},
		{"Unknown", nil},
	} {
		if got := ids(SAMEventResources("EveryHour", "EveryHourEvent", c.typ)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.typ, got, c.want)
		}
	}
	if !SAMDeploymentPattern("RestAPI").MatchString("RestAPIDeployment0123456789") || SAMDeploymentPattern("RestAPI").MatchString("RestAPIDeploymentX") {
		t.Error("DeploymentPattern")
	}
}
