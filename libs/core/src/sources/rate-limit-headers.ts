/**
 * How long an upstream asks us to wait, read from its response headers.
 * Pure functions: the caller passes the clock.
 */

type HeaderReader = { get(name: string): string | null };

/**
 * `Retry-After` (RFC 9110): a whole number of seconds or an HTTP date.
 * Null when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfterMs(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only the HTTP-date forms: Date.parse would also take "1.5" or "2025" as a date.
  if (!/[a-z]/i.test(trimmed)) return null;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return null;
  return Math.max(0, dateMs - now.getTime());
}

export interface HubRateLimit {
  /** Requests left in the current window. */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  /** Requests allowed per window, from `RateLimit-Policy`, when sent. */
  quota: number | null;
  windowSeconds: number | null;
}

/**
 * The IETF draft headers the Hugging Face hub sends (draft-ietf-httpapi-ratelimit-headers-09):
 * `RateLimit: "api";r=0;t=55` and `RateLimit-Policy: "fixed window";"api";q=500;w=300`.
 */
export function parseHubRateLimit(rateLimit: string | null, policy: string | null): HubRateLimit | null {
  if (rateLimit === null) return null;
  const remaining = /(?:^|;)\s*r\s*=\s*(\d+)/.exec(rateLimit);
  const reset = /(?:^|;)\s*t\s*=\s*(\d+)/.exec(rateLimit);
  if (!remaining || !reset) return null;
  const quota = policy ? /(?:^|;)\s*q\s*=\s*(\d+)/.exec(policy) : null;
  const window = policy ? /(?:^|;)\s*w\s*=\s*(\d+)/.exec(policy) : null;
  return {
    remaining: Number(remaining[1]),
    resetSeconds: Number(reset[1]),
    quota: quota ? Number(quota[1]) : null,
    windowSeconds: window ? Number(window[1]) : null,
  };
}

export interface GitHubRateLimit {
  remaining: number;
  /** When the window resets (GitHub sends UTC epoch seconds). */
  resetAt: Date;
}

/** GitHub's `X-RateLimit-Remaining` and `X-RateLimit-Reset` (UTC epoch seconds). */
export function parseGitHubRateLimit(remaining: string | null, reset: string | null): GitHubRateLimit | null {
  if (remaining === null || reset === null) return null;
  if (!/^\d+$/.test(remaining.trim()) || !/^\d+$/.test(reset.trim())) return null;
  return { remaining: Number(remaining.trim()), resetAt: new Date(Number(reset.trim()) * 1000) };
}

/**
 * How long to stay away from the upstream after this answer, or null when it
 * does not ask: `Retry-After` first, then a spent quota in the hub's
 * `RateLimit` header or GitHub's `X-RateLimit-*` headers.
 */
export function requestedWaitMs(headers: HeaderReader, now: Date): number | null {
  const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'), now);
  if (retryAfterMs !== null) return retryAfterMs;
  const hub = parseHubRateLimit(headers.get('ratelimit'), headers.get('ratelimit-policy'));
  if (hub && hub.remaining === 0) return hub.resetSeconds * 1000;
  const github = parseGitHubRateLimit(headers.get('x-ratelimit-remaining'), headers.get('x-ratelimit-reset'));
  if (github && github.remaining === 0) return Math.max(0, github.resetAt.getTime() - now.getTime());
  return null;
}

/**
 * Exponential backoff with "equal jitter": half of the doubled delay is
 * fixed, the other half random, so that clients that failed together do not
 * retry together. `attempt` counts from 1; `random` is in [0, 1).
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const ceilingMs = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceilingMs / 2 + (ceilingMs / 2) * random);
}

/** The target of a `Link: <url>; rel="next"` header (RFC 8288), or null. */
export function parseNextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rel = /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]);
    if (rel && rel[1].split(/\s+/).includes('next')) return match[1];
  }
  return null;
}
