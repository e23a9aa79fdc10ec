import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  /** When this window's count starts again from nothing, in ms since the epoch. */
  resetAt: number;
  /** Until when the client is refused, once it went over the limit; 0 when it is not. */
  blockedUntil: number;
}

/** How often windows that ended are let go, so the map holds only clients seen lately. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Rate-limit counters in this process: one fixed window per client and
 * limit, as the Redis storage keeps them (the Lua script of
 * @nest-lab/throttler-storage-redis: INCR, PEXPIRE on the first hit, a
 * block key for blockDuration once over the limit), so a replica counts the
 * same with or without REDIS_URL. @nestjs/throttler's own in-memory storage
 * keeps one timestamp per hit and filters them on every request, which
 * costs as much as the limit allows (decision 0026).
 */
export class LocalCounters {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord {
    const now = this.now();
    const id = `${key}:${throttlerName}`;
    let window = this.windows.get(id);
    if (window === undefined) {
      window = { hits: 0, resetAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (window.resetAt <= now) {
      // A new window; a block outlives the window it began in, as the Redis block key does.
      window.hits = 0;
      window.resetAt = now + ttl;
    }
    window.hits += 1;
    let isBlocked = window.blockedUntil > now;
    if (!isBlocked && window.hits > limit) {
      window.blockedUntil = now + blockDuration;
      isBlocked = true;
    }
    if (isBlocked && window.blockedUntil <= now) {
      // A block of no duration: as the script does, this hit starts a new window.
      window.blockedUntil = 0;
      window.hits = 1;
      window.resetAt = now + ttl;
      isBlocked = false;
    }
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.resetAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  /** How many seconds `key` stays refused under `throttlerName`, without counting a hit: 0 when it is not. */
  blockedSeconds(key: string, throttlerName: string): number {
    const window = this.windows.get(`${key}:${throttlerName}`);
    const ms = window ? window.blockedUntil - this.now() : 0;
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /** Windows held now: one per client and limit seen within its window or its block. */
  get size(): number {
    return this.windows.size;
  }

  sweep(): void {
    const now = this.now();
    for (const [id, window] of this.windows) {
      if (window.resetAt <= now && window.blockedUntil <= now) this.windows.delete(id);
    }
  }

  stop(): void {
    clearInterval(this.sweeper);
  }
}
