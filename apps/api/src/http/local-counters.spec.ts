import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Redis } from 'ioredis';
import { LocalCounters } from './local-counters';

const MINUTE = 60_000;

describe('LocalCounters (rate limits counted in this process)', () => {
  let now = 1_700_000_000_000;
  let counters: LocalCounters;
  beforeEach(() => {
    now = 1_700_000_000_000;
    counters = new LocalCounters(() => now);
  });
  afterEach(() => counters.stop());

  const hit = (key = 'read:1.2.3.4', limit = 3) => counters.increment(key, MINUTE, limit, MINUTE, 'read');

  it('counts hits in one window per client and says when it ends', () => {
    expect(hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    now += 20_500;
    expect(hit()).toEqual({ totalHits: 2, timeToExpire: 40, isBlocked: false, timeToBlockExpire: 0 });
    expect(hit('read:5.6.7.8').totalHits).toBe(1);
  });

  it('refuses past the limit for the block duration, then starts again', () => {
    for (let i = 0; i < 3; i += 1) expect(hit().isBlocked).toBe(false);
    now += 10_000;
    expect(hit()).toEqual({ totalHits: 4, timeToExpire: 50, isBlocked: true, timeToBlockExpire: 60 });
    expect(counters.blockedSeconds('read:1.2.3.4', 'read')).toBe(60);
    expect(counters.blockedSeconds('read:1.2.3.4', 'embed')).toBe(0);
    // The window ends before the block does: the block still holds.
    now += 55_000;
    expect(hit()).toMatchObject({ totalHits: 1, isBlocked: true, timeToBlockExpire: 5 });
    now += 5_000;
    expect(hit()).toMatchObject({ totalHits: 2, isBlocked: false, timeToBlockExpire: 0 });
    expect(counters.blockedSeconds('read:1.2.3.4', 'read')).toBe(0);
  });

  it('holds only the clients seen within their window or block', () => {
    hit('a');
    for (let i = 0; i < 3; i += 1) hit('b');
    now += 10_000;
    expect(hit('b').isBlocked).toBe(true);
    now += MINUTE - 10_000;
    counters.sweep();
    expect(counters.size).toBe(1);
    now += 10_000;
    counters.sweep();
    expect(counters.size).toBe(0);
  });

  // Redis is optional; `.ci/run` sets REDIS_URL to the machine's Redis and stops when it does not answer.
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    it('counts as the Redis storage does, hit for hit', async () => {
      const redis = new Redis(redisUrl, { keyPrefix: `local-counters-spec:${process.pid}:${Date.now()}:` });
      try {
        const shared = new ThrottlerStorageRedisService(redis);
        const local = new LocalCounters();
        for (let i = 0; i < 12; i += 1) {
          const expected = await shared.increment('read:9.9.9.9', MINUTE, 5, MINUTE, 'read');
          expect(local.increment('read:9.9.9.9', MINUTE, 5, MINUTE, 'read')).toEqual(expected);
        }
        local.stop();
      } finally {
        // KEYS takes no key prefix; DEL does.
        const prefix = redis.options.keyPrefix ?? '';
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
        redis.disconnect();
      }
    });
  }
});
