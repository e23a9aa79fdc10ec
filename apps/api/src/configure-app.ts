import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import helmet from 'helmet';
import type { ContentTypeParserDoneFunction } from 'fastify/types/content-type-parser';
import type { AllConfig, Env } from '@modelpulse/config';
import { AuthService } from '@modelpulse/core/auth';
import {
  AccessLog,
  CLIENT_GONE_STATUS,
  REQUEST_ID_HEADER,
  noteRoute,
  withDeadlines,
  withRequestLogger,
} from '@modelpulse/database';
import { checkKeysBeforeBodies } from './auth/api-key.guard';
import { serveResponseCache } from './cache/cache-hooks';
import { ResponseCache } from './cache/response-cache';
import { corsPolicy } from './http/cors';
import { FrontDoor } from './http/front-door';
import { AddressLimits, KeyCheckLimiter } from './http/rate-limit';
import { answerClientError, answerFrameworkError, jsonDepthProblem } from './http/request-limits';
import { routeOf } from './http/route-of';
import { HttpMetrics } from './metrics/http-metrics';

/** The longest path segment a route takes: a Hugging Face org or name is at most 96 characters. */
const MAX_PARAM_CHARS = 200;

/**
 * How often Node looks for requests past their timeouts (its default is 30 s,
 * which would let a 10 s limit run to 40 s).
 */
const TIMEOUT_CHECK_MAX_MS = 1000;

/**
 * Nest's Fastify adapter, whose JSON parser (Fastify's own, prototype
 * poisoning refused) first checks how deep the body nests: Nest registers
 * its parsers through useBodyParser when the app starts.
 */
type CallbackBodyParser = (request: FastifyRequest, body: Buffer, done: ContentTypeParserDoneFunction) => void;

class BoundedJsonFastifyAdapter extends FastifyAdapter {
  constructor(
    options: FastifyHttpOptions<Server> & { skipMiddie?: boolean },
    /** Where a request knocks before Fastify routes it (http/front-door.ts). */
    readonly frontDoor: FrontDoor,
  ) {
    super(options);
  }

  override useBodyParser(...[type, rawBody, options, parser]: Parameters<FastifyAdapter['useBodyParser']>): void {
    const bounded: typeof parser =
      type === 'application/json' && parser
        ? (request, body, done) => {
            const problem = jsonDepthProblem(body);
            if (problem) return done(problem, undefined);
            // Nest's JSON parser is the callback kind.
            return (parser as CallbackBodyParser)(request, body, done);
          }
        : parser;
    super.useBodyParser(type, rawBody, options, bounded);
  }
}

/**
 * The HTTP server's limits (docs/configuration.md): bodies larger than
 * HTTP_BODY_LIMIT_BYTES are refused with 413; headers that take longer than
 * HTTP_HEADERS_TIMEOUT_SECONDS, or a whole request longer than
 * HTTP_REQUEST_TIMEOUT_SECONDS, get a 408 and a closed connection.
 *
 * `trustProxy` decides where `request.ip` comes from: the socket, or
 * X-Forwarded-For as set by the proxies named in TRUST_PROXY. Rate limits and
 * unique downloaders key on it, so a header any client can write is only
 * believed from a proxy the operator named; so is an incoming X-Request-Id.
 */
export function createAdapter(
  env: Pick<Env, 'trustProxy' | 'bodyLimitBytes' | 'headersTimeoutSeconds' | 'requestTimeoutSeconds'>,
): FastifyAdapter {
  const headersTimeoutMs = Math.round(env.headersTimeoutSeconds * 1000);
  const requestTimeoutMs = Math.round(env.requestTimeoutSeconds * 1000);
  const frontDoor = new FrontDoor(env.trustProxy);
  return new BoundedJsonFastifyAdapter(
    {
      bodyLimit: env.bodyLimitBytes,
      requestTimeout: requestTimeoutMs,
      http: {
        headersTimeout: headersTimeoutMs,
        connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MAX_MS, Math.ceil(headersTimeoutMs / 4)),
      },
      clientErrorHandler: answerClientError,
      frameworkErrors: answerFrameworkError,
      trustProxy: env.trustProxy,
      genReqId: frontDoor.requestId,
      routerOptions: { caseSensitive: true, maxParamLength: MAX_PARAM_CHARS },
      // No Nest middleware runs here (the access log and the request's logger are hooks): without
      // @fastify/middie, no request walks its empty chain.
      skipMiddie: true,
      serverFactory: frontDoor.serverFactory,
    },
    frontDoor,
  );
}

/** The app's front door, made with its adapter (createAdapter). */
function frontDoorOf(app: NestFastifyApplication): FrontDoor {
  const adapter = app.getHttpAdapter();
  if (!(adapter instanceof BoundedJsonFastifyAdapter)) throw new Error('the app was not made with createAdapter');
  return adapter.frontDoor;
}

export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('modelpulse')
    .setDescription(
      'An open registry of open ML models and a tracker of their downloads and activity. ' +
        'JSON, camelCase; errors are application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'MODELPULSE_ADMIN_TOKEN or an API key' })
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI, under /docs only, may run inline scripts; nothing else here has one. */
const DOCS_CSP = Object.entries({ ...CSP_DIRECTIVES, scriptSrc: ["'self'", "'unsafe-inline'"] })
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join(';');

const isDocsPath = (url: string) => /^\/docs(\/|\?|$)/.test(url);

/**
 * Strict security headers on every answer: nothing may frame these pages,
 * and scripts, styles and images come from this server only; no page runs an
 * inline script but Swagger UI at /docs. HSTS only when PUBLIC_URL is https:
 * over plain HTTP it means nothing, and a browser that kept it from a local
 * run would refuse http://localhost for a year. Embeds and badges relax
 * framing on their own routes (embeds/embed-response.ts); CORS is one
 * policy for every route (http/cors.ts).
 */
export function securityHeaders(publicUrl: string) {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    hsts: publicUrl.startsWith('https:'),
    frameguard: { action: 'deny' as const },
    crossOriginResourcePolicy: { policy: 'same-site' as const },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
  };
}

/**
 * What the HTTP app needs beyond its module: security headers, CORS, keys
 * checked before bodies are read (and failed checks limited), bounded JSON, the request id on every
 * answer, the database deadlines and the request's logger for every request, the response cache
 * (with ETags and 304s on JSON reads), the request metrics,
 * the OpenAPI document and Swagger UI.
 */
export async function configureApp(app: NestFastifyApplication): Promise<OpenAPIObject> {
  const config = app.get(ConfigService<AllConfig, true>);
  const fastify = app.getHttpAdapter().getInstance();
  // The request hooks, in the order they run (after Nest's own): the request id and the request's
  // logger first, so that every answer has both; then the response cache, whose hits count against
  // their limit and are answered at once with the headers the route sent (CORS's and the security
  // headers among them); then, for the rest, the request's logging context, CORS (@fastify/cors,
  // registered here rather than by app.enableCors so that it runs after the cache), and the
  // security headers.
  const accessLog = app.get(AccessLog);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    noteRoute(request.raw, routeOf(request));
    accessLog.begin(request.raw, request.id);
    done();
  });
  const httpMetrics = app.get(HttpMetrics);
  serveResponseCache(fastify, {
    cache: app.get(ResponseCache),
    limits: app.get(AddressLimits),
    metrics: httpMetrics,
    accessLog,
    door: frontDoorOf(app),
  });
  // Entering an AsyncLocalStorage context costs every promise made inside it: a hit has none.
  fastify.addHook('onRequest', (request, _reply, done) => accessLog.enter(request.raw, done));
  await app.register(fastifyCors, { delegator: corsPolicy });
  // helmet's middleware, made once: @fastify/helmet would build it again for every request.
  const securityMiddleware = helmet(securityHeaders(config.get('app.publicUrl', { infer: true })));
  fastify.addHook('onRequest', (request, reply, done) => {
    securityMiddleware(request.raw, reply.raw, (error?: unknown) => {
      if (isDocsPath(request.url)) reply.raw.setHeader('content-security-policy', DOCS_CSP);
      done(error as Error | undefined);
    });
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    accessLog.end(request.raw, request.id, reply.statusCode);
    httpMetrics.answered(request, reply);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    accessLog.end(request.raw, request.id, CLIENT_GONE_STATUS);
    done();
  });
  const deadlines = config.get('db.requestDeadlines', { infer: true });
  checkKeysBeforeBodies(fastify, app.get(AuthService), app.get(KeyCheckLimiter), deadlines);
  // Once the body is read (its stream's callbacks would lose the context), so
  // guards, pipes and handlers all run under the request's deadlines and log with its id.
  fastify.addHook('preValidation', (request, _reply, done) =>
    withRequestLogger(request.raw, () => withDeadlines(deadlines, done)),
  );
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  return document;
}
