/**
 * What the response cache keeps and under which name: pure rules, with no
 * Fastify or Nest in sight (response-cache.ts applies them).
 */

/** How far a change reaches an entry: any change to rankings or the catalogue (`all`), or one model's own figures. */
export type CacheScope = 'all' | 'model';

/**
 * The public reads kept, by route pattern. An answer that shows a rank,
 * a list or a family depends on every model (`all`); a model's own series,
 * chart and badges only on that model's readings and catalogue fields.
 */
const CACHED_ROUTES: Readonly<Record<string, CacheScope>> = {
  '/v1/models': 'all',
  '/v1/models/:org/:name': 'all',
  '/v1/models/:org/:name/lineage': 'all',
  '/v1/models/:org/:name/rankings': 'all',
  '/v1/models/:org/:name/stats': 'model',
  '/v1/models/:org/:name/chart.svg': 'model',
  // Several models' figures: any change may move it, as a list would.
  '/v1/chart.svg': 'all',
  '/v1/rankings/trending': 'all',
  '/v1/rankings/:ranking': 'all',
  '/v1/organizations': 'all',
  '/v1/licenses': 'all',
  '/v1/papers/:arxivId': 'all',
  '/badges/:org/:name/:metric.svg': 'model',
  '/badges/:org/:name/:metric.json': 'model',
  '/embed/trending': 'all',
  '/embed/models/:org/:name': 'all',
  '/oembed': 'all',
};

/** The tag every entry that depends on the whole catalogue or on any ranking carries. */
export const ALL_TAG = 'all';

/** The tag of the entries that depend on one model alone, by its id in lower case (ids are case-insensitive). */
export const modelTag = (modelId: string): string => `model:${modelId.toLowerCase()}`;

/**
 * The tag of a cacheable read, or null when the route is not one the cache
 * keeps. A trending badge and a rank chart show ranks, which any model's
 * readings move.
 */
export function cacheTag(route: string | undefined, params: unknown, query?: unknown): string | null {
  const scope = route === undefined ? undefined : CACHED_ROUTES[route];
  if (!scope) return null;
  const { org, name, metric } = (params ?? {}) as { org?: string; name?: string; metric?: string };
  const ranks = metric === 'trending' || (query as { metric?: unknown } | undefined)?.metric === 'rank';
  if (scope === 'all' || ranks || !org || !name) return ALL_TAG;
  return modelTag(`${org}/${name}`);
}

import { BADGE_OPTION_NAMES } from '@modelpulse/core/embeds';

/**
 * Routes that ignore query parameters they do not read, with the ones they
 * read: an SVG badge (shields.io ignores the rest, and so do we). The key
 * leaves the others out, so `?v=1`, `?v=2`, … share one entry instead of
 * filling the cache with copies of one badge.
 */
const READ_PARAMS: Readonly<Record<string, ReadonlySet<string>>> = {
  '/badges/:org/:name/:metric.svg': new Set(BADGE_OPTION_NAMES),
};

/**
 * The name of an answer: the path as asked, its query parameters sorted by
 * name (repeated ones keep their order, which can matter) and written the
 * one way URLSearchParams writes them, and the `Accept` header, on which
 * the type of some answers turns (the stats series as CSV). Unknown
 * parameters stay in the key (a route that refuses them answers 400, which
 * is never kept), except on the routes of `READ_PARAMS`, which ignore them.
 * `format=csv` is a parameter like any other, so the CSV and JSON of one
 * read are two entries, whichever way the CSV was asked for.
 */
export function cacheKey(url: string, accept: string | undefined, route?: string): string {
  const negotiated = (accept ?? '').toLowerCase().replace(/\s+/g, '');
  const mark = url.indexOf('?');
  if (mark < 0) return `${url}\n${negotiated}`;
  const read = route === undefined ? undefined : READ_PARAMS[route];
  const params = [...new URLSearchParams(url.slice(mark + 1))]
    .filter(([name]) => !read || read.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return `${url.slice(0, mark)}${query ? `?${query}` : ''}\n${negotiated}`;
}

/**
 * Headers that belong to one client's request, never to the answer kept:
 * its id, its rate-limit budget, and what Node writes for each connection.
 * CORS's are kept with the answer: every route the cache keeps is a GET any
 * origin may read (http/cors.ts), answered the same headers whatever the
 * client's Origin, and a hit is answered before the CORS hook runs.
 */
const PER_CLIENT_HEADERS = new Set([
  'x-request-id',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'set-cookie',
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

export const isPerClientHeader = (name: string): boolean => {
  const lower = name.toLowerCase();
  return PER_CLIENT_HEADERS.has(lower);
};

/** Whether an answer's own `Cache-Control` lets it be shared with other clients. */
export const isShareable = (cacheControl: unknown): boolean =>
  typeof cacheControl !== 'string' || !/\b(no-store|private)\b/i.test(cacheControl);
