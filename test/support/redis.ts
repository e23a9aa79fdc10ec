import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A key prefix no other test file, run or machine sharing the Redis uses. */
export function uniqueRedisPrefix(label: string): string {
  return `modelpulse-test:${label}:${process.pid}-${randomBytes(4).toString('hex')}:`;
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

async function scan(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** The keys under `prefix`, without it: what a test's apps wrote there. */
export function redisKeys(url: string, prefix: string): Promise<string[]> {
  return withRedis(url, async (redis) => (await scan(redis, prefix)).map((key) => key.slice(prefix.length)));
}

export function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  return withRedis(url, async (redis) => {
    const keys = await scan(redis, prefix);
    if (keys.length > 0) await redis.del(...keys);
  });
}
