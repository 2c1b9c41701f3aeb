package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chalc-dev/chalc/runtime/chalice"
)

// A function URL with invoke_mode: response_stream is invoked with
// InvokeWithResponseStream: the function answers through the Runtime
// API's streaming response, an HTTP "prelude" (status, headers, cookies
// as JSON) then eight NUL bytes then the body as it is written, up to
// 20 MB. aws-lambda-go sends that for a handler whose result is an
// io.Reader with the content type
// application/vnd.awslambda.http-integration-response
// (events.LambdaFunctionURLStreamingResponse), which lambda.Handler's
// Invoke, returning bytes, cannot express: Start hands such a function
// to lambda.Start as a func returning that reader (streamFunc).
//
// The response is the same *chalice.Response; its Body may also be an
// io.Reader, sent as it is read (a handler can stream a large export).
// Elsewhere (a buffered function URL, a route) an io.Reader body cannot
// be sent: the router answers 500 and logs why. The test client and
// `chalc local` call such a function like a buffered one and get the
// whole response.

// streamer is implemented by handlers that stream their responses.
type streamer interface {
	stream(ctx context.Context, payload []byte) (io.Reader, error)
}

// streamFunc is what Start gives lambda.Start for a streaming function:
// guarded against panics as Invoke is.
func (g *guarded) streamFunc() func(context.Context, json.RawMessage) (io.Reader, error) {
	s, ok := g.h.(streamer)
	if !ok {
		return nil
	}
	return func(ctx context.Context, payload json.RawMessage) (out io.Reader, err error) {
		defer func() {
			if p := recover(); p != nil {
				chalice.Logger().Error("Caught exception in function " + g.function + "\n" + panicDetail(p))
				out, err = nil, &PanicError{Function: g.function, Value: p}
			}
		}()
		return s.stream(ctx, payload)
	}
}

// streamingURLHandler is a function URL's handler in RESPONSE_STREAM
// mode: Invoke answers buffered (tests, chalc local), stream streams.
type streamingURLHandler struct{ *restHandler }

// Invoke answers buffered: an io.Reader body is read whole and sent as
// a []byte for a binary Content-Type, else as text.
func (h streamingURLHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	req, err := h.decodeV2(ctx, payload)
	if err != nil {
		return nil, err
	}
	resp := h.serve(ctx, req)
	if r, ok := resp.Body.(io.Reader); ok && readerBody(resp) {
		data, err := io.ReadAll(r)
		if c, ok := r.(io.Closer); ok {
			c.Close()
		}
		cp := *resp
		switch {
		case err != nil:
			cp = *h.internalError(req, "reading the response body: "+err.Error())
		case h.binary.matches(resp.Header("Content-Type")):
			cp.Body = data
		default:
			cp.Body = string(data)
		}
		resp = &cp
	}
	return h.respond(req, resp, appendV2Response)
}

func (h streamingURLHandler) stream(ctx context.Context, payload []byte) (io.Reader, error) {
	req, err := h.decodeV2(ctx, payload)
	if err != nil {
		return nil, err
	}
	resp := h.serve(ctx, req)
	out := &events.LambdaFunctionURLStreamingResponse{StatusCode: resp.Status()}
	out.Headers, out.Cookies = flatHeaders(resp)
	if r, ok := resp.Body.(io.Reader); ok {
		out.Body = r
		return out, nil
	}
	b, err := classifyBody(resp, &h.binary)
	if err != nil {
		resp = h.internalError(req, err.Error())
		out.StatusCode = resp.Status()
		out.Headers, out.Cookies = flatHeaders(resp)
		if b, err = classifyBody(resp, &h.binary); err != nil {
			return nil, err
		}
	}
	defer b.release()
	var data []byte
	switch {
	case b.isJSON || b.isRaw:
		data = bytes.Clone(b.raw)
	default:
		data = []byte(b.text)
	}
	out.Body = bytes.NewReader(data)
	return out, nil
}

// flatHeaders is resp's headers as payload format 2.0 has them (see
// appendV2Response): one value per name, Set-Cookie as cookies.
func flatHeaders(resp *chalice.Response) (map[string]string, []string) {
	h := map[string]string{}
	var cookies []string
	add := func(k, v string) {
		if asciiEqualFold(k, "Set-Cookie") {
			cookies = append(cookies, v)
			return
		}
		if old, ok := h[k]; ok {
			v = old + ", " + v
		}
		h[k] = v
	}
	for k, v := range resp.Headers {
		add(k, v)
	}
	for _, k := range sortedKeys(nil, resp.MultiValueHeaders) {
		for _, v := range resp.MultiValueHeaders[k] {
			add(k, v)
		}
	}
	return h, cookies
}

// errReaderBody: an io.Reader body outside a streaming function URL.
var errReaderBody = fmt.Errorf("response body is an io.Reader, which only a function URL with invoke_mode: response_stream streams")

// readerBody reports whether resp's body is a stream (an io.Reader that
// is not a string or []byte).
func readerBody(resp *chalice.Response) bool {
	switch resp.Body.(type) {
	case nil, string, []byte:
		return false
	case io.Reader:
		return true
	}
	return false
}
