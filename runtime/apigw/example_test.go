package apigw_test

import (
	"context"
	"fmt"

	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// A gateway routes a request to its resource template, builds the proxy
// event and converts the proxy response; paths no route has are API
// Gateway's 403.
func Example() {
	app := chalice.New("hello", chalice.Config{})
	app.Route(chalice.Route{Path: "/hello/{name}", Method: "GET", Handler: func(ctx context.Context, req *chalice.Request) (any, error) {
		return map[string]string{"hello": req.URIParams["name"], "resource": req.Path}, nil
	}})
	gw, err := apigw.New(app, apigw.Stage("dev"))
	if err != nil {
		panic(err)
	}
	for _, path := range []string{"/hello/Zo%C3%AB", "/bye"} {
		resp, err := gw.Do(context.Background(), apigw.Request{Method: "GET", Path: path})
		fmt.Println(resp.StatusCode, resp.Headers.Get("Content-Type"), string(resp.Body), err)
	}
	// Output:
	// 200 application/json {"hello":"Zo\u00eb","resource":"/hello/{name}"} <nil>
	// 403 application/json {"message":"Missing Authentication Token"} <nil>
}
