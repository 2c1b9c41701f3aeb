package compiler

import (
	"slices"
	"strings"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// What serves the routes is a per-stage choice (api_kind): a REST API
// (API Gateway v1, Chalice's) or an HTTP API (API Gateway v2). The routes,
// their handlers, CORS and authorizers are the app's, the same in every
// stage; what one kind of API cannot do is an error at the key that asks
// for it, noting the stages it applies to, rather than a feature the
// template drops. The stage's own settings (endpoint type, resource
// policy, compression...) are checked by stages.Check; the app's are
// checked here.

// HTTPAPI reports whether the compiled stage serves its routes as an
// HTTP API (api_kind: http).
func (a *App) HTTPAPI() bool { return a.Stage != nil && a.Stage.HTTPAPI() }

// HTTPCORS is the HTTP API's CORS configuration in the compiled stage:
// an HTTP API has one for all its routes (apiKinds checks that they
// agree), nil when no route enables CORS.
func (a *App) HTTPCORS() *CORS {
	for _, r := range a.Routes {
		if r.CORS != nil {
			return r.CORS
		}
	}
	return nil
}

// CORSMethods lists the methods of the routes, in registration order,
// each once, then OPTIONS: what an HTTP API's CORS configuration allows.
func (a *App) CORSMethods() []string {
	var out []string
	for _, r := range a.Routes {
		if !slices.Contains(out, r.Method) {
			out = append(out, r.Method)
		}
	}
	if !slices.Contains(out, "OPTIONS") {
		out = append(out, "OPTIONS")
	}
	return out
}

// JWTIssuer is the issuer of the tokens a jwt authorizer, or a
// cognito_user_pool one in an HTTP API, accepts: its issuer, or its pool's
// (https://cognito-idp.<region>.amazonaws.com/<pool id>, from the pool's
// ARN). "" when there is none to tell.
func (a *Authorizer) JWTIssuer() string {
	if a.Type == AuthJWT {
		return a.Issuer
	}
	if a.Type != AuthCognito || len(a.ProviderARNs) == 0 {
		return ""
	}
	parts := strings.SplitN(a.ProviderARNs[0], ":", 6)
	if len(parts) < 6 || !strings.HasPrefix(parts[5], "userpool/") {
		return ""
	}
	suffix := "amazonaws.com"
	if parts[1] == "aws-cn" {
		suffix = "amazonaws.com.cn"
	}
	return "https://cognito-idp." + parts[3] + "." + suffix + "/" + strings.TrimPrefix(parts[5], "userpool/")
}

// apiKinds checks, in every stage checked, what the app asks of its API
// that the stage's kind of API does not have.
func (c *checker) apiKinds(checked []*stages.Stage) {
	if c.app.APIHandler == nil {
		return // no routes: api_kind serves nothing
	}
	var g stages.Grouped
	for _, st := range checked {
		http := st.HTTPAPI()
		add := func(key string, d *diag.Diagnostic) {
			if http && st.APIKind.Set {
				d.Note(st.APIKind.From, "api_kind: http is set here")
			}
			g.Add(key, d, "", st.Name)
		}
		used := map[*Authorizer]bool{}
		var auths []*Authorizer
		for _, r := range c.app.Routes {
			if r.Authorizer != nil && !used[r.Authorizer] {
				used[r.Authorizer] = true
				auths = append(auths, r.Authorizer)
			}
			if http && r.APIKeyRequired {
				add("apikey "+r.APIKeyAt.String(), diag.Errorf(diag.APIKind, r.APIKeyAt, "an HTTP API (api_kind: http) has no API keys: api_key_required cannot be enforced on %s %s", r.Method, r.Path).
					Hint("guard the route with an authorizer instead (iam, jwt, cognito_user_pool or builtin), or keep api_kind: rest for this stage"))
			}
		}
		for _, a := range auths {
			switch {
			case http && a.Type == AuthCustom:
				add("custom "+a.TypeAt.String(), diag.Errorf(diag.APIKind, a.TypeAt, "an HTTP API (api_kind: http) cannot use custom authorizer %q: an existing REST TOKEN authorizer gets another event and answers differently there", a.Key).
					Hint("use a builtin authorizer (chalc answers an HTTP API's Lambda authorizer events for it) or a jwt one, or keep api_kind: rest for this stage"))
			case !http && a.Type == AuthJWT:
				add("jwt "+a.TypeAt.String(), diag.Errorf(diag.APIKind, a.TypeAt, "a REST API (api_kind: rest) has no JWT authorizers: authorizer %q cannot guard its routes", a.Key).
					Hint("set api_kind: http for this stage, or use a cognito_user_pool authorizer (REST APIs check Cognito tokens)"))
			case http && a.Type == AuthCognito && len(a.Audience) == 0:
				add("audience "+a.At.String(), diag.Errorf(diag.APIKind, a.At, "in an HTTP API (api_kind: http) cognito_user_pool authorizer %q is a JWT authorizer on its pool, which needs audience: the pool's app client IDs", a.Key).
					Hint("add audience: [<app client ID>] to the authorizer (API Gateway matches it against the token's aud or client_id claim)"))
			case http && a.Type == AuthCognito && len(a.ProviderARNs) > 1:
				add("pools "+a.ProviderARNsAt.String(), diag.Errorf(diag.APIKind, a.ProviderARNsAt, "in an HTTP API (api_kind: http) cognito_user_pool authorizer %q is a JWT authorizer, which trusts one issuer: one user pool, not %d", a.Key, len(a.ProviderARNs)).
					Hint("keep one pool in provider_arns, or declare an authorizer per pool"))
			}
		}
		if http {
			c.httpCORS(st, add)
		}
	}
	c.ds = append(c.ds, g.Diagnostics("")...)
}

// httpCORS reports routes whose CORS differs in a stage served by an
// HTTP API: its CORS configuration is the API's, for every route (API
// Gateway answers every preflight and adds the headers to every response
// to a CORS request), so either every route has the same one or none
// has any.
func (c *checker) httpCORS(st *stages.Stage, add func(string, *diag.Diagnostic)) {
	var first *Route
	var firstCORS *CORS
	for i, r := range c.app.Routes {
		cors := routeCORSIn(r, st.Name)
		if i == 0 {
			first, firstCORS = r, cors
			continue
		}
		if r.corsBroken || first.corsBroken {
			continue
		}
		switch {
		case (cors == nil) == (firstCORS == nil) && (cors == nil || slices.Equal(cors.Headers(), firstCORS.Headers())):
			continue
		case cors == nil || firstCORS == nil:
			on, off := first, r
			if cors != nil {
				on, off = r, first
			}
			add("cors "+off.CORSAt.String(), diag.Errorf(diag.APIKind, off.CORSAt, "in an HTTP API (api_kind: http) CORS is the API's, for every route: %s %s enables it and %s %s does not", on.Method, on.Path, off.Method, off.Path).
				Note(on.CORSAt, "CORS is enabled here").
				Hint("enable CORS for every route with api.cors (and no route's cors: false), or for none"))
		default:
			add("cors "+r.CORSAt.String(), diag.Errorf(diag.APIKind, r.CORSAt, "in an HTTP API (api_kind: http) CORS is the API's, for every route: %s %s has a different CORS configuration from %s %s", r.Method, r.Path, first.Method, first.Path).
				Note(first.CORSAt, "%s %s is configured here", first.Method, first.Path).
				Hint("give every route the same configuration: write it once as api.cors"))
		}
		return // one report: the fix is the same for the rest
	}
}

// routeCORSIn is r's CORS in stage.
func routeCORSIn(r *Route, stage string) *CORS {
	if r.StageCORS != nil {
		return r.StageCORS[stage]
	}
	return r.CORS
}

// functionURL checks a function's url:.
func (c *checker) functionURL(name string, u *manifest.FunctionURL, trigger manifest.Value[string]) *FunctionURL {
	out := &FunctionURL{Auth: URLAuthIAM, InvokeMode: URLBuffered, At: trigger.Key}
	if u.Auth.V == "none" {
		out.Auth = URLAuthNone
		if !u.Public.V {
			d := c.ds.Errorf(diag.FunctionURL, u.Auth.Range, "the function URL of %q has auth: none, so anyone on the internet can call it, and it does not say public: true", name)
			if u.Public.Set {
				d.Note(u.Public.Range, "public is false here")
			}
			d.Hint("add public: true beside auth: none to make it public on purpose, or use auth: aws_iam (callers sign their requests)")
		}
	} else if u.Public.Set && u.Public.V {
		c.ds.Errorf(diag.FunctionURL, u.Public.Key, "public: true needs auth: none; the function URL of %q has auth: %s", name, u.Auth.V).
			Hint("remove public, or write auth: none to make the URL public")
	}
	if u.InvokeMode.V == "response_stream" {
		out.InvokeMode = URLResponseStream
	}
	if u.CORS != nil {
		if ts := manifest.Templates(u.CORS); len(ts) > 0 && u.CORS.Object {
			out.StageCORS = map[string]*CORS{}
			out.CORS = corsFrom(u.CORS)
			c.addSite(name, ts, func(x *siteExpander) {
				e := manifest.ExpandCopy(u.CORS, x.expand, x.number)
				cors := corsFrom(e)
				if cors.MaxAge != nil && *cors.MaxAge < 0 {
					c.ds.Errorf(diag.CORS, e.MaxAge.Range, "max_age must be 0 or more, not %d", *cors.MaxAge)
				}
				out.CORS = cors
				out.StageCORS[x.stage.Name] = cors
			})
		} else {
			out.CORS = corsFrom(u.CORS)
		}
	}
	return out
}

// URLCORS is the function URL's CORS in stage.
func (u *FunctionURL) URLCORS(stage string) *CORS {
	if u.StageCORS != nil {
		return u.StageCORS[stage]
	}
	return u.CORS
}

// NativeCORS is a CORS configuration as API Gateway's HTTP APIs and
// Lambda's function URLs take it, lists instead of header values: they
// answer preflights and add the headers themselves.
type NativeCORS struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string // Chalice's five defaults and the user's, sorted
	ExposeHeaders    []string
	MaxAge           *int
	AllowCredentials bool
}

// Native returns c for an HTTP API or a function URL allowing methods.
func (c *CORS) Native(methods []string) *NativeCORS {
	if c == nil {
		return nil
	}
	set := map[string]bool{}
	var allow []string
	for _, h := range append(append([]string{}, DefaultCORSHeaders...), c.AllowHeaders...) {
		if !set[h] {
			set[h] = true
			allow = append(allow, h)
		}
	}
	slices.Sort(allow)
	return &NativeCORS{
		AllowOrigins:     []string{c.AllowOrigin},
		AllowMethods:     methods,
		AllowHeaders:     allow,
		ExposeHeaders:    c.ExposeHeaders,
		MaxAge:           c.MaxAge,
		AllowCredentials: c.AllowCredentials,
	}
}
