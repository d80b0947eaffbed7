/** An error the server answers with, in the OpenAI envelope `{"error":{"message","type","param","code"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError(400, message, 'invalid_request_error', param, code);
}

export function missingParameter(param: string): ApiError {
  return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

export function invalidType(param: string, expected: string): ApiError {
  return invalidRequest(`Invalid type for '${param}': expected ${expected}.`, param, 'invalid_type');
}

export function invalidValue(param: string, message: string): ApiError {
  return invalidRequest(`Invalid value for '${param}': ${message}`, param, 'invalid_value');
}

export function notFound(objectName: string, id: string, param = 'id'): ApiError {
  return new ApiError(404, `No such ${objectName} object: ${id}`, 'invalid_request_error', param, null);
}

export function unsupportedInTestServer(what: string, param: string | null = null): ApiError {
  return invalidRequest(`${what} is not supported in the test server.`, param, 'unsupported_in_test_server');
}

/** The envelope a real deployment sends for a status without a more specific message. */
export function errorForStatus(status: number, message?: string): ApiError {
  switch (status) {
    case 401:
      return new ApiError(401, message ?? 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key');
    case 403:
      return new ApiError(403, message ?? 'You are not allowed to sample from this model.', 'invalid_request_error', null, null);
    case 404:
      return new ApiError(404, message ?? 'The model does not exist or you do not have access to it.', 'invalid_request_error', null, 'model_not_found');
    case 408:
      return new ApiError(408, message ?? 'Request timed out.', 'timeout', null, null);
    case 409:
      return new ApiError(409, message ?? 'The request conflicted with another request.', 'invalid_request_error', null, null);
    case 429:
      return new ApiError(429, message ?? 'Rate limit reached for requests. Please try again later.', 'requests', null, 'rate_limit_exceeded');
    case 503:
      return new ApiError(503, message ?? 'The engine is currently overloaded, please try again later.', 'server_error', null, null);
    default:
      if (status >= 500) {
        return new ApiError(status, message ?? 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null);
      }
      return new ApiError(status, message ?? `Request failed with status ${status}.`, 'invalid_request_error', null, null);
  }
}
