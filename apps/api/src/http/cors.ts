import type { FastifyCorsOptions, FastifyCorsOptionsDelegateCallback } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';

/** Where a page on another site may read the answers: the API and the embeds. */
const READABLE_PATHS = /^\/(v1|badges|embed|oembed)(\/|\?|$)/;
const READ_METHODS = ['GET', 'HEAD'];

/**
 * What a script on another origin may read besides the CORS-safelisted
 * headers: the rate limits, when to come back, the next page, the ETag.
 */
export const EXPOSED_HEADERS = ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'Link', 'ETag'];

/** Browsers may keep a preflight's answer this long. */
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

const READABLE: FastifyCorsOptions = {
  origin: '*',
  credentials: false,
  methods: READ_METHODS,
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: PREFLIGHT_MAX_AGE_SECONDS,
};

/** The method a request is, or, for a preflight, the method it asks about. */
function methodOf(request: FastifyRequest): string {
  const asked = request.headers['access-control-request-method'];
  if (request.method === 'OPTIONS' && typeof asked === 'string') return asked.toUpperCase();
  return request.method;
}

/**
 * The one CORS policy (`app.enableCors`, i.e. @fastify/cors): any origin
 * may read every GET and HEAD of `/v1` and of the embeds (badges, widgets,
 * oEmbed), without credentials; nothing else gets CORS headers, so a
 * write's preflight is not answered and a browser does not send it.
 */
export const corsPolicy: FastifyCorsOptionsDelegateCallback = (request, callback) => {
  const readable = READABLE_PATHS.test(request.url) && READ_METHODS.includes(methodOf(request));
  callback(null, readable ? READABLE : { origin: false });
};
