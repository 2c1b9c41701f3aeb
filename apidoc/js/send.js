async function send(fetch, base, clientHeaders, operation, args, options) {
  const { query, headers, body } = options ?? {};
  let path = operation.path;
  operation.params.forEach((name, i) => {
    const value = args[i];
    if (value === undefined || value === null || value === "") {
      throw new TypeError(operation.name + ": the path parameter " + name + " is required");
    }
    path = path.replace("{" + name + "}", () => encodeURIComponent(String(value)));
  });
  const requestHeaders = new Headers();
  setHeaders(requestHeaders, clientHeaders);
  setHeaders(requestHeaders, headers);
  const init = { method: operation.method, headers: requestHeaders };
  if (body !== undefined) {
    if (!requestHeaders.has("content-type")) {
      requestHeaders.set("content-type", operation.contentTypes[0]);
    }
    init.body = encodeBody(operation, body, requestHeaders.get("content-type"));
  } else if (operation.emptyBodyType !== undefined && !requestHeaders.has("content-type")) {
    requestHeaders.set("content-type", operation.emptyBodyType);
  }
  const response = await fetch(base + path + queryString(query), init);
  const data = await decode(response);
  if (!response.ok) {
    throw new ApiError(response.status, data, response.headers);
  }
  return data;
}

function setHeaders(target, source) {
  for (const [name, value] of Object.entries(source ?? {})) {
    if (value !== undefined && value !== null) {
      target.set(name, String(value));
    }
  }
}

function queryString(query) {
  const parts = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null) {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(String(v)));
      }
    }
  }
  return parts.length === 0 ? "" : "?" + parts.join("&");
}

function encodeBody(operation, body, contentType) {
  if (typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) ||
      (typeof Blob === "function" && body instanceof Blob) || body instanceof URLSearchParams) {
    return body;
  }
  const type = mediaType(contentType);
  if (isJSON(type)) {
    return JSON.stringify(body);
  }
  if (type === "application/x-www-form-urlencoded" && body !== null && typeof body === "object") {
    return new URLSearchParams(body).toString();
  }
  throw new TypeError(operation.name + ": a " + type + " body must be a string or bytes");
}

async function decode(response) {
  const type = mediaType(response.headers.get("content-type") ?? "application/json");
  if (isJSON(type)) {
    const text = await response.text();
    if (text === "") {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch {
      return text; // Chalice sends a string result as it is
    }
  }
  if (type.startsWith("text/")) {
    return response.text();
  }
  return new Uint8Array(await response.arrayBuffer());
}

function mediaType(contentType) {
  return contentType.split(";")[0].trim().toLowerCase();
}

function isJSON(type) {
  return type === "application/json" || type.endsWith("+json");
}

function errorCode(body, headers) {
  if (body !== null && typeof body === "object" && typeof body.Code === "string") {
    return body.Code;
  }
  const type = headers.get("x-amzn-errortype");
  return type ? type.split(":")[0] : undefined;
}

function errorMessage(status, body) {
  if (body !== null && typeof body === "object") {
    for (const key of ["Message", "message"]) {
      if (typeof body[key] === "string") {
        return body[key];
      }
    }
  }
  if (typeof body === "string" && body !== "") {
    return body;
  }
  return "HTTP " + status;
}
