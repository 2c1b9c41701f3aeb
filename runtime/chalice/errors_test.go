package chalice

import (
	"errors"
	"fmt"
	"testing"
)

func TestStatusErrors(t *testing.T) {
	tests := []struct {
		err    StatusError
		status int
		code   string
	}{
		{&BadRequestError{"m"}, 400, "BadRequestError"},
		{&UnauthorizedError{"m"}, 401, "UnauthorizedError"},
		{&ForbiddenError{"m"}, 403, "ForbiddenError"},
		{&NotFoundError{"m"}, 404, "NotFoundError"},
		{&MethodNotAllowedError{"m"}, 405, "MethodNotAllowedError"},
		{&RequestTimeoutError{"m"}, 408, "RequestTimeoutError"},
		{&ConflictError{"m"}, 409, "ConflictError"},
		{&UnprocessableEntityError{"m"}, 422, "UnprocessableEntityError"},
		{&TooManyRequestsError{"m"}, 429, "TooManyRequestsError"},
		{&ChaliceViewError{"m"}, 500, "ChaliceViewError"},
	}
	for _, tc := range tests {
		wrapped := fmt.Errorf("outer: %w", tc.err)
		var se StatusError
		if !errors.As(wrapped, &se) {
			t.Fatalf("%s: errors.As failed", tc.code)
		}
		if se.StatusCode() != tc.status || se.Code() != tc.code || se.Error() != "m" {
			t.Errorf("%s: %d %s %q", tc.code, se.StatusCode(), se.Code(), se.Error())
		}
	}
}

func TestChaliceUnhandledError(t *testing.T) {
	cause := errors.New("db down")
	err := fmt.Errorf("handler: %w", &ChaliceUnhandledError{Message: "query failed", Err: cause})
	var ue *ChaliceUnhandledError
	if !errors.As(err, &ue) || !errors.Is(err, cause) || ue.Error() != "query failed: db down" {
		t.Errorf("ChaliceUnhandledError: %v", err)
	}
	var se StatusError
	if errors.As(err, &se) {
		t.Error("ChaliceUnhandledError must not be a StatusError")
	}
	if (&ChaliceUnhandledError{Err: cause}).Error() != "db down" || (&ChaliceUnhandledError{Message: "m"}).Error() != "m" {
		t.Error("Error text")
	}
}
