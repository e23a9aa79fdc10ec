import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter, Histogram } from 'prom-client';
import { Metrics } from '@modelpulse/core/metrics';
import { RATE_LIMITS, type PolicyName } from '../http/rate-limit';
import { routeOf } from '../http/route-of';

/** From a cached read (a few ms) to a request that waited out its database deadlines (seconds). */
const HTTP_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label of requests no route matched: one series for every unknown path, whatever was asked. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Every limit that answers 429: the routes' limits and ApiKeyGuard's failed key checks. */
const POLICIES: readonly PolicyName[] = [...RATE_LIMITS, 'key-failures'];

/** The limit a 429 names in its `RateLimit-Policy` header (`"dl";q=60;w=60`), if it is one of ours. */
function refusingPolicy(reply: FastifyReply): PolicyName | undefined {
  const header = reply.getHeader('ratelimit-policy');
  const name = typeof header === 'string' ? /^"([^"]+)"/.exec(header)?.[1] : undefined;
  return POLICIES.find((policy) => policy === name);
}

/**
 * The API's own series: every answer by route pattern (never the path
 * asked for, so the series stay few however many models there are), method
 * and status; and the requests a rate limit refused, by limit.
 */
@Injectable()
export class HttpMetrics {
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly refusals: Counter<'limit'>;
  private readonly cacheLookups: Counter<'route' | 'result'>;
  /**
   * What this turn of the event loop answered and looked up, counted at its
   * end (or at a scrape, whichever comes first), as the access lines are
   * written (decision 0026): a hit then pays for pushing two records.
   */
  private answers: { labels: Record<'method' | 'route' | 'status', string>; seconds: number }[] = [];
  private lookups: Record<'route' | 'result', string>[] = [];

  constructor(metrics: Metrics) {
    const flush = this.flush;
    this.requests = metrics.histogram({
      name: 'modelpulse_http_request_duration_seconds',
      help: 'HTTP requests answered, by method, route pattern and status, and how long the answer took',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_SECONDS_BUCKETS,
      collect: flush,
    });
    this.refusals = metrics.counter({
      name: 'modelpulse_rate_limit_refusals_total',
      help: 'Requests refused with 429 by a rate limit, by limit (read, embed, dl, ingest, key-failures)',
      labelNames: ['limit'],
    });
    // Every limit's series exists from the start, at 0, so an alert on its rate has something to read.
    for (const limit of POLICIES) this.refusals.inc({ limit }, 0);
    this.cacheLookups = metrics.counter({
      name: 'modelpulse_response_cache_requests_total',
      help: 'Cacheable public reads by route pattern: answered from the response cache (hit) or from the database (miss)',
      labelNames: ['route', 'result'],
      collect: flush,
    });
  }

  /** A cacheable read the response cache answered (`hit`) or sent on to its route (`miss`). */
  cacheLookup(route: string, result: 'hit' | 'miss'): void {
    this.later();
    this.lookups.push({ route, result });
  }

  /**
   * Fastify's onResponse hook: the reply has been sent, whoever answered it
   * (a 429 of RateLimitGuard or of the key check before the body included).
   */
  answered(request: FastifyRequest, reply: FastifyReply): void {
    this.answeredAs(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    if (reply.statusCode !== 429) return;
    const limit = refusingPolicy(reply);
    if (limit) this.refusals.inc({ limit });
  }

  /** An answer sent without Fastify's reply (the response cache's hits at the front door, never a 429). */
  answeredAs(method: string, route: string | undefined, status: number, seconds: number): void {
    this.later();
    this.answers.push({ labels: { method, route: route ?? UNMATCHED_ROUTE, status: String(status) }, seconds });
  }

  private later(): void {
    if (this.answers.length === 0 && this.lookups.length === 0) setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const { answers, lookups } = this;
    this.answers = [];
    this.lookups = [];
    for (const { labels, seconds } of answers) this.requests.observe(labels, seconds);
    for (const labels of lookups) this.cacheLookups.inc(labels);
  };
}
