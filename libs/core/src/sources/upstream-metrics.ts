import { Inject, Injectable } from '@nestjs/common';
import { Metrics } from '../metrics';
import type { UpstreamSource } from './upstream-source';

/** Injection token of every source at once, for code that walks all upstreams alike. */
export const UPSTREAM_SOURCES = Symbol('UPSTREAM_SOURCES');

/**
 * `modelpulse_upstream_requests_total{source, status}`: every request the
 * sources of this process made, retries and redirects included, read from
 * the sources themselves at scrape time.
 */
@Injectable()
export class UpstreamMetrics {
  constructor(metrics: Metrics, @Inject(UPSTREAM_SOURCES) sources: UpstreamSource[]) {
    metrics.counter({
      name: 'modelpulse_upstream_requests_total',
      help: 'Requests to the upstreams, retries included, by source and HTTP status (or timeout, error)',
      labelNames: ['source', 'status'],
      collect() {
        this.reset();
        for (const source of sources) {
          for (const [status, count] of source.requestOutcomes) this.inc({ source: source.upstream, status }, count);
        }
      },
    });
  }
}
