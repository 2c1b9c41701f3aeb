package chalice

import "net/http"

// StatusError is an error that a route turns into an HTTP response: the
// status is StatusCode and the JSON body is
// {"Code": Code(), "Message": Error()}. Routes return it as an error;
// the runtime finds it with errors.As, so a wrapped StatusError
// (fmt.Errorf("loading user: %w", err)) keeps its status, and its
// message is the StatusError's own, not the wrapping text.
//
// The built-in StatusErrors are Chalice's view errors, each a struct with
// a Message, used as pointers:
//
//	return nil, &chalice.NotFoundError{Message: "no user " + name}
//
// Any other error returned by a route is logged and answered with a 500
// {"Code":"InternalServerError","Message":"An internal server error occurred."}
// (with the error text as text/plain when the stage has Debug set).
// Applications may define their own StatusError types.
type StatusError interface {
	error
	// StatusCode is the HTTP status of the response.
	StatusCode() int
	// Code is the "Code" of the JSON body: by convention the error's
	// type name, as Chalice uses the exception class name.
	Code() string
}

// Compile-time checks that every built-in error is a StatusError.
var (
	_ StatusError = (*BadRequestError)(nil)
	_ StatusError = (*UnauthorizedError)(nil)
	_ StatusError = (*ForbiddenError)(nil)
	_ StatusError = (*NotFoundError)(nil)
	_ StatusError = (*MethodNotAllowedError)(nil)
	_ StatusError = (*RequestTimeoutError)(nil)
	_ StatusError = (*ConflictError)(nil)
	_ StatusError = (*UnprocessableEntityError)(nil)
	_ StatusError = (*TooManyRequestsError)(nil)
	_ StatusError = (*ChaliceViewError)(nil)
)

// BadRequestError is a 400 response: the request is malformed, e.g. its JSON body does not parse. The body is
// {"Code":"BadRequestError","Message":Message}.
type BadRequestError struct {
	Message string
}

// Error returns e.Message.
func (e *BadRequestError) Error() string { return e.Message }

// StatusCode returns 400.
func (e *BadRequestError) StatusCode() int { return http.StatusBadRequest }

// Code returns "BadRequestError".
func (e *BadRequestError) Code() string { return "BadRequestError" }

// UnauthorizedError is a 401 response: the caller is not authenticated. Returned by a builtin authorizer, it makes API Gateway answer 401. The body is
// {"Code":"UnauthorizedError","Message":Message}.
type UnauthorizedError struct {
	Message string
}

// Error returns e.Message.
func (e *UnauthorizedError) Error() string { return e.Message }

// StatusCode returns 401.
func (e *UnauthorizedError) StatusCode() int { return http.StatusUnauthorized }

// Code returns "UnauthorizedError".
func (e *UnauthorizedError) Code() string { return "UnauthorizedError" }

// ForbiddenError is a 403 response: the caller may not do this. The body is
// {"Code":"ForbiddenError","Message":Message}.
type ForbiddenError struct {
	Message string
}

// Error returns e.Message.
func (e *ForbiddenError) Error() string { return e.Message }

// StatusCode returns 403.
func (e *ForbiddenError) StatusCode() int { return http.StatusForbidden }

// Code returns "ForbiddenError".
func (e *ForbiddenError) Code() string { return "ForbiddenError" }

// NotFoundError is a 404 response: the resource does not exist. The body is
// {"Code":"NotFoundError","Message":Message}.
type NotFoundError struct {
	Message string
}

// Error returns e.Message.
func (e *NotFoundError) Error() string { return e.Message }

// StatusCode returns 404.
func (e *NotFoundError) StatusCode() int { return http.StatusNotFound }

// Code returns "NotFoundError".
func (e *NotFoundError) Code() string { return "NotFoundError" }

// MethodNotAllowedError is a 405 response: the method is not supported for this resource. The body is
// {"Code":"MethodNotAllowedError","Message":Message}.
type MethodNotAllowedError struct {
	Message string
}

// Error returns e.Message.
func (e *MethodNotAllowedError) Error() string { return e.Message }

// StatusCode returns 405.
func (e *MethodNotAllowedError) StatusCode() int { return http.StatusMethodNotAllowed }

// Code returns "MethodNotAllowedError".
func (e *MethodNotAllowedError) Code() string { return "MethodNotAllowedError" }

// RequestTimeoutError is a 408 response: the request took too long. The body is
// {"Code":"RequestTimeoutError","Message":Message}.
type RequestTimeoutError struct {
	Message string
}

// Error returns e.Message.
func (e *RequestTimeoutError) Error() string { return e.Message }

// StatusCode returns 408.
func (e *RequestTimeoutError) StatusCode() int { return http.StatusRequestTimeout }

// Code returns "RequestTimeoutError".
func (e *RequestTimeoutError) Code() string { return "RequestTimeoutError" }

// ConflictError is a 409 response: the request conflicts with the current state. The body is
// {"Code":"ConflictError","Message":Message}.
type ConflictError struct {
	Message string
}

// Error returns e.Message.
func (e *ConflictError) Error() string { return e.Message }

// StatusCode returns 409.
func (e *ConflictError) StatusCode() int { return http.StatusConflict }

// Code returns "ConflictError".
func (e *ConflictError) Code() string { return "ConflictError" }

// UnprocessableEntityError is a 422 response: the request is well formed but its content is invalid. The body is
// {"Code":"UnprocessableEntityError","Message":Message}.
type UnprocessableEntityError struct {
	Message string
}

// Error returns e.Message.
func (e *UnprocessableEntityError) Error() string { return e.Message }

// StatusCode returns 422.
func (e *UnprocessableEntityError) StatusCode() int { return http.StatusUnprocessableEntity }

// Code returns "UnprocessableEntityError".
func (e *UnprocessableEntityError) Code() string { return "UnprocessableEntityError" }

// TooManyRequestsError is a 429 response: the caller is rate limited. The body is
// {"Code":"TooManyRequestsError","Message":Message}.
type TooManyRequestsError struct {
	Message string
}

// Error returns e.Message.
func (e *TooManyRequestsError) Error() string { return e.Message }

// StatusCode returns 429.
func (e *TooManyRequestsError) StatusCode() int { return http.StatusTooManyRequests }

// Code returns "TooManyRequestsError".
func (e *TooManyRequestsError) Code() string { return "TooManyRequestsError" }

// ChaliceViewError is a 500 response: a generic server-side failure the handler wants reported with its message. The body is
// {"Code":"ChaliceViewError","Message":Message}.
type ChaliceViewError struct {
	Message string
}

// Error returns e.Message.
func (e *ChaliceViewError) Error() string { return e.Message }

// StatusCode returns 500.
func (e *ChaliceViewError) StatusCode() int { return http.StatusInternalServerError }

// Code returns "ChaliceViewError".
func (e *ChaliceViewError) Code() string { return "ChaliceViewError" }

// ChaliceUnhandledError is an error that a route returns to let HTTP
// middleware handle it: unlike every other error, the runtime does not turn
// it into a response, and HTTP middleware receives it from next as an error
// (Chalice re-raises it for the same purpose). If no middleware handles it,
// the outermost built-in error handler answers with the generic 500
// {"Code":"InternalServerError","Message":"An internal server error occurred."},
// without CORS headers. It is found with errors.As, so it may be wrapped.
type ChaliceUnhandledError struct {
	Message string
	// Err is an optional cause, returned by Unwrap.
	Err error
}

// Error returns e.Message, followed by the cause's text when there is one.
func (e *ChaliceUnhandledError) Error() string {
	if e.Err == nil {
		return e.Message
	}
	if e.Message == "" {
		return e.Err.Error()
	}
	return e.Message + ": " + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *ChaliceUnhandledError) Unwrap() error { return e.Err }
