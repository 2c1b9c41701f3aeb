package apidoc

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/chalc-dev/chalc/internal/cfnjson"

	"github.com/chalc-dev/chalc/compiler"
)

// ErrNoRoutes is returned for an app without a REST API (Chalice's "No
// REST API found to generate model from.").
var ErrNoRoutes = errors.New("no REST API to describe: the app has no routes")

// Encode writes a document as chalc writes JSON: keys sorted, two-space
// indent, no HTML escaping, a final newline.
func Encode(doc map[string]any) ([]byte, error) {
	return cfnjson.EncodeJSON(doc, false)
}

// Operation is one route as its callers see it.
type Operation struct {
	Route *compiler.Route
	// ID is the operationId: the Go handler's name. A handler serving
	// several routes gets the method appended (UserGet, UserPut), then,
	// if that is still ambiguous, the path (GetThingGetItemsByID); a
	// name still taken gets a number (GetPet2).
	ID string
	// Method is the JavaScript client's method name: ID in
	// lowerCamelCase (GetPet → getPet, HTTPStatus → httpStatus).
	Method string
	// Args name the client method's parameters for Route.Params, in path
	// order: lowerCamelCase (pet_id → petId), never a JavaScript reserved
	// word or a name the generated method uses itself.
	Args []string
}

// Operations names every route of app, in route order. Names are unique
// among IDs and among Methods.
func Operations(app *compiler.App) []Operation {
	routes := app.Routes
	byHandler := map[string]int{}
	for _, r := range routes {
		byHandler[r.Handler.Name]++
	}
	ids := make([]string, len(routes))
	for i, r := range routes {
		ids[i] = r.Handler.Name
		if byHandler[r.Handler.Name] > 1 {
			ids[i] += upperFirst(strings.ToLower(r.Method))
		}
	}
	byID := map[string]int{}
	for _, id := range ids {
		byID[id]++
	}
	for i, r := range routes {
		if byID[ids[i]] > 1 {
			ids[i] += pathName(r.Path)
		}
	}
	takenID, takenMethod := map[string]bool{}, map[string]bool{}
	ops := make([]Operation, len(routes))
	for i, r := range routes {
		id := ids[i]
		for n := 2; takenID[id] || takenMethod[lowerCamel(id)]; n++ {
			id = ids[i] + strconv.Itoa(n)
		}
		takenID[id], takenMethod[lowerCamel(id)] = true, true
		ops[i] = Operation{Route: r, ID: id, Method: lowerCamel(id), Args: jsArgs(r.Params)}
	}
	return ops
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// camel joins the parts of s split at "_" and "-", each but the first
// with an upper-case first letter: pet_id → petId.
func camel(s string) string {
	var b strings.Builder
	for i, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' }) {
		if i > 0 {
			p = upperFirst(p)
		}
		b.WriteString(p)
	}
	return b.String()
}

// pathName turns a resource path into a name: /pets/{pet_id}/photo →
// PetsByPetIdPhoto; / → Root.
func pathName(path string) string {
	var b strings.Builder
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			b.WriteString("By" + upperFirst(camel(seg[1:len(seg)-1])))
			continue
		}
		for _, p := range strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			b.WriteString(upperFirst(p))
		}
	}
	if b.Len() == 0 {
		return "Root"
	}
	return b.String()
}

// lowerCamel lower-cases the leading capitals of a Go name, keeping the
// last one when it starts the next word: GetPet → getPet, HTTPServer →
// httpServer, ID → id.
func lowerCamel(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) && unicode.IsLower(r[n]) {
		n--
	}
	for i := 0; i < n; i++ {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// jsReserved are the words a strict-mode (module) parameter cannot be
// named, plus the identifiers a generated method's body uses.
var jsReserved = map[string]bool{
	"await": true, "break": true, "case": true, "catch": true, "class": true, "const": true,
	"continue": true, "debugger": true, "default": true, "delete": true, "do": true,
	"else": true, "enum": true, "export": true, "extends": true, "false": true,
	"finally": true, "for": true, "function": true, "if": true, "implements": true,
	"import": true, "in": true, "instanceof": true, "interface": true, "let": true,
	"new": true, "null": true, "package": true, "private": true, "protected": true,
	"public": true, "return": true, "static": true, "super": true, "switch": true,
	"this": true, "throw": true, "true": true, "try": true, "typeof": true, "var": true,
	"void": true, "while": true, "with": true, "yield": true, "arguments": true, "eval": true,
	// the generated method: name(args..., options) { return invoke(operations.name, [args], options); }
	"options": true, "invoke": true, "operations": true,
}

// jsArgs names a route's path parameters as JavaScript parameters.
func jsArgs(params []string) []string {
	if len(params) == 0 {
		return nil
	}
	used := map[string]bool{}
	out := make([]string, len(params))
	for i, p := range params {
		a := camel(p)
		if a == "" {
			a = "param"
		}
		for jsReserved[a] || used[a] {
			a += "_"
		}
		used[a] = true
		out[i] = a
	}
	return out
}
