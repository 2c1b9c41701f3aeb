package fakeaws

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

type bucket struct {
	owner, region string
}

// s3Op names a path-style S3 request's operation (the method and the
// path, for one the fake does not serve).
func s3Op(r *http.Request) string {
	_, _, hasKey := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodHead && !hasKey:
		return "HeadBucket"
	case r.Method == http.MethodPut && !hasKey:
		return "CreateBucket"
	case r.Method == http.MethodHead:
		return "HeadObject"
	case r.Method == http.MethodPut:
		return "PutObject"
	case r.Method == http.MethodGet && hasKey:
		return "GetObject"
	}
	return r.Method + " " + r.URL.Path
}

// s3 serves path-style requests: /<bucket> and /<bucket>/<key>.
func (s *Server) s3(w http.ResponseWriter, r *http.Request, req *Request) {
	name, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch req.Op {
	case "HeadBucket", "CreateBucket", "HeadObject", "PutObject", "GetObject":
	default:
		s.s3Error(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "fakeaws: unsupported S3 request", name)
		return
	}
	b := s.buckets[name]
	if req.Op == "CreateBucket" {
		s.createBucket(w, r, req, name, b)
		return
	}
	if b == nil {
		s.s3Error(w, r, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist", name)
		return
	}
	// Another account's bucket is closed to the caller, and a request
	// naming the expected owner fails on any other.
	if want := r.Header.Get("X-Amz-Expected-Bucket-Owner"); want != "" && want != b.owner || b.owner != s.opts.Account {
		s.s3Error(w, r, http.StatusForbidden, "AccessDenied", "Access Denied", name)
		return
	}
	switch req.Op {
	case "HeadBucket":
		w.Header().Set("X-Amz-Bucket-Region", b.region)
		w.WriteHeader(http.StatusOK)
	case "HeadObject", "GetObject":
		data, ok := s.objects[name+"/"+key]
		if !ok {
			s.s3Error(w, r, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", name)
			return
		}
		sum := md5.Sum(data)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		if req.Op == "GetObject" {
			w.Write(data)
		}
	case "PutObject":
		data := req.Body
		if enc := r.Header.Get("Content-Encoding"); strings.Contains(enc, "aws-chunked") {
			s.s3Error(w, r, http.StatusNotImplemented, "NotImplemented", "fakeaws: aws-chunked bodies are not supported", name)
			return
		}
		sha := sha256.Sum256(data)
		if cs := r.Header.Get("X-Amz-Content-Sha256"); cs != "" && !strings.HasPrefix(cs, "UNSIGNED") &&
			!strings.HasPrefix(cs, "STREAMING") && cs != hex.EncodeToString(sha[:]) {
			s.s3Error(w, r, http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", name)
			return
		}
		if cs := r.Header.Get("X-Amz-Checksum-Sha256"); cs != "" && cs != base64.StdEncoding.EncodeToString(sha[:]) {
			s.s3Error(w, r, http.StatusBadRequest, "BadDigest", "The SHA256 you specified did not match the calculated checksum.", name)
			return
		}
		s.objects[name+"/"+key] = append([]byte(nil), data...)
		sum := md5.Sum(data)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.WriteHeader(http.StatusOK)
	}
}

func (s *Server) createBucket(w http.ResponseWriter, r *http.Request, req *Request, name string, b *bucket) {
	if b != nil {
		if b.owner == s.opts.Account {
			s.s3Error(w, r, http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", name)
		} else {
			s.s3Error(w, r, http.StatusConflict, "BucketAlreadyExists", "The requested bucket name is not available.", name)
		}
		return
	}
	var cfg struct {
		LocationConstraint string
	}
	if len(req.Body) > 0 {
		if err := xml.Unmarshal(req.Body, &cfg); err != nil {
			s.s3Error(w, r, http.StatusBadRequest, "MalformedXML", err.Error(), name)
			return
		}
	}
	region := cfg.LocationConstraint
	if region == "" {
		region = "us-east-1"
	}
	if region != req.Region {
		s.s3Error(w, r, http.StatusBadRequest, "IllegalLocationConstraintException",
			fmt.Sprintf("The %s location constraint is incompatible for the region specific endpoint this request was sent to.", cfg.LocationConstraint), name)
		return
	}
	s.buckets[name] = &bucket{owner: s.opts.Account, region: region}
	w.Header().Set("Location", "/"+name)
	w.WriteHeader(http.StatusOK)
}

func (s *Server) s3Error(w http.ResponseWriter, r *http.Request, status int, code, msg, bucket string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return // HEAD answers carry no body
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><BucketName>%s</BucketName><RequestId>%s</RequestId></Error>`,
		code, msg, bucket, s.requestID())
}
