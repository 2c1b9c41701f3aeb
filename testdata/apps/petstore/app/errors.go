package app

import "github.com/chalc-dev/chalc/runtime/chalice"

// RaiseError answers with the chalice error whose HTTP status is code:
// 400, 401, 403, 404, 405, 408, 409, 422, 429 or 500.
//
// Any other code is a 404.
func RaiseError(code string) (string, error) {
	// project/rie_test.go sends every code through the Lambda emulator.
	msg := "raised " + code
	switch code {
	case "400":
		return "", &chalice.BadRequestError{Message: msg}
	case "401":
		return "", &chalice.UnauthorizedError{Message: msg}
	case "403":
		return "", &chalice.ForbiddenError{Message: msg}
	case "404":
		return "", &chalice.NotFoundError{Message: msg}
	case "405":
		return "", &chalice.MethodNotAllowedError{Message: msg}
	case "408":
		return "", &chalice.RequestTimeoutError{Message: msg}
	case "409":
		return "", &chalice.ConflictError{Message: msg}
	case "422":
		return "", &chalice.UnprocessableEntityError{Message: msg}
	case "429":
		return "", &chalice.TooManyRequestsError{Message: msg}
	case "500":
		return "", &chalice.ChaliceViewError{Message: msg}
	}
	return "", &chalice.NotFoundError{Message: "no error " + code}
}
