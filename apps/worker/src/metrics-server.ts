import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { Metrics, scrapeAllowed } from '@modelpulse/core/metrics';

/** The same type URI as the API's problems (apps/api/src/http/problem.filter.ts). */
const UNAUTHORIZED = JSON.stringify({
  type: 'https://modelpulse.dev/problems/unauthorized',
  title: 'Unauthorized',
  status: 401,
  detail: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"',
});

const NOT_FOUND = JSON.stringify({
  type: 'https://modelpulse.dev/problems/not-found',
  title: 'Not found',
  status: 404,
  detail: 'This port serves GET /metrics only',
});

/**
 * The worker has no HTTP server for the API; with METRICS_PORT set it
 * serves `GET /metrics` there, its own series (job runs, upstream requests,
 * pool, process), behind METRICS_TOKEN like the API's.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;
  private readonly settings: AllConfig['metrics'];

  constructor(
    private readonly metrics: Metrics,
    config: ConfigService<AllConfig, true>,
  ) {
    this.settings = config.get('metrics', { infer: true });
  }

  /** The port it listens on (METRICS_PORT=0 takes a free one); null when it serves none. */
  get port(): number | null {
    return this.server ? (this.server.address() as AddressInfo).port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.workerPort === null) return;
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://worker').pathname;
      if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'Content-Type': 'application/problem+json' }).end(NOT_FOUND);
      } else if (!scrapeAllowed(this.settings.token, request.headers.authorization)) {
        response
          .writeHead(401, {
            'Content-Type': 'application/problem+json',
            'WWW-Authenticate': 'Bearer realm="modelpulse"',
          })
          .end(UNAUTHORIZED);
      } else {
        this.metrics.render().then(
          (text) => response.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(text),
          (error: Error) => {
            this.logger.error(`metrics not rendered: ${error.message}`);
            response.writeHead(500).end();
          },
        );
      }
    });
    server.listen(this.settings.workerPort, '0.0.0.0');
    await once(server, 'listening');
    this.server = server;
    this.logger.log(`worker metrics on port ${this.port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
