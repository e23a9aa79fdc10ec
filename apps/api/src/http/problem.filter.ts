import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ModelMovedError, ModelNotFoundError } from '@modelpulse/core/catalog';
import { isDatabaseUnavailable } from '@modelpulse/database';
import { movedLocation } from './moved-location';
import { PROBLEM_TYPES, Problem, type FieldError, type ProblemType } from './problems';

const PROBLEM_BASE = 'https://modelpulse.dev/problems/';

const STATUS_TYPES: Record<number, ProblemType> = Object.fromEntries(
  Object.entries(PROBLEM_TYPES).map(([type, { status }]) => [status, type as ProblemType]),
);

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** Absent only where no request was parsed (a malformed request line or headers). */
  requestId?: string;
  movedTo?: string;
}

/** What of the request a problem may need: its id, and for a moved model the route it came by. */
export interface ProblemRequest {
  id: string;
  url: string;
  /** The route pattern (`/v1/models/:org/:name`); absent when no route matched. */
  route?: string;
  params?: unknown;
  /** The most bytes the route's body may have (HTTP_BODY_LIMIT_BYTES). */
  bodyLimitBytes?: number;
}

/**
 * A day, not for ever: a rename can be undone upstream (a new rename back),
 * and a browser that kept both redirects would go round in circles.
 */
const MOVED_CACHE_SECONDS = 86_400;

/** When a client should try again after the database was out of reach: a restart or failover takes seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function problemBody(type: ProblemType, detail: string, errors?: FieldError[]): ProblemBody {
  const { status, title } = PROBLEM_TYPES[type];
  return { type: PROBLEM_BASE + type, title, status, detail, ...(errors?.length ? { errors } : {}) };
}

const logger = new Logger('HTTP');

/** While the database is away every request fails alike: a line every ten seconds says so, not one a request. */
const outages = {
  every: 10_000,
  last: 0,
  quiet: 0,
  note(requestId: string, error: unknown): void {
    const now = Date.now();
    if (now - this.last < this.every) {
      this.quiet += 1;
      return;
    }
    const more = this.quiet > 0 ? `; ${this.quiet} more answered 503 since the last such line` : '';
    logger.warn(`request ${requestId} answered 503: the database is out of reach (${(error as Error).message})${more}`);
    this.last = now;
    this.quiet = 0;
  },
};

/**
 * Any error as RFC 9457 problem details, with the request id (the one in the
 * X-Request-Id header and on every log line of the request). Known errors
 * keep their message; anything unexpected becomes a plain 500, logged in full.
 */
export function toProblem(
  error: unknown,
  request: ProblemRequest,
): { problem: ProblemBody; headers: Record<string, string> } {
  const requestId = request.id;
  if (error instanceof Problem) {
    return { problem: { ...problemBody(error.type, error.message, error.errors), requestId }, headers: error.headers };
  }
  if (error instanceof ModelMovedError && request.route !== undefined) {
    const params = (request.params ?? {}) as Record<string, string>;
    return {
      problem: { ...problemBody('moved-permanently', error.message), movedTo: error.to, requestId },
      headers: {
        Location: movedLocation(request.route, params, request.url, error.to),
        'Cache-Control': `public, max-age=${MOVED_CACHE_SECONDS}`,
      },
    };
  }
  if (error instanceof DomainError) {
    const types: Record<DomainError['kind'], ProblemType> = {
      // Only without a route to redirect along, which no model route is.
      moved: 'not-found',
      'not-found': 'not-found',
      conflict: 'conflict',
      invalid: 'invalid-request',
      forbidden: 'forbidden',
    };
    const errors = error.field ? [{ field: error.field, message: error.message }] : undefined;
    const movedTo = error instanceof ModelNotFoundError && error.movedTo !== null ? { movedTo: error.movedTo } : {};
    return {
      problem: { ...problemBody(types[error.kind], error.message, errors), ...movedTo, requestId },
      headers: {},
    };
  }
  if (isDatabaseUnavailable(error)) {
    outages.note(requestId, error);
    return {
      problem: {
        ...problemBody('unavailable', 'The database is out of reach for the moment; try again shortly'),
        requestId,
      },
      headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    };
  }
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : typeof (error as { statusCode?: unknown })?.statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
  if (status === 413) {
    // Fastify's own words (reaching here as an HttpException) do not say what the limit is.
    const limit = request.bodyLimitBytes === undefined ? '' : ` of ${request.bodyLimitBytes} bytes`;
    const message = `The body is larger than the limit${limit} (HTTP_BODY_LIMIT_BYTES)`;
    return { problem: problemBody('payload-too-large', message, [{ field: 'body', message }]), headers: {} };
  }
  if (status >= 400 && status < 500) {
    const type = STATUS_TYPES[status] ?? 'invalid-request';
    const detail = error instanceof HttpException ? httpDetail(error) : (error as Error).message;
    return { problem: { ...problemBody(type, detail), status, requestId }, headers: {} };
  }
  logger.error(`request ${requestId} failed`, error instanceof Error ? error.stack : String(error));
  return {
    problem: {
      ...problemBody('internal-error', 'Something went wrong on our side; quote the request id when reporting it'),
      requestId,
    },
    headers: {},
  };
}

function httpDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}

export function sendProblem(reply: FastifyReply, error: unknown, request: FastifyRequest): FastifyReply {
  const { problem, headers } = toProblem(error, {
    id: request.id,
    url: request.url,
    route: request.routeOptions.url,
    params: request.params,
    bodyLimitBytes: request.routeOptions.bodyLimit,
  });
  return reply.status(problem.status).headers(headers).type('application/problem+json').send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(http.getResponse<FastifyReply>(), error, request);
  }
}
