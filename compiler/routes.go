package compiler

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

var paramName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// methodName matches a key of routes: that is an HTTP method rather than a
// path (the schema's pattern for it).
var methodName = regexp.MustCompile(`^(?i:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)$`)

// checkPath reports path syntax errors and returns the {param} names.
func (c *checker) checkPath(path string, at diag.Range) ([]string, bool) {
	ok := true
	bad := func(format string, args ...any) *diag.Diagnostic {
		ok = false
		return c.ds.Errorf(diag.RoutePath, at, format, args...)
	}
	if path == "" {
		bad("a route path cannot be empty").Hint("the root of the API is \"/\"")
		return nil, false
	}
	if !strings.HasPrefix(path, "/") {
		bad("route path %q must start with \"/\"", path).Hint("write /%s", path)
		return nil, false
	}
	if i := strings.IndexFunc(path, unicode.IsControl); i >= 0 {
		// A newline or another control character validated, packaged,
		// and failed the deploy (or, escaped, made a path no client
		// could type).
		r, _ := utf8.DecodeRuneInString(path[i:])
		bad("route path %q holds a control character (%U) at byte %d; API Gateway takes only printable characters in a path", path, r, i+1).
			Hint("remove it (a YAML double-quoted string turns \\n, \\t and \\x.. into control characters; write the path plain or single-quoted)")
		return nil, false
	}
	if path != "/" && strings.HasSuffix(path, "/") {
		bad("route path %q cannot end with \"/\"", path).
			Hint("write %s (API Gateway treats both the same, and CloudFormation rejects the trailing slash)", strings.TrimRight(path, "/"))
	}
	var params []string
	seen := map[string]bool{}
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if path == "/" {
			break
		}
		switch {
		case seg == "":
			if !strings.HasSuffix(path, "/") {
				bad("route path %q has an empty segment (\"//\")", path)
			}
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			name := seg[1 : len(seg)-1]
			if strings.HasSuffix(name, "+") {
				bad("greedy path parameter %s is not supported", seg).
					Hint("chalc routes one resource per path; use a fixed number of {params}")
				continue
			}
			if !paramName.MatchString(name) {
				bad("path parameter %s must be a name of letters, digits and \"_\"", seg)
				continue
			}
			if seen[name] {
				bad("path parameter {%s} appears twice in %q", name, path).Hint("give each parameter its own name")
				continue
			}
			seen[name] = true
			params = append(params, name)
		case strings.ContainsAny(seg, "{}"):
			if strings.Count(seg, "{") != strings.Count(seg, "}") {
				bad("unbalanced braces in route path %q", path)
			} else {
				open := strings.Index(seg, "{")
				param := seg[open:]
				if end := strings.Index(param, "}"); end >= 0 {
					param = param[:end+1]
				}
				whole := strings.Replace(path, seg, param, 1)
				bad("path parameter in %q must be a whole path segment, as API Gateway requires", seg).
					Hint("write %s and take the rest apart in the handler", whole)
			}
		case strings.ContainsAny(seg, " ?#%\\\"'<>|^`"):
			bad("route path %q contains a character API Gateway does not allow in a resource path", path)
		}
	}
	return params, ok
}

// routes checks the app's own routes.
// Authorizers are checked before the routes that name them; their Lambdas
// join the function list after the scope's functions (registration order).
func (c *checker) routes() {
	c.authorizers(c.m.Authorizers, blueprintScope{})
	for _, r := range c.m.Routes {
		c.route(r, blueprintScope{})
	}
}

func (c *checker) fragmentRoutes(s blueprintScope) {
	c.authorizers(s.fragment.Authorizers, s)
	for _, r := range s.fragment.Routes {
		c.route(r, s)
	}
}

// route checks one route and, when it is sound, adds it to the app.
func (c *checker) route(r *manifest.Route, s blueprintScope) {
	if methodName.MatchString(r.Path.V) {
		return // a method written where a path goes: the schema reports it
	}
	path := joinPrefix(s.urlPrefix, r.Path.V)
	params, ok := c.checkPath(r.Path.V, r.Path.Key)
	if s.urlPrefix != "" && ok {
		params, ok = c.checkPathQuiet(path)
	}
	method := r.Method.V
	at := r.Method.Key
	if !r.Handler.Set {
		if r.Handler.Range.Start.Line == 0 || r.Handler.Range == r.Handler.Key {
			// The schema reports a missing or mistyped handler.
		}
	}
	rt := &Route{
		Path:             path,
		Method:           method,
		Params:           params,
		APIKeyRequired:   r.APIKeyRequired.V,
		APIKeyAt:         r.APIKeyRequired.Key,
		Summary:          r.Summary.V,
		Description:      r.Description.V,
		DocsFromManifest: r.Summary.Set || r.Description.Set,
		At:               at,
		PathAt:           r.Path.Key,
		Scopes:           r.Scopes.Strings(),
	}
	rt.Handler = HandlerRef{Package: c.fragmentPackage(r.Fragment), Name: r.Handler.V, At: r.Handler.At()}
	if r.ContentTypes.Set {
		rt.ContentTypes = r.ContentTypes.Strings()
		if len(rt.ContentTypes) == 0 {
			c.ds.Errorf(diag.ContentTypes, r.ContentTypes.Range, "content_types cannot be empty").
				Hint("remove it to accept application/json, or list the accepted types")
		}
		c.checkBinaryMix(rt, r.ContentTypes.Range)
	} else {
		rt.ContentTypes = []string{"application/json"}
	}
	if s.badPrefix {
		// Checked on its own only (see blueprintScope.badPrefix).
		c.corsFor(rt, r)
		c.use(&rt.Handler, handlerRoute, rt)
		c.app.Routes = append(c.app.Routes, rt)
		return
	}
	// A path may hold at most one route per method (within one mapping the
	// YAML duplicate-key check reports it; across blueprints, here).
	if o, dup := c.routeIndex[method+" "+path]; dup {
		d := c.ds.Errorf(diag.RouteDuplicate, at, "route %s %s is declared twice", method, path).
			Note(o.At, "first declared here")
		if s.fragment != nil {
			d.Hint("the blueprint's url_prefix maps it onto a route of the app; change the prefix or the path")
		}
		return
	}
	if other, conflict := c.paramConflict(path); conflict {
		c.ds.Errorf(diag.RouteParamConflict, r.Path.Key, "route path %s conflicts with %s: API Gateway allows one parameter name per path position", path, other.Path).
			Note(other.PathAt, "%s is declared here", other.Path).
			Hint("use the same {parameter} names in both paths")
		return
	}
	c.corsFor(rt, r)
	if r.Authorizer.Set {
		rt.Authorizer = c.lookupAuthorizer(r.Authorizer, s)
	}
	if r.Scopes.Set && len(r.Scopes.Items) > 0 {
		switch {
		case !r.Authorizer.Set:
			c.ds.Errorf(diag.Scopes, r.Scopes.Key, "scopes need a cognito_user_pool or jwt authorizer on the route").
				Hint("add authorizer: <name of a cognito_user_pool or jwt authorizer>")
		case rt.Authorizer != nil && rt.Authorizer.Type != AuthCognito && rt.Authorizer.Type != AuthJWT:
			c.ds.Errorf(diag.Scopes, r.Scopes.Key, "scopes only work with a cognito_user_pool or jwt authorizer, and %q is %s", r.Authorizer.V, rt.Authorizer.Type).
				Hint("remove scopes, or use a cognito_user_pool or jwt authorizer")
		}
	}
	c.use(&rt.Handler, handlerRoute, rt)
	c.app.Routes = append(c.app.Routes, rt)
	c.routeIndex[method+" "+path] = rt
	c.byPath[path] = append(c.byPath[path], rt)
	c.indexParams(path, rt)
}

// paramConflict reports a route whose path puts a differently named
// {parameter} at the same position under the same parent resource
// (/a/{id}/x and /a/{name}/y), which API Gateway rejects.
func (c *checker) paramConflict(path string) (*Route, bool) {
	parent := ""
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if strings.HasPrefix(seg, "{") {
			if o, ok := c.paramAt[parent]; ok && o.name != seg {
				return o.route, true
			}
			parent += "/{}"
			continue
		}
		parent += "/" + seg
	}
	return nil, false
}

func (c *checker) indexParams(path string, rt *Route) {
	parent := ""
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if strings.HasPrefix(seg, "{") {
			if _, ok := c.paramAt[parent]; !ok {
				c.paramAt[parent] = paramUse{name: seg, route: rt}
			}
			parent += "/{}"
			continue
		}
		parent += "/" + seg
	}
}

type paramUse struct {
	name  string
	route *Route
}

// checkPathQuiet parses a prefixed path that was already checked piecewise.
func (c *checker) checkPathQuiet(path string) ([]string, bool) {
	saved := c.ds
	params, ok := c.checkPath(path, diag.Range{})
	c.ds = saved
	return params, ok
}

// checkBinaryMix reports content_types mixing binary and text types, which
// Chalice's deploy rejects: API Gateway converts the whole route one way.
func (c *checker) checkBinaryMix(rt *Route, at diag.Range) {
	var bin, text []string
	for _, t := range rt.ContentTypes {
		if c.isBinary(t) {
			bin = append(bin, t)
		} else {
			text = append(text, t)
		}
	}
	if len(bin) > 0 && len(text) > 0 {
		c.ds.Errorf(diag.ContentTypes, at, "content_types mixes binary types (%s) with non-binary ones (%s)", strings.Join(bin, ", "), strings.Join(text, ", ")).
			Hint("a route's request types must all be binary or all be text: split it into two routes")
	}
}

func (c *checker) isBinary(t string) bool {
	for _, b := range c.binaryTypes() {
		if strings.EqualFold(b, t) {
			return true
		}
	}
	return false
}

func (c *checker) binaryTypes() []string {
	if c.app.BinaryTypes == nil {
		c.app.BinaryTypes = append([]string{}, DefaultBinaryTypes...)
		if c.m.API.BinaryTypesReplaceDefaults.V {
			c.app.BinaryTypes = []string{} // not nil: no binary types at all is a choice
		}
		for _, t := range c.m.API.BinaryTypes.Items {
			dup := false
			for _, o := range c.app.BinaryTypes {
				dup = dup || o == t.V
			}
			if !dup {
				c.app.BinaryTypes = append(c.app.BinaryTypes, t.V)
			}
		}
	}
	return c.app.BinaryTypes
}

// DefaultCORSHeaders are always allowed when CORS is on.
var DefaultCORSHeaders = []string{"Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Api-Key"}

// Headers returns the CORS response headers, in Chalice's order.
func (c *CORS) Headers() [][2]string {
	set := map[string]bool{}
	var allow []string
	for _, h := range append(append([]string{}, DefaultCORSHeaders...), c.AllowHeaders...) {
		if !set[h] {
			set[h] = true
			allow = append(allow, h)
		}
	}
	sort.Strings(allow)
	out := [][2]string{
		{"Access-Control-Allow-Origin", c.AllowOrigin},
		{"Access-Control-Allow-Headers", strings.Join(allow, ",")},
	}
	if len(c.ExposeHeaders) > 0 {
		out = append(out, [2]string{"Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ",")})
	}
	if c.MaxAge != nil {
		out = append(out, [2]string{"Access-Control-Max-Age", fmt.Sprint(*c.MaxAge)})
	}
	if c.AllowCredentials {
		out = append(out, [2]string{"Access-Control-Allow-Credentials", "true"})
	}
	return out
}

func corsFrom(mc *manifest.CORS) *CORS {
	if mc == nil || !mc.Enabled {
		return nil
	}
	out := &CORS{AllowOrigin: "*"}
	if !mc.Object {
		return out
	}
	if mc.AllowOrigin.Set {
		out.AllowOrigin = mc.AllowOrigin.V
	}
	out.AllowHeaders = mc.AllowHeaders.Strings()
	out.ExposeHeaders = mc.ExposeHeaders.Strings()
	if mc.MaxAge.Set {
		v := mc.MaxAge.V
		out.MaxAge = &v
	}
	out.AllowCredentials = mc.AllowCredentials.V
	return out
}

// corsBroken reports a cors mapping with a value of the wrong type (the
// decoder leaves it unset) or a negative max_age: the schema reports both.
func corsBroken(mc *manifest.CORS) bool {
	if mc == nil || !mc.Object {
		return false
	}
	written := func(key diag.Range, set bool) bool { return key.Start.Line != 0 && !set }
	return written(mc.AllowOrigin.Key, mc.AllowOrigin.Set) ||
		written(mc.AllowHeaders.Key, mc.AllowHeaders.Set) ||
		written(mc.ExposeHeaders.Key, mc.ExposeHeaders.Set) ||
		written(mc.MaxAge.Key, mc.MaxAge.Set) ||
		written(mc.AllowCredentials.Key, mc.AllowCredentials.Set) ||
		(mc.MaxAge.Set && mc.MaxAge.V < 0)
}

// corsFor sets the route's effective CORS config and checks that the
// CORS-enabled methods of a path agree and that none of them is OPTIONS.
func (c *checker) corsFor(rt *Route, r *manifest.Route) {
	src := r.CORS
	if src == nil {
		src = c.m.API.CORS
	}
	rt.CORS = corsFrom(src)
	rt.CORSAt = rt.At
	rt.corsBroken = corsBroken(src)
	if src != nil {
		rt.CORSAt = src.Key
		if rt.CORS != nil && src.Object && len(manifest.Templates(src)) > 0 {
			// The written configurations are compared below (every
			// route's CORS takes api_handler's environment: equal as
			// written, equal in every stage); each stage's is made in
			// stagevalues.go.
			rt.StageCORS = map[string]*CORS{}
			c.addSite(awsfacts.APIHandlerFunctionName, manifest.Templates(src), func(x *siteExpander) {
				e := manifest.ExpandCopy(src, x.expand, x.number)
				cors := corsFrom(e)
				if cors.MaxAge != nil && *cors.MaxAge < 0 {
					c.ds.Errorf(diag.CORS, e.MaxAge.Range, "max_age must be 0 or more, not %d", *cors.MaxAge)
				}
				rt.CORS = cors
				rt.StageCORS[x.stage.Name] = cors
			})
		}
	}
	for _, o := range c.byPath[rt.Path] {
		if rt.CORS != nil && o.Method == "OPTIONS" {
			c.ds.Errorf(diag.CORS, o.At, "OPTIONS %s cannot be declared: CORS is on for this path and chalc adds OPTIONS itself", rt.Path).
				Note(rt.CORSAt, "CORS is enabled here").
				Hint("remove OPTIONS: API Gateway answers preflight requests for you")
		}
		if o.CORS != nil && rt.Method == "OPTIONS" {
			c.ds.Errorf(diag.CORS, rt.At, "OPTIONS %s cannot be declared: CORS is on for this path and chalc adds OPTIONS itself", rt.Path).
				Note(o.CORSAt, "CORS is enabled here for %s %s", o.Method, o.Path).
				Hint("remove OPTIONS: API Gateway answers preflight requests for you")
		}
		if rt.CORS != nil && o.CORS != nil && !rt.corsBroken && !o.corsBroken && !slices.Equal(rt.CORS.Headers(), o.CORS.Headers()) {
			c.ds.Errorf(diag.CORS, rt.CORSAt, "%s %s has a different CORS configuration from %s %s", rt.Method, rt.Path, o.Method, o.Path).
				Note(o.CORSAt, "%s %s is configured here", o.Method, o.Path).
				Hint("API Gateway answers one preflight per path: give every method of %s the same cors:", rt.Path)
			return
		}
	}
}

// authorizers checks the authorizers of the app or of a fragment.
func (c *checker) authorizers(list []*manifest.Authorizer, s blueprintScope) {
	for _, a := range list {
		au := &Authorizer{Key: a.Key.V, Type: AuthorizerType(a.Type.V), At: a.Key.Key,
			TypeAt: a.Type.At(), AudienceAt: a.Audience.Key, ProviderARNsAt: a.ProviderARNs.Key}
		// Its values take stage values: with placeholders they are
		// checked in each stage (stagevalues.go).
		if ts := manifest.Templates(a); len(ts) > 0 {
			c.quietly(func() { c.authorizerValues(au, a) })
			if a.Header.Templated() {
				au.StageHeader = map[string]string{}
			}
			c.addSite(awsfacts.APIHandlerFunctionName, ts, func(x *siteExpander) {
				c.authorizerValues(au, manifest.ExpandCopy(a, x.expand, x.number))
				if au.StageHeader != nil {
					au.StageHeader[x.stage.Name] = au.Header
				}
			})
		} else {
			c.authorizerValues(au, a)
		}
		name := a.Key.V
		if a.Name.Set {
			name = a.Name.V
		}
		// Which keys each type takes, and which it requires, is the
		// schema's (if/then per type); the checks below are the rest.
		switch au.Type {
		case AuthIAM:
			au.SecurityName = "sigv4"
		case AuthCognito:
			au.SecurityName = name
		case AuthCustom, AuthJWT:
			au.SecurityName = name
		case AuthBuiltin:
			fname := s.name(a.Key.V)
			au.Key = fname
			au.SecurityName = fname
			fn := &Function{Name: fname, Kind: FuncAuthorizer, At: a.Key.Key,
				Handler: &HandlerRef{Package: c.fragmentPackage(a.Fragment), Name: a.Handler.V, At: a.Handler.At()}}
			au.Function = fn
			c.use(fn.Handler, handlerAuthorizer, nil)
			c.pendingFns = append(c.pendingFns, fn)
		default:
			continue // the schema reports an unknown type
		}
		for _, o := range c.app.Authorizers {
			if o.SecurityName == au.SecurityName {
				c.ds.Errorf(diag.Authorizer, a.Key.Key, "authorizer %q has the same API Gateway name %q as authorizer %q", a.Key.V, au.SecurityName, o.Key).
					Note(o.At, "%q is declared here", o.Key).
					Hint("give one of them a different name:")
			}
		}
		c.app.Authorizers = append(c.app.Authorizers, au)
		if s.fragment != nil {
			c.fragmentAuthorizers = append(c.fragmentAuthorizers, scopedAuthorizer{fragment: s.fragment, entry: s.entry, key: a.Key.V, auth: au})
		}
	}
}

// authorizerValues sets the values of au that a can take per stage, and
// checks them.
func (c *checker) authorizerValues(au *Authorizer, a *manifest.Authorizer) {
	au.Header = "Authorization"
	if a.Header.Set {
		au.Header = a.Header.V
	}
	au.TTLSeconds = nil
	if a.TTLSeconds.Set {
		v := a.TTLSeconds.V
		au.TTLSeconds = &v
		if a.TTLSeconds.Templated() && (v < 0 || v > awsfacts.MaxAuthorizerTTL) {
			c.ds.Errorf(diag.Authorizer, a.TTLSeconds.Range, "ttl_seconds must be between 0 and %d (seconds), not %d", awsfacts.MaxAuthorizerTTL, v)
		}
	}
	au.ProviderARNs = a.ProviderARNs.Strings()
	au.AuthorizerURI = a.AuthorizerURI.V
	au.InvokeRoleARN = a.InvokeRoleARN.V
	au.ExecutionRole = a.ExecutionRole.V
	au.Issuer = a.Issuer.V
	au.Audience = a.Audience.Strings()
	if a.Issuer.Set && !a.Issuer.Tagged && !strings.HasPrefix(a.Issuer.V, "https://") {
		c.ds.Errorf(diag.Authorizer, a.Issuer.Range, "issuer %q is not an https:// URL", a.Issuer.V).
			Hint("API Gateway fetches the issuer's keys from <issuer>/.well-known/openid-configuration: write its https:// URL, e.g. https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc")
	}
	for _, it := range a.Audience.Items {
		if it.V == "" {
			c.ds.Errorf(diag.Authorizer, it.Range, "an audience cannot be empty").Hint("write the client ID or API identifier the tokens are issued for")
		}
	}
	switch au.Type {
	case AuthCognito:
		for _, p := range a.ProviderARNs.Items {
			c.arn(p, "cognito-idp", "userpool/", "a Cognito user pool")
		}
	case AuthCustom:
		c.arn(a.AuthorizerURI, "apigateway", "lambda:path/", "an API Gateway Lambda invocation URI")
		c.arn(a.InvokeRoleARN, "iam", "role/", "an IAM role")
	case AuthBuiltin:
		c.arn(a.ExecutionRole, "iam", "role/", "an IAM role")
	}
}

type scopedAuthorizer struct {
	fragment *manifest.Fragment
	entry    *manifest.Blueprint
	key      string
	auth     *Authorizer
}

// lookupAuthorizer resolves a route's authorizer: a fragment's own first,
// then the app's.
func (c *checker) lookupAuthorizer(ref manifest.Value[string], s blueprintScope) *Authorizer {
	if s.fragment != nil {
		for _, fa := range c.fragmentAuthorizers {
			if fa.entry == s.entry && fa.key == ref.V {
				return fa.auth
			}
		}
	}
	var names []string
	for _, a := range c.m.Authorizers {
		if a.Key.V == ref.V {
			for _, au := range c.app.Authorizers {
				if au.At == a.Key.Key {
					return au
				}
			}
			return nil // invalid authorizer: already reported
		}
		names = append(names, a.Key.V)
	}
	if s.fragment != nil {
		for _, a := range s.fragment.Authorizers {
			names = append(names, a.Key.V)
		}
	}
	d := c.ds.Errorf(diag.Authorizer, ref.Range, "authorizer %q is not declared", ref.V)
	if sug := suggestName(ref.V, names); sug != "" {
		d.Hint("did you mean %q?", sug)
	} else if len(names) > 0 {
		d.Hint("declared authorizers: %s", strings.Join(names, ", "))
	} else {
		d.Hint("declare it under authorizers: (e.g. %s: {type: iam})", ref.V)
	}
	return nil
}
