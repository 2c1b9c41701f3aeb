package chalice_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// A route handler as chalc's generated code adapts it: URI parameters
// come from req.URIParams, errors are StatusErrors, results are JSON.
// The API Gateway event goes through the same Invoke as in Lambda.
func Example() {
	users := map[string]string{"42": "Zoë"}
	app := chalice.New("petstore", chalice.Config{})
	app.Route(chalice.Route{Path: "/users/{id}", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		id := req.URIParams["id"]
		name, ok := users[id]
		if !ok {
			return nil, &chalice.NotFoundError{Message: "no user " + id}
		}
		return map[string]any{"id": id, "name": name, "verbose": req.QueryParams.Get("verbose")}, nil
	}})

	h, err := dispatch.Handler(app, "api_handler")
	if err != nil {
		panic(err)
	}
	for _, id := range []string{"42", "7"} {
		ev := fmt.Sprintf(`{"resource": "/users/{id}", "path": "/users/%s", "httpMethod": "GET",
			"queryStringParameters": {"verbose": "1"},
			"pathParameters": {"id": %q},
			"requestContext": {"resourcePath": "/users/{id}", "httpMethod": "GET"}}`, id, id)
		out, err := h.Invoke(context.Background(), []byte(ev))
		fmt.Println(string(out), err)
	}
	// Output:
	// {"headers":{},"multiValueHeaders":{},"statusCode":200,"body":"{\"id\":\"42\",\"name\":\"Zo\\u00eb\",\"verbose\":\"1\"}"} <nil>
	// {"headers":{},"multiValueHeaders":{},"statusCode":404,"body":"{\"Code\":\"NotFoundError\",\"Message\":\"no user 7\"}"} <nil>
}

// Returning a Response sets the status and headers; a []byte body needs a
// binary Content-Type.
func ExampleResponse() {
	png := []byte{0x89, 'P', 'N', 'G'}
	handler := func(ctx context.Context, req *chalice.Request) (any, error) {
		return &chalice.Response{
			StatusCode: 200,
			Headers:    map[string]string{"Content-Type": "image/png", "Cache-Control": "max-age=60"},
			Body:       png,
		}, nil
	}
	resp, _ := handler(context.Background(), nil)
	fmt.Println(resp.(*chalice.Response).Header("content-type"))
	// Output: image/png
}

// Decoding a JSON body: a body that does not parse is a
// *BadRequestError, which the route returns as it is.
func ExampleRequest_JSONBody() {
	req := chalice.NewRequest(context.Background(), &events.APIGatewayProxyRequest{
		Headers: map[string]string{"Content-Type": "application/json"},
		Body:    `{"name": "Rex", "age": "three"}`,
	})
	var pet struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	err := req.JSONBody(&pet)
	fmt.Printf("%T: %v\n", err, err)
	// Output: *chalice.BadRequestError: Error Parsing JSON
}

// HTTP middleware wraps every route; it may answer without calling next.
func ExampleUse() {
	app := chalice.New("petstore", chalice.Config{})
	chalice.Use(app, chalice.KindHTTP, "RequireKey", func(ctx context.Context, req *chalice.Request, next chalice.Next[*chalice.Request, *chalice.Response]) (*chalice.Response, error) {
		if req.Headers.Get("X-Api-Key") == "" {
			return &chalice.Response{StatusCode: 403, Body: map[string]string{"error": "no key"}}, nil
		}
		return next(ctx, req)
	})
	fmt.Println(len(app.MiddlewareList()), app.MiddlewareList()[0].Kind)
	// Output: 1 http
}

// A builtin authorizer allows routes, or refuses with a 401.
func ExampleAuthResponse() {
	authorize := func(ctx context.Context, req chalice.AuthRequest) (chalice.AuthResponse, error) {
		if req.Token != "allow" {
			return chalice.AuthResponse{}, &chalice.UnauthorizedError{Message: "bad token"}
		}
		return chalice.AuthResponse{
			Routes:      []chalice.AuthRoute{{Path: "/users/*", Methods: []string{"GET"}}},
			PrincipalID: "user-1",
			Context:     map[string]any{"plan": "gold"},
		}, nil
	}
	app := chalice.New("petstore", chalice.Config{})
	app.Function(chalice.Function{Name: "auth", Kind: chalice.KindAuthorizer, Authorizer: authorize})
	h, _ := dispatch.Handler(app, "auth")
	for _, token := range []string{"allow", "deny"} {
		out, err := h.Invoke(context.Background(), []byte(`{"type": "TOKEN", "authorizationToken": "`+token+
			`", "methodArn": "arn:aws:execute-api:us-west-2:123456789012:abc123/api/GET/users/42"}`))
		fmt.Println(string(out), err)
	}
	// Output:
	// {"context":{"plan":"gold"},"principalId":"user-1","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":["arn:aws:execute-api:us-west-2:123456789012:abc123/api/GET/users/*"]}]}} <nil>
	//  Unauthorized
}

// The app logger writes Chalice's format.
func ExampleLogger() {
	chalice.ConfigureLogger("petstore", slog.LevelInfo, os.Stdout)
	chalice.Logger().Info("created pet", "id", 42)
	chalice.Logger().Debug("not shown at INFO")
	chalice.Logger().Warn("low stock", "sku", "dog food")
	// Output:
	// petstore - INFO - created pet id=42
	// petstore - WARNING - low stock sku="dog food"
}
