import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { DayWindow } from '../days';
import { cappedDownloads, cappedLikes } from './counter-limits';
import type { SourceDay } from './daily-series';
import { EVENT_SOURCES, type EventSource } from './entities/download-event.entity';
import { DEMO_SOURCE } from './ingest-items';

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

/** `daily_stats`: the daily figures of every model and source, derived from readings and events. */
@Injectable()
export class DailyStatsRepository extends TransactionalRepository {
  /**
   * Replaces the daily figures of counter sources with freshly computed
   * ones: all of a series, or its days after `afterDay`.
   */
  async replaceDailySeries(
    series: { modelId: string; source: string; afterDay: string | null; days: SourceDay[] }[],
  ): Promise<void> {
    if (series.length === 0) return;
    await this.db.query(
      `DELETE FROM daily_stats d USING unnest($1::bigint[], $2::text[], $3::date[]) AS k(model_id, source, after_day)
        WHERE d.model_id = k.model_id AND d.source = k.source AND (k.after_day IS NULL OR d.day > k.after_day)`,
      [series.map((s) => s.modelId), series.map((s) => s.source), series.map((s) => s.afterDay)],
    );
    const rows = series.flatMap((s) => s.days.map((day) => ({ modelId: s.modelId, source: s.source, ...day })));
    if (rows.length === 0) return;
    await this.db.query(
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

  /**
   * Adds counted downloads (and new unique visitors) to event-source days.
   * Rows are upserted, so locked, in key order: two batches of the same
   * models in other orders wait for each other instead of deadlocking.
   */
  async addEventDays(
    counts: { modelId: string; source: EventSource; day: string; downloads: number; uniques: number | null }[],
  ): Promise<void> {
    if (counts.length === 0) return;
    await this.db.query(
      `INSERT INTO daily_stats AS d (model_id, source, day, downloads, unique_downloaders)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::date[], $4::bigint[], $5::int[])
           AS c(model_id, source, day, downloads, unique_downloaders)
        ORDER BY c.model_id, c.source, c.day
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

  /** Deletes the daily figures of `source`, or only those of `modelIds`. */
  async deleteSource(source: string, modelIds: string[] | null): Promise<void> {
    await this.db.query(
      'DELETE FROM daily_stats WHERE source = $1 AND ($2::bigint[] IS NULL OR model_id = ANY($2::bigint[]))',
      [source, modelIds],
    );
  }

  /** Whether any of the model's daily figures comes from `source`. */
  async hasSource(modelId: string, source: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM daily_stats WHERE model_id = $1 AND source = $2 LIMIT 1',
      [modelId, source],
    );
    return rows.length > 0;
  }

  /** The first and last day any model has a download figure, and whether the demo's are among them; null: none. */
  async figureSpan(): Promise<{ from: string; to: string; demo: boolean } | null> {
    const rows: { from: string | null; to: string | null; demo: boolean | null }[] = await this.db.query(
      `SELECT min(day)::text AS from, max(day)::text AS to, bool_or(source = $1) AS demo
         FROM daily_stats WHERE source <> 'link' AND downloads IS NOT NULL`,
      [DEMO_SOURCE],
    );
    const row = rows[0];
    return row?.from && row.to ? { from: row.from, to: row.to, demo: row.demo ?? false } : null;
  }

  /** Every model with any figure: the daily roll-up refreshes their windows. */
  async modelsWithStats(): Promise<string[]> {
    const rows: { model_id: string }[] = await this.db.query(
      'SELECT DISTINCT model_id FROM daily_stats UNION SELECT model_id FROM model_stats',
    );
    return rows.map((r) => r.model_id);
  }

  /**
   * The first day any selected source has a figure for the model, and the
   * first day one of the selected sources we count ourselves (events, link
   * clicks) has one; null when there is none.
   */
  async firstDays(
    modelId: string,
    selection: SeriesSelection,
  ): Promise<{ first: string | null; counted: string | null }> {
    return (await this.firstDaysOf([modelId], selection)).get(modelId) ?? { first: null, counted: null };
  }

  /** `firstDays` of several models in one query; a model with no figure is left out. */
  async firstDaysOf(
    modelIds: string[],
    selection: SeriesSelection,
  ): Promise<Map<string, { first: string | null; counted: string | null }>> {
    const [where, params] = selectionWhere(selection, 3);
    const rows: { model_id: string; first: string | null; counted: string | null }[] = await this.db.query(
      `SELECT model_id, min(day)::text AS first, (min(day) FILTER (WHERE source = ANY($2::text[])))::text AS counted
         FROM daily_stats
        WHERE model_id = ANY($1::bigint[]) AND ${selection.column} IS NOT NULL AND ${where}
        GROUP BY model_id`,
      [modelIds, EVENT_SOURCES, ...params],
    );
    return new Map(rows.map((r) => [r.model_id, { first: r.first, counted: r.counted }]));
  }

  /** Our own download events per model and day in [fromDay, toDay]. */
  async eventDays(fromDay: string, toDay: string): Promise<{ modelId: string; day: string; downloads: number }[]> {
    const rows: { model_id: string; day: string; downloads: string }[] = await this.db.query(
      `SELECT d.model_id, d.day::text AS day, d.downloads FROM daily_stats d
        WHERE d.source = 'events' AND d.day BETWEEN $1::date AND $2::date`,
      [fromDay, toDay],
    );
    return rows.map((r) => ({ modelId: r.model_id, day: r.day, downloads: Number(r.downloads) }));
  }

  /**
   * Downloads and likes per model summed over a window's days and every
   * independent source (tracked-link clicks are not downloads); models with
   * no day in the window are left out.
   */
  async windowTotals(window: DayWindow): Promise<Map<string, { downloads: number; likes: number }>> {
    const rows: { model_id: string; downloads: string | null; likes: string | null }[] = await this.db.query(
      `SELECT d.model_id, sum(d.downloads) AS downloads, sum(d.likes) AS likes FROM daily_stats d
        WHERE d.source <> 'link' AND d.day BETWEEN $1::date AND $2::date
        GROUP BY d.model_id`,
      [window.from, window.to],
    );
    return new Map(
      rows.map((r) => [r.model_id, { downloads: cappedDownloads(r.downloads ?? 0), likes: cappedLikes(r.likes ?? 0) }]),
    );
  }

  /** Daily sums over the selected sources that have a figure that day; days without one are left out. */
  async dailyRows(modelId: string, selection: SeriesSelection, from: string, to: string): Promise<SeriesRow[]> {
    return (await this.dailyRowsOf([modelId], selection, from, to)).get(modelId) ?? [];
  }

  /** `dailyRows` of several models in one query, per model; a model with no such day is left out. */
  async dailyRowsOf(
    modelIds: string[],
    selection: SeriesSelection,
    from: string,
    to: string,
  ): Promise<Map<string, SeriesRow[]>> {
    const [where, params] = selectionWhere(selection, 4);
    const rows: { model_id: string; day: string; value: string; imputed: boolean; flags: string[] }[] =
      await this.db.query(
        `SELECT model_id, day::text AS day, ${selection.column} AS value, '${selection.column}' = ANY(imputed) AS imputed, flags
           FROM daily_stats
          WHERE model_id = ANY($1::bigint[]) AND day BETWEEN $2::date AND $3::date
            AND ${selection.column} IS NOT NULL AND ${where}
          ORDER BY model_id, day`,
        [modelIds, from, to, ...params],
      );
    const models = new Map<string, Map<string, SeriesRow>>();
    for (const row of rows) {
      let days = models.get(row.model_id);
      if (!days) models.set(row.model_id, (days = new Map()));
      const day = days.get(row.day) ?? { day: row.day, value: 0, imputed: false, flags: [] };
      day.value = cappedDownloads(day.value + Number(row.value));
      day.imputed ||= row.imputed;
      // Flags come from differencing the downloads counter, so only that series carries them.
      if (selection.column === 'downloads') {
        for (const flag of row.flags) if (!day.flags.includes(flag)) day.flags.push(flag);
      }
      days.set(row.day, day);
    }
    return new Map([...models].map(([modelId, days]) => [modelId, [...days.values()]]));
  }
}

function selectionWhere(selection: SeriesSelection, firstParam: number): [string, unknown[]] {
  if ('only' in selection.source) return [`source = $${firstParam}`, [selection.source.only]];
  return [`source <> ALL($${firstParam}::text[])`, [selection.source.except]];
}
