package fakeaws

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

const cfnNS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// maxTemplateBody is CloudFormation's limit on an inline template.
const maxTemplateBody = 51200

type stack struct {
	id, name, region string
	status, reason   string
	created          time.Time
	deleted          bool

	template  map[string]any // deployed; nil before a create completes
	outputs   []output
	resources map[string]*resource

	events  []*event // oldest first
	pending []*event // revealed a few per DescribeStacks

	changeSets []*changeSet
}

type resource struct {
	typ, physical string
	def           any // the template's definition, to tell updates apart
}

type output struct{ key, value string }

type event struct {
	id, logical, physical, typ, status, reason string
	time                                       time.Time
	apply                                      func() // run when revealed
}

type changeSet struct {
	id, name, typ  string
	status, reason string
	polls          int
	template       map[string]any
	capabilities   []string
	created        time.Time
}

// StackInfo describes a simulated stack, for AddStack and Stack.
type StackInfo struct {
	Name, ID, Status string
	// Outputs are the stack's outputs.
	Outputs map[string]string
	// Resources maps logical IDs to resource types; their physical IDs
	// are <stack>-<logical id>-FAKE1234.
	Resources map[string]string
	// Template is the deployed template (nil when none).
	Template map[string]any
	// Events counts the stack's events.
	Events int
}

// AddStack creates a stack in the given state, without events but one.
func (s *Server) AddStack(info StackInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.newStack(info.Name, "us-east-1")
	st.status = info.Status
	for k, v := range info.Outputs {
		st.outputs = append(st.outputs, output{k, v})
	}
	sort.Slice(st.outputs, func(i, j int) bool { return st.outputs[i].key < st.outputs[j].key })
	for id, typ := range info.Resources {
		st.resources[id] = &resource{typ: typ, physical: physicalID(st.name, id)}
	}
	st.template = info.Template
	s.reveal(st, s.stackEvent(st, info.Status, ""))
}

// Stack returns a simulated stack's state (live stacks by name first,
// then any by ID); ok is false when there is none.
func (s *Server) Stack(nameOrID string) (StackInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findStack(nameOrID, true)
	if st == nil {
		return StackInfo{}, false
	}
	info := StackInfo{Name: st.name, ID: st.id, Status: st.status, Outputs: map[string]string{},
		Resources: map[string]string{}, Template: st.template, Events: len(st.events)}
	for _, o := range st.outputs {
		info.Outputs[o.key] = o.value
	}
	for id, r := range st.resources {
		info.Resources[id] = r.typ
	}
	return info, true
}

func physicalID(stack, logical string) string { return stack + "-" + logical + "-FAKE1234" }

func (s *Server) newStack(name, region string) *stack {
	s.seq++
	st := &stack{
		name: name, region: region, created: s.clock, resources: map[string]*resource{},
		id: fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/00000000-0000-0000-0000-%012d", region, s.opts.Account, name, s.seq),
	}
	s.stacks = append(s.stacks, st)
	return st
}

// findStack finds a live stack by name, or any stack by ID (deleted ones
// too, as CloudFormation does).
func (s *Server) findStack(nameOrID string, byID bool) *stack {
	for _, st := range s.stacks {
		if !st.deleted && st.name == nameOrID {
			return st
		}
	}
	if byID {
		for _, st := range s.stacks {
			if st.id == nameOrID {
				return st
			}
		}
	}
	return nil
}

func (s *Server) tick() time.Time {
	s.clock = s.clock.Add(time.Second)
	return s.clock
}

func (s *Server) stackEvent(st *stack, status, reason string) *event {
	return s.resourceEvent(st, st.name, st.id, "AWS::CloudFormation::Stack", status, reason)
}

func (s *Server) resourceEvent(st *stack, logical, physical, typ, status, reason string) *event {
	s.seq++
	e := &event{id: fmt.Sprintf("%s-%s-%d", logical, status, s.seq), logical: logical, physical: physical,
		typ: typ, status: status, reason: reason, time: s.tick()}
	if logical == st.name && typ == "AWS::CloudFormation::Stack" {
		e.apply = func() { st.status, st.reason = status, reason }
	}
	return e
}

// reveal makes an event visible now.
func (s *Server) reveal(st *stack, e *event) {
	st.events = append(st.events, e)
	if e.apply != nil {
		e.apply()
	}
}

// advance reveals the next pending events.
func (s *Server) advance(st *stack) {
	for i := 0; i < s.opts.StepsPerPoll && len(st.pending) > 0; i++ {
		e := st.pending[0]
		st.pending = st.pending[1:]
		s.reveal(st, e)
	}
}

func (s *Server) cloudFormation(w http.ResponseWriter, r *Request) {
	switch r.Op {
	case "DescribeStacks":
		s.describeStacks(w, r)
	case "DescribeStackEvents":
		s.describeStackEvents(w, r)
	case "DescribeStackResource":
		s.describeStackResource(w, r)
	case "CreateChangeSet":
		s.createChangeSet(w, r)
	case "DescribeChangeSet":
		s.describeChangeSet(w, r)
	case "ExecuteChangeSet":
		s.executeChangeSet(w, r)
	case "DeleteChangeSet":
		s.deleteChangeSet(w, r)
	case "DeleteStack":
		s.deleteStack(w, r)
	default:
		s.cfnError(w, http.StatusBadRequest, "InvalidAction", "fakeaws: unsupported CloudFormation action "+r.Op)
	}
}

func (s *Server) cfnError(w http.ResponseWriter, status int, code, msg string) {
	s.queryError(w, cfnNS, status, code, msg)
}

type xmlOutput struct {
	OutputKey, OutputValue string
}

type xmlStack struct {
	StackId           string
	StackName         string
	CreationTime      string
	StackStatus       string
	StackStatusReason string      `xml:",omitempty"`
	Outputs           []xmlOutput `xml:"Outputs>member,omitempty"`
}

func (s *Server) describeStacks(w http.ResponseWriter, r *Request) {
	name := r.Param("StackName")
	st := s.findStack(name, true)
	if st == nil {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Stack with id "+name+" does not exist")
		return
	}
	s.advance(st)
	x := xmlStack{StackId: st.id, StackName: st.name, CreationTime: st.created.Format(time.RFC3339),
		StackStatus: st.status, StackStatusReason: st.reason}
	for _, o := range st.outputs {
		x.Outputs = append(x.Outputs, xmlOutput{o.key, o.value})
	}
	s.queryResult(w, cfnNS, r.Op, struct {
		Stacks []xmlStack `xml:"Stacks>member"`
	}{[]xmlStack{x}})
}

type xmlEvent struct {
	StackId              string
	EventId              string
	StackName            string
	LogicalResourceId    string
	PhysicalResourceId   string `xml:",omitempty"`
	ResourceType         string
	Timestamp            string
	ResourceStatus       string
	ResourceStatusReason string `xml:",omitempty"`
}

func (s *Server) describeStackEvents(w http.ResponseWriter, r *Request) {
	name := r.Param("StackName")
	st := s.findStack(name, true)
	if st == nil {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Stack ["+name+"] does not exist")
		return
	}
	start := 0
	if t := r.Param("NextToken"); t != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(t, "events-"))
		if err != nil || n > len(st.events) {
			s.cfnError(w, http.StatusBadRequest, "ValidationError", "Invalid NextToken")
			return
		}
		start = n
	}
	// Newest first.
	var all []*event
	for i := len(st.events) - 1; i >= 0; i-- {
		all = append(all, st.events[i])
	}
	end := min(start+s.opts.EventsPageSize, len(all))
	var out struct {
		StackEvents []xmlEvent `xml:"StackEvents>member"`
		NextToken   string     `xml:",omitempty"`
	}
	for _, e := range all[start:end] {
		out.StackEvents = append(out.StackEvents, xmlEvent{StackId: st.id, EventId: e.id, StackName: st.name,
			LogicalResourceId: e.logical, PhysicalResourceId: e.physical, ResourceType: e.typ,
			Timestamp: e.time.Format(time.RFC3339), ResourceStatus: e.status, ResourceStatusReason: e.reason})
	}
	if end < len(all) {
		out.NextToken = fmt.Sprintf("events-%d", end)
	}
	s.queryResult(w, cfnNS, r.Op, out)
}

func (s *Server) describeStackResource(w http.ResponseWriter, r *Request) {
	name, id := r.Param("StackName"), r.Param("LogicalResourceId")
	st := s.findStack(name, true)
	if st == nil || st.deleted {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Stack '"+name+"' does not exist")
		return
	}
	res, ok := st.resources[id]
	if !ok {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Resource "+id+" does not exist for stack "+st.name)
		return
	}
	s.queryResult(w, cfnNS, r.Op, struct {
		Detail struct {
			StackName            string
			StackId              string
			LogicalResourceId    string
			PhysicalResourceId   string
			ResourceType         string
			LastUpdatedTimestamp string
			ResourceStatus       string
		} `xml:"StackResourceDetail"`
	}{Detail: struct {
		StackName            string
		StackId              string
		LogicalResourceId    string
		PhysicalResourceId   string
		ResourceType         string
		LastUpdatedTimestamp string
		ResourceStatus       string
	}{st.name, st.id, id, res.physical, res.typ, s.clock.Format(time.RFC3339), "CREATE_COMPLETE"}})
}

func (s *Server) createChangeSet(w http.ResponseWriter, r *Request) {
	name, csName := r.Param("StackName"), r.Param("ChangeSetName")
	typ := r.Param("ChangeSetType")
	if typ == "" {
		typ = "UPDATE"
	}
	if name == "" || csName == "" {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "StackName and ChangeSetName are required")
		return
	}
	body := r.Param("TemplateBody")
	if u := r.Param("TemplateURL"); u != "" {
		if body != "" {
			s.cfnError(w, http.StatusBadRequest, "ValidationError", "Specify exactly one of TemplateBody or TemplateUrl.")
			return
		}
		obj, ok := s.templateObject(u)
		if !ok {
			s.cfnError(w, http.StatusBadRequest, "ValidationError", "TemplateURL must be a supported URL.")
			return
		}
		body = string(obj)
	} else if len(body) > maxTemplateBody {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", fmt.Sprintf(
			"1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", maxTemplateBody))
		return
	}
	var tmpl map[string]any
	if err := json.Unmarshal([]byte(body), &tmpl); err != nil {
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Template format error: JSON not well-formed.")
		return
	}
	caps := r.List("Capabilities")
	if needsIAM(tmpl) && !slices.Contains(caps, "CAPABILITY_IAM") && !slices.Contains(caps, "CAPABILITY_NAMED_IAM") {
		s.cfnError(w, http.StatusBadRequest, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]")
		return
	}
	st := s.findStack(name, false)
	switch {
	case typ == "CREATE" && st != nil && st.status != "REVIEW_IN_PROGRESS":
		s.cfnError(w, http.StatusBadRequest, "AlreadyExistsException", "Stack ["+name+"] already exists")
		return
	case typ == "CREATE" && st == nil:
		st = s.newStack(name, r.Region)
		s.reveal(st, s.stackEvent(st, "REVIEW_IN_PROGRESS", "User Initiated"))
	case typ == "UPDATE" && st == nil:
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Stack ["+name+"] does not exist")
		return
	case typ == "UPDATE" && (st.status == "REVIEW_IN_PROGRESS" || strings.HasSuffix(st.status, "_IN_PROGRESS") ||
		st.status == "ROLLBACK_COMPLETE" || st.status == "ROLLBACK_FAILED" || st.status == "DELETE_FAILED"):
		s.cfnError(w, http.StatusBadRequest, "ValidationError", "Stack:"+st.id+" is in "+st.status+" state and can not be updated.")
		return
	}
	for _, cs := range st.changeSets {
		if cs.name == csName {
			s.cfnError(w, http.StatusBadRequest, "AlreadyExistsException", "ChangeSet "+csName+" already exists")
			return
		}
	}
	s.seq++
	cs := &changeSet{
		id:   fmt.Sprintf("arn:aws:cloudformation:%s:%s:changeSet/%s/00000000-0000-0000-0000-%012d", st.region, s.opts.Account, csName, s.seq),
		name: csName, typ: typ, template: tmpl, capabilities: caps, created: s.clock, status: "CREATE_COMPLETE",
	}
	if reason := s.transform(tmpl); reason != "" {
		cs.status, cs.reason = "FAILED", reason
	} else if typ == "UPDATE" && reflect.DeepEqual(normalize(tmpl), normalize(st.template)) {
		cs.status, cs.reason = "FAILED", "The submitted information didn't contain changes. Submit different information to create a change set."
	}
	st.changeSets = append(st.changeSets, cs)
	s.queryResult(w, cfnNS, r.Op, struct {
		Id      string
		StackId string
	}{cs.id, st.id})
}

// templateObject reads an uploaded template:
// https://<bucket>.s3.<region>.amazonaws.com/<key>, or the path-style
// https://s3.<region>.amazonaws.com/<bucket>/<key>.
func (s *Server) templateObject(u string) ([]byte, bool) {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		return nil, false
	}
	host, path, _ := strings.Cut(rest, "/")
	var bucket, key string
	if i := strings.Index(host, ".s3."); i > 0 {
		bucket, key = host[:i], path
	} else if strings.HasPrefix(host, "s3.") {
		bucket, key, _ = strings.Cut(path, "/")
	}
	b, ok := s.objects[bucket+"/"+key]
	return b, ok
}

// needsIAM: the template creates IAM roles or policies (SAM functions
// without a Role make one).
func needsIAM(tmpl map[string]any) bool {
	resources, _ := tmpl["Resources"].(map[string]any)
	for _, v := range resources {
		r, _ := v.(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		if strings.HasPrefix(typ, "AWS::IAM::") || typ == "AWS::Serverless::Function" && props["Role"] == nil {
			return true
		}
	}
	return false
}

// transform checks what the SAM transform would: a function's CodeUri
// (a layer's ContentUri) is an s3:// URI. Unlike CloudFormation, the fake
// also requires the object to exist, so tests see the upload happened
// first.
func (s *Server) transform(tmpl map[string]any) string {
	resources, _ := tmpl["Resources"].(map[string]any)
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		prop := map[string]string{"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}[typ]
		if prop == "" {
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		uri, ok := props[prop].(string)
		if !ok {
			continue
		}
		loc, isS3 := strings.CutPrefix(uri, "s3://")
		if !isS3 {
			return fmt.Sprintf("Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [%s] is invalid. '%s' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.", id, prop)
		}
		if _, ok := s.objects[loc]; !ok {
			return fmt.Sprintf("fakeaws: %s of %s names %s, which was not uploaded", prop, id, uri)
		}
	}
	return ""
}

// normalize makes templates comparable whatever their formatting.
func normalize(t map[string]any) any {
	if t == nil {
		return nil
	}
	b, _ := json.Marshal(t)
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

func (s *Server) findChangeSet(r *Request) (*stack, *changeSet) {
	name := r.Param("ChangeSetName")
	for _, st := range s.stacks {
		for _, cs := range st.changeSets {
			if cs.id == name || cs.name == name && (st.name == r.Param("StackName") || st.id == r.Param("StackName")) {
				return st, cs
			}
		}
	}
	return nil, nil
}

func (s *Server) describeChangeSet(w http.ResponseWriter, r *Request) {
	st, cs := s.findChangeSet(r)
	if cs == nil {
		s.cfnError(w, http.StatusNotFound, "ChangeSetNotFound", "ChangeSet ["+r.Param("ChangeSetName")+"] does not exist")
		return
	}
	status, exec := cs.status, "UNAVAILABLE"
	if cs.polls < s.opts.ChangeSetPolls {
		cs.polls++
		status = "CREATE_IN_PROGRESS"
	} else if status == "CREATE_COMPLETE" {
		exec = "AVAILABLE"
	}
	reason := cs.reason
	if status == "CREATE_IN_PROGRESS" {
		reason = ""
	}
	s.queryResult(w, cfnNS, r.Op, struct {
		ChangeSetId     string
		ChangeSetName   string
		StackId         string
		StackName       string
		CreationTime    string
		Status          string
		StatusReason    string `xml:",omitempty"`
		ExecutionStatus string
		Capabilities    []string `xml:"Capabilities>member"`
	}{cs.id, cs.name, st.id, st.name, cs.created.Format(time.RFC3339), status, reason, exec, cs.capabilities})
}

func (s *Server) deleteChangeSet(w http.ResponseWriter, r *Request) {
	st, cs := s.findChangeSet(r)
	if cs == nil {
		s.cfnError(w, http.StatusNotFound, "ChangeSetNotFound", "ChangeSet ["+r.Param("ChangeSetName")+"] does not exist")
		return
	}
	st.changeSets = slices.DeleteFunc(st.changeSets, func(c *changeSet) bool { return c == cs })
	s.queryResult(w, cfnNS, r.Op, nil)
}

func (s *Server) executeChangeSet(w http.ResponseWriter, r *Request) {
	st, cs := s.findChangeSet(r)
	if cs == nil {
		s.cfnError(w, http.StatusNotFound, "ChangeSetNotFound", "ChangeSet ["+r.Param("ChangeSetName")+"] does not exist")
		return
	}
	if cs.polls < s.opts.ChangeSetPolls || cs.status != "CREATE_COMPLETE" {
		s.cfnError(w, http.StatusBadRequest, "InvalidChangeSetStatus", "ChangeSet ["+cs.id+"] cannot be executed in its current status of ["+cs.status+"]")
		return
	}
	// CloudFormation deletes a stack's change sets once one is executed.
	st.changeSets = nil
	s.execute(st, cs.template)
	s.queryResult(w, cfnNS, r.Op, nil)
}

func (s *Server) deleteStack(w http.ResponseWriter, r *Request) {
	st := s.findStack(r.Param("StackName"), true)
	if st == nil || st.deleted {
		s.queryResult(w, cfnNS, r.Op, nil) // deleting nothing succeeds
		return
	}
	s.pushEvent(st, s.stackEvent(st, "DELETE_IN_PROGRESS", "User Initiated"))
	var failed []string
	for _, id := range sortedKeys(st.resources, true) {
		res := st.resources[id]
		s.pushEvent(st, s.resourceEvent(st, id, res.physical, res.typ, "DELETE_IN_PROGRESS", ""))
		if reason, ok := s.fail[id]; ok {
			delete(s.fail, id)
			s.pushEvent(st, s.resourceEvent(st, id, res.physical, res.typ, "DELETE_FAILED", reason))
			failed = append(failed, id)
			continue
		}
		s.pushEvent(st, s.resourceEvent(st, id, res.physical, res.typ, "DELETE_COMPLETE", ""))
	}
	if len(failed) > 0 {
		s.pushEvent(st, s.stackEvent(st, "DELETE_FAILED", "The following resource(s) failed to delete: ["+strings.Join(failed, ", ")+"]. "))
	} else {
		e := s.stackEvent(st, "DELETE_COMPLETE", "")
		apply := e.apply
		e.apply = func() { apply(); st.deleted = true; st.outputs = nil }
		s.pushEvent(st, e)
	}
	s.queryResult(w, cfnNS, r.Op, nil)
}

func (s *Server) pushEvent(st *stack, e *event) { st.pending = append(st.pending, e) }

// execute queues the events of a stack creation or update with tmpl, and
// its result: the new template, resources and outputs, or a rollback.
func (s *Server) execute(st *stack, tmpl map[string]any) {
	create := st.status == "REVIEW_IN_PROGRESS"
	verb := "UPDATE"
	if create {
		verb = "CREATE"
	}
	newRes, _ := tmpl["Resources"].(map[string]any)
	s.pushEvent(st, s.stackEvent(st, verb+"_IN_PROGRESS", "User Initiated"))
	var failed, done []string
	for _, id := range sortedKeys(newRes, false) {
		def := newRes[id].(map[string]any)
		typ, _ := def["Type"].(string)
		old, existed := st.resources[id]
		if existed && reflect.DeepEqual(normalizeAny(old.def), normalizeAny(def)) {
			continue
		}
		rv := "CREATE"
		if existed {
			rv = "UPDATE"
		}
		phys := physicalID(st.name, id)
		s.pushEvent(st, s.resourceEvent(st, id, "", typ, rv+"_IN_PROGRESS", ""))
		if reason, ok := s.fail[id]; ok {
			delete(s.fail, id)
			s.pushEvent(st, s.resourceEvent(st, id, phys, typ, rv+"_FAILED", reason))
			failed = append(failed, id)
			break
		}
		if rv == "CREATE" {
			s.pushEvent(st, s.resourceEvent(st, id, phys, typ, "CREATE_IN_PROGRESS", "Resource creation Initiated"))
		}
		s.pushEvent(st, s.resourceEvent(st, id, phys, typ, rv+"_COMPLETE", ""))
		done = append(done, id)
	}
	if len(failed) > 0 {
		reason := "The following resource(s) failed to " + strings.ToLower(verb) + ": [" + strings.Join(failed, ", ") + "]. "
		if create {
			s.pushEvent(st, s.stackEvent(st, "ROLLBACK_IN_PROGRESS", reason+"Rollback requested by user."))
			for i := len(done) - 1; i >= 0; i-- {
				typ, _ := newRes[done[i]].(map[string]any)["Type"].(string)
				s.pushEvent(st, s.resourceEvent(st, done[i], physicalID(st.name, done[i]), typ, "DELETE_COMPLETE", ""))
			}
			s.pushEvent(st, s.stackEvent(st, "ROLLBACK_COMPLETE", ""))
			return
		}
		s.pushEvent(st, s.stackEvent(st, "UPDATE_ROLLBACK_IN_PROGRESS", reason))
		for i := len(done) - 1; i >= 0; i-- {
			id := done[i]
			typ, _ := newRes[id].(map[string]any)["Type"].(string)
			if _, existed := st.resources[id]; existed {
				s.pushEvent(st, s.resourceEvent(st, id, physicalID(st.name, id), typ, "UPDATE_COMPLETE", ""))
			}
		}
		s.pushEvent(st, s.stackEvent(st, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", ""))
		for i := len(done) - 1; i >= 0; i-- {
			id := done[i]
			typ, _ := newRes[id].(map[string]any)["Type"].(string)
			if _, existed := st.resources[id]; !existed {
				s.pushEvent(st, s.resourceEvent(st, id, physicalID(st.name, id), typ, "DELETE_COMPLETE", ""))
			}
		}
		s.pushEvent(st, s.stackEvent(st, "UPDATE_ROLLBACK_COMPLETE", ""))
		return
	}
	var final *event
	if create {
		final = s.stackEvent(st, "CREATE_COMPLETE", "")
	} else {
		s.pushEvent(st, s.stackEvent(st, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", ""))
		for _, id := range sortedKeys(st.resources, true) {
			if _, kept := newRes[id]; !kept {
				res := st.resources[id]
				s.pushEvent(st, s.resourceEvent(st, id, res.physical, res.typ, "DELETE_IN_PROGRESS", ""))
				s.pushEvent(st, s.resourceEvent(st, id, res.physical, res.typ, "DELETE_COMPLETE", ""))
			}
		}
		final = s.stackEvent(st, "UPDATE_COMPLETE", "")
	}
	apply := final.apply
	final.apply = func() {
		apply()
		st.template = tmpl
		st.resources = map[string]*resource{}
		for id, v := range newRes {
			typ, _ := v.(map[string]any)["Type"].(string)
			st.resources[id] = &resource{typ: typ, physical: physicalID(st.name, id), def: v}
		}
		st.outputs = nil
		outs, _ := tmpl["Outputs"].(map[string]any)
		for _, k := range sortedKeys(outs, false) {
			v := outputValue(k, st.region)
			if u, ok := functionURLValue(outs[k], st.region); ok {
				v = u
			}
			st.outputs = append(st.outputs, output{k, v})
		}
	}
	s.pushEvent(st, final)
}

// outputValue is the simulated value of an output.
func outputValue(key, region string) string {
	switch key {
	case "EndpointURL":
		return "https://abcdef1234.execute-api." + region + ".amazonaws.com/api/"
	case "WebsocketConnectEndpointURL":
		return "wss://ghijkl5678.execute-api." + region + ".amazonaws.com/api/"
	}
	return "fake-" + key
}

// functionURLValue is the simulated value of an output that reads a
// function URL (Fn::GetAtt [<Url>, FunctionUrl]): Lambda's shape,
// https://<url-id>.lambda-url.<region>.on.aws/, the ID made from the
// resource's name.
func functionURLValue(out any, region string) (string, bool) {
	o, _ := out.(map[string]any)
	v, _ := o["Value"].(map[string]any)
	ga, _ := v["Fn::GetAtt"].([]any)
	if len(ga) != 2 || ga[1] != "FunctionUrl" {
		return "", false
	}
	id, _ := ga[0].(string)
	return "https://" + strings.ToLower(id) + "0123456789abcdef.lambda-url." + region + ".on.aws/", true
}

func normalizeAny(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func sortedKeys[V any](m map[string]V, reverse bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if reverse {
		slices.Reverse(keys)
	}
	return keys
}

func xmlEncode(w io.Writer, name string, v any) error {
	enc := xml.NewEncoder(w)
	if err := enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}}); err != nil {
		return err
	}
	return enc.Flush()
}

func xmlEscape(buf *bytes.Buffer, s string) { _ = xml.EscapeText(buf, []byte(s)) }
