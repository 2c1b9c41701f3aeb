package merge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/awsfacts"
	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/cfnjson"
	"github.com/chalc-dev/chalc/internal/jsonvalue"
)

// Dependency cycles. CloudFormation creates a resource after every
// resource it refers to (Ref, Fn::GetAtt, Fn::Sub) or names in
// DependsOn, and rejects a template whose references go round in a
// circle (cfn-lint E3004). A merge template makes such circles easily:
// a function triggered by a bucket that gets the bucket's name with
// !Ref. The graph here is the one CloudFormation sees after the SAM
// transform: references inside a function's Events belong to the
// resources SAM generates for the event, and S3 events point the other
// way (the bucket depends on the function: awsfacts).

// edge is one dependency: from needs to.
type edge struct {
	from, to string
	// path is where the reference is written (for its position).
	path []string
	// fn is how: Ref, Fn::GetAtt, Fn::Sub, DependsOn, or "event" for a
	// dependency the transform adds.
	fn string
	// event names the SAM event an "event" edge comes from.
	event string
}

func (c *checker) cycles() {
	resources := section(c.t, "Resources")
	nodes := map[string]bool{}
	for id := range resources {
		nodes[id] = true
	}
	for id := range c.generated {
		nodes[id] = true
	}
	graph := map[string][]edge{}
	add := func(e edge) {
		if nodes[e.to] {
			graph[e.from] = append(graph[e.from], e)
		}
	}
	for _, id := range sortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		base := []string{"Resources", id}
		for _, dep := range jsonvalue.Strings(r["DependsOn"]) {
			add(edge{from: id, to: dep, path: append(base, "DependsOn"), fn: "DependsOn"})
		}
		typ, _ := r["Type"].(string)
		for _, k := range sortedKeys(r) {
			switch k {
			case "Type", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy":
				continue
			}
			if k == "Properties" && typ == "AWS::Serverless::Function" {
				props, _ := r[k].(map[string]any)
				for _, pk := range sortedKeys(props) {
					if pk != "Events" {
						refsIn(props[pk], append(base, k, pk), func(name, fn string, path []string) {
							add(edge{from: id, to: name, path: path, fn: fn})
						})
					}
				}
				c.eventEdges(id, props, add)
				continue
			}
			refsIn(r[k], append(base, k), func(name, fn string, path []string) {
				add(edge{from: id, to: name, path: path, fn: fn})
			})
		}
	}
	// The stages SAM generates wait for their API.
	for api, stage := range c.stages {
		add(edge{from: stage, to: api, path: []string{"Resources", api}, fn: "event"})
	}
	for _, cycle := range findCycles(graph) {
		c.reportCycle(cycle)
	}
}

// eventEdges adds the dependencies of the resources SAM generates for a
// function's events.
func (c *checker) eventEdges(fnID string, props map[string]any, add func(edge)) {
	events, _ := props["Events"].(map[string]any)
	for _, ev := range sortedKeys(events) {
		e, _ := events[ev].(map[string]any)
		et, _ := e["Type"].(string)
		path := []string{"Resources", fnID, "Properties", "Events", ev, "Properties"}
		if awsfacts.SAMSourceDependsOnFunction(et) {
			// The bucket's NotificationConfiguration names the function.
			src := awsfacts.SAMEventSourceProperty(et)
			p, _ := e["Properties"].(map[string]any)
			refsIn(p[src], append(path, src), func(name, _ string, at []string) {
				add(edge{from: name, to: fnID, path: at, fn: "event", event: ev})
			})
			continue
		}
		for _, g := range awsfacts.SAMEventResources(fnID, ev, et) {
			add(edge{from: g.ID, to: fnID, path: path, fn: "event", event: ev})
			refsIn(e["Properties"], path, func(name, fn string, at []string) {
				add(edge{from: g.ID, to: name, path: at, fn: fn})
			})
		}
	}
}

// refsIn calls fn with each resource name v refers to (Ref, Fn::GetAtt,
// Fn::Sub's ${Name} and ${Res.Attr}), and the path of the reference.
func refsIn(v any, path []string, fn func(name, how string, path []string)) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				for _, r := range cfnjson.References(k, arg) {
					if r.Condition {
						continue
					}
					res, _, _ := strings.Cut(r.Name, ".") // RestAPI.Stage
					// The path is copied only for a reference: the walk
					// reuses its slice (a template of a thousand routes
					// is mostly a swagger document with none).
					fn(res, k, append(slices.Clip(path), k))
				}
			}
		}
		for _, k := range sortedKeys(x) {
			refsIn(x[k], append(path, k), fn)
		}
	case []any:
		for i, e := range x {
			refsIn(e, append(path, strconv.Itoa(i)), fn)
		}
	}
}

// findCycles returns one cycle of each strongly connected component that
// has one (Tarjan's algorithm, nodes in sorted order, so the result does
// not depend on map order): the edges in order, from the cycle's
// smallest node.
func findCycles(graph map[string][]edge) [][]edge {
	var nodes []string
	for n, es := range graph {
		nodes = append(nodes, n)
		for _, e := range es {
			nodes = append(nodes, e.to)
		}
	}
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var sccs [][]string
	next := 0
	var connect func(v string)
	connect = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, e := range graph[v] {
			if _, seen := index[e.to]; !seen {
				connect(e.to)
				low[v] = min(low[v], low[e.to])
			} else if onStack[e.to] {
				low[v] = min(low[v], index[e.to])
			}
		}
		if low[v] == index[v] {
			var scc []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			sccs = append(sccs, scc)
		}
	}
	for _, n := range nodes {
		if _, seen := index[n]; !seen {
			connect(n)
		}
	}
	var out [][]edge
	for _, scc := range sccs {
		slices.Sort(scc)
		in := map[string]bool{}
		for _, n := range scc {
			in[n] = true
		}
		start := scc[0]
		if cycle := cycleFrom(graph, start, in); cycle != nil {
			out = append(out, cycle)
		}
	}
	slices.SortFunc(out, func(a, b []edge) int { return strings.Compare(a[0].from, b[0].from) })
	return out
}

// cycleFrom finds the shortest way from start back to itself within the
// component in (breadth first, edges in order), or nil.
func cycleFrom(graph map[string][]edge, start string, in map[string]bool) []edge {
	prev := map[string]edge{}
	queue := []string{start}
	seen := map[string]bool{}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range graph[v] {
			if !in[e.to] {
				continue
			}
			if e.to == start {
				cycle := []edge{e}
				for n := v; n != start; n = prev[n].from {
					cycle = append(cycle, prev[n])
				}
				slices.Reverse(cycle)
				return cycle
			}
			if !seen[e.to] {
				seen[e.to] = true
				prev[e.to] = e
				queue = append(queue, e.to)
			}
		}
	}
	return nil
}

// reportCycle reports a cycle at its first reference a user wrote (in a
// merge template or the manifest), each edge a note at its place.
func (c *checker) reportCycle(cycle []edge) {
	first := -1
	for i, e := range cycle {
		if c.at(e.path).Start.Line != 0 {
			first = i
			break
		}
	}
	if first > 0 {
		cycle = append(cycle[first:], cycle[:first]...)
	}
	names := []string{cycle[0].from}
	s3 := false
	for _, e := range cycle {
		names = append(names, e.to)
		if _, generated := c.generated[e.from]; e.fn == "event" && e.event != "" && !generated {
			s3 = true // a bucket that waits for its function
		}
	}
	d := c.ds.Errorf(diag.DependencyCycle, c.at(cycle[0].path), "a circular dependency: %s; CloudFormation cannot create any of them", strings.Join(names, " → "))
	for _, e := range cycle {
		d.Note(c.at(e.path), "%s", c.describeEdge(e))
	}
	api := ""
	for _, e := range cycle {
		if slices.Contains(e.path, "DefinitionBody") {
			api = e.from // an API whose definition invokes a function of the circle
		}
	}
	switch {
	case api != "":
		d.Hint("%s invokes the function, so the function cannot refer to %s: read the API's address from each request (its requestContext has the domain name and the stage)", api, api)
	case s3:
		d.Hint("SAM puts a function triggered by a bucket in the bucket's notification configuration, so the function cannot refer to the bucket: name the bucket yourself (BucketName: !Sub \"${AWS::StackName}-media\") and pass the same !Sub text, not a !Ref, or read the bucket's name from the S3 event")
	default:
		d.Hint("remove one of these references (a DependsOn that is not needed, or a name the function can be given as a string)")
	}
}

// describeEdge says what makes e a dependency.
func (c *checker) describeEdge(e edge) string {
	if e.fn == "event" {
		if e.event == "" {
			return fmt.Sprintf("%s is created after %s (SAM)", e.from, e.to)
		}
		if _, generated := c.generated[e.from]; generated {
			return fmt.Sprintf("%s (which SAM generates for event %s) refers to %s", e.from, e.event, e.to)
		}
		return fmt.Sprintf("%s depends on %s: SAM adds %s to the bucket's NotificationConfiguration (event %s)", e.from, e.to, e.to, e.event)
	}
	if e.fn == "DependsOn" {
		return fmt.Sprintf("%s depends on %s (DependsOn)", e.from, e.to)
	}
	where := e.path[2:]
	if n := len(where); n > 0 && (where[n-1] == e.fn) {
		where = where[:n-1]
	}
	return fmt.Sprintf("%s refers to %s (%s at %s)", e.from, e.to, e.fn, strings.Join(where, "."))
}
