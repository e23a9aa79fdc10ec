import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long browsers and CDNs may keep an embed before asking again (with its ETag). */
export const EMBED_MAX_AGE_SECONDS = 300;

/**
 * CSP of an embed: any site may frame it; it loads nothing from anywhere
 * (inline styles and data: images only), so it works offline in an iframe
 * and can leak nothing.
 */
const EMBED_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors *";

/** A strong ETag over the exact bytes sent. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether an `If-None-Match` names `etag` (weakly compared, as RFC 9110 asks of it). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends an embed (badge, widget, card, chart, oEmbed JSON): framable by any
 * site, cacheable for a short while, and answered with 304 when the client
 * already has these bytes; `maxAgeSeconds: 0` (a 429) is never kept. The
 * strict headers every other route carries are replaced here, not added
 * to. CORS comes from the one CORS policy (http/cors.ts), like every GET.
 */
export function sendEmbed(
  request: FastifyRequest,
  reply: FastifyReply,
  embed: { body: string; contentType: string; status?: number; maxAgeSeconds?: number },
): FastifyReply {
  const maxAgeSeconds = embed.maxAgeSeconds ?? EMBED_MAX_AGE_SECONDS;
  // helmet writes its headers on the raw response, where Fastify's removeHeader does not reach.
  reply.raw.removeHeader('x-frame-options');
  reply
    .removeHeader('x-frame-options')
    .header('content-security-policy', EMBED_CSP)
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('x-content-type-options', 'nosniff');
  if (maxAgeSeconds === 0) {
    return reply
      .status(embed.status ?? 200)
      .header('cache-control', 'no-store')
      .header('content-type', embed.contentType)
      .send(embed.body);
  }
  const etag = etagOf(embed.body);
  reply.header('cache-control', `public, max-age=${maxAgeSeconds}`).header('etag', etag);
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).send();
  return reply
    .status(embed.status ?? 200)
    .header('content-type', embed.contentType)
    .send(embed.body);
}
