import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBadge } from '@modelpulse/core/embeds';
import { renderErrorPage } from '@modelpulse/core/site';
import { problemBody, sendProblem } from './problem.filter';
import { Problem, type ProblemType } from './problems';

/**
 * The deepest a JSON body may nest. Our deepest body (a model with its
 * papers and base models) nests four levels; 2 000 levels is an attack on
 * the parser and the validators after it.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep `text` nests, stopping as soon as it passes `limit`: one pass
 * over the characters, brackets inside strings not counted, no recursion,
 * so no input can exhaust the stack before JSON.parse ever sees it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

/** The 400 of a body nested deeper than MAX_JSON_DEPTH, or null when it is not. */
export function jsonDepthProblem(body: Buffer | string): Problem | null {
  if (!jsonDepthExceeds(typeof body === 'string' ? body : body.toString('utf8'), MAX_JSON_DEPTH)) return null;
  const message = `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels, the most this API takes`;
  return new Problem('invalid-request', message, [{ field: 'body', message }]);
}

/** What a client gets when the socket is answered before Fastify has a request: a timeout, bad framing. */
const CLIENT_ERRORS: Record<string, { type: ProblemType; status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    type: 'request-timeout',
    status: 408,
    detail: 'The request did not arrive in time (HTTP_HEADERS_TIMEOUT_SECONDS, HTTP_REQUEST_TIMEOUT_SECONDS)',
  },
  HPE_HEADER_OVERFLOW: { type: 'headers-too-large', status: 431, detail: 'The request headers are too large' },
};

/**
 * Fastify's clientErrorHandler with problem+json answers: a request whose
 * headers or body do not arrive in time is answered 408 and its connection
 * closed; malformed HTTP gets a 400.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''];
  const problem = known
    ? problemBody(known.type, known.detail)
    : problemBody('invalid-request', 'The request is not well-formed HTTP');
  const text = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Connection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/**
 * Fastify's frameworkErrors: a path segment longer than any route takes
 * names nothing here (404, like every unknown path), a path that is not
 * valid percent-encoding is a 400. Each in the kind of answer its path
 * gives (the route itself was never matched): a grey badge for a `.svg`
 * badge, an HTML page for the site's pages, problem+json elsewhere.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new Problem('not-found', 'Nothing is at this path: a part of it is longer than any id here')
      : error.code === 'FST_ERR_BAD_URL'
        ? new Problem('invalid-request', 'The path is not valid percent-encoded UTF-8')
        : error;
  const kind = answerKindOf(request.url);
  if (kind === 'problem' || !(problem instanceof Problem)) {
    sendProblem(reply, problem, request);
    return;
  }
  const body = problemBody(problem.type, problem.message);
  if (kind === 'badge') {
    reply.raw.removeHeader('x-frame-options');
    void reply
      .status(body.status)
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('cross-origin-resource-policy', 'cross-origin')
      .removeHeader('x-frame-options')
      .send(errorBadge('', body.status === 404 ? 'not found' : 'invalid request').svg);
    return;
  }
  // Routing failed before the hooks that write the security headers: the strict ones, here.
  void reply
    .status(body.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .send(renderErrorPage({ ...body, requestId: request.id }));
}

/** What a path answers in when its route cannot be matched: the route's own kind, by its shape. */
export function answerKindOf(url: string): 'badge' | 'page' | 'problem' {
  const path = url.split('?')[0];
  if (/^\/badges\/[^/]+\/[^/]+\/[^/]+\.svg$/.test(path)) return 'badge';
  if (path === '/' || /^\/models\/[^/]+\/[^/]+$/.test(path)) return 'page';
  return 'problem';
}
