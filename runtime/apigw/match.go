package apigw

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/chalc-dev/chalc/runtime/chalice"
)

// resource is one resource path of the API with its methods.
type resource struct {
	path   string   // the template, e.g. /pets/{id}
	params []string // its {param} names, in path order
	routes map[string]*chalice.Route
	// cors holds the CORS headers of the path's CORS-enabled routes (they
	// share one config), nil when none enables CORS; corsMethods are
	// those routes' methods in registration order.
	cors        []chalice.Header
	corsMethods []string
}

// node is a node of the resource tree: one path segment.
type node struct {
	static map[string]*node
	params []*paramNode // sorted by name
	res    *resource
}

// paramNode is a {param} child of a node.
type paramNode struct {
	name string
	node *node
}

// segments splits a path into its segments: none for "/".
func segments(path string) []string {
	path = strings.TrimPrefix(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}

// insert adds a route, which answers with the CORS headers cors (nil:
// off) in the gateway's stage, to the tree rooted at n.
func (n *node) insert(r *chalice.Route, cors []chalice.Header) error {
	if !strings.HasPrefix(r.Path, "/") {
		return fmt.Errorf("route %s %s: the path does not start with /", r.Method, r.Path)
	}
	cur := n
	var params []string
	for _, seg := range segments(r.Path) {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") && len(seg) > 2 {
			name := seg[1 : len(seg)-1]
			params = append(params, name)
			var next *node
			for _, p := range cur.params {
				if p.name == name {
					next = p.node
				}
			}
			if next == nil {
				next = &node{}
				cur.params = append(cur.params, &paramNode{name: name, node: next})
				sort.Slice(cur.params, func(i, j int) bool { return cur.params[i].name < cur.params[j].name })
			}
			cur = next
			continue
		}
		if cur.static == nil {
			cur.static = map[string]*node{}
		}
		next := cur.static[seg]
		if next == nil {
			next = &node{}
			cur.static[seg] = next
		}
		cur = next
	}
	if cur.res == nil {
		cur.res = &resource{path: r.Path, params: params, routes: map[string]*chalice.Route{}}
	}
	res := cur.res
	if res.path != r.Path {
		return fmt.Errorf("routes %s and %s are the same resource", res.path, r.Path)
	}
	res.routes[r.Method] = r
	if cors != nil {
		res.cors = cors
		res.corsMethods = append(res.corsMethods, r.Method)
	}
	return nil
}

// match finds the resource of a percent-encoded request path (without a
// trailing slash) and its path parameters, decoded; nil when none
// matches.
func (g *Gateway) match(path string) (*resource, map[string]string) {
	segs := segments(path)
	decoded := make([]string, len(segs))
	for i, s := range segs {
		d, err := url.PathUnescape(s)
		if err != nil {
			d = s
		}
		decoded[i] = d
	}
	var values []string
	res := g.root.find(decoded, &values)
	if res == nil {
		return nil, nil
	}
	var params map[string]string
	if len(res.params) > 0 {
		params = make(map[string]string, len(res.params))
		for i, name := range res.params {
			params[name] = values[i]
		}
	}
	return res, params
}

// find matches segs below n, static segments first, then each {param}
// in name order, backtracking; values collects the {param} values.
func (n *node) find(segs []string, values *[]string) *resource {
	if len(segs) == 0 {
		return n.res
	}
	seg := segs[0]
	if next := n.static[seg]; next != nil {
		if res := next.find(segs[1:], values); res != nil {
			return res
		}
	}
	if seg == "" {
		return nil
	}
	for _, p := range n.params {
		*values = append(*values, seg)
		if res := p.node.find(segs[1:], values); res != nil {
			return res
		}
		*values = (*values)[:len(*values)-1]
	}
	return nil
}
