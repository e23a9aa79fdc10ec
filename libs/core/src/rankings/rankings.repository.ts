import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SourceReading } from '../stats/daily-series';
import { BORN_AT_SQL } from '../stats/stats.repository';

/** What a ranking shows of a model, and what its filters look at. */
export interface RankedModelRow {
  id: string;
  slug: string;
  organization: string;
  name: string;
  license: string | null;
  parameters: number | null;
  releaseDate: string | null;
  tasks: string[];
  bornAt: Date | null;
}

export interface ModelReadings {
  modelId: string;
  source: string;
  readings: SourceReading[];
}

export interface SnapshotRow {
  modelId: string;
  rank: number;
  score: number;
  components: Record<string, number>;
  flags: string[];
}

const num = (value: string | number | null): number | null => (value === null ? null : Number(value));

/** Reads what rankings are computed from, and keeps their daily snapshots. */
@Injectable()
export class RankingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every live model with what rankings show and filter on. */
  async models(): Promise<RankedModelRow[]> {
    const rows: {
      id: string;
      slug: string;
      organization_id: string;
      name: string;
      license_id: string | null;
      parameters: string | null;
      release_date: string | null;
      tasks: string[];
      born_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT m.id, m.slug, m.organization_id, m.name, m.license_id, m.parameters, m.release_date::text AS release_date,
              m.tasks, ${BORN_AT_SQL} AS born_at
         FROM models m
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
        WHERE m.archived_at IS NULL`,
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      organization: r.organization_id,
      name: r.name,
      license: r.license_id,
      parameters: num(r.parameters),
      releaseDate: r.release_date,
      tasks: r.tasks,
      bornAt: r.born_at,
    }));
  }

  /** Counter readings observed in [from, before), per model and source, in time order. */
  async readings(from: Date, before: Date): Promise<ModelReadings[]> {
    const rows: {
      model_id: string;
      source: string;
      observed_at: Date;
      downloads_all_time: string | null;
      downloads_30d: string | null;
      likes: number | null;
      stars: number | null;
    }[] = await this.dataSource.query(
      `SELECT o.model_id, o.source, o.observed_at, o.downloads_all_time, o.downloads_30d, o.likes, o.stars
         FROM observations o JOIN models m ON m.id = o.model_id AND m.archived_at IS NULL
        WHERE o.observed_at >= $1 AND o.observed_at < $2
        ORDER BY o.model_id, o.source, o.observed_at`,
      [from.toISOString(), before.toISOString()],
    );
    const out: ModelReadings[] = [];
    for (const row of rows) {
      let last = out.at(-1);
      if (!last || last.modelId !== row.model_id || last.source !== row.source) {
        last = { modelId: row.model_id, source: row.source, readings: [] };
        out.push(last);
      }
      last.readings.push({
        observedAt: row.observed_at,
        downloadsAllTime: num(row.downloads_all_time),
        downloads30d: num(row.downloads_30d),
        likes: row.likes,
        stars: row.stars,
      });
    }
    return out;
  }

  /** The UTC day of each model's first reading or event before `before`. */
  async firstSeen(before: Date): Promise<Map<string, string>> {
    const rows: { model_id: string; day: string }[] = await this.dataSource.query(
      `SELECT model_id, min(day)::text AS day FROM (
         SELECT model_id, (min(observed_at) AT TIME ZONE 'UTC')::date AS day FROM observations
          WHERE observed_at < $1 GROUP BY model_id
         UNION ALL
         SELECT model_id, (min(occurred_at) AT TIME ZONE 'UTC')::date FROM download_events
          WHERE source = 'events' AND occurred_at < $1 GROUP BY model_id) firsts
       GROUP BY model_id`,
      [before.toISOString()],
    );
    return new Map(rows.map((r) => [r.model_id, r.day]));
  }

  /** Families: models joined by weight derivation (a distillation does not join them), as pairs to union. */
  async familyLinks(): Promise<{ derived: string; base: string }[]> {
    const rows: { derived_model_id: string; base_model_id: string }[] = await this.dataSource.query(
      `SELECT derived_model_id, base_model_id FROM model_relations WHERE relation <> 'distillation'`,
    );
    return rows.map((r) => ({ derived: r.derived_model_id, base: r.base_model_id }));
  }

  /** Sets the catalogue's trending figures from a snapshot; models not in it have none. */
  async applyTrending(version: string, asOf: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO model_stats (model_id) SELECT s.model_id FROM ranking_snapshots s
          WHERE s.ranking = 'trending' AND s.version = $1 AND s.as_of = $2 ON CONFLICT (model_id) DO NOTHING`,
        [version, asOf],
      );
      await manager.query(
        `UPDATE model_stats ms SET trending_rank = s.rank, trending_score = s.score, updated_at = now()
           FROM model_stats x LEFT JOIN ranking_snapshots s
             ON s.model_id = x.model_id AND s.ranking = 'trending' AND s.version = $1 AND s.as_of = $2
          WHERE ms.model_id = x.model_id
            AND (ms.trending_rank IS DISTINCT FROM s.rank OR ms.trending_score IS DISTINCT FROM s.score)`,
        [version, asOf],
      );
    });
  }

  /** Our own download events per model and day in [fromDay, toDay]. */
  async eventDays(fromDay: string, toDay: string): Promise<{ modelId: string; day: string; downloads: number }[]> {
    const rows: { model_id: string; day: string; downloads: string }[] = await this.dataSource.query(
      `SELECT d.model_id, d.day::text AS day, d.downloads
         FROM daily_stats d JOIN models m ON m.id = d.model_id AND m.archived_at IS NULL
        WHERE d.source = 'events' AND d.day BETWEEN $1::date AND $2::date`,
      [fromDay, toDay],
    );
    return rows.map((r) => ({ modelId: r.model_id, day: r.day, downloads: Number(r.downloads) }));
  }

  /** The all-time download figure each source last reported by `before`, summed per model, plus our events. */
  async allTimeDownloads(before: Date, toDay: string): Promise<Map<string, number>> {
    const rows: { model_id: string; downloads: string }[] = await this.dataSource.query(
      `SELECT model_id, sum(downloads) AS downloads FROM (
         (SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.downloads_all_time AS downloads
            FROM observations o
           WHERE o.observed_at < $1 AND o.downloads_all_time IS NOT NULL
           ORDER BY o.model_id, o.source, o.observed_at DESC)
         UNION ALL
         (SELECT d.model_id, sum(d.downloads) FROM daily_stats d
           WHERE d.source = 'events' AND d.day <= $2::date GROUP BY d.model_id)) figures
       GROUP BY model_id`,
      [before.toISOString(), toDay],
    );
    return new Map(rows.map((r) => [r.model_id, Number(r.downloads)]));
  }

  /** Likes (and stars) as last reported by `before`, summed over sources. */
  async latestLikes(before: Date): Promise<Map<string, number>> {
    const rows: { model_id: string; likes: string }[] = await this.dataSource.query(
      `SELECT model_id, sum(likes) AS likes FROM (
         SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.likes
           FROM observations o WHERE o.observed_at < $1 AND o.likes IS NOT NULL
          ORDER BY o.model_id, o.source, o.observed_at DESC) latest
       GROUP BY model_id`,
      [before.toISOString()],
    );
    return new Map(rows.map((r) => [r.model_id, Number(r.likes)]));
  }

  async hasSnapshot(ranking: string, version: string, asOf: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM ranking_snapshot_days WHERE ranking = $1 AND version = $2 AND as_of = $3',
      [ranking, version, asOf],
    );
    return rows.length > 0;
  }

  /** Replaces the snapshot of a day (a recomputation after late readings replaces, never mixes). */
  async saveSnapshot(ranking: string, version: string, asOf: string, rows: SnapshotRow[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM ranking_snapshots WHERE ranking = $1 AND version = $2 AND as_of = $3', [
        ranking,
        version,
        asOf,
      ]);
      await manager.query(
        `INSERT INTO ranking_snapshot_days (ranking, version, as_of) VALUES ($1, $2, $3)
         ON CONFLICT (ranking, version, as_of) DO UPDATE SET computed_at = now()`,
        [ranking, version, asOf],
      );
      if (rows.length === 0) return;
      await manager.query(
        `INSERT INTO ranking_snapshots (ranking, version, as_of, model_id, rank, score, components, flags)
         SELECT $1, $2, $3, r.model_id, r.rank, r.score, r.components, ARRAY(SELECT jsonb_array_elements_text(r.flags))
           FROM unnest($4::bigint[], $5::int[], $6::float8[], $7::jsonb[], $8::jsonb[])
             AS r(model_id, rank, score, components, flags)`,
        [
          ranking,
          version,
          asOf,
          rows.map((r) => r.modelId),
          rows.map((r) => r.rank),
          rows.map((r) => r.score),
          rows.map((r) => JSON.stringify(r.components)),
          rows.map((r) => JSON.stringify(r.flags)),
        ],
      );
    });
  }

  /** A stored snapshot in rank order, or null when that day was never computed. */
  async snapshot(ranking: string, version: string, asOf: string): Promise<SnapshotRow[] | null> {
    if (!(await this.hasSnapshot(ranking, version, asOf))) return null;
    const rows: {
      model_id: string;
      rank: number;
      score: number;
      components: Record<string, number>;
      flags: string[];
    }[] = await this.dataSource.query(
      `SELECT s.model_id, s.rank, s.score, s.components, s.flags
         FROM ranking_snapshots s JOIN models m ON m.id = s.model_id AND m.archived_at IS NULL
        WHERE s.ranking = $1 AND s.version = $2 AND s.as_of = $3
        ORDER BY s.rank`,
      [ranking, version, asOf],
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      rank: r.rank,
      score: r.score,
      components: r.components,
      flags: r.flags,
    }));
  }
}
