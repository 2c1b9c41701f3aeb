package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/compiler"
	"github.com/chalc-dev/chalc/internal/suggest"
	"github.com/chalc-dev/chalc/internal/userinput"
	"github.com/chalc-dev/chalc/runtime/apigw"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// Auth is what `chalc local` passes for the authorizers it cannot run
// (iam, cognito_user_pool, custom: API Gateway runs them outside the
// app), from --auth FILE, --claim and --principal.
type Auth struct {
	// File is a JSON object keyed by authorizer name (the manifest's
	// authorizers: keys), each value what that authorizer answers for
	// every route it guards:
	//
	//	{"users":    {"claims": {"sub": "u-1", "email": "ana@example.com"}},
	//	 "iam":      {"identity": {"userArn": "arn:aws:iam::123456789012:user/ana"}},
	//	 "external": {"principalId": "partner-1", "context": {"plan": "gold"}},
	//	 "other":    {"function": "check_partner"}}
	//
	// ("function" runs a function of the app as that custom authorizer.)
	// A jwt authorizer's entry is a cognito_user_pool one's (claims). A
	// function with a function URL of auth: aws_iam may be named too,
	// with the identity that signed its requests:
	// {"internal": {"identity": {...}}}.
	File string
	// Claims are the claims of every cognito_user_pool and jwt
	// authorizer the file does not name (--claim NAME=VALUE).
	Claims map[string]string
	// Principal is the principalId of every custom authorizer the file
	// does not name (--principal ID).
	Principal string
}

// AuthError is a problem with --auth FILE, at a position of the file.
type AuthError struct {
	File      string
	Line, Col int // 0 when the file could not be read
	Msg, Hint string
}

func (e *AuthError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: error: %s", e.File, e.Line, e.Col, e.Msg)
}

// callers builds the gateway's callers for app from a; nil when a gives
// nothing.
func (a Auth) callers(app *compiler.App) (*apigw.Callers, error) {
	c := &apigw.Callers{}
	if len(a.Claims) > 0 {
		claims := map[string]any{}
		for k, v := range a.Claims {
			claims[k] = v
		}
		c.ByType = map[string]*apigw.Caller{chalice.AuthCognito: {Claims: claims}, chalice.AuthJWT: {Claims: claims}}
	}
	if a.Principal != "" {
		if c.ByType == nil {
			c.ByType = map[string]*apigw.Caller{}
		}
		c.ByType[chalice.AuthCustom] = &apigw.Caller{PrincipalID: a.Principal}
	}
	if a.File != "" {
		byName, err := readAuthFile(a.File, app)
		if err != nil {
			return nil, err
		}
		c.ByName = byName
	}
	if c.ByName == nil && c.ByType == nil {
		return nil, nil
	}
	return c, nil
}

// readAuthFile reads --auth FILE, checking each key against the app's
// authorizers and each value against its type.
func readAuthFile(path string, app *compiler.App) (map[string]*apigw.Caller, error) {
	data, err := userinput.ReadFile(path, 1<<20)
	if err != nil {
		return nil, &AuthError{File: path, Msg: err.Error()}
	}
	at := func(off int64, msg, hint string) error {
		line, col := lineCol(data, off)
		return &AuthError{File: path, Line: line, Col: col, Msg: msg, Hint: hint}
	}
	types := map[string]compiler.AuthorizerType{}
	var names []string
	for _, au := range app.Authorizers {
		types[au.Key] = au.Type
		if au.Type != compiler.AuthBuiltin {
			names = append(names, au.Key)
		}
	}
	for _, f := range app.Functions {
		// A function URL with auth: aws_iam takes the identity that
		// signed its requests, as an iam authorizer's route.
		if _, taken := types[f.Name]; !taken && f.URL != nil && f.URL.Auth == compiler.URLAuthIAM {
			types[f.Name] = compiler.AuthIAM
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	fnNames := map[string]bool{}
	for _, f := range app.Functions {
		fnNames[f.Name] = true
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return at(max(se.Offset-1, 0), strings.TrimPrefix(se.Error(), "json: "), "")
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return at(int64(len(data)), "unexpected end of JSON input", "")
		}
		return at(dec.InputOffset(), strings.TrimPrefix(err.Error(), "json: "), "")
	}
	if tok, err := dec.Token(); err != nil {
		return nil, syntax(err)
	} else if tok != json.Delim('{') {
		return nil, at(0, "the file must hold a JSON object keyed by authorizer name", `{"users": {"claims": {"sub": "u-1"}}}`)
	}
	out := map[string]*apigw.Caller{}
	for dec.More() {
		keyAt := skipSpace(data, dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		name, _ := tok.(string)
		valueAt := skipSpace(data, dec.InputOffset())
		if i := bytes.IndexByte(data[valueAt:], ':'); i >= 0 {
			valueAt = skipSpace(data, valueAt+int64(i)+1)
		}
		typ, known := types[name]
		switch {
		case !known:
			hint := "the keys are the manifest's authorizers that chalc local cannot run: " + strings.Join(names, ", ")
			if len(names) == 0 {
				hint = "the app has no iam, cognito_user_pool, jwt or custom authorizer, nor a function URL with auth: aws_iam"
			}
			if s := suggest.Closest(name, names); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			return nil, at(keyAt, fmt.Sprintf("the app has no authorizer %q", name), hint)
		case typ == compiler.AuthBuiltin:
			return nil, at(keyAt, fmt.Sprintf("authorizer %q is builtin: chalc local runs it on the request's token", name),
				"remove it; send the token in the authorizer's header instead")
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntax(err)
		}
		var c apigw.Caller
		vdec := json.NewDecoder(bytes.NewReader(raw))
		vdec.DisallowUnknownFields()
		if err := vdec.Decode(&c); err != nil {
			return nil, at(valueAt, fmt.Sprintf("authorizer %q: %s", name, strings.TrimPrefix(err.Error(), "json: ")), authHint(typ))
		}
		if msg := checkCaller(typ, &c, fnNames); msg != "" {
			return nil, at(valueAt, fmt.Sprintf("authorizer %q: %s", name, msg), authHint(typ))
		}
		out[name] = &c
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax(err)
	}
	return out, nil
}

// checkCaller says what in c does not fit an authorizer of type typ.
func checkCaller(typ compiler.AuthorizerType, c *apigw.Caller, functions map[string]bool) string {
	switch typ {
	case compiler.AuthCognito, compiler.AuthJWT:
		if c.Identity != nil || c.PrincipalID != "" || c.Context != nil || c.Function != "" {
			return fmt.Sprintf("a %s authorizer gives claims only", typ)
		}
	case compiler.AuthIAM:
		if c.Claims != nil || c.PrincipalID != "" || c.Context != nil || c.Function != "" {
			return "an iam authorizer gives an identity only"
		}
	case compiler.AuthCustom:
		if c.Claims != nil || c.Identity != nil {
			return "a custom authorizer gives a principalId and a context, or a function to run"
		}
		if c.Function != "" && !functions[c.Function] {
			return fmt.Sprintf("the app has no function %q", c.Function)
		}
	}
	return ""
}

func authHint(typ compiler.AuthorizerType) string {
	switch typ {
	case compiler.AuthCognito, compiler.AuthJWT:
		return fmt.Sprintf(`a %s authorizer's entry is {"claims": {"sub": "u-1", ...}}`, typ)
	case compiler.AuthIAM:
		return `an iam authorizer's entry is {"identity": {"userArn": "arn:aws:iam::123456789012:user/ana", "accountId": "123456789012", ...}}`
	}
	return `a custom authorizer's entry is {"principalId": "p-1", "context": {"plan": "gold"}}, or {"function": "NAME"} to run a function of the app`
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\n' || data[off] == '\r' || data[off] == ',') {
		off++
	}
	return off
}

// lineCol is the 1-based line and column of byte offset off.
func lineCol(data []byte, off int64) (int, int) {
	off = min(off, int64(len(data)))
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
