import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { Relation } from './entities/model-relation.entity';

export interface LineageLink {
  slug: string;
  relation: Relation;
  depth: number;
  via: string;
}

/** Longest chain followed; lineage is acyclic, this only bounds a bad row. */
const MAX_DEPTH = 32;

/** `model_relations`: what each model was made from, and the walks over it. */
@Injectable()
export class LineageRepository extends TransactionalRepository {
  /** Replaces the bases of a model. */
  async replaceBases(modelId: string, bases: { id: string; relation: Relation }[]): Promise<void> {
    await this.db.query('DELETE FROM model_relations WHERE derived_model_id = $1', [modelId]);
    for (const base of bases) {
      await this.db.query(
        'INSERT INTO model_relations (derived_model_id, base_model_id, relation) VALUES ($1, $2, $3)',
        [modelId, base.id, base.relation],
      );
    }
  }

  /** Ids of every model derived from `modelId`, at any depth. */
  async descendantIds(modelId: string): Promise<Set<string>> {
    const rows: { id: string }[] = await this.db.query(
      `WITH RECURSIVE down(id) AS (
         SELECT derived_model_id FROM model_relations WHERE base_model_id = $1
         UNION
         SELECT r.derived_model_id FROM model_relations r JOIN down ON r.base_model_id = down.id
       ) SELECT id FROM down`,
      [modelId],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Families: models joined by weight derivation (a distillation does not join them), as pairs to union. */
  async familyLinks(): Promise<{ derived: string; base: string }[]> {
    const rows: { derived_model_id: string; base_model_id: string }[] = await this.db.query(
      `SELECT derived_model_id, base_model_id FROM model_relations WHERE relation <> 'distillation'`,
    );
    return rows.map((r) => ({ derived: r.derived_model_id, base: r.base_model_id }));
  }

  /** Live models `modelId` was made from, each with its shortest distance. */
  ancestors(modelId: string): Promise<LineageLink[]> {
    return this.walk(modelId, 'derived_model_id', 'base_model_id');
  }

  /** Live models made from `modelId`, each with its shortest distance. */
  descendants(modelId: string): Promise<LineageLink[]> {
    return this.walk(modelId, 'base_model_id', 'derived_model_id');
  }

  private async walk(modelId: string, from: string, to: string): Promise<LineageLink[]> {
    const rows: { slug: string; relation: Relation; depth: number; via: string }[] = await this.db.query(
      `WITH RECURSIVE walk(id, relation, depth, via) AS (
         SELECT r.${to}, r.relation, 1, r.${from} FROM model_relations r WHERE r.${from} = $1
         UNION
         SELECT r.${to}, r.relation, walk.depth + 1, r.${from}
           FROM model_relations r JOIN walk ON r.${from} = walk.id
          WHERE walk.depth < ${MAX_DEPTH}
       )
       SELECT m.slug, w.relation, min(w.depth)::int AS depth, v.slug AS via
         FROM walk w JOIN models m ON m.id = w.id JOIN models v ON v.id = w.via
        WHERE m.archived_at IS NULL AND v.archived_at IS NULL
        GROUP BY m.slug, w.relation, v.slug
        ORDER BY depth, m.slug COLLATE "C", v.slug COLLATE "C"`,
      [modelId],
    );
    return rows;
  }

  /**
   * The family of `modelId`: the live models joined to it by weight
   * derivation in either direction (a distillation does not join), with
   * their 30-day downloads.
   */
  async family(modelId: string): Promise<{ slug: string; downloads30d: number | null; demo: boolean }[]> {
    const rows: { slug: string; downloads_30d: string | null; demo: boolean }[] = await this.db.query(
      `WITH RECURSIVE family(id) AS (
         SELECT $1::bigint
         UNION
         SELECT CASE WHEN r.base_model_id = family.id THEN r.derived_model_id ELSE r.base_model_id END
           FROM model_relations r JOIN family ON r.base_model_id = family.id OR r.derived_model_id = family.id
          WHERE r.relation <> 'distillation'
       )
       SELECT m.slug, s.downloads_30d, COALESCE(s.demo, false) AS demo FROM family f JOIN models m ON m.id = f.id
         LEFT JOIN model_stats s ON s.model_id = m.id
        WHERE m.archived_at IS NULL
        ORDER BY m.slug COLLATE "C"`,
      [modelId],
    );
    return rows.map((row) => ({
      slug: row.slug,
      downloads30d: row.downloads_30d === null ? null : Number(row.downloads_30d),
      demo: row.demo,
    }));
  }
}
