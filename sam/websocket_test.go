package sam_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/awsfacts"
)

// TestWebsocketDeploymentFollowsRoutes: the deployment's logical ID
// carries a hash of the routes and integrations, so adding a route makes
// a new deployment (CloudFormation creates one only for a new ID), and
// the stage points at it; the same routes keep the same ID.
func TestWebsocketDeploymentFollowsRoutes(t *testing.T) {
	deployment := func(yaml string) string {
		t.Helper()
		res := resources(t, compile(t, yaml))
		ids := ofType(res, "AWS::ApiGatewayV2::Deployment")
		if len(ids) != 1 {
			t.Fatalf("deployments %v, want one", ids)
		}
		id := ids[0]
		if !strings.HasPrefix(id, awsfacts.IDWebsocketDeployment) || len(id) != len(awsfacts.IDWebsocketDeployment)+10 {
			t.Errorf("deployment ID %s: want %s and 10 hex digits", id, awsfacts.IDWebsocketDeployment)
		}
		if got, want := props(t, res, awsfacts.IDWebsocketStage)["DeploymentId"], map[string]any{"Ref": id}; !reflect.DeepEqual(got, want) {
			t.Errorf("stage DeploymentId = %v, want %v", got, want)
		}
		return id
	}
	const head = "version: 1\napp_name: chat\nhandlers: ./app\nwebsocket:\n"
	one := deployment(head + "  message: OnMessage\n")
	if again := deployment(head + "  message: OnMessage\n"); again != one {
		t.Errorf("same routes, different deployment IDs: %s, %s", one, again)
	}
	two := deployment(head + "  connect: OnConnect\n  message: OnMessage\n")
	if two == one {
		t.Errorf("a route was added, yet the deployment ID %s did not change", one)
	}
	// The stage name is the stage's, not the deployment's business.
	if staged := deployment(head + "  connect: OnConnect\n  message: OnMessage\napi_gateway_stage: v2\n"); staged != two {
		t.Errorf("the API Gateway stage changed the deployment ID: %s, %s", two, staged)
	}
}
