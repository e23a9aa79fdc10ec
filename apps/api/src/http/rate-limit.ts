import { applyDecorators, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail, type ThrottlerOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { AllConfig } from '@modelpulse/config';
import { ProblemDto } from './problem.dto';
import { Problem } from './problems';
import { RateLimitStorage } from './rate-limit-storage';

/**
 * The named limits: `dl` per client address on tracked links, `ingest` per
 * API key on the ingestion endpoints. A route is limited only when marked.
 */
export const RATE_LIMITS = ['dl', 'ingest'] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

const RATE_LIMIT_KEY = 'modelpulse:rate-limit';
const MINUTE_MS = 60_000;

/** The route counts against the named per-client limit; unmarked routes are never limited. */
export function RateLimit(name: RateLimitName) {
  return applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, name),
    ApiTooManyRequestsResponse({
      type: ProblemDto,
      description: `Over the ${name === 'dl' ? 'per-address' : 'per-key'} limit (RATE_LIMIT_${name.toUpperCase()}_PER_MINUTE)`,
      headers: { 'Retry-After': { description: 'Seconds until a request may succeed', schema: { type: 'integer' } } },
    }),
  );
}

/** The client address as Fastify sees it: the socket, or X-Forwarded-For from a proxy TRUST_PROXY names. */
const byAddress = (request: FastifyRequest) => `ip:${request.ip}`;

/**
 * The API key ApiKeyGuard authenticated (it runs first), so one busy sender
 * does not hold back others behind the same address; the address otherwise.
 */
const byKeyOrAddress = (request: FastifyRequest) =>
  request.principal ? `key:${request.principal.keyId}` : byAddress(request);

function throttler(
  name: RateLimitName,
  perMinute: number,
  reflector: Reflector,
  tracker: (request: FastifyRequest) => string,
): ThrottlerOptions {
  return {
    name,
    ttl: MINUTE_MS,
    limit: perMinute,
    skipIf: (context: ExecutionContext) =>
      reflector.getAllAndOverride<RateLimitName | undefined>(RATE_LIMIT_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) !== name,
    getTracker: (request) => tracker(request as FastifyRequest),
    // One budget per client for all the routes of a limit (both ingestion endpoints), not one per route.
    generateKey: (_context, client) => `${name}:${client}`,
  };
}

/**
 * Counters in Redis when REDIS_URL is set, shared by every API replica;
 * in this process otherwise, where each replica allows the limit. Limits
 * come from config, read once at start-up.
 */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  inject: [ConfigService, Reflector],
  useFactory: (config: ConfigService<AllConfig, true>, reflector: Reflector) => {
    const limits = config.get('app.rateLimits', { infer: true });
    return {
      // Retry-After is the one header a client needs; the guard's own headers carry the throttler name.
      setHeaders: false,
      storage: new RateLimitStorage(config.get('app.redis', { infer: true })),
      throttlers: [
        throttler('dl', limits.dlPerMinute, reflector, byAddress),
        throttler('ingest', limits.ingestPerMinute, reflector, byKeyOrAddress),
      ],
    };
  },
});

export class TooManyRequestsProblem extends Problem {
  constructor(retryAfterSeconds: number) {
    super('too-many-requests', `Too many requests from this client; try again in ${retryAfterSeconds} s`, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The limit that refused the request, for the metrics (metrics/http-metrics.ts). */
    rateLimitRefusal?: RateLimitName;
  }
}

/** The throttler guard, answering over-limit requests with the one problem shape and Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context.switchToHttp().getRequest<FastifyRequest>().rateLimitRefusal = this.reflector.getAllAndOverride<
      RateLimitName | undefined
    >(RATE_LIMIT_KEY, [context.getHandler(), context.getClass()]);
    throw new TooManyRequestsProblem(Math.max(1, detail.timeToBlockExpire));
  }
}
