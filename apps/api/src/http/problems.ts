/** Problem types: a stable URI and title per kind of error. */
export const PROBLEM_TYPES = {
  'moved-permanently': { status: 301, title: 'Moved permanently' },
  'invalid-request': { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'request-timeout': { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'Request header fields too large' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'not-implemented': { status: 501, title: 'Not implemented' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  field: string;
  message: string;
}

/** An error the API answers with as it is: its type, detail and field errors. */
export class Problem extends Error {
  constructor(
    readonly type: ProblemType,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export class ValidationProblem extends Problem {
  constructor(errors: FieldError[]) {
    super('invalid-request', errors.map((e) => e.message).join('; '), errors);
  }
}

export class UnauthorizedProblem extends Problem {
  constructor(detail: string, headers: Record<string, string> = {}) {
    super('unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="modelpulse"', ...headers });
  }
}

export class ForbiddenProblem extends Problem {
  constructor(detail: string) {
    super('forbidden', detail);
  }
}
