import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { SeriesCheckpoint, SourceDay, SourceReading } from './daily-series';
import type { ObservationOrigin } from './entities/observation.entity';
import type { EventSource } from './entities/download-event.entity';

export interface TrackedModel {
  id: string;
  slug: string;
  /** When the model appeared upstream (or its release date): decides whether a 30-day figure is all-time. */
  bornAt: Date | null;
}

export interface ObservationRow extends SourceReading {
  modelId: string;
  source: string;
  forks: number | null;
}

export interface EventRow {
  keyId: string;
  eventId: string;
  modelId: string;
  source: EventSource;
  occurredAt: Date;
  variant: string | null;
}

export interface SeriesRow {
  day: string;
  value: number;
  imputed: boolean;
  flags: string[];
}

/** Which daily column a metric reads, and from which sources. */
export interface SeriesSelection {
  column: 'downloads' | 'likes' | 'stars' | 'unique_downloaders';
  /** One source, or every source but these. */
  source: { only: string } | { except: string[] };
}

/** When a model appeared: the hub's creation time when imported, else its release date. */
export const BORN_AT_SQL = `COALESCE((b.imported->>'createdAt')::timestamptz, m.release_date::timestamptz)`;

const num = (value: string | number | null): number | null => (value === null ? null : Number(value));

@Injectable()
export class StatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Live models by id, in any letter case, keyed by the lower-cased id. */
  async findTracked(
    slugs: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, TrackedModel>> {
    if (slugs.length === 0) return new Map();
    // An id a model had before an upstream rename still reaches it: mirrors keep posting under old names.
    const rows: { asked: string; id: string; slug: string; born_at: Date | null }[] = await manager.query(
      `SELECT lower(m.slug) AS asked, m.id, m.slug, ${BORN_AT_SQL} AS born_at
         FROM models m
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
        WHERE lower(m.slug) = ANY($1::text[]) AND m.archived_at IS NULL
       UNION ALL
       SELECT lower(a.slug), m.id, m.slug, ${BORN_AT_SQL}
         FROM model_aliases a
         JOIN models m ON m.id = a.model_id AND m.archived_at IS NULL
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
        WHERE lower(a.slug) = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM models live WHERE lower(live.slug) = lower(a.slug) AND live.archived_at IS NULL)`,
      [[...new Set(slugs.map((s) => s.toLowerCase()))]],
    );
    return new Map(rows.map((r) => [r.asked, { id: r.id, slug: r.slug, bornAt: r.born_at }]));
  }

  /** Models by internal id, with when they were born. */
  async findTrackedByIds(manager: EntityManager, ids: string[]): Promise<Map<string, TrackedModel>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; slug: string; born_at: Date | null }[] = await manager.query(
      `SELECT m.id, m.slug, ${BORN_AT_SQL} AS born_at
         FROM models m
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
        WHERE m.id = ANY($1::bigint[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, slug: r.slug, bornAt: r.born_at }]));
  }

  /**
   * Serialises writers of the same model and source, so a recomputation
   * always sees every reading committed before it. Locks are taken in a
   * fixed order, so two batches never deadlock.
   */
  async lockSeries(manager: EntityManager, keys: { modelId: string; source: string }[]): Promise<void> {
    const ordered = [...new Set(keys.map((k) => `series:${k.modelId}:${k.source}`))].sort();
    await manager.query(
      'SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest($1::text[]) WITH ORDINALITY AS u(k, n) ORDER BY n',
      [ordered],
    );
  }

  /** Stored readings with the same natural keys as these. */
  async findObservations(
    manager: EntityManager,
    keys: { modelId: string; source: string; observedAt: Date }[],
  ): Promise<ObservationRow[]> {
    if (keys.length === 0) return [];
    const rows: RawObservation[] = await manager.query(
      `SELECT o.model_id, o.source, o.observed_at, o.downloads_all_time, o.downloads_30d, o.likes, o.stars, o.forks
         FROM observations o
         JOIN unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS k(model_id, source, observed_at)
           ON o.model_id = k.model_id AND o.source = k.source AND o.observed_at = k.observed_at`,
      [keys.map((k) => k.modelId), keys.map((k) => k.source), keys.map((k) => k.observedAt.toISOString())],
    );
    return rows.map(toObservation);
  }

  /** Inserts readings; ones whose natural key is taken are left alone. Answers how many went in. */
  async insertObservations(manager: EntityManager, rows: ObservationRow[], origin: ObservationOrigin): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO observations (model_id, source, observed_at, downloads_all_time, downloads_30d, likes, stars, forks, origin)
       SELECT *, $9 FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[],
                                $6::int[], $7::int[], $8::int[])
       ON CONFLICT (model_id, source, observed_at) DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.modelId),
        rows.map((r) => r.source),
        rows.map((r) => r.observedAt.toISOString()),
        rows.map((r) => r.downloadsAllTime),
        rows.map((r) => r.downloads30d),
        rows.map((r) => r.likes),
        rows.map((r) => r.stars),
        rows.map((r) => r.forks),
        origin,
      ],
    );
    return inserted.length;
  }

  /** The readings of each (model, source), all of them or those from its `since` on, in time order. */
  async readingsOf(
    manager: EntityManager,
    keys: { modelId: string; source: string; since: Date | null }[],
  ): Promise<ObservationRow[][]> {
    if (keys.length === 0) return [];
    const rows: (RawObservation & { n: string })[] = await manager.query(
      `SELECT k.n, o.model_id, o.source, o.observed_at, o.downloads_all_time, o.downloads_30d, o.likes, o.stars, o.forks
         FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS k(model_id, source, since, n)
         JOIN observations o ON o.model_id = k.model_id AND o.source = k.source
                            AND (k.since IS NULL OR o.observed_at >= k.since)
        ORDER BY k.n, o.observed_at`,
      [keys.map((k) => k.modelId), keys.map((k) => k.source), keys.map((k) => k.since?.toISOString() ?? null)],
    );
    const out: ObservationRow[][] = keys.map(() => []);
    for (const row of rows) out[Number(row.n) - 1].push(toObservation(row));
    return out;
  }

  /**
   * Where each series stood at the end of the last day with a reading before
   * the day of `freshFrom`, or null when it must be recomputed from its first
   * reading: no earlier reading, a large drop before (its confirmation may
   * depend on later readings), or counters that did not come together.
   */
  async checkpoints(
    manager: EntityManager,
    keys: { modelId: string; source: string; freshFrom: Date }[],
  ): Promise<(SeriesCheckpoint | null)[]> {
    if (keys.length === 0) return [];
    const rows: {
      observed_at: Date | null;
      downloads_all_time: string | null;
      likes: number | null;
      stars: number | null;
      mark: string | null;
      thirty_only: boolean | null;
      any_likes: boolean | null;
      any_stars: boolean | null;
      dirty: boolean;
    }[] = await manager.query(
      `SELECT last.observed_at, last.downloads_all_time, last.likes, last.stars,
              agg.mark, agg.thirty_only, agg.any_likes, agg.any_stars,
              EXISTS (SELECT 1 FROM daily_stats d
                       WHERE d.model_id = k.model_id AND d.source = k.source AND d.day < k.cut::date
                         AND d.flags && ARRAY['held_back', 'reset']) AS dirty
         FROM (SELECT model_id, source, date_trunc('day', fresh_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cut, n
                 FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS u(model_id, source, fresh_from, n)) k
         LEFT JOIN LATERAL (
           SELECT o.observed_at, o.downloads_all_time, o.likes, o.stars FROM observations o
            WHERE o.model_id = k.model_id AND o.source = k.source AND o.observed_at < k.cut
            ORDER BY o.observed_at DESC LIMIT 1) last ON true
         LEFT JOIN LATERAL (
           SELECT max(o.downloads_all_time) AS mark,
                  bool_or(o.downloads_all_time IS NULL AND o.downloads_30d IS NOT NULL) AS thirty_only,
                  bool_or(o.likes IS NOT NULL) AS any_likes, bool_or(o.stars IS NOT NULL) AS any_stars
             FROM observations o
            WHERE o.model_id = k.model_id AND o.source = k.source AND o.observed_at < k.cut) agg ON true
        ORDER BY k.n`,
      [keys.map((k) => k.modelId), keys.map((k) => k.source), keys.map((k) => k.freshFrom.toISOString())],
    );
    return rows.map((r) => {
      if (r.observed_at === null || r.dirty) return null;
      const downloadsTogether = r.mark === null ? !r.thirty_only : r.downloads_all_time !== null;
      const likesTogether = !r.any_likes || r.likes !== null;
      const starsTogether = !r.any_stars || r.stars !== null;
      if (!downloadsTogether || !likesTogether || !starsTogether) return null;
      return {
        day: r.observed_at.toISOString().slice(0, 10),
        baseline: {
          observedAt: r.observed_at,
          downloadsAllTime: num(r.mark),
          downloads30d: null,
          likes: r.likes,
          stars: r.stars,
        },
      };
    });
  }

  /**
   * Replaces the daily figures of counter sources with freshly computed
   * ones: all of a series, or its days after `afterDay`.
   */
  async replaceDailySeries(
    manager: EntityManager,
    series: { modelId: string; source: string; afterDay: string | null; days: SourceDay[] }[],
  ): Promise<void> {
    if (series.length === 0) return;
    await manager.query(
      `DELETE FROM daily_stats d USING unnest($1::bigint[], $2::text[], $3::date[]) AS k(model_id, source, after_day)
        WHERE d.model_id = k.model_id AND d.source = k.source AND (k.after_day IS NULL OR d.day > k.after_day)`,
      [series.map((s) => s.modelId), series.map((s) => s.source), series.map((s) => s.afterDay)],
    );
    const rows = series.flatMap((s) => s.days.map((day) => ({ modelId: s.modelId, source: s.source, ...day })));
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO daily_stats (model_id, source, day, downloads, likes, stars, imputed, flags)
       SELECT d.model_id, d.source, d.day, d.downloads, d.likes, d.stars,
              ARRAY(SELECT jsonb_array_elements_text(d.imputed)), ARRAY(SELECT jsonb_array_elements_text(d.flags))
         FROM unnest($1::bigint[], $2::text[], $3::date[], $4::bigint[], $5::int[], $6::int[], $7::jsonb[], $8::jsonb[])
           AS d(model_id, source, day, downloads, likes, stars, imputed, flags)`,
      [
        rows.map((r) => r.modelId),
        rows.map((r) => r.source),
        rows.map((r) => r.day),
        rows.map((r) => r.downloads),
        rows.map((r) => r.likes),
        rows.map((r) => r.stars),
        rows.map((r) => JSON.stringify(r.imputed)),
        rows.map((r) => JSON.stringify(r.flags)),
      ],
    );
  }

  /** Inserts events; ones already sent under the same key and id are skipped. Answers the new ones. */
  async insertEvents(manager: EntityManager, rows: EventRow[]): Promise<EventRow[]> {
    if (rows.length === 0) return [];
    const inserted: { key_id: string; event_id: string }[] = await manager.query(
      `INSERT INTO download_events (key_id, event_id, model_id, source, occurred_at, variant)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
       ON CONFLICT (key_id, event_id) DO NOTHING
       RETURNING key_id, event_id`,
      [
        rows.map((r) => r.keyId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.modelId),
        rows.map((r) => r.source),
        rows.map((r) => r.occurredAt.toISOString()),
        rows.map((r) => r.variant),
      ],
    );
    const fresh = new Set(inserted.map((r) => `${r.key_id}\u0001${r.event_id}`));
    return rows.filter((r) => fresh.has(`${r.keyId}\u0001${r.eventId}`));
  }

  /** Adds counted downloads (and new unique visitors) to event-source days. */
  async addEventDays(
    manager: EntityManager,
    counts: { modelId: string; source: EventSource; day: string; downloads: number; uniques: number | null }[],
  ): Promise<void> {
    if (counts.length === 0) return;
    await manager.query(
      `INSERT INTO daily_stats AS d (model_id, source, day, downloads, unique_downloaders)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::date[], $4::bigint[], $5::int[])
       ON CONFLICT (model_id, source, day) DO UPDATE
         SET downloads = COALESCE(d.downloads, 0) + excluded.downloads,
             unique_downloaders = CASE WHEN excluded.unique_downloaders IS NULL THEN d.unique_downloaders
                                       ELSE COALESCE(d.unique_downloaders, 0) + excluded.unique_downloaders END`,
      [
        counts.map((c) => c.modelId),
        counts.map((c) => c.source),
        counts.map((c) => c.day),
        counts.map((c) => c.downloads),
        counts.map((c) => c.uniques),
      ],
    );
  }

  /** The salt of a day, made on first use. */
  async saltOf(manager: EntityManager, day: string, fresh: Buffer): Promise<Buffer> {
    // The no-op update makes RETURNING give the stored salt when the day already has one.
    const rows: { salt: Buffer }[] = await manager.query(
      `INSERT INTO visitor_salts (day, salt) VALUES ($1, $2)
       ON CONFLICT (day) DO UPDATE SET salt = visitor_salts.salt RETURNING salt`,
      [day, fresh],
    );
    return rows[0].salt;
  }

  /** Records a visitor of a model's link on a day; true when they had not come that day. */
  async addVisitor(manager: EntityManager, modelId: string, day: string, visitorHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO link_visitors (model_id, day, visitor_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING day`,
      [modelId, day, visitorHash],
    );
    return rows.length === 1;
  }

  /** Forgets salts before a day: the hashes made with them can no longer be tied to anyone. */
  async dropSaltsBefore(day: string): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query('DELETE FROM visitor_salts WHERE day < $1', [day]);
    return count;
  }

  /**
   * Recomputes the latest figures the catalogue shows, as of `today`
   * (UTC date): all-time and 30-day downloads as the sources report them
   * (our own counts for event sources), 7-day downloads from the daily
   * series, likes and stars as last reported.
   */
  async refreshModelStats(manager: EntityManager, modelIds: string[], today: string): Promise<void> {
    if (modelIds.length === 0) return;
    await manager.query(
      `WITH ids AS (SELECT DISTINCT unnest($1::bigint[]) AS id),
       latest AS (
         SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.source, o.observed_at,
                o.downloads_all_time, o.downloads_30d, o.likes, o.stars
           FROM observations o JOIN ids ON ids.id = o.model_id
          ORDER BY o.model_id, o.source, o.observed_at DESC),
       days AS (
         SELECT d.model_id, d.source,
                sum(d.downloads) FILTER (WHERE d.day > $2::date - 30) AS d30,
                sum(d.downloads) FILTER (WHERE d.day > $2::date - 7) AS d7,
                sum(d.downloads) AS total
           FROM daily_stats d JOIN ids ON ids.id = d.model_id
          WHERE d.source <> 'link' AND d.day <= $2::date
          GROUP BY d.model_id, d.source),
       per_source AS (
         SELECT COALESCE(l.model_id, s.model_id) AS model_id,
                CASE WHEN l.model_id IS NULL THEN s.total ELSE l.downloads_all_time END AS all_time,
                CASE WHEN l.model_id IS NULL THEN s.d30 ELSE COALESCE(l.downloads_30d, s.d30) END AS d30,
                s.d7, l.likes, l.stars, l.observed_at
           FROM latest l FULL JOIN days s ON s.model_id = l.model_id AND s.source = l.source),
       figures AS (
         SELECT ids.id AS model_id, sum(p.all_time) AS all_time, sum(p.d30) AS d30, sum(p.d7) AS d7,
                sum(p.likes) AS likes, sum(p.stars) AS stars, max(p.observed_at) AS last_synced_at
           FROM ids LEFT JOIN per_source p ON p.model_id = ids.id
          GROUP BY ids.id)
       INSERT INTO model_stats AS ms (model_id, downloads_all_time, downloads_30d, downloads_7d, likes, stars, last_synced_at)
       SELECT model_id, all_time, d30, d7, likes, stars, last_synced_at FROM figures
       ON CONFLICT (model_id) DO UPDATE SET
         downloads_all_time = excluded.downloads_all_time, downloads_30d = excluded.downloads_30d,
         downloads_7d = excluded.downloads_7d, likes = excluded.likes, stars = excluded.stars,
         last_synced_at = excluded.last_synced_at, updated_at = now()`,
      [modelIds, today],
    );
  }

  /** Every model with any figure: the daily roll-up refreshes their windows. */
  async modelsWithStats(): Promise<string[]> {
    const rows: { model_id: string }[] = await this.dataSource.query(
      'SELECT DISTINCT model_id FROM daily_stats UNION SELECT model_id FROM model_stats',
    );
    return rows.map((r) => r.model_id);
  }

  /** The first day any selected source has a figure for the model, or null. */
  async firstDay(modelId: string, selection: SeriesSelection): Promise<string | null> {
    const [where, params] = selectionWhere(selection, 2);
    const rows: { day: string | null }[] = await this.dataSource.query(
      `SELECT min(day)::text AS day FROM daily_stats
        WHERE model_id = $1 AND ${selection.column} IS NOT NULL AND ${where}`,
      [modelId, ...params],
    );
    return rows[0]?.day ?? null;
  }

  /** Daily sums over the selected sources, days with rows only. */
  async dailyRows(modelId: string, selection: SeriesSelection, from: string, to: string): Promise<SeriesRow[]> {
    const [where, params] = selectionWhere(selection, 4);
    const rows: { day: string; value: string | null; imputed: boolean; flags: string[] }[] =
      await this.dataSource.query(
        `SELECT day::text AS day, ${selection.column} AS value, '${selection.column}' = ANY(imputed) AS imputed, flags
         FROM daily_stats
        WHERE model_id = $1 AND day BETWEEN $2::date AND $3::date AND ${where}
        ORDER BY day`,
        [modelId, from, to, ...params],
      );
    const days = new Map<string, SeriesRow>();
    for (const row of rows) {
      const day = days.get(row.day) ?? { day: row.day, value: 0, imputed: false, flags: [] };
      day.value += num(row.value) ?? 0;
      day.imputed ||= row.imputed;
      // Flags come from differencing the downloads counter, so only that series carries them.
      if (selection.column === 'downloads') {
        for (const flag of row.flags) if (!day.flags.includes(flag)) day.flags.push(flag);
      }
      days.set(row.day, day);
    }
    return [...days.values()];
  }
}

interface RawObservation {
  model_id: string;
  source: string;
  observed_at: Date;
  downloads_all_time: string | null;
  downloads_30d: string | null;
  likes: number | null;
  stars: number | null;
  forks: number | null;
}

const toObservation = (r: RawObservation): ObservationRow => ({
  modelId: r.model_id,
  source: r.source,
  observedAt: r.observed_at,
  downloadsAllTime: num(r.downloads_all_time),
  downloads30d: num(r.downloads_30d),
  likes: r.likes,
  stars: r.stars,
  forks: r.forks,
});

function selectionWhere(selection: SeriesSelection, firstParam: number): [string, unknown[]] {
  if ('only' in selection.source) return [`source = $${firstParam}`, [selection.source.only]];
  return [`source <> ALL($${firstParam}::text[])`, [selection.source.except]];
}
