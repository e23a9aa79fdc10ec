import type { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import type { CatalogQueries, TrackedModel } from '@modelpulse/core/catalog';
import type { StatsLanded } from '@modelpulse/core/changes';
import { Clock } from '@modelpulse/core/clock';
import { Metrics } from '@modelpulse/core/metrics';
import type { ChangeChannel } from '@modelpulse/database';
import { ALL_TAG, cacheKey, modelTag } from './cache-key';
import { ResponseCache } from './response-cache';

class PinnedClock extends Clock {
  constructor(public at: string) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
}

const R1 = { id: '1', slug: 'deepseek-ai/DeepSeek-R1' };
const QWEN = { id: '2', slug: 'Qwen/Qwen2.5-7B-Instruct' };

function cacheWith(options: { maxBytes?: number; models?: { id: string; slug: string }[] } = {}) {
  const config = { get: () => ({ enabled: true, maxBytes: options.maxBytes ?? 1_000_000 }) };
  const channel = { epoch: 1 as number | null };
  const clock = new PinnedClock('2025-01-22T06:00:00Z');
  const models = new Map((options.models ?? [R1, QWEN]).map((m) => [m.id, { ...m, bornAt: null } as TrackedModel]));
  const catalog = {
    trackedByIds: (ids: string[]) => Promise.resolve(new Map([...models].filter(([id]) => ids.includes(id)))),
  };
  const cache = new ResponseCache(
    config as unknown as ConfigService<AllConfig, true>,
    channel as unknown as ChangeChannel,
    clock,
    catalog as unknown as CatalogQueries,
    new Metrics(),
  );
  /** Reads `key` as the hook does: a hit answers its body; a miss stores `body` when it may. */
  const read = (key: string, tag: string, body = `body of ${key}`): string | null => {
    const found = cache.lookup(key, tag);
    if ('entry' in found) return found.entry.body.toString();
    if (found.fill) cache.store(found.fill, { body: Buffer.from(body), headers: {}, etag: '"e"', limit: 'read' });
    return null;
  };
  return { cache, channel, clock, read };
}

const landed = (modelIds: string[], sources = ['huggingface']): StatsLanded => ({
  type: 'stats.landed',
  modelIds,
  sources,
  fromDay: '2025-01-22',
});

describe('ResponseCache', () => {
  it('answers the second read from memory', () => {
    const { read } = cacheWith();
    expect(read('/v1/licenses', ALL_TAG)).toBeNull();
    expect(read('/v1/licenses', ALL_TAG)).toBe('body of /v1/licenses');
  });

  it("drops a model's own entries and every ranking on its readings, and keeps other models' badges", async () => {
    const { cache, read } = cacheWith();
    read('r1-badge', modelTag(R1.slug));
    read('qwen-badge', modelTag(QWEN.slug));
    read('trending', ALL_TAG);
    await cache.statsLanded(landed([R1.id]));
    expect(read('r1-badge', modelTag(R1.slug))).toBeNull();
    expect(read('trending', ALL_TAG)).toBeNull();
    expect(read('qwen-badge', modelTag(QWEN.slug))).toBe('body of qwen-badge');
  });

  it('keeps the rankings when only tracked-link clicks landed, and drops the model’s own series', async () => {
    const { cache, read } = cacheWith();
    read('r1-series', modelTag(R1.slug));
    read('trending', ALL_TAG);
    await cache.statsLanded(landed([R1.id], ['link']));
    expect(read('r1-series', modelTag(R1.slug))).toBeNull();
    expect(read('trending', ALL_TAG)).toBe('body of trending');
  });

  it('drops everything when a model of the change cannot be found (purged since)', async () => {
    const { cache, read } = cacheWith();
    read('qwen-badge', modelTag(QWEN.slug));
    await cache.statsLanded(landed(['99'], ['link']));
    expect(read('qwen-badge', modelTag(QWEN.slug))).toBeNull();
  });

  it('does not keep a read that was answered while a change came in', () => {
    const { cache, read } = cacheWith();
    const found = cache.lookup('trending', ALL_TAG);
    cache.snapshotComputed();
    if ('fill' in found && found.fill) {
      cache.store(found.fill, { body: Buffer.from('read before the change'), headers: {}, etag: '"e"', limit: 'read' });
    }
    expect(read('trending', ALL_TAG)).toBeNull();
  });

  it('serves nothing while the change feed is not listening, and starts empty on a new connection', () => {
    const { channel, read } = cacheWith();
    read('/v1/licenses', ALL_TAG);
    channel.epoch = null;
    expect(read('/v1/licenses', ALL_TAG)).toBeNull();
    expect(read('/v1/licenses', ALL_TAG)).toBeNull();
    channel.epoch = 2;
    expect(read('/v1/licenses', ALL_TAG)).toBeNull();
    expect(read('/v1/licenses', ALL_TAG)).toBe('body of /v1/licenses');
  });

  it('drops what it made yesterday once the UTC day changes', () => {
    const { clock, read } = cacheWith();
    read('badge', ALL_TAG);
    clock.at = '2025-01-22T23:59:59Z';
    expect(read('badge', ALL_TAG)).toBe('body of badge');
    clock.at = '2025-01-23T00:00:00Z';
    expect(read('badge', ALL_TAG)).toBeNull();
  });

  it('drops everything on a catalogue change', () => {
    const { cache, read } = cacheWith();
    read('qwen-badge', modelTag(QWEN.slug));
    cache.catalogChanged();
    expect(read('qwen-badge', modelTag(QWEN.slug))).toBeNull();
  });

  it('stays within its byte bound, letting the least recently read go first', () => {
    const { read } = cacheWith({ maxBytes: 4096 });
    const big = 'x'.repeat(1500);
    read('a', ALL_TAG, big);
    read('b', ALL_TAG, big);
    read('a', ALL_TAG);
    read('c', ALL_TAG, big);
    expect(read('a', ALL_TAG)).toBe(big);
    expect(read('c', ALL_TAG)).toBe(big);
    expect(read('b', ALL_TAG)).toBeNull();
  });

  it('names a read as cacheKey does, and remembers it for the URL and Accept it was asked with', () => {
    const { cache } = cacheWith();
    const asked: [string, string | undefined, string][] = [
      ['/v1/rankings/trending?limit=5&license=mit', undefined, '/v1/rankings/trending'],
      ['/v1/rankings/trending?license=mit&limit=5', 'application/json', '/v1/rankings/trending'],
      ['/badges/acme/a/downloads.svg?v=2&style=flat', undefined, '/badges/:org/:name/:metric.svg'],
      [`/v1/models?q=${'x'.repeat(600)}`, undefined, '/v1/models'],
    ];
    for (const [url, accept, route] of asked) {
      expect(cache.remembered(url, accept)).toBeUndefined();
      const read = cache.remember(url, accept, route, ALL_TAG);
      expect(read).toEqual({ route, key: cacheKey(url, accept, route), tag: ALL_TAG });
    }
    // Remembered for the URL and Accept as asked, not for another Accept; a URL too long to keep is named afresh.
    expect(cache.remembered(asked[0][0], undefined)?.key).toBe(cacheKey(asked[0][0], undefined, asked[0][2]));
    expect(cache.remembered(asked[1][0], 'application/json')?.route).toBe('/v1/rankings/trending');
    expect(cache.remembered(asked[1][0], 'text/csv')).toBeUndefined();
    expect(cache.remembered(asked[3][0], undefined)).toBeUndefined();
    // Two ways of writing one query are one entry.
    expect(cache.remember(asked[1][0], undefined, asked[1][2], ALL_TAG).key).toBe(
      cache.remembered(asked[0][0], undefined)?.key,
    );
  });
});
