// Package fakeaws is a local stand-in for the AWS operations chalc uses,
// for tests: CloudFormation (Query protocol, XML answers in the
// 2010-05-15 namespace), S3 (REST: HEAD/PUT bucket, HEAD/PUT/GET object),
// STS GetCallerIdentity (Query) and CloudWatch Logs FilterLogEvents
// (JSON 1.1). It listens on 127.0.0.1; point the SDK at it with
// AWS_ENDPOINT_URL (or BaseEndpoint).
//
// Requests are told apart by the service of their SigV4 credential
// scope, and every one is recorded (Requests, Calls) so tests can assert
// what the SDK sent. Stacks are simulated: a change set is ready after a
// poll or two, and an executed change set or a deletion unfolds a few
// events per DescribeStacks call, failing (and rolling back) the
// resources named with Fail. Inject makes chosen requests misbehave as
// AWS sometimes does: throttled, or never answered.
package fakeaws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options tune the simulation; zero values take the defaults.
type Options struct {
	// Account is the caller's account (default 123456789012).
	Account string
	// StepsPerPoll is how many pending stack events each DescribeStacks
	// call reveals (default 3).
	StepsPerPoll int
	// ChangeSetPolls is how many DescribeChangeSet calls answer
	// CREATE_IN_PROGRESS before the change set is ready (default 1).
	ChangeSetPolls int
	// EventsPageSize is DescribeStackEvents' page size (default 4).
	EventsPageSize int
	// LogsPageSize is FilterLogEvents' page size (default 2).
	LogsPageSize int
}

// Request is a recorded request.
type Request struct {
	// Service is the SigV4 scope's service (cloudformation, s3, sts,
	// logs); Region and AccessKey come from the same scope.
	Service, Region, AccessKey string
	// Op is the operation: the Query Action, the JSON target's operation,
	// or for S3 HeadBucket, CreateBucket, HeadObject, PutObject,
	// GetObject.
	Op           string
	Method, Path string
	// Params are the Query protocol's form parameters.
	Params url.Values
	Header http.Header
	Body   []byte
}

// Param is a Query parameter.
func (r Request) Param(name string) string { return r.Params.Get(name) }

// List is a Query list parameter (Name.member.1, Name.member.2, ...).
func (r Request) List(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := r.Params[fmt.Sprintf("%s.member.%d", name, i)]
		if !ok {
			return out
		}
		out = append(out, v...)
	}
}

// JSON decodes a JSON body.
func (r Request) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Server is the fake.
type Server struct {
	URL  string
	hs   *httptest.Server
	opts Options

	mu        sync.Mutex
	requests  []Request
	stacks    []*stack
	buckets   map[string]*bucket
	objects   map[string][]byte // bucket + "/" + key
	logGroups map[string][]LogEvent
	fail      map[string]string
	faults    []*fault
	clock     time.Time
	seq       int

	// closed is closed by Close, releasing the frozen requests.
	closed    chan struct{}
	closeOnce sync.Once
}

// Fault is a way for the fake to misbehave.
type Fault int

const (
	// Throttle answers as AWS does when a caller exceeds its request
	// rate: HTTP 400 with the error code Throttling and the message
	// "Rate exceeded" (CloudFormation, STS), HTTP 400
	// ThrottlingException (CloudWatch Logs), HTTP 503 SlowDown (S3).
	Throttle Fault = iota + 1
	// Freeze accepts the request and never answers it (until Close): an
	// endpoint that hangs.
	Freeze
)

// fault is an Inject: requests of call, after skip of them were served,
// get kind, count times (count < 0: always).
type fault struct {
	call        string
	kind        Fault
	skip, count int
}

// LogEvent is a CloudWatch Logs event.
type LogEvent struct {
	Time    time.Time
	Message string
	Stream  string
	ID      string // assigned when empty
}

// Epoch is the fake clock's start; each stack event is one second later
// than the previous one.
var Epoch = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// New starts a server; Close stops it.
func New(opts Options) *Server {
	if opts.Account == "" {
		opts.Account = "123456789012"
	}
	if opts.StepsPerPoll <= 0 {
		opts.StepsPerPoll = 3
	}
	if opts.ChangeSetPolls <= 0 {
		opts.ChangeSetPolls = 1
	}
	if opts.EventsPageSize <= 0 {
		opts.EventsPageSize = 4
	}
	if opts.LogsPageSize <= 0 {
		opts.LogsPageSize = 2
	}
	s := &Server{
		opts:      opts,
		buckets:   map[string]*bucket{},
		objects:   map[string][]byte{},
		logGroups: map[string][]LogEvent{},
		fail:      map[string]string{},
		clock:     Epoch,
		closed:    make(chan struct{}),
	}
	s.hs = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.hs.URL
	return s
}

// Close releases the frozen requests and stops the server.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.hs.Close()
}

// Inject makes requests of call ("cloudformation.DescribeStacks"; "" is
// every request) misbehave: the next skip of them are served as usual,
// then count of them get the fault (count < 0: all the following ones).
// Each attempt of the SDK's retries is a request. Faults injected for the
// same request apply in the order they were injected.
func (s *Server) Inject(call string, kind Fault, skip, count int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{call: call, kind: kind, skip: skip, count: count})
}

// Heal drops the injected faults; requests already frozen stay so until
// Close.
func (s *Server) Heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// faultFor is the fault the request gets, if any, counting it against
// every fault that matches it.
func (s *Server) faultFor(call string) Fault {
	var got Fault
	for _, f := range s.faults {
		if f.call != "" && f.call != call {
			continue
		}
		switch {
		case f.skip > 0:
			f.skip--
		case f.count != 0 && got == 0:
			got = f.kind
			if f.count > 0 {
				f.count--
			}
		}
	}
	return got
}

// Account is the caller's account.
func (s *Server) Account() string { return s.opts.Account }

// Requests returns every request so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls returns "service.Op" for every request so far.
func (s *Server) Calls() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Service+"."+r.Op)
	}
	return out
}

// Find returns the requests of one operation ("cloudformation.CreateChangeSet").
func (s *Server) Find(call string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Service+"."+r.Op == call {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets the recorded requests.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Fail makes the resource fail, with reason, in the next stack operation
// that touches it.
func (s *Server) Fail(logicalID, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[logicalID] = reason
}

// AddBucket creates a bucket owned by owner ("" is the caller's account).
func (s *Server) AddBucket(name, owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if owner == "" {
		owner = s.opts.Account
	}
	s.buckets[name] = &bucket{owner: owner}
}

// Object returns a stored object.
func (s *Server) Object(bucket, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[bucket+"/"+key]
	return b, ok
}

// Objects lists the stored objects as bucket/key, sorted.
func (s *Server) Objects() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.objects {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AddLogEvents appends events to a log group (creating it).
func (s *Server) AddLogEvents(group string, events ...LogEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range events {
		s.seq++
		if e.ID == "" {
			e.ID = fmt.Sprintf("%036d", s.seq)
		}
		if e.Stream == "" {
			e.Stream = "2026/11/26/[$LATEST]0123456789abcdef"
		}
		s.logGroups[group] = append(s.logGroups[group], e)
	}
	sort.SliceStable(s.logGroups[group], func(i, j int) bool {
		return s.logGroups[group][i].Time.Before(s.logGroups[group][j].Time)
	})
}

var scopeRE = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	if m := scopeRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		req.AccessKey, req.Region, req.Service = m[1], m[2], m[3]
	}
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		req.Params, _ = url.ParseQuery(string(body))
		req.Op = req.Params.Get("Action")
	}
	switch req.Service {
	case "s3":
		req.Op = s3Op(r)
	case "logs":
		req.Op = strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "Logs_20140328.")
	case "cloudformation", "sts":
	default:
		req.Op = "unsigned"
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	kind := s.faultFor(req.Service + "." + req.Op)
	if kind == Freeze {
		s.mu.Unlock()
		<-s.closed
		return
	}
	defer s.mu.Unlock()
	if kind == Throttle {
		s.throttle(w, r, &req)
		return
	}
	switch req.Service {
	case "cloudformation":
		s.cloudFormation(w, &req)
	case "sts":
		s.sts(w, &req)
	case "s3":
		s.s3(w, r, &req)
	case "logs":
		s.logs(w, &req)
	default:
		http.Error(w, "fakeaws: no SigV4 Authorization header", http.StatusForbidden)
	}
}

// throttle answers a request as AWS does when its rate is exceeded.
func (s *Server) throttle(w http.ResponseWriter, r *http.Request, req *Request) {
	switch req.Service {
	case "cloudformation":
		s.cfnError(w, http.StatusBadRequest, "Throttling", "Rate exceeded")
	case "sts":
		s.queryError(w, stsNS, http.StatusBadRequest, "Throttling", "Rate exceeded")
	case "logs":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"__type": "ThrottlingException", "message": "Rate exceeded"})
	case "s3":
		name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		s.s3Error(w, r, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.", name)
	default:
		http.Error(w, "fakeaws: no SigV4 Authorization header", http.StatusForbidden)
	}
}

func (s *Server) requestID() string {
	s.seq++
	return fmt.Sprintf("fake-request-%d", s.seq)
}

// ---- STS ----

const stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"

func (s *Server) sts(w http.ResponseWriter, r *Request) {
	if r.Op != "GetCallerIdentity" {
		s.queryError(w, stsNS, http.StatusBadRequest, "InvalidAction", "fakeaws: unsupported STS action "+r.Op)
		return
	}
	s.queryResult(w, stsNS, r.Op, struct {
		Arn     string
		UserId  string
		Account string
	}{"arn:aws:iam::" + s.opts.Account + ":user/chalc-test", "AIDAFAKE", s.opts.Account})
}

// ---- CloudWatch Logs ----

func (s *Server) logs(w http.ResponseWriter, r *Request) {
	jsonErr := func(code int, typ, msg string) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
	}
	if r.Op != "FilterLogEvents" {
		jsonErr(http.StatusBadRequest, "UnknownOperationException", "fakeaws: unsupported Logs operation "+r.Op)
		return
	}
	var in struct {
		LogGroupName string `json:"logGroupName"`
		StartTime    *int64 `json:"startTime"`
		EndTime      *int64 `json:"endTime"`
		NextToken    string `json:"nextToken"`
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		jsonErr(http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	events, ok := s.logGroups[in.LogGroupName]
	if !ok {
		jsonErr(http.StatusBadRequest, "ResourceNotFoundException", "The specified log group does not exist.")
		return
	}
	var match []LogEvent
	for _, e := range events {
		ms := e.Time.UnixMilli()
		if in.StartTime != nil && ms < *in.StartTime || in.EndTime != nil && ms > *in.EndTime {
			continue
		}
		match = append(match, e)
	}
	start := 0
	if in.NextToken != "" {
		if _, err := fmt.Sscanf(in.NextToken, "page-%d", &start); err != nil || start > len(match) {
			jsonErr(http.StatusBadRequest, "InvalidParameterException", "The specified nextToken is invalid.")
			return
		}
	}
	end := min(start+s.opts.LogsPageSize, len(match))
	type event struct {
		EventID       string `json:"eventId"`
		IngestionTime int64  `json:"ingestionTime"`
		LogStreamName string `json:"logStreamName"`
		Message       string `json:"message"`
		Timestamp     int64  `json:"timestamp"`
	}
	out := struct {
		Events    []event `json:"events"`
		NextToken string  `json:"nextToken,omitempty"`
	}{Events: []event{}}
	for _, e := range match[start:end] {
		out.Events = append(out.Events, event{e.ID, e.Time.UnixMilli() + 100, e.Stream, e.Message, e.Time.UnixMilli()})
	}
	if end < len(match) {
		out.NextToken = fmt.Sprintf("page-%d", end)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// ---- Query protocol responses ----

func (s *Server) queryResult(w http.ResponseWriter, ns, action string, result any) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `<%sResponse xmlns="%s">`, action, ns)
	if result == nil {
		result = struct{}{} // an empty <ActionResult/>, as operations with an (empty) output have
	}
	if err := xmlEncode(&buf, action+"Result", result); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(&buf, `<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`, s.requestID(), action)
	w.Header().Set("Content-Type", "text/xml")
	w.Write(buf.Bytes())
}

func (s *Server) queryError(w http.ResponseWriter, ns string, status int, code, msg string) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>`, ns, code)
	xmlEscape(&buf, msg)
	fmt.Fprintf(&buf, `</Message></Error><RequestId>%s</RequestId></ErrorResponse>`, s.requestID())
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
