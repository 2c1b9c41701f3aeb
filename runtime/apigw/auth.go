package apigw

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/chalc-dev/chalc/runtime/dispatch"
)

// authorize runs the builtin authorizer function for a request whose
// token (the Authorization header) and method ARN are given. It returns
// the requestContext.authorizer of an admitted request, or the response
// API Gateway sends instead (and, for a failing authorizer, why).
func (g *Gateway) authorize(ctx context.Context, function string, h lambda.Handler, token, arn, reqID string) (map[string]any, *Response, error) {
	unauthorized := gatewayError(reqID, 401, "UnauthorizedException", `{"message":"Unauthorized"}`)
	if token == "" {
		return nil, &unauthorized, nil
	}
	payload, err := json.Marshal(map[string]string{"type": "TOKEN", "authorizationToken": token, "methodArn": arn})
	if err != nil {
		return nil, nil, err
	}
	configError := func(err error) (map[string]any, *Response, error) {
		r := gatewayError(reqID, 500, "AuthorizerConfigurationException", `{"message":null}`)
		return nil, &r, fmt.Errorf("apigw: authorizer %s: %w", function, err)
	}
	out, err := h.Invoke(g.lambdaContext(ctx, function, reqID), payload)
	if err != nil {
		if err.Error() == "Unauthorized" {
			return nil, &unauthorized, nil
		}
		return configError(err)
	}
	var ans struct {
		PrincipalID    *string `json:"principalId"`
		PolicyDocument *struct {
			Statement []statement `json:"Statement"`
		} `json:"policyDocument"`
		Context map[string]any `json:"context"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&ans); err != nil {
		return configError(fmt.Errorf("decoding its answer %s: %w", out, err))
	}
	if ans.PrincipalID == nil || ans.PolicyDocument == nil {
		return configError(fmt.Errorf("its answer %s lacks principalId or policyDocument", out))
	}
	authCtx, err := stringifyContext(ans.Context)
	if err != nil {
		return configError(err)
	}
	if !allowed(ans.PolicyDocument.Statement, arn) {
		denied := gatewayError(reqID, 403, "AccessDeniedException", `{"Message":"User is not authorized to access this resource"}`)
		return nil, &denied, nil
	}
	authCtx["principalId"] = *ans.PrincipalID
	authCtx["integrationLatency"] = 0
	return authCtx, nil, nil
}

// statement is one statement of an IAM policy.
type statement struct {
	Effect   string       `json:"Effect"`
	Action   stringOrList `json:"Action"`
	Resource stringOrList `json:"Resource"`
}

// stringOrList is an IAM policy element: a string or a list of strings.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("want a string or a list of strings")
	}
	*s = list
	return nil
}

// allowed evaluates a policy for execute-api:Invoke on arn as IAM does: an
// explicit Deny wins, else an Allow admits, else the call is denied.
func allowed(stmts []statement, arn string) bool {
	allow := false
	for _, st := range stmts {
		if !matchesAny(st.Action, "execute-api:Invoke", true) || !matchesAny(st.Resource, arn, false) {
			continue
		}
		switch st.Effect {
		case "Deny":
			return false
		case "Allow":
			allow = true
		}
	}
	return allow
}

func matchesAny(patterns []string, s string, foldCase bool) bool {
	for _, p := range patterns {
		if foldCase {
			if dispatch.WildcardMatch(strings.ToLower(p), strings.ToLower(s)) {
				return true
			}
		} else if dispatch.WildcardMatch(p, s) {
			return true
		}
	}
	return false
}
