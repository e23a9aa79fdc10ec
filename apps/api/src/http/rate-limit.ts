import { applyDecorators, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse, type ApiResponseOptions } from '@nestjs/swagger';
import {
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModule,
  type ThrottlerOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AllConfig } from '@modelpulse/config';
import { ProblemDto } from './problem.dto';
import { Problem } from './problems';
import { RateLimitStorage } from './rate-limit-storage';

/**
 * The named limits, each a number of requests a minute: `read` per client
 * address on the public reads (`GET /v1/…`, the site's pages), `embed` per
 * address on badges, widgets, charts and oEmbed, `dl` per address on
 * tracked links, `ingest` per API key on the ingestion endpoints. A route
 * is limited only when marked. `key-failures` is not a route's limit but
 * ApiKeyGuard's: failed key checks per address (KeyCheckLimiter).
 */
export const RATE_LIMITS = ['read', 'embed', 'dl', 'ingest'] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];
export type PolicyName = RateLimitName | 'key-failures';

type ThrottlerRecord = Awaited<ReturnType<RateLimitStorage['increment']>>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Counted already against this limit (by the response cache's hook): RateLimitGuard counts it once, not twice. */
    rateLimitCounted?: { name: RateLimitName; record: ThrottlerRecord };
  }
}

const RATE_LIMIT_KEY = 'modelpulse:rate-limit';
const WINDOW_SECONDS = 60;
const WINDOW_MS = WINDOW_SECONDS * 1000;

const SETTINGS: Record<PolicyName, { setting: string; per: string }> = {
  read: { setting: 'RATE_LIMIT_READ_PER_MINUTE', per: 'per-address read' },
  embed: { setting: 'RATE_LIMIT_EMBED_PER_MINUTE', per: 'per-address embed' },
  dl: { setting: 'RATE_LIMIT_DL_PER_MINUTE', per: 'per-address tracked-link' },
  ingest: { setting: 'RATE_LIMIT_INGEST_PER_MINUTE', per: 'per-key ingestion' },
  'key-failures': { setting: 'RATE_LIMIT_KEY_FAILURES_PER_MINUTE', per: 'per-address failed key check' },
};

/** The headers every limited answer carries, as the OpenAPI document lists them. */
const RATE_LIMIT_HEADER_DOCS = {
  'RateLimit-Policy': {
    description: 'The limit (IETF draft-ietf-httpapi-ratelimit-headers): `"<name>";q=<requests>;w=<seconds>`',
    schema: { type: 'string', example: '"read";q=600;w=60' },
  },
  RateLimit: {
    description: 'What is left of it: `"<name>";r=<requests left>;t=<seconds until the window ends>`',
    schema: { type: 'string', example: '"read";r=0;t=42' },
  },
};

/** The 429 of a limited operation in the OpenAPI document, with its headers. */
export function ApiRateLimitedResponse(
  name: PolicyName,
  content?: ApiResponseOptions['content'],
): MethodDecorator & ClassDecorator {
  const { setting, per } = SETTINGS[name];
  return ApiTooManyRequestsResponse({
    ...(content ? { content } : { type: ProblemDto }),
    description: `Over the ${per} limit (\`${setting}\`); \`Retry-After\` says when to come back`,
    headers: {
      'Retry-After': { description: 'Seconds until a request may succeed', schema: { type: 'integer' } },
      ...RATE_LIMIT_HEADER_DOCS,
    },
  });
}

/**
 * The route counts against the named per-client limit; unmarked routes are
 * never limited. `content` is the 429's body where it is not problem+json
 * (a badge answers an SVG even then).
 */
export function RateLimit(name: RateLimitName, content?: ApiResponseOptions['content']) {
  return applyDecorators(SetMetadata(RATE_LIMIT_KEY, name), ApiRateLimitedResponse(name, content));
}

/** A client's name in the counters' keys, by its address. */
const addressKey = (address: string | undefined) => `ip:${address}`;

/** The client address as Fastify sees it: the socket, or X-Forwarded-For from a proxy TRUST_PROXY names. */
const byAddress = (request: FastifyRequest) => addressKey(request.ip);

/**
 * The API key ApiKeyGuard authenticated (it runs first), so one busy sender
 * does not hold back others behind the same address; the address otherwise.
 */
const byKeyOrAddress = (request: FastifyRequest) =>
  request.principal ? `key:${request.principal.keyId}` : byAddress(request);

/** `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers, -08 on): one policy each. */
export function rateLimitHeaders(
  name: PolicyName,
  quota: number,
  remaining: number,
  resetSeconds: number,
): Record<string, string> {
  return {
    'RateLimit-Policy': `"${name}";q=${quota};w=${WINDOW_SECONDS}`,
    RateLimit: `"${name}";r=${Math.max(0, remaining)};t=${Math.max(0, resetSeconds)}`,
  };
}

function throttler(
  name: RateLimitName,
  perMinute: number,
  reflector: Reflector,
  tracker: (request: FastifyRequest) => string,
): ThrottlerOptions {
  return {
    name,
    ttl: WINDOW_MS,
    limit: perMinute,
    skipIf: (context: ExecutionContext) =>
      reflector.getAllAndOverride<RateLimitName | undefined>(RATE_LIMIT_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) !== name,
    getTracker: (request) => tracker(request as FastifyRequest),
    // One budget per client for all the routes of a limit (every read, both ingestion endpoints), not one per route.
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
      storage: new RateLimitStorage(config.get('app.redis', { infer: true })),
      throttlers: [
        throttler('read', limits.readPerMinute, reflector, byAddress),
        throttler('embed', limits.embedPerMinute, reflector, byAddress),
        throttler('dl', limits.dlPerMinute, reflector, byAddress),
        throttler('ingest', limits.ingestPerMinute, reflector, byKeyOrAddress),
      ],
    };
  },
});

export class TooManyRequestsProblem extends Problem {
  constructor(
    readonly policy: PolicyName,
    readonly retryAfterSeconds: number,
    rateLimit: Record<string, string>,
  ) {
    super('too-many-requests', `Too many requests from this client; try again in ${retryAfterSeconds} s`, undefined, {
      'Retry-After': String(retryAfterSeconds),
      // This client's answer alone: no cache may hand it to others behind the same proxy.
      'Cache-Control': 'no-store',
      ...rateLimit,
    });
  }
}

/**
 * The throttler guard: every answer of a limited route says its limit and
 * what is left (`RateLimit-Policy`, `RateLimit`); over it, the one problem
 * shape with `Retry-After`, which each route's filter turns into its own
 * kind of body (problem+json, an SVG badge, an HTML page).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async handleRequest({
    context,
    limit,
    ttl,
    throttler: named,
    blockDuration,
    getTracker,
    generateKey,
  }: ThrottlerRequest): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const name = named.name as RateLimitName;
    const record =
      request.rateLimitCounted?.name === name
        ? request.rateLimitCounted.record
        : await this.storageService.increment(
            generateKey(context, await getTracker(request, context), name),
            ttl,
            limit,
            blockDuration,
            name,
          );
    if (record.isBlocked) {
      const retryAfterSeconds = Math.max(1, record.timeToBlockExpire);
      throw new TooManyRequestsProblem(name, retryAfterSeconds, rateLimitHeaders(name, limit, 0, retryAfterSeconds));
    }
    http
      .getResponse<FastifyReply>()
      .headers(rateLimitHeaders(name, limit, limit - record.totalHits, record.timeToExpire));
    return true;
  }
}

/** A request counted against a per-address limit: its record, and the headers of its answer (null: over the limit). */
export interface AddressCount {
  counted: { name: RateLimitName; record: ThrottlerRecord };
  headers: Record<string, string> | null;
}

/**
 * The per-address limits counted outside Nest: the response cache answers
 * `read` and `embed` routes before any guard runs (at the front door, or
 * in its hook), so it counts the request here, with the keys, window and
 * block RateLimitGuard uses, and hands a refusal to the guard
 * (`request.rateLimitCounted`), which answers it in the route's own kind.
 */
@Injectable()
export class AddressLimits {
  private readonly perMinute: Record<'read' | 'embed', number>;

  constructor(
    @InjectThrottlerStorage() private readonly storage: RateLimitStorage,
    config: ConfigService<AllConfig, true>,
  ) {
    const limits = config.get('app.rateLimits', { infer: true });
    this.perMinute = { read: limits.readPerMinute, embed: limits.embedPerMinute };
  }

  /**
   * Counts a request from `address` (as Fastify's `request.ip` gives it):
   * at once where the counters are this process's, through a promise where
   * they are in Redis.
   */
  count(address: string | undefined, name: 'read' | 'embed'): AddressCount | Promise<AddressCount> {
    const key = `${name}:${addressKey(address)}`;
    const limit = this.perMinute[name];
    const here = this.storage.incrementHere(key, WINDOW_MS, limit, WINDOW_MS, name);
    if (here) return this.counted(name, here);
    return this.storage.increment(key, WINDOW_MS, limit, WINDOW_MS, name).then((record) => this.counted(name, record));
  }

  private counted(name: 'read' | 'embed', record: ThrottlerRecord): AddressCount {
    const limit = this.perMinute[name];
    const headers = record.isBlocked
      ? null
      : rateLimitHeaders(name, limit, limit - record.totalHits, record.timeToExpire);
    return { counted: { name, record }, headers };
  }
}

/**
 * Failed key checks per client address, so keys cannot be guessed at
 * speed: `RATE_LIMIT_KEY_FAILURES_PER_MINUTE` unknown, revoked or
 * malformed keys are answered 401; after that, every request with a key
 * from that address is answered 429 without the key being looked at, until
 * the minute is over. A right key does not lift the block: otherwise a
 * guesser would still learn from a 200 among the 429s.
 */
@Injectable()
export class KeyCheckLimiter {
  private readonly perMinute: number;

  constructor(
    @InjectThrottlerStorage() private readonly storage: RateLimitStorage,
    config: ConfigService<AllConfig, true>,
  ) {
    this.perMinute = config.get('app.rateLimits.keyFailuresPerMinute', { infer: true });
  }

  private key(request: FastifyRequest): string {
    return `key-failures:${byAddress(request)}`;
  }

  /** Throws the 429 while the address has used up its failed checks. */
  async refuseIfBlocked(request: FastifyRequest): Promise<void> {
    const seconds = await this.storage.blockedSeconds(this.key(request), 'key-failures');
    if (seconds > 0) {
      throw new TooManyRequestsProblem(
        'key-failures',
        seconds,
        rateLimitHeaders('key-failures', this.perMinute, 0, seconds),
      );
    }
  }

  /** Counts one failed check; the headers of the 401 it gets. */
  async recordFailure(request: FastifyRequest): Promise<Record<string, string>> {
    // The storage blocks once hits exceed its limit: one less, so the last allowed failure starts the block.
    const record = await this.storage.increment(
      this.key(request),
      WINDOW_MS,
      this.perMinute - 1,
      WINDOW_MS,
      'key-failures',
    );
    return rateLimitHeaders('key-failures', this.perMinute, this.perMinute - record.totalHits, record.timeToExpire);
  }
}
