import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';
import type { AllConfig } from '@modelpulse/config';
import { CatalogQueries } from '@modelpulse/core/catalog';
import { movesFigures, type FiguresRefreshed, type StatsLanded } from '@modelpulse/core/changes';
import { Clock } from '@modelpulse/core/clock';
import { DAY_MS, midnightAfter, utcDay } from '@modelpulse/core/days';
import { Metrics } from '@modelpulse/core/metrics';
import { ChangeChannel } from '@modelpulse/database';
import { ALL_TAG, cacheKey, modelTag } from './cache-key';

/**
 * JSON reads may be kept by browsers and proxies but must be asked again
 * each time (with their ETag, answered 304 while nothing changed): a write
 * shows at once. Embeds keep their own short max-age (embed-response.ts).
 */
export const JSON_READ_CACHE_CONTROL = 'public, no-cache';

/** What a kept answer costs beyond its body, key and headers: the entry, the index, the LRU's own bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 256;

/** How many ways of asking `remember` keeps, each at most so long, before it starts again: 4 MB at most. */
const REMEMBERED_READS = 4096;
const REMEMBERED_READ_CHARS = 512;

export interface Entry {
  /** The bytes, encoded once: a hit writes them as they are, as the bare server does. */
  body: Buffer;
  /** The answer's own headers (content type, ETag, Cache-Control, Link, CSP…), none of a client's. */
  headers: Record<string, string | string[]>;
  /** The headers of a 304 to a client that has these bytes: the same, without the body's type and length. */
  notModifiedHeaders: Record<string, string | string[]>;
  etag: string;
  /** The limit the read counts against, as the route's guard named it when the entry was filled. */
  limit: 'read' | 'embed';
  tag: string;
  /** The UTC day it was made on: answers that take "today" or "the latest complete day" change with it. */
  day: string;
}

/** A cacheable read as it was asked: its route pattern, its entry's name and its tag (cache-key.ts). */
export interface CachedRead {
  route: string;
  key: string;
  tag: string;
}

/** A miss that may fill an entry, if nothing changed while it was being answered. */
export interface Fill {
  key: string;
  tag: string;
  generation: number;
  day: string;
}

/** How a read was asked, as `remember` keeps it: the Accept header and the URL as they came. */
const askedAs = (url: string, accept: string | undefined): string => `${accept ?? ''}\n${url}`;

const sizeOf = (entry: Entry, key: string): number =>
  entry.body.length +
  Buffer.byteLength(key) +
  Buffer.byteLength(JSON.stringify(entry.headers)) +
  Buffer.byteLength(JSON.stringify(entry.notModifiedHeaders)) +
  ENTRY_OVERHEAD_BYTES;

/**
 * The response cache of this API process: public reads kept in memory
 * (lru-cache, bounded in bytes by RESPONSE_CACHE_MAX_BYTES), filled on a
 * first read from the database and dropped by the change feed, which every
 * API replica hears through LISTEN/NOTIFY. An entry is tagged with what it
 * depends on (one model, or everything: ranks, lists, families), and a
 * change drops the tags it reaches; where the reach is unclear it drops
 * everything. Nothing is served while the LISTEN connection is down, and
 * everything goes when it comes back (it may have missed changes) or when
 * the UTC day changes.
 */
@Injectable()
export class ResponseCache {
  readonly enabled: boolean;
  private readonly entries: LRUCache<string, Entry>;
  private readonly tagged = new Map<string, Set<string>>();
  /** Moves on every drop, so a read answered across a change does not keep what it read before it. */
  private generation = 0;
  private epoch: number | null = null;
  private readonly evictions: Counter<never>;
  /** Reads asked lately, by Accept and URL as asked: a hit parses and sorts its query once. */
  private readonly reads = new Map<string, CachedRead>();
  /** The UTC day of the last lookup and when it ends, so a lookup formats a date once a day. */
  private today = { day: '', endsAtMs: 0 };

  constructor(
    config: ConfigService<AllConfig, true>,
    private readonly channel: ChangeChannel,
    private readonly clock: Clock,
    private readonly catalog: CatalogQueries,
    metrics: Metrics,
  ) {
    const { enabled, maxBytes } = config.get('app.responseCache', { infer: true });
    this.enabled = enabled;
    this.evictions = metrics.counter({
      name: 'modelpulse_response_cache_evictions_total',
      help: 'Entries the response cache let go to stay within RESPONSE_CACHE_MAX_BYTES',
      labelNames: [],
    });
    this.entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      sizeCalculation: sizeOf,
      // An entry replaced under its key keeps its tag (the same URL, the same tag); any other goes from the index.
      dispose: (entry, key, reason) => {
        if (reason === 'set') return;
        this.untag(entry.tag, key);
        if (reason === 'evict') this.evictions.inc();
      },
    });
    metrics.gauge(
      'modelpulse_response_cache_bytes',
      'What the response cache holds, in bytes',
      () => this.entries.calculatedSize,
    );
    metrics.gauge('modelpulse_response_cache_entries', 'Answers the response cache holds', () => this.entries.size);
  }

  /**
   * The read a URL asked with this Accept was, as the hook that routed it
   * remembered it (`remember`): what the front door needs to answer it again
   * without routing it.
   */
  remembered(url: string, accept: string | undefined): CachedRead | undefined {
    return this.reads.get(askedAs(url, accept));
  }

  /** Names a cacheable read (cacheKey) and remembers it for the next one asked the same way. */
  remember(url: string, accept: string | undefined, route: string, tag: string): CachedRead {
    const read: CachedRead = { route, key: cacheKey(url, accept, route), tag };
    const asked = askedAs(url, accept);
    if (asked.length <= REMEMBERED_READ_CHARS) {
      if (this.reads.size >= REMEMBERED_READS) this.reads.clear();
      this.reads.set(asked, read);
    }
    return read;
  }

  /** The entry under `key` if it may be served now; how a miss may fill it otherwise (null: it may not). */
  lookup(key: string, tag: string): { entry: Entry } | { fill: Fill | null } {
    const epoch = this.channel.epoch;
    if (epoch !== this.epoch) {
      // Not listening, or listening on a new connection: what came in between is unknown.
      this.dropAll();
      this.epoch = epoch;
    }
    if (epoch === null) return { fill: null };
    const day = this.day();
    const entry = this.entries.get(key);
    if (entry && entry.day === day) return { entry };
    if (entry) this.entries.delete(key);
    return { fill: { key, tag, generation: this.generation, day } };
  }

  /** Keeps a 200 answered on a miss, unless a change came in while it was being answered. */
  store(fill: Fill, answer: Pick<Entry, 'body' | 'headers' | 'etag' | 'limit'>): void {
    if (fill.generation !== this.generation || this.channel.epoch !== this.epoch) return;
    if (this.day() !== fill.day) return;
    const notModifiedHeaders = { ...answer.headers };
    delete notModifiedHeaders['content-type'];
    const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
    this.entries.set(fill.key, { ...answer, headers, notModifiedHeaders, tag: fill.tag, day: fill.day });
    if (!this.entries.has(fill.key)) return;
    let keys = this.tagged.get(fill.tag);
    if (!keys) this.tagged.set(fill.tag, (keys = new Set()));
    keys.add(fill.key);
  }

  @OnEvent('catalog.changed')
  @OnEvent('model.renamed')
  @OnEvent('model.archived')
  @OnEvent('model.purged')
  catalogChanged(): void {
    // Catalogue fields show in lists, filters, families and ranks; renames, archives and purges move ids.
    this.dropAll();
  }

  @OnEvent('snapshot.computed')
  snapshotComputed(): void {
    this.drop(ALL_TAG);
  }

  /**
   * Readings and events move their models' own figures and, unless they
   * are tracked-link clicks alone, every rank and list. The models' ids are
   * looked up; any that cannot be found (purged, or the database out of
   * reach) drops everything.
   */
  @OnEvent('stats.landed')
  async statsLanded(change: StatsLanded): Promise<void> {
    if (!this.enabled) return;
    this.generation += 1;
    if (movesFigures(change)) this.drop(ALL_TAG);
    await this.dropModels(change.modelIds);
  }

  /** The models' figures were refreshed after a landing (ModelStatsFolder): every list and their own entries. */
  @OnEvent('stats.figures')
  async figuresRefreshed(change: FiguresRefreshed): Promise<void> {
    if (!this.enabled) return;
    this.drop(ALL_TAG);
    await this.dropModels(change.modelIds);
  }

  private async dropModels(modelIds: string[]): Promise<void> {
    // Nothing kept is tagged with a model: no need to look their ids up (a stream of writes, no reads).
    if (this.tagged.size === 0) return;
    const ids = [...new Set(modelIds)];
    try {
      const models = await this.catalog.trackedByIds(ids);
      if (models.size < ids.length) this.dropAll();
      else for (const model of models.values()) this.drop(modelTag(model.slug));
    } catch {
      this.dropAll();
    }
  }

  private day(): string {
    const nowMs = this.clock.now().getTime();
    const { today } = this;
    if (nowMs >= today.endsAtMs || nowMs < today.endsAtMs - DAY_MS) {
      today.day = utcDay(new Date(nowMs));
      today.endsAtMs = midnightAfter(today.day).getTime();
    }
    return today.day;
  }

  private drop(tag: string): void {
    this.generation += 1;
    const keys = this.tagged.get(tag);
    if (!keys) return;
    this.tagged.delete(tag);
    for (const key of keys) this.entries.delete(key);
  }

  private dropAll(): void {
    this.generation += 1;
    this.entries.clear();
    this.tagged.clear();
  }

  private untag(tag: string, key: string): void {
    const keys = this.tagged.get(tag);
    keys?.delete(key);
    if (keys?.size === 0) this.tagged.delete(tag);
  }
}
