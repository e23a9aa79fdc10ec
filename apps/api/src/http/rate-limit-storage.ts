import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { LocalCounters } from './local-counters';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface SharedCounters {
  url: string;
  keyPrefix: string;
}

/** A request waits at most this long on Redis before it is counted here instead. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * Where the rate-limit counters live: in this process, or in Redis
 * (REDIS_URL) where every API replica shares them. When Redis does not
 * answer, the request is counted in this process instead (each replica then
 * allows the limit) and the outage is logged once: an optional store being
 * down must not turn ingestion into errors. Decision 0011 says why.
 */
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new LocalCounters();
  private readonly redis: Redis | null;
  private readonly shared: ThrottlerStorageRedisService | null;
  private redisDown = false;

  constructor(counters: SharedCounters | null) {
    if (counters === null) {
      this.redis = null;
      this.shared = null;
      return;
    }
    this.redis = new Redis(counters.url, {
      keyPrefix: counters.keyPrefix,
      // Fail a command at once while disconnected, and a hanging one soon, rather than hold the request.
      enableOfflineQueue: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
    });
    // Connection errors surface as failed commands below; ioredis reconnects on its own.
    this.redis.on('error', (error: Error) => this.logger.debug(`Redis: ${error.message}`));
    this.shared = new ThrottlerStorageRedisService(this.redis);
    this.logger.log('Rate-limit counters are kept in Redis (REDIS_URL), shared by every API replica');
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.shared) {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        if (this.redisDown) {
          this.redisDown = false;
          this.logger.log('Redis answers again: rate limits are shared by the replicas again');
        }
        return record;
      } catch (error) {
        if (!this.redisDown) {
          this.redisDown = true;
          this.logger.warn(
            `Redis (REDIS_URL) does not answer (${(error as Error).message}): rate limits are counted in this process until it does`,
          );
        }
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /**
   * The record at once when the counters are this process's (no REDIS_URL),
   * as `increment` would give it; null when they are in Redis, which only
   * `increment` asks. The response cache's hits count here without a promise.
   */
  incrementHere(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord | null {
    return this.shared ? null : this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /**
   * How many seconds `key` stays blocked, without counting a hit: 0 when it
   * is not. Read where `increment` writes (the Redis storage's block key,
   * or this process's record), with the same fallback when Redis does not answer.
   */
  async blockedSeconds(key: string, throttlerName: string): Promise<number> {
    if (this.redis && !this.redisDown) {
      try {
        const ms = await this.redis.pttl(`{${key}:${throttlerName}}:blocked`);
        return ms > 0 ? Math.ceil(ms / 1000) : 0;
      } catch {
        // As for increment: counted, and so read, in this process until Redis answers.
      }
    }
    return this.local.blockedSeconds(key, throttlerName);
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.stop();
    if (this.redis === null) return;
    // quit() waits for a reply that a dead Redis never sends.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis?.disconnect());
    else this.redis.disconnect();
  }
}
