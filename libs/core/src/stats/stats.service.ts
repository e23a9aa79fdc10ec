import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvalidReferenceError } from '../catalog/catalog.errors';
import { ModelsService } from '../catalog/models.service';
import { Clock } from '../clock/clock';
import { sourceDailySeries, sourceDailySeriesAfter, utcDay } from './daily-series';
import type { BatchResultDto, RejectedItemDto } from './dto/batch-result.dto';
import type { Metric, StatsSeriesDto } from './dto/stats-series.dto';
import type { ObservationOrigin } from './entities/observation.entity';
import { parseEvent, parseObservation, type EventItem, type ObservationItem } from './ingest-items';
import { addDays, bucket, daysBetween, fillDays, type Interval } from './series';
import { StatsRepository, type EventRow, type ObservationRow, type SeriesSelection } from './stats.repository';

export interface SeriesQuery {
  metric: Metric;
  interval: Interval;
  from?: string;
  to?: string;
  source?: string;
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
    private readonly stats: StatsRepository,
    private readonly clock: Clock,
    private readonly models: ModelsService,
  ) {}

  /** Checks, stores and differences a batch of counter readings; bad items are rejected alone. */
  async recordObservations(items: unknown[], origin: ObservationOrigin): Promise<BatchResultDto> {
    const now = this.clock.now();
    const rejected: RejectedItemDto[] = [];
    const parsed: { index: number; item: ObservationItem }[] = [];
    items.forEach((raw, index) => {
      const result = parseObservation(raw, now);
      if (result.ok) parsed.push({ index, item: result.value });
      else rejected.push({ index, field: result.error.field, error: result.error.message });
    });
    const models = await this.stats.findTracked(parsed.map((p) => p.item.model));
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
    const today = utcDay(this.clock.now());
    const accepted = await this.stats.transaction(async (manager) => {
      const candidates = [...unique.values()];
      await this.stats.lockSeries(
        manager,
        candidates.map((c) => c.row),
      );
      const stored = new Map(
        (
          await this.stats.findObservations(
            manager,
            candidates.map((c) => c.row),
          )
        ).map((r) => [naturalKey(r), r]),
      );
      const fresh: ObservationRow[] = [];
      for (const { index, row } of candidates) {
        const existing = stored.get(naturalKey(row));
        if (!existing) fresh.push(row);
        else if (sameCounters(existing, row)) duplicates++;
        else rejected.push(conflict(index, 'a reading with other values is stored for this model, source and time'));
      }
      await this.stats.insertObservations(manager, fresh, origin);
      await this.recompute(manager, fresh, today);
      return fresh.length;
    });
    return { accepted, duplicates, rejected };
  }

  /**
   * Recomputes the days the fresh readings touch. A series carries on from
   * the checkpoint at the end of the last day before the earliest fresh
   * reading, so an hourly sync reads a day of readings, not the whole
   * history; a series with a large drop before that day is recomputed whole.
   */
  private async recompute(manager: EntityManager, fresh: ObservationRow[], today: string): Promise<void> {
    const earliest = new Map<string, { modelId: string; source: string; freshFrom: Date }>();
    for (const row of fresh) {
      const key = `${row.modelId}|${row.source}`;
      const known = earliest.get(key);
      if (!known || row.observedAt < known.freshFrom) {
        earliest.set(key, { modelId: row.modelId, source: row.source, freshFrom: row.observedAt });
      }
    }
    const keys = [...earliest.values()];
    const models = await this.stats.findTrackedByIds(manager, [...new Set(keys.map((k) => k.modelId))]);
    const checkpoints = await this.stats.checkpoints(manager, keys);
    const since = keys.map((k, i) => (checkpoints[i] ? new Date(`${utcDay(k.freshFrom)}T00:00:00Z`) : null));
    let readings = await this.stats.readingsOf(
      manager,
      keys.map((k, i) => ({ ...k, since: since[i] })),
    );
    // A young model's readings without an all-time figure need the model's age: only a full pass knows it.
    const young = keys.map(
      (_, i) =>
        checkpoints[i] !== null &&
        checkpoints[i].baseline.downloadsAllTime === null &&
        readings[i].some((r) => r.downloadsAllTime === null && r.downloads30d !== null),
    );
    if (young.some(Boolean)) {
      const full = await this.stats.readingsOf(
        manager,
        keys.filter((_, i) => young[i]).map((k) => ({ ...k, since: null })),
      );
      readings = readings.map((r, i) => (young[i] ? full.shift()! : r));
    }
    await this.stats.replaceDailySeries(
      manager,
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
    await this.stats.refreshModelStats(manager, [...models.keys()], today);
  }

  /** Stores a batch of our own download events, each counted once per sending key. */
  async recordEvents(items: unknown[], keyId: string): Promise<BatchResultDto> {
    const now = this.clock.now();
    const rejected: RejectedItemDto[] = [];
    const parsed: { index: number; item: EventItem }[] = [];
    items.forEach((raw, index) => {
      const result = parseEvent(raw, now);
      if (result.ok) parsed.push({ index, item: result.value });
      else rejected.push({ index, field: result.error.field, error: result.error.message });
    });
    const models = await this.stats.findTracked(parsed.map((p) => p.item.model));
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
    const accepted = await this.stats.transaction(async (manager) => {
      const fresh = await this.stats.insertEvents(manager, [...rows.values()]);
      await this.countEvents(manager, fresh, new Map(), utcDay(now));
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
    await this.stats.transaction(async (manager) => {
      const salt = await this.stats.saltOf(manager, day, randomBytes(32));
      const hash = createHash('sha256').update(salt).update(visitor).digest();
      const isNew = await this.stats.addVisitor(manager, modelId, day, hash);
      const [event] = await this.stats.insertEvents(manager, [
        { keyId: 'link', eventId: randomBytes(16).toString('hex'), modelId, source: 'link', occurredAt: now, variant },
      ]);
      await this.countEvents(manager, [event], new Map([[modelId, isNew ? 1 : 0]]), day);
    });
  }

  private async countEvents(
    manager: EntityManager,
    events: EventRow[],
    newVisitors: Map<string, number>,
    today: string,
  ): Promise<void> {
    const counts = new Map<string, { modelId: string; source: EventRow['source']; day: string; downloads: number }>();
    for (const event of events) {
      const day = utcDay(event.occurredAt);
      const key = `${event.modelId}|${event.source}|${day}`;
      const count = counts.get(key) ?? { modelId: event.modelId, source: event.source, day, downloads: 0 };
      count.downloads++;
      counts.set(key, count);
    }
    await this.stats.addEventDays(
      manager,
      [...counts.values()].map((c) => ({
        ...c,
        uniques: c.source === 'link' ? (newVisitors.get(c.modelId) ?? 0) : null,
      })),
    );
    // Link clicks are never downloads, so they change none of the figures model_stats holds.
    const counted = events.filter((e) => e.source !== 'link').map((e) => e.modelId);
    await this.stats.refreshModelStats(manager, [...new Set(counted)], today);
  }

  /** A model's daily series of one metric, summed per period. */
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
    const first = await this.stats.firstDay(model.id, selection);
    const start = first === null || first > from ? first : from;
    const days =
      start === null || start > to
        ? []
        : fillDays(await this.stats.dailyRows(model.id, selection, start, to), start, to);
    const points = bucket(days, query.interval);
    return {
      model: model.slug,
      metric: query.metric,
      interval: query.interval,
      source: query.source ?? null,
      from,
      to,
      points,
      total: points.reduce((sum, p) => sum + p.value, 0),
    };
  }

  /** The daily roll-up: refreshes every model's 7- and 30-day windows and forgets old visitor salts. */
  async rollup(): Promise<{ models: number; saltsDropped: number }> {
    const today = utcDay(this.clock.now());
    const ids = await this.stats.modelsWithStats();
    await this.stats.transaction((manager) => this.stats.refreshModelStats(manager, ids, today));
    const saltsDropped = await this.stats.dropSaltsBefore(addDays(today, -1));
    return { models: ids.length, saltsDropped };
  }
}

const conflict = (index: number, error: string): RejectedItemDto => ({ index, field: 'observedAt', error });

function selectionOf(metric: Metric, source: string | undefined): SeriesSelection {
  switch (metric) {
    case 'clicks':
    case 'uniqueDownloaders':
      if (source !== undefined && source !== 'link') {
        throw new InvalidReferenceError('source', `${metric} are counted on tracked links only (source=link)`);
      }
      return { column: metric === 'clicks' ? 'downloads' : 'unique_downloaders', source: { only: 'link' } };
    case 'downloads':
    case 'likes':
    case 'stars':
      // Link clicks lead to a hub we also count, so they never add to downloads.
      return { column: metric, source: source === undefined ? { except: ['link'] } : { only: source } };
  }
}
