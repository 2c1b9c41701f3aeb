/**
 * ApiError is what a method's promise rejects with when the API answers
 * with a status outside 200-299.
 */
export class ApiError extends Error {
  constructor(status, body, headers) {
    super(errorMessage(status, body));
    this.name = "ApiError";
    /** The HTTP status. */
    this.status = status;
    /**
     * Chalice's error Code (NotFoundError, BadRequestError, ...), or API
     * Gateway's error type (x-amzn-ErrorType) for its own errors.
     */
    this.code = errorCode(body, headers);
    /** The decoded body: {Code, Message} for the app's errors. */
    this.body = body;
    /** The response headers. */
    this.headers = headers;
  }
}

