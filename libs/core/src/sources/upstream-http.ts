import { setMaxListeners } from 'node:events';
import Bottleneck from 'bottleneck';
import { backoffMs, requestedWaitMs } from './rate-limit-headers';
import type { SourceOptions, SourceRuntime } from './source-options';

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: string;
  url: URL;
}

export const USER_AGENT = 'modelpulse (+https://github.com/modelpulse/modelpulse)';

/** A DOMException's name (a timeout, an abort), which is not an Error of this realm under every runner. */
function errorName(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

/** An answer that is not what the upstream's API promises; it is never turned into a reading. */
export class MalformedAnswerError extends Error {}

/** No usable answer after the retries allowed, or a wait longer than allowed; never carries data. */
export class UpstreamFailure extends Error {}

/** A request given up because the source was closed (the process is stopping); never carries data. */
export class UpstreamClosedError extends Error {
  constructor() {
    super('abandoned: the process is stopping');
  }
}

/** `work`, or the signal's reason as soon as it is aborted, whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      // Handled, so a rejection of the abandoned work is not an unhandled one.
      work.catch(() => undefined);
      return reject(signal.reason as Error);
    }
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The HTTP side every source shares: one limiter (pace and concurrency) per
 * source, a timeout on every request, redirects left to the caller, retries
 * with backoff for 5xx, timeouts and network errors, and a pause of the whole
 * source when the upstream says its quota is spent. Closing it abandons the
 * requests waiting for their turn and aborts those in flight, so a stopping
 * process never waits for the pace of a queue.
 */
export class UpstreamHttp {
  private requests = 0;
  /** Every request since the client was built, by how it ended; never reset (the metrics read it). */
  private readonly outcomes = new Map<string, number>();
  /** Until when the upstream asked us to stay away; shared by every request of the source. */
  private blockedUntilMs = 0;
  private readonly limiter: Bottleneck;
  private readonly base: URL;
  /** Aborted by `close`, with an UpstreamClosedError as its reason. */
  private readonly closing = new AbortController();

  constructor(
    private readonly options: SourceOptions,
    private readonly runtime: SourceRuntime,
    private readonly headers: Record<string, string>,
    /** Whether an answer other than 429 is a rate-limit refusal (GitHub answers 403 for those). */
    private readonly isRateLimited: (response: UpstreamResponse) => boolean = () => false,
  ) {
    // Every request waiting for its turn listens for the close: more than ten is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.limiter = new Bottleneck({
      maxConcurrent: options.concurrency,
      minTime: Math.ceil(1000 / options.requestsPerSecond),
    });
  }

  get requestCount(): number {
    return this.requests;
  }

  resetRequestCount(): void {
    this.requests = 0;
  }

  /**
   * Requests made since the client was built, by how each ended: the HTTP
   * status (`200`, `429`, `503`), `timeout`, or `error` (refused, reset,
   * a body cut short, aborted by a stop).
   */
  get requestOutcomes(): ReadonlyMap<string, number> {
    return this.outcomes;
  }

  /** A path of the upstream's API, under the configured base URL (which may carry a path prefix). */
  endpoint(path: string): URL {
    return new URL(path.replace(/^\/+/, ''), this.base);
  }

  /**
   * A URL the upstream sent (`Location`, `Link`), resolved against the
   * request it answered. One on another origin is moved onto ours: the token
   * must not travel to a host we were not configured with.
   */
  follow(reference: string, from: URL): URL {
    const target = new URL(reference, from);
    if (target.origin === this.base.origin) return target;
    return this.endpoint(target.pathname + target.search);
  }

  /**
   * GET `url` until an answer that is neither a rate-limit refusal nor a
   * server error, within the retries allowed. Redirects come back as they are.
   */
  async get(url: URL): Promise<UpstreamResponse> {
    const allowed = this.options.maxRetries + 1;
    let problem = 'no attempt made';
    let made = 0;
    const { signal } = this.closing;
    while (made < allowed) {
      await this.waitWhileBlocked();
      made += 1;
      let response: UpstreamResponse | null = null;
      try {
        // A request that waits for its turn is let go at once when the source closes.
        response = await untilAborted(
          this.limiter.schedule(() => {
            signal.throwIfAborted();
            return this.once(url);
          }),
          signal,
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason as Error;
        problem = this.describe(error);
      }
      let waitMs: number | null = null;
      if (response) {
        waitMs = requestedWaitMs(response.headers, this.runtime.now());
        const limited = response.status === 429 || this.isRateLimited(response);
        // A quota spent by this answer holds back the next request too, even when this one succeeded.
        if (waitMs !== null && waitMs > 0 && (limited || response.status < 300)) this.blockFor(waitMs);
        if (!limited && response.status < 500) return response;
        problem = limited ? `rate limited (HTTP ${response.status})` : `HTTP ${response.status}`;
        // The wait is taken at the top of the loop, where a wait too long ends the fetch.
        if (limited && waitMs !== null && waitMs > 0) continue;
      }
      if (made === allowed) break;
      const delayMs =
        waitMs !== null && waitMs > 0
          ? waitMs
          : backoffMs(made, this.options.backoffBaseMs, this.options.backoffMaxMs, this.runtime.random());
      if (delayMs > this.options.maxWaitMs) break;
      await this.sleep(delayMs);
    }
    throw new UpstreamFailure(`${problem} after ${made} attempt${made === 1 ? '' : 's'} (${url.pathname})`);
  }

  /** Abandons the waiting requests and aborts those in flight; every later `get` fails at once. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new UpstreamClosedError());
    await this.limiter.stop({ dropWaitingJobs: true });
  }

  private sleep(ms: number): Promise<void> {
    return untilAborted(this.runtime.sleep(ms), this.closing.signal);
  }

  private blockFor(waitMs: number): void {
    this.blockedUntilMs = Math.max(this.blockedUntilMs, this.runtime.now().getTime() + waitMs);
  }

  private async waitWhileBlocked(): Promise<void> {
    const waitMs = this.blockedUntilMs - this.runtime.now().getTime();
    if (waitMs <= 0) return;
    if (waitMs > this.options.maxWaitMs) {
      throw new UpstreamFailure(
        `rate limited until ${new Date(this.blockedUntilMs).toISOString()}, longer than the ${Math.round(
          this.options.maxWaitMs / 1000,
        )} s wait allowed`,
      );
    }
    await this.sleep(waitMs);
  }

  private async once(url: URL): Promise<UpstreamResponse> {
    this.requests += 1;
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.closing.signal]);
    try {
      const response = await fetch(url, { headers: this.headers, redirect: 'manual', signal });
      // The body is read under the same timeout: a server that sends headers and then stalls is a timeout too.
      const body = await response.text();
      this.record(String(response.status));
      return { status: response.status, headers: response.headers, body, url };
    } catch (error) {
      const name = errorName(error);
      const timedOut = !this.closing.signal.aborted && (name === 'TimeoutError' || name === 'AbortError');
      this.record(timedOut ? 'timeout' : 'error');
      throw error;
    }
  }

  private record(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  private describe(error: unknown): string {
    const name = errorName(error);
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `timed out after ${this.options.timeoutMs} ms`;
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `network error (${error instanceof Error ? error.message : String(error)}${cause})`;
  }
}

/** The error an upstream put in its JSON body (`{"error": "…"}` on the hub, `{"message": "…"}` on GitHub), or the start of the body. */
export function errorText(response: UpstreamResponse): string {
  try {
    const json = JSON.parse(response.body) as unknown;
    if (typeof json === 'object' && json !== null) {
      const { error, message } = json as { error?: unknown; message?: unknown };
      if (typeof error === 'string') return error;
      if (typeof message === 'string') return message;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return response.body.slice(0, 120);
}

/** JSON text to a value, or a MalformedAnswerError naming what was wrong. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new MalformedAnswerError(
      `the answer is not JSON (${body.length} bytes: ${JSON.stringify(body.slice(0, 40))})`,
    );
  }
}
