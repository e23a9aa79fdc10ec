import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { retryingTransaction, TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { CatalogQueries, InvalidReferenceError, ModelsService } from '../catalog';
import { ChangeFeed } from '../changes';
import { Clock } from '../clock';
import { addDays, daysBetween, startOfDay, utcDay } from '../days';
import { DailyStatsRepository } from './daily-stats.repository';
import { sourceDailySeries, sourceDailySeriesAfter } from './daily-series';
import type { BatchResultDto, RejectedItemDto } from './dto/batch-result.dto';
import type { Metric, StatsSeriesDto } from './dto/stats-series.dto';
import type { ObservationOrigin } from './entities/observation.entity';
import {
  DEMO_SOURCE,
  EVENTS_SOURCE,
  isSourceName,
  parseEvent,
  parseObservation,
  type EventItem,
  type ObservationItem,
} from './ingest-items';
import { SourceNotGrantedError } from './stats.errors';
import { bucket, fillDays, seriesTotal, type Interval } from './series';
import { selectionOf, seriesStart } from './series-selection';
import { EventRepository, type EventRow } from './event.repository';
import { ModelStatsRepository } from './model-stats.repository';
import { ReadingRepository, type ObservationRow } from './reading.repository';

export interface SeriesQuery {
  metric: Metric;
  interval: Interval;
  from?: string;
  to?: string;
  source?: string;
}

/** The sources a writer may post readings for: a key's own list, or every source (the operator, the CLI). */
export type SourceGrant = readonly string[] | 'all';

/**
 * The first well-formed source of the batch the grant does not cover: such
 * a batch is refused whole, so a key never learns which of its items would
 * have gone in. Malformed sources are left to the item checks.
 */
function ungrantedSource(items: unknown[], grant: SourceGrant): string | null {
  if (grant === 'all') return null;
  for (const raw of items) {
    const source = (raw as { source?: unknown } | null)?.source;
    if (isSourceName(source) && !grant.includes(source)) return source;
  }
  return null;
}

/** How far back a series goes when `from` is not given, per interval. */
const DEFAULT_SPAN_DAYS: Record<Interval, number> = { day: 90, week: 7 * 26, month: 365 * 2 };
/** The longest series one request may ask for. */
export const MAX_SPAN_DAYS = 3660;

const sameCounters = (a: ObservationRow, b: ObservationRow) =>
  a.downloadsAllTime === b.downloadsAllTime &&
  a.downloads30d === b.downloads30d &&
  a.likes === b.likes &&
  a.stars === b.stars &&
  a.forks === b.forks;

const naturalKey = (r: { modelId: string; source: string; observedAt: Date }) =>
  `${r.modelId}|${r.source}|${r.observedAt.getTime()}`;

/** Counters in, daily series out: every path that stores a reading or an event goes through here. */
@Injectable()
export class StatsService {
  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly readings: ReadingRepository,
    private readonly daily: DailyStatsRepository,
    private readonly events: EventRepository,
    private readonly modelStats: ModelStatsRepository,
    private readonly clock: Clock,
    private readonly models: ModelsService,
    private readonly catalog: CatalogQueries,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * Checks, stores and differences a batch of counter readings; bad items are
   * rejected alone, but a source the writer may not write refuses the batch.
   */
  async recordObservations(items: unknown[], origin: ObservationOrigin, grant: SourceGrant): Promise<BatchResultDto> {
    const ungranted = ungrantedSource(items, grant);
    if (ungranted !== null) throw new SourceNotGrantedError(ungranted, grant as readonly string[]);
    const now = this.clock.now();
    const rejected: RejectedItemDto[] = [];
    const parsed: { index: number; item: ObservationItem }[] = [];
    items.forEach((raw, index) => {
      const result = parseObservation(raw, now);
      if (result.ok) parsed.push({ index, item: result.value });
      else rejected.push({ index, field: result.error.field, error: result.error.message });
    });
    const models = await this.catalog.trackedBySlugs(parsed.map((p) => p.item.model));
    const rows: { index: number; row: ObservationRow }[] = [];
    for (const { index, item } of parsed) {
      const model = models.get(item.model.toLowerCase());
      if (!model) {
        rejected.push({ index, field: 'model', error: `unknown model "${item.model}"` });
        continue;
      }
      const { model: _slug, ...counters } = item;
      rows.push({ index, row: { modelId: model.id, ...counters } });
    }
    const outcome = await this.storeReadings(rows, origin);
    return {
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: [...rejected, ...outcome.rejected].sort((a, b) => a.index - b.index),
    };
  }

  /** Each model's last rolling 30-day downloads from `source`, where a reading carried one (the sync's guide to the hub's top list). */
  latestDownloads30d(source: string, modelIds: string[]): Promise<Map<string, number>> {
    return this.readings.latestDownloads30d(source, modelIds);
  }

  /**
   * Stores readings for known models (the sync jobs call this directly) and
   * recomputes the daily series of every model and source they touch.
   */
  async storeReadings(
    rows: { index: number; row: ObservationRow }[],
    origin: ObservationOrigin,
  ): Promise<{ accepted: number; duplicates: number; rejected: RejectedItemDto[] }> {
    const rejected: RejectedItemDto[] = [];
    let duplicates = 0;
    const unique = new Map<string, { index: number; row: ObservationRow }>();
    for (const entry of rows) {
      const key = naturalKey(entry.row);
      const earlier = unique.get(key);
      if (!earlier) unique.set(key, entry);
      else if (sameCounters(earlier.row, entry.row)) duplicates++;
      else rejected.push(conflict(entry.index, `other values than item ${earlier.index} for the same time`));
    }
    if (unique.size === 0) return { accepted: 0, duplicates, rejected };
    // An attempt PostgreSQL aborts runs again from the start, so it counts into its own tallies.
    const stored = await retryingTransaction(this.transactions, async () => {
      const candidates = [...unique.values()];
      await this.readings.lockSeries(candidates.map((c) => c.row));
      // Inserted first, so a batch of new readings (the usual one) is one statement; only the readings
      // whose key was taken are read back, to tell a duplicate from a conflict.
      const went = await this.readings.insertObservations(
        candidates.map((c) => c.row),
        origin,
      );
      const fresh = candidates.filter((_, i) => went[i]).map((c) => c.row);
      const taken = candidates.filter((_, i) => !went[i]);
      const existing = new Map(
        (await this.readings.findObservations(taken.map((c) => c.row))).map((r) => [naturalKey(r), r]),
      );
      const tally = { duplicates: 0, rejected: [] as RejectedItemDto[] };
      for (const { index, row } of taken) {
        if (sameCounters(existing.get(naturalKey(row))!, row)) tally.duplicates++;
        else
          tally.rejected.push(conflict(index, 'a reading with other values is stored for this model, source and time'));
      }
      const evicted = await this.evictDemo(fresh.filter((r) => r.source !== DEMO_SOURCE).map((r) => r.modelId));
      await this.recompute(fresh);
      await this.landed([
        ...fresh.map((r) => ({ modelId: r.modelId, source: r.source, at: r.observedAt })),
        ...evicted,
      ]);
      return { accepted: fresh.length, ...tally };
    });
    return {
      accepted: stored.accepted,
      duplicates: duplicates + stored.duplicates,
      rejected: [...rejected, ...stored.rejected],
    };
  }

  /**
   * Recomputes the days the fresh readings touch (the models' figures follow
   * through ModelStatsFolder, after the commit). A series carries on from
   * the checkpoint at the end of the last day before the earliest fresh
   * reading, so an hourly sync reads a day of readings, not the whole
   * history; a series with a large drop before that day is recomputed whole.
   */
  private async recompute(fresh: ObservationRow[]): Promise<void> {
    const earliest = new Map<string, { modelId: string; source: string; freshFrom: Date }>();
    for (const row of fresh) {
      const key = `${row.modelId}|${row.source}`;
      const known = earliest.get(key);
      if (!known || row.observedAt < known.freshFrom) {
        earliest.set(key, { modelId: row.modelId, source: row.source, freshFrom: row.observedAt });
      }
    }
    const keys = [...earliest.values()];
    const models = await this.catalog.trackedByIds([...new Set(keys.map((k) => k.modelId))]);
    const checkpoints = await this.readings.checkpoints(keys);
    const since = keys.map((k, i) => (checkpoints[i] ? startOfDay(utcDay(k.freshFrom)) : null));
    let readings = await this.readings.readingsOf(keys.map((k, i) => ({ ...k, since: since[i] })));
    // A young model's readings without an all-time figure need the model's age: only a full pass knows it.
    const young = keys.map(
      (_, i) =>
        checkpoints[i] !== null &&
        checkpoints[i].baseline.downloadsAllTime === null &&
        readings[i].some((r) => r.downloadsAllTime === null && r.downloads30d !== null),
    );
    if (young.some(Boolean)) {
      const full = await this.readings.readingsOf(keys.filter((_, i) => young[i]).map((k) => ({ ...k, since: null })));
      readings = readings.map((r, i) => (young[i] ? full.shift()! : r));
    }
    await this.daily.replaceDailySeries(
      keys.map(({ modelId, source }, i) => {
        const checkpoint = young[i] ? null : checkpoints[i];
        return checkpoint
          ? { modelId, source, afterDay: checkpoint.day, days: sourceDailySeriesAfter(checkpoint, readings[i]) }
          : {
              modelId,
              source,
              afterDay: null,
              days: sourceDailySeries(readings[i], models.get(modelId)?.bornAt ?? null),
            };
      }),
    );
  }

  /**
   * Demo figures stand in only for models no other source counts: a model's
   * first real reading or download takes its demo history away, in the same
   * transaction. Answers what went, for the change feed.
   */
  private async evictDemo(modelIds: string[]): Promise<{ modelId: string; source: string; at: Date }[]> {
    if (modelIds.length === 0) return [];
    const gone = await this.readings.deleteSource(DEMO_SOURCE, [...new Set(modelIds)]);
    if (gone.length === 0) return [];
    await this.daily.deleteSource(
      DEMO_SOURCE,
      gone.map((g) => g.modelId),
    );
    return gone.map((g) => ({ modelId: g.modelId, source: DEMO_SOURCE, at: g.firstAt }));
  }

  /** Tells the change feed, with the transaction, which models and sources got figures from which first day. */
  private async landed(figures: { modelId: string; source: string; at: Date }[]): Promise<void> {
    if (figures.length === 0) return;
    const fromDay = figures.map((f) => utcDay(f.at)).reduce((first, day) => (day < first ? day : first));
    await this.changes.publish({
      type: 'stats.landed',
      modelIds: [...new Set(figures.map((f) => f.modelId))],
      sources: [...new Set(figures.map((f) => f.source))].sort(),
      fromDay,
    });
  }

  /** Stores a batch of our own download events, each counted once per sending key (made for `events`). */
  async recordEvents(items: unknown[], keyId: string, grant: SourceGrant): Promise<BatchResultDto> {
    if (grant !== 'all' && !grant.includes(EVENTS_SOURCE)) throw new SourceNotGrantedError(EVENTS_SOURCE, grant);
    const now = this.clock.now();
    const rejected: RejectedItemDto[] = [];
    const parsed: { index: number; item: EventItem }[] = [];
    items.forEach((raw, index) => {
      const result = parseEvent(raw, now);
      if (result.ok) parsed.push({ index, item: result.value });
      else rejected.push({ index, field: result.error.field, error: result.error.message });
    });
    const models = await this.catalog.trackedBySlugs(parsed.map((p) => p.item.model));
    const rows = new Map<string, EventRow>();
    let duplicates = 0;
    for (const { index, item } of parsed) {
      const model = models.get(item.model.toLowerCase());
      if (!model) {
        rejected.push({ index, field: 'model', error: `unknown model "${item.model}"` });
      } else if (rows.has(item.id)) {
        duplicates++;
      } else {
        rows.set(item.id, {
          keyId,
          eventId: item.id,
          modelId: model.id,
          source: 'events',
          occurredAt: item.occurredAt ?? now,
          variant: item.variant,
        });
      }
    }
    const accepted = await retryingTransaction(this.transactions, async () => {
      const fresh = await this.events.insertEvents([...rows.values()]);
      await this.countEvents(fresh, new Map());
      return fresh.length;
    });
    return {
      accepted,
      duplicates: duplicates + rows.size - accepted,
      rejected: rejected.sort((a, b) => a.index - b.index),
    };
  }

  /**
   * Counts one click on a model's tracked link. The visitor (address and
   * user agent) is kept only as a hash salted with the day's salt.
   */
  async recordLinkClick(modelId: string, visitor: string, variant: string | null): Promise<void> {
    const now = this.clock.now();
    const day = utcDay(now);
    await retryingTransaction(this.transactions, async () => {
      const salt = await this.events.saltOf(day, randomBytes(32));
      const hash = createHash('sha256').update(salt).update(visitor).digest();
      const isNew = await this.events.addVisitor(modelId, day, hash);
      const [event] = await this.events.insertEvents([
        { keyId: 'link', eventId: randomBytes(16).toString('hex'), modelId, source: 'link', occurredAt: now, variant },
      ]);
      await this.countEvents([event], new Map([[modelId, isNew ? 1 : 0]]));
    });
  }

  private async countEvents(events: EventRow[], newVisitors: Map<string, number>): Promise<void> {
    // Link clicks are never downloads, so they take no demo history away. Evicted and announced (the
    // change feed sends at commit) before the days are counted: concurrent batches of the same models
    // wait for each other from that upsert to the commit, so nothing else is done in between.
    const evicted = await this.evictDemo(events.filter((e) => e.source !== 'link').map((e) => e.modelId));
    await this.landed([...events.map((e) => ({ modelId: e.modelId, source: e.source, at: e.occurredAt })), ...evicted]);
    const counts = new Map<string, { modelId: string; source: EventRow['source']; day: string; downloads: number }>();
    for (const event of events) {
      const day = utcDay(event.occurredAt);
      const key = `${event.modelId}|${event.source}|${day}`;
      const count = counts.get(key) ?? { modelId: event.modelId, source: event.source, day, downloads: 0 };
      count.downloads++;
      counts.set(key, count);
    }
    await this.daily.addEventDays(
      [...counts.values()].map((c) => ({
        ...c,
        uniques: c.source === 'link' ? (newVisitors.get(c.modelId) ?? 0) : null,
      })),
    );
  }

  /** A model's daily series of one metric, summed per period; a day no source has a figure for is null. */
  async series(slug: string, query: SeriesQuery): Promise<StatsSeriesDto> {
    const model = await this.models.resolve(slug);
    const today = utcDay(this.clock.now());
    const to = query.to === undefined || query.to > today ? today : query.to;
    const from = query.from ?? addDays(to, -(DEFAULT_SPAN_DAYS[query.interval] - 1));
    if (from > to) throw new InvalidReferenceError('from', 'from must not be after to');
    if (daysBetween(from, to) >= MAX_SPAN_DAYS) {
      throw new InvalidReferenceError('from', `a series spans at most ${MAX_SPAN_DAYS} days`);
    }
    const selection = selectionOf(query.metric, query.source);
    const first = await this.daily.firstDays(model.id, selection);
    const start = seriesStart(first.first, from, to);
    const days =
      start === null
        ? []
        : fillDays(await this.daily.dailyRows(model.id, selection, start, to), start, to, first.counted);
    const points = bucket(days, query.interval);
    const demoSelected = !('only' in selection.source) || selection.source.only === DEMO_SOURCE;
    return {
      model: model.slug,
      metric: query.metric,
      interval: query.interval,
      source: query.source ?? null,
      from,
      to,
      points,
      ...seriesTotal(points),
      demo: demoSelected && (await this.daily.hasSource(model.id, DEMO_SOURCE)),
    };
  }

  /**
   * Refreshes the figures of models whose readings or events landed
   * (ModelStatsFolder calls this after their writes commit) and tells the
   * change feed, with the transaction, whose figures moved.
   */
  async refreshFigures(modelIds: string[]): Promise<void> {
    const today = utcDay(this.clock.now());
    await retryingTransaction(this.transactions, async () => {
      await this.modelStats.refreshModelStats(modelIds, today);
      await this.changes.publish({ type: 'stats.figures', modelIds });
    });
  }

  /** The daily roll-up: refreshes every model's 7- and 30-day windows and forgets old visitor salts. */
  async rollup(): Promise<{ models: number; saltsDropped: number }> {
    const today = utcDay(this.clock.now());
    const ids = await this.daily.modelsWithStats();
    await retryingTransaction(this.transactions, () => this.modelStats.refreshModelStats(ids, today));
    const saltsDropped = await this.events.dropSaltsBefore(addDays(today, -1));
    return { models: ids.length, saltsDropped };
  }

  /** Gives the catalogue's figures the trending ranks and scores of a ranking; models not in it have none. */
  setTrending(ranked: { modelId: string; rank: number; score: number }[]): Promise<void> {
    return retryingTransaction(this.transactions, () => this.modelStats.setTrending(ranked));
  }
}

const conflict = (index: number, error: string): RejectedItemDto => ({ index, field: 'observedAt', error });
