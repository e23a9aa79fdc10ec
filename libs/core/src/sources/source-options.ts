/** The clock, the sleep and the dice of a source; tests pass their own so they never wait. */
export interface SourceRuntime {
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** In [0, 1), for backoff jitter. */
  random(): number;
}

export const systemRuntime: SourceRuntime = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Settings shared by every source; each comes from the `upstreams` config namespace. */
export interface SourceOptions {
  baseUrl: string;
  token: string | null;
  requestsPerSecond: number;
  concurrency: number;
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  /** The longest wait an upstream may ask for (Retry-After, a spent quota) before the fetch fails instead. */
  maxWaitMs: number;
  /** The first backoff step; it doubles on each retry, up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}
