import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { TrustProxy } from '@modelpulse/config';

/** Bodies larger than this are refused with 413: a batch of 1000 readings fits well inside. */
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * `trustProxy` decides where `request.ip` comes from: the socket, or
 * X-Forwarded-For as set by the proxies named in TRUST_PROXY. Rate limits and
 * unique downloaders key on it, so a header any client can write is only
 * believed from a proxy the operator named.
 */
export function createAdapter(trustProxy: TrustProxy): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy, routerOptions: { caseSensitive: true } });
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

/** What the HTTP app needs beyond its module: the OpenAPI document and Swagger UI. */
export function configureApp(app: NestFastifyApplication): OpenAPIObject {
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  return document;
}
