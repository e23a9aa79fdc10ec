import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AccessLog, REQUEST_ID_HEADER, noteRoute } from '@modelpulse/database';
import { etagOf, matchesEtag } from '../embeds/embed-response';
import type { FrontAnswer, FrontDoor } from '../http/front-door';
import type { AddressCount, AddressLimits } from '../http/rate-limit';
import { routeOf } from '../http/route-of';
import type { HttpMetrics } from '../metrics/http-metrics';
import { cacheTag, isPerClientHeader, isShareable } from './cache-key';
import { JSON_READ_CACHE_CONTROL, type CachedRead, type Entry, type Fill, type ResponseCache } from './response-cache';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * A cacheable public read the cache did not answer: a miss that may fill
     * an entry (`fill`), or not. (A hit is hijacked: no onSend hook sees it.)
     */
    cachedRead?: { fill: Fill | null };
  }
}

/** What the response cache may answer: a GET without credentials (the route decides the rest). */
const mayBeCached = (request: IncomingMessage): boolean =>
  request.method === 'GET' && request.headers.authorization === undefined;

/** A hit the front door counted over its limit, handed to Fastify so that the route's guard refuses it. */
const COUNTED_AT_THE_DOOR = Symbol('modelpulse.countedAtTheDoor');
type DoorRequest = IncomingMessage & { [COUNTED_AT_THE_DOOR]?: AddressCount['counted'] };

/** The limit a `RateLimit-Policy` header of ours names (`"read";q=600;w=60`). */
function limitOf(reply: FastifyReply): 'read' | 'embed' | null {
  const header = reply.getHeader('ratelimit-policy');
  const name = typeof header === 'string' ? /^"([^"]+)"/.exec(header)?.[1] : undefined;
  return name === 'read' || name === 'embed' ? name : null;
}

/** The answer's own headers as they stand, helmet's (on the raw response) included, none of the client's. */
function ownHeaders(reply: FastifyReply): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || isPerClientHeader(name)) continue;
    headers[name] = typeof value === 'number' ? String(value) : value;
  }
  return headers;
}

/**
 * Sends a kept answer with the headers the route sent (its type, ETag,
 * CORS's and the security headers) and this request's own (its id, its
 * rate limit), written straight to Node's response as the bare server
 * writes it: Fastify's reply would copy, check and serialize again what was
 * checked when the entry was kept. A 304 to a client that has these bytes.
 */
function replay(
  request: IncomingMessage,
  response: ServerResponse,
  entry: Entry,
  requestId: string,
  limitHeaders: Record<string, string>,
): number {
  // A 304 has no body, hence no type, as the embeds' own 304s (embed-response.ts).
  const notModified = matchesEtag(request.headers['if-none-match'], entry.etag);
  const headers: Record<string, string | string[]> = {
    ...(notModified ? entry.notModifiedHeaders : entry.headers),
    ...limitHeaders,
    [REQUEST_ID_HEADER]: requestId,
  };
  const status = notModified ? 304 : 200;
  response.writeHead(status, headers);
  response.end(notModified ? undefined : entry.body);
  return status;
}

interface Hooks {
  cache: ResponseCache;
  limits: AddressLimits;
  metrics: HttpMetrics;
  accessLog: AccessLog;
  door: FrontDoor;
}

/**
 * A hit at the front door, once counted: answered with its access line and
 * its metrics, as Fastify's hooks would have written them; false when it is
 * over its limit (handed to Fastify, the count with it).
 */
function answerAtTheDoor(
  { metrics, accessLog, door }: Hooks,
  request: IncomingMessage,
  response: ServerResponse,
  read: CachedRead,
  entry: Entry,
  count: AddressCount,
  startedMs: number,
): boolean {
  if (count.headers === null) {
    (request as DoorRequest)[COUNTED_AT_THE_DOOR] = count.counted;
    return false;
  }
  const requestId = door.requestId(request);
  noteRoute(request, read.route);
  accessLog.begin(request, requestId, startedMs);
  metrics.cacheLookup(read.route, 'hit');
  const status = replay(request, response, entry, requestId, count.headers);
  metrics.answeredAs('GET', read.route, status, (performance.now() - startedMs) / 1000);
  accessLog.end(request, requestId, status);
  return true;
}

/**
 * The front door's answer: a GET without credentials of a URL the hook
 * below has routed before, asked with the same Accept, whose entry may be
 * served now. Anything else, a miss and a hit over its limit go on to
 * Fastify. Where the counters are in Redis, the door waits for the count.
 */
function frontAnswer(hooks: Hooks): FrontAnswer {
  const { cache, limits, door } = hooks;
  return (request, response, fastify) => {
    if (!mayBeCached(request)) return false;
    const read = cache.remembered(request.url ?? '', request.headers.accept);
    if (read === undefined) return false;
    const found = cache.lookup(read.key, read.tag);
    if (!('entry' in found)) return false;
    const startedMs = performance.now();
    const count = limits.count(door.clientAddress(request), found.entry.limit);
    if (!(count instanceof Promise))
      return answerAtTheDoor(hooks, request, response, read, found.entry, count, startedMs);
    count.then(
      (counted) => {
        if (!answerAtTheDoor(hooks, request, response, read, found.entry, counted, startedMs))
          fastify(request, response);
      },
      () => fastify(request, response),
    );
    return true;
  };
}

/**
 * The response cache's front door and hooks. The door (http/front-door.ts)
 * answers hits on URLs already routed before Fastify routes them. The
 * `onRequest` hook runs after the request id's and the access log's
 * (configureApp) and before the security headers, Nest's guards, pipes and
 * interceptors: it names each cacheable read (and remembers it for the
 * door), answers the hits the door did not (a URL seen for the first time
 * whose entry another spelling filled), counted against the route's limit
 * (AddressLimits), and leaves a hit over the limit to the route's guard,
 * which refuses it in the route's own kind. `onSend` gives JSON reads an
 * ETag and Cache-Control, keeps a 200 a miss answered, and answers 304 to a
 * client that already has those bytes.
 */
export function serveResponseCache(fastify: FastifyInstance, hooks: Hooks): void {
  const { cache, limits, metrics, door } = hooks;
  if (cache.enabled) {
    door.open(frontAnswer(hooks));
    fastify.addHook('preClose', (done) => {
      door.shut();
      done();
    });
  }

  fastify.addHook('onRequest', (request, reply, done) => {
    if (!mayBeCached(request.raw)) return done();
    const counted = (request.raw as DoorRequest)[COUNTED_AT_THE_DOOR];
    if (counted !== undefined) {
      request.rateLimitCounted = counted;
      request.cachedRead = { fill: null };
      return done();
    }
    let read = cache.remembered(request.url, request.headers.accept);
    if (read === undefined) {
      const route = routeOf(request);
      const tag = cacheTag(route, request.params, request.query);
      if (route === undefined || tag === null) return done();
      if (!cache.enabled) {
        request.cachedRead = { fill: null };
        return done();
      }
      read = cache.remember(request.url, request.headers.accept, route, tag);
    }
    const found = cache.lookup(read.key, read.tag);
    if (!('entry' in found)) {
      metrics.cacheLookup(read.route, 'miss');
      request.cachedRead = { fill: found.fill };
      return done();
    }
    const answer = (count: AddressCount) => {
      request.rateLimitCounted = count.counted;
      if (count.headers === null) {
        request.cachedRead = { fill: null };
        return done();
      }
      metrics.cacheLookup(read.route, 'hit');
      // Hijacked: Fastify's onResponse hooks (the access line, the metrics) still follow the raw response.
      reply.hijack();
      replay(request.raw, reply.raw, found.entry, request.id, count.headers);
    };
    const count = limits.count(request.ip, found.entry.limit);
    if (count instanceof Promise) count.then(answer, done);
    else answer(count);
  });

  fastify.addHook('onSend', (request, reply, payload, done) => {
    const read = request.cachedRead;
    if (!read || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload);
    let etag = reply.getHeader('etag');
    if (typeof etag !== 'string') {
      etag = etagOf(payload);
      reply.header('etag', etag);
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', JSON_READ_CACHE_CONTROL);
    }
    const limit = limitOf(reply);
    if (read.fill && limit && !reply.hasHeader('set-cookie') && isShareable(reply.getHeader('cache-control'))) {
      cache.store(read.fill, { body: Buffer.from(payload), headers: ownHeaders(reply), etag, limit });
    }
    if (!matchesEtag(request.headers['if-none-match'], etag)) return done(null, payload);
    reply.code(304).removeHeader('content-type');
    done(null, null);
  });
}
