import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';

export interface SnapshotRow {
  modelId: string;
  rank: number;
  score: number;
  components: Record<string, number>;
  flags: string[];
}

/** `ranking_snapshots` and `ranking_snapshot_days`: each ranking's stored answer for a day. */
@Injectable()
export class RankingsRepository extends TransactionalRepository {
  async hasSnapshot(ranking: string, version: string, asOf: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM ranking_snapshot_days WHERE ranking = $1 AND version = $2 AND as_of = $3',
      [ranking, version, asOf],
    );
    return rows.length > 0;
  }

  /** Replaces the snapshot of a day (a recomputation after late readings replaces, never mixes); in the caller's transaction. */
  async saveSnapshot(ranking: string, version: string, asOf: string, rows: SnapshotRow[]): Promise<void> {
    await this.db.query('DELETE FROM ranking_snapshots WHERE ranking = $1 AND version = $2 AND as_of = $3', [
      ranking,
      version,
      asOf,
    ]);
    await this.db.query(
      `INSERT INTO ranking_snapshot_days (ranking, version, as_of) VALUES ($1, $2, $3)
         ON CONFLICT (ranking, version, as_of) DO UPDATE SET computed_at = now()`,
      [ranking, version, asOf],
    );
    if (rows.length === 0) return;
    await this.db.query(
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
  }

  /** A stored snapshot in rank order (archived models' rows too), or null when that day was never computed. */
  async snapshot(ranking: string, version: string, asOf: string): Promise<SnapshotRow[] | null> {
    if (!(await this.hasSnapshot(ranking, version, asOf))) return null;
    const rows: {
      model_id: string;
      rank: number;
      score: number;
      components: Record<string, number>;
      flags: string[];
    }[] = await this.db.query(
      `SELECT s.model_id, s.rank, s.score, s.components, s.flags
         FROM ranking_snapshots s
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
