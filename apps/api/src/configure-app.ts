import helmet from '@fastify/helmet';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AllConfig, TrustProxy } from '@modelpulse/config';
import {
  REQUEST_ID_HEADER,
  noteRoute,
  requestIdGenerator,
  withDeadlines,
  withRequestLogger,
} from '@modelpulse/database';

/** Bodies larger than this are refused with 413: a batch of 1000 readings fits well inside. */
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * `trustProxy` decides where `request.ip` comes from: the socket, or
 * X-Forwarded-For as set by the proxies named in TRUST_PROXY. Rate limits and
 * unique downloaders key on it, so a header any client can write is only
 * believed from a proxy the operator named; so is an incoming X-Request-Id.
 */
export function createAdapter(trustProxy: TrustProxy): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy,
    genReqId: requestIdGenerator(trustProxy),
    routerOptions: { caseSensitive: true },
  });
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

/**
 * Strict security headers on every answer: nothing may frame these pages,
 * and scripts, styles and images come from this server only (Swagger UI
 * needs its inline bootstrap script and styles). Embeds and badges relax
 * framing and CORS on their own routes (embeds/embed-response.ts).
 */
export const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' as const },
  crossOriginResourcePolicy: { policy: 'same-site' as const },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
};

/**
 * What the HTTP app needs beyond its module: security headers, the request
 * id on every answer, the database deadlines and the request's logger for
 * every request, the OpenAPI document and Swagger UI.
 */
export async function configureApp(app: NestFastifyApplication): Promise<OpenAPIObject> {
  await app.register(helmet, SECURITY_HEADERS);
  const deadlines = app.get(ConfigService<AllConfig, true>).get('db.requestDeadlines', { infer: true });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    noteRoute(request.raw, request.routeOptions.url);
    done();
  });
  // Once the body is read (its stream's callbacks would lose the context), so
  // guards, pipes and handlers all run under the request's deadlines and log with its id.
  fastify.addHook('preValidation', (request, _reply, done) =>
    withRequestLogger(request.raw, () => withDeadlines(deadlines, done)),
  );
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  return document;
}
