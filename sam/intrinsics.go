package sam

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/chalc-dev/chalc/internal/cfnjson"
)

// Intrinsic functions in goformation's typed fields.
//
// A typed resource holds a Role, an Arn or a SourceArn in a string field,
// so an intrinsic function ({"Fn::GetAtt": ...}) has to travel in a
// string until the template is rendered. goformation's own helpers encode
// it as base64 of its JSON, and its renderer decodes every string that
// looks like one: a user's environment variable "eyJSZWYiOiJBV1M6OlJlZ2lv
// biJ9" would come out as {"Ref": "AWS::Region"}. chalc's tokens cannot be
// forged: each starts with a NUL and 128 random bits drawn when the
// process starts, which no input can know, and render replaces only
// those. Tokens never reach the output, so it stays deterministic.

// tokenPrefix starts every token of this process.
var tokenPrefix = func() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("sam: no randomness for intrinsic tokens: %v", err))
	}
	return "\x00chalc-" + hex.EncodeToString(b[:]) + ":"
}()

// bodyToken marks where a document built apart (the swagger definition)
// goes; the generator's bodies map holds it.
func bodyToken(id string) string { return tokenPrefix + "body:" + id }

// mint returns the token standing for the intrinsic v.
func mint(v map[string]any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sam: intrinsic %v: %v", v, err)) // only chalc's own values get here
	}
	return tokenPrefix + "fn:" + string(b)
}

func ref(name string) string              { return mint(cfnjson.Ref(name)) }
func getAtt(resource, attr string) string { return mint(cfnjson.GetAtt(resource, attr)) }
func sub(text string) string              { return mint(cfnjson.Sub(text)) }

// join is Fn::Join; parts may be tokens.
func join(sep string, parts ...string) string {
	items := make([]any, len(parts))
	for i, p := range parts {
		items[i] = p
	}
	return mint(cfnjson.Join(sep, items...))
}

// render replaces, in place, every token in v: an intrinsic by its object,
// a body token by its document. A string that holds a token without
// being one (a token pasted into a longer string) is chalc's bug, and an
// error rather than a template with a NUL in it.
func render(v any, bodies map[string]func() (any, error)) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			r, err := render(e, bodies)
			if err != nil {
				return nil, err
			}
			x[k] = r
		}
	case []any:
		for i, e := range x {
			r, err := render(e, bodies)
			if err != nil {
				return nil, err
			}
			x[i] = r
		}
	case string:
		rest, ok := strings.CutPrefix(x, tokenPrefix)
		if !ok {
			if strings.Contains(x, tokenPrefix) {
				return nil, fmt.Errorf("sam: an intrinsic function inside the string %q", strings.ReplaceAll(x, tokenPrefix, "<token>"))
			}
			return x, nil
		}
		if id, ok := strings.CutPrefix(rest, "body:"); ok {
			body := bodies[bodyToken(id)]
			if body == nil {
				return nil, fmt.Errorf("sam: no document for %s", id)
			}
			return body() // already plain
		}
		fn, err := cfnjson.Decode([]byte(strings.TrimPrefix(rest, "fn:")))
		if err != nil {
			return nil, fmt.Errorf("sam: a malformed intrinsic token: %v", err)
		}
		return render(fn, bodies) // its arguments may hold tokens
	}
	return v, nil
}

// legacyIntrinsics rewrites each token in marshalled JSON as goformation's
// helpers encoded the same intrinsic (base64 of their JSON text). The
// websocket deployment's ID is a hash of its routes as marshalled, and
// the hash was taken over that encoding before chalc had tokens: hashing
// the same bytes keeps the IDs of deployed stacks, which would otherwise
// all be replaced once on upgrade. Tokens hold only the intrinsics chalc
// makes: Ref, Fn::GetAtt, Fn::Sub and Fn::Join.
func legacyIntrinsics(b []byte) ([]byte, error) {
	quoted, err := json.Marshal(tokenPrefix)
	if err != nil {
		return nil, err
	}
	start := quoted[:len(quoted)-1] // `"\u0000chalc-...:`, without its closing quote
	var out []byte
	for {
		i := bytes.Index(b, start)
		if i < 0 {
			return append(out, b...), nil
		}
		out = append(out, b[:i]...)
		// The token's JSON string literal ends at the first unescaped quote.
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(b) {
			return nil, fmt.Errorf("sam: an unterminated token")
		}
		var tok string
		if err := json.Unmarshal(b[i:j+1], &tok); err != nil {
			return nil, err
		}
		legacy, err := legacyToken(tok)
		if err != nil {
			return nil, err
		}
		out = strconv.AppendQuote(out, legacy)
		b = b[j+1:]
	}
}

// legacyToken is goformation's encoding of the intrinsic a token stands
// for.
func legacyToken(tok string) (string, error) {
	fn, err := cfnjson.Decode([]byte(strings.TrimPrefix(tok, tokenPrefix+"fn:")))
	if err != nil {
		return "", err
	}
	m, _ := fn.(map[string]any)
	arg := func(v any) (string, error) {
		s, _ := v.(string)
		if strings.HasPrefix(s, tokenPrefix) {
			return legacyToken(s)
		}
		return s, nil
	}
	switch {
	case m["Ref"] != nil:
		return cloudformation.Ref(m["Ref"]), nil
	case m["Fn::Sub"] != nil:
		return cloudformation.Sub(m["Fn::Sub"]), nil
	case m["Fn::GetAtt"] != nil:
		a, _ := m["Fn::GetAtt"].([]any)
		if len(a) == 2 {
			res, _ := a[0].(string)
			attr, _ := a[1].(string)
			return cloudformation.GetAtt(res, attr), nil
		}
	case m["Fn::Join"] != nil:
		a, _ := m["Fn::Join"].([]any)
		if len(a) == 2 {
			sep, _ := a[0].(string)
			items, _ := a[1].([]any)
			parts := make([]string, len(items))
			for i, it := range items {
				if parts[i], err = arg(it); err != nil {
					return "", err
				}
			}
			return cloudformation.Join(sep, parts), nil
		}
	}
	return "", fmt.Errorf("sam: no legacy encoding for %v", fn)
}
