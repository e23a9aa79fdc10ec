import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Relation } from './entities/model-relation.entity';

export interface LineageLink {
  slug: string;
  relation: Relation;
  depth: number;
  via: string;
}

/** Longest chain followed; lineage is acyclic, this only bounds a bad row. */
const MAX_DEPTH = 32;

@Injectable()
export class LineageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Live models `modelId` was made from, each with its shortest distance. */
  ancestors(modelId: string): Promise<LineageLink[]> {
    return this.walk(modelId, 'derived_model_id', 'base_model_id');
  }

  /** Live models made from `modelId`, each with its shortest distance. */
  descendants(modelId: string): Promise<LineageLink[]> {
    return this.walk(modelId, 'base_model_id', 'derived_model_id');
  }

  private async walk(modelId: string, from: string, to: string): Promise<LineageLink[]> {
    const rows: { slug: string; relation: Relation; depth: number; via: string }[] = await this.dataSource.query(
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
  async family(modelId: string): Promise<{ slug: string; downloads30d: number | null }[]> {
    const rows: { slug: string; downloads_30d: string | null }[] = await this.dataSource.query(
      `WITH RECURSIVE family(id) AS (
         SELECT $1::bigint
         UNION
         SELECT CASE WHEN r.base_model_id = family.id THEN r.derived_model_id ELSE r.base_model_id END
           FROM model_relations r JOIN family ON r.base_model_id = family.id OR r.derived_model_id = family.id
          WHERE r.relation <> 'distillation'
       )
       SELECT m.slug, s.downloads_30d FROM family f JOIN models m ON m.id = f.id
         LEFT JOIN model_stats s ON s.model_id = m.id
        WHERE m.archived_at IS NULL
        ORDER BY m.slug COLLATE "C"`,
      [modelId],
    );
    return rows.map((row) => ({
      slug: row.slug,
      downloads30d: row.downloads_30d === null ? null : Number(row.downloads_30d),
    }));
  }
}
