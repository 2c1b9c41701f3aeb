package schema

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/manifest"
)

// converter turns a normalised YAML tree into the JSON values the validator
// takes: mappings become map[string]any, sequences []any, null nil, booleans
// bool, integers and floats json.Number (so 8080 is an integer and "8080" a
// string, and no precision is lost). It remembers scalars that JSON cannot
// tell apart from what the decoder accepts: floats with a whole value (JSON
// Schema calls 60.0 an integer, the decoder does not) and scalars YAML reads
// as something other than a string, number, boolean or null (a plain
// 2024-01-01 is a timestamp, which the decoder does not take as a string).
type converter struct {
	path []string
	odd  []oddScalar
}

type oddScalar struct {
	loc  []string
	node *manifest.Node
}

func (c *converter) value(n *manifest.Node) any {
	switch n.Kind {
	case manifest.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			c.path = append(c.path, k)
			m[k] = c.value(n.Content[i+1])
			c.path = c.path[:len(c.path)-1]
		}
		return m
	case manifest.SequenceNode:
		s := make([]any, len(n.Content))
		for i, it := range n.Content {
			c.path = append(c.path, strconv.Itoa(i))
			s[i] = c.value(it)
			c.path = c.path[:len(c.path)-1]
		}
		return s
	case manifest.ScalarNode:
		return c.scalar(n)
	}
	return nil // aliases are resolved by the parser
}

func (c *converter) scalar(n *manifest.Node) any {
	switch n.ShortTag() {
	case manifest.TagNull:
		return nil
	case manifest.TagBool:
		return strings.EqualFold(n.Value, "true")
	case manifest.TagInt:
		if num, ok := intNumber(n.Value); ok {
			return num
		}
		return n.Value
	case manifest.TagFloat:
		f, err := parseFloat(n.Value)
		if err != nil {
			// Not a number after all: a number-shaped value of the
			// wrong kind fails every check a string would.
			return json.Number("0.5")
		}
		switch {
		case math.IsNaN(f):
			// Not a JSON number; any non-integer stands in for it (every
			// number in the schema is an integer, so it fails the same way).
			return json.Number("0.5")
		case math.IsInf(f, 0):
			if f > 0 {
				return json.Number("1e400")
			}
			return json.Number("-1e400")
		}
		if f == math.Trunc(f) {
			c.mark(n)
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	case manifest.TagStr:
		return n.Value
	}
	c.mark(n)
	return n.Value
}

func (c *converter) mark(n *manifest.Node) {
	c.odd = append(c.odd, oddScalar{loc: append([]string(nil), c.path...), node: n})
}

// parseFloat reads a YAML float, including .inf, -.inf and .nan.
func parseFloat(s string) (float64, error) {
	s = strings.ReplaceAll(s, "_", "")
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case ".inf":
		if strings.HasPrefix(s, "-") {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case ".nan":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// intNumber returns a YAML integer (decimal, 0x, 0o, 0b, with _) as a
// decimal json.Number, whatever its size. A leading 0 means octal, as for
// the decoder (strconv.ParseInt with base 0).
func intNumber(s string) (json.Number, bool) {
	i, ok := new(big.Int).SetString(strings.ReplaceAll(s, "_", ""), 0)
	if !ok {
		return "", false
	}
	return json.Number(i.String()), true
}
