/** The options of createClient. */
export interface ClientOptions {
  /**
   * The API's URL, with its stage: the stack's EndpointURL output, or
   * http://127.0.0.1:8000 for `chalc local`.
   */
  baseUrl: string;
  /** Headers sent with every request (x-api-key, an authorizer's token, ...). */
  headers?: Record<string, string>;
  /** The fetch function to use (default: the global fetch). */
  fetch?: typeof fetch;
}

/** A query string value: an array repeats the key; null and undefined are left out. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** The options of a method whose request has no body (GET, HEAD). */
export interface RequestOptions {
  /** Query string parameters. */
  query?: Record<string, QueryValue>;
  /** Headers of this request, over the client's. */
  headers?: Record<string, string>;
}

/** The options of a method whose request may have a body. */
export interface BodyRequestOptions extends RequestOptions {
  /**
   * The request body. A string or bytes (ArrayBuffer, a typed array, Blob,
   * URLSearchParams) is sent as it is; any other value is JSON-encoded for
   * a JSON content type, or form-encoded for
   * application/x-www-form-urlencoded. The Content-Type is the route's
   * first content type unless headers set one.
   */
  body?: unknown;
}

/** The body of an error the app answers, as Chalice writes it. */
export interface ErrorBody {
  Code: string;
  Message: string;
}

/** What a method's promise rejects with when the API answers with a status outside 200-299. */
export declare class ApiError extends Error {
  readonly name: "ApiError";
  /** The HTTP status. */
  readonly status: number;
  /** Chalice's error Code, or API Gateway's error type (x-amzn-ErrorType) for its own errors. */
  readonly code: string | undefined;
  /** The decoded body: an ErrorBody for the app's errors, {message} for API Gateway's. */
  readonly body: ErrorBody | { message?: string | null; Message?: string } | string | Uint8Array | null;
  /** The response headers. */
  readonly headers: Headers;
}

