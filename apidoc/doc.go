// Package apidoc describes a checked app's REST API to its callers,
// offline, from the routes alone:
//
//   - Swagger: the swagger 2.0 document `chalc generate-models` prints. It
//     is the template's own document (swagger.Document) with API Gateway's
//     x-amazon-apigateway-* extensions and every CloudFormation intrinsic
//     removed, so what is published and what is deployed cannot differ.
//   - OpenAPI3: the same API as an OpenAPI 3.0.3 document
//     (`chalc generate-models --openapi3`): servers (the execute-api URL
//     of the stage, and the custom domain when there is one), one
//     operation per route (operationId from the Go handler's name,
//     summary, description, path parameters, request bodies by content
//     type), the 200 and the error responses Chalice and API Gateway
//     produce ({Code, Message} is components.schemas.Error), and the
//     security schemes (api_key, and each authorizer as an apiKey header;
//     a route's Cognito scopes in its x-authorization-scopes).
//   - SDK: a JavaScript client with TypeScript typings and a README
//     (`chalc generate-sdk --sdk-type javascript OUT`). Chalice downloads
//     its SDK from a deployed API; chalc writes it from the manifest.
//
// Operations names each route once for both the OpenAPI document and the
// client, so the client's getPet is the document's GetPet.
//
// Every output is deterministic: JSON with sorted keys, two-space indent
// and a final newline (cfnjson.EncodeJSON); generated code in route order.
package apidoc
