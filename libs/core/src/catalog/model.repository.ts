import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { CuratedField } from './entities/model.entity';
import type { Relation } from './entities/model-relation.entity';
import type { Upstream } from './entities/upstream-binding.entity';

/**
 * What an id in a request names: a live model, a live model under a newer
 * id (the asked one is an alias left by a rename), or nothing.
 */
export type ResolvedSlug =
  | { kind: 'live'; id: string; slug: string }
  | { kind: 'moved'; id: string; slug: string }
  | { kind: 'missing' };

/** An upstream said repository `from` is now `to`. */
export interface UpstreamRename {
  modelId: string;
  upstream: Upstream;
  from: string;
  to: string;
  /** When the upstream said so during a stats sync; null from an import (the sync time is the sync's). */
  seenAt: Date | null;
}

/** The fields of a model row the catalogue writes. */
export interface ModelFields {
  description?: string | null;
  licenseId?: string | null;
  parameters?: number | null;
  activeParameters?: number | null;
  releaseDate?: string | null;
  tasks?: string[];
  tags?: string[];
  homepage?: string | null;
}

/** A live model as the stats pipeline and the rankings know it. */
export interface TrackedModel {
  id: string;
  slug: string;
  /** When the model appeared upstream (or its release date): decides whether a 30-day figure is all-time. */
  bornAt: Date | null;
}

/** What a ranking shows of a model, and what its filters look at. */
export interface RankableModel extends TrackedModel {
  organization: string;
  name: string;
  license: string | null;
  parameters: number | null;
  releaseDate: string | null;
  tasks: string[];
  /** Its figures are the demo's (`npm run cli -- demo`). */
  demo: boolean;
}

/** The catalogue fields an import writes, as stored. */
export interface ImportableFields {
  license: string | null;
  parameters: number | null;
  tasks: string[];
  papers: string[];
  baseModels: { id: string; relation: Relation }[];
}

/** When a model appeared: the hub's creation time when imported, else its release date. */
const BORN_AT_SQL = `COALESCE((b.imported->>'createdAt')::timestamptz, m.release_date::timestamptz)`;

const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));

/** `models` and `model_papers`: the catalogue's own rows, and the lookups by id. */
@Injectable()
export class ModelRepository extends TransactionalRepository {
  /**
   * The model an id names, in any letter case. Aliases are read only when no
   * live model has the id, so a live id always wins over an old one; an alias
   * of an archived model names nothing.
   */
  async resolveSlug(slug: string): Promise<ResolvedSlug> {
    const live: { id: string; slug: string }[] = await this.db.query(
      'SELECT id, slug FROM models WHERE lower(slug) = lower($1) AND archived_at IS NULL',
      [slug],
    );
    if (live[0]) return { kind: 'live', ...live[0] };
    const moved: { id: string; slug: string }[] = await this.db.query(
      `SELECT m.id, m.slug FROM model_aliases a JOIN models m ON m.id = a.model_id
        WHERE lower(a.slug) = lower($1) AND m.archived_at IS NULL`,
      [slug],
    );
    return moved[0] ? { kind: 'moved', ...moved[0] } : { kind: 'missing' };
  }

  /** Any model, archived too, by its id in any letter case. */
  async findAnyBySlug(slug: string): Promise<{
    id: string;
    slug: string;
    archived: boolean;
    curatedFields: CuratedField[];
  } | null> {
    const rows: {
      id: string;
      slug: string;
      archived_at: Date | null;
      curated_fields: CuratedField[];
    }[] = await this.db.query(
      'SELECT id, slug, archived_at, curated_fields FROM models WHERE lower(slug) = lower($1)',
      [slug],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          slug: row.slug,
          archived: row.archived_at !== null,
          curatedFields: row.curated_fields,
        }
      : null;
  }

  /** Live models by their ids in any letter case: lowercased id → { id, slug }. */
  /** Live models that these old ids (left by renames, any letter case) now name: lower-cased old id → the model. */
  async findMovedBySlugs(slugs: string[]): Promise<Map<string, { id: string; slug: string }>> {
    if (slugs.length === 0) return new Map();
    const rows: { alias: string; id: string; slug: string }[] = await this.db.query(
      `SELECT lower(a.slug) AS alias, m.id, m.slug FROM model_aliases a JOIN models m ON m.id = a.model_id
        WHERE lower(a.slug) = ANY($1::text[]) AND m.archived_at IS NULL`,
      [slugs.map((s) => s.toLowerCase())],
    );
    return new Map(rows.map((row) => [row.alias, { id: row.id, slug: row.slug }]));
  }

  /** Whether some model, live or archived, carries this task (in any letter case). */
  async taskExists(task: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM models WHERE EXISTS (SELECT 1 FROM unnest(tasks) t WHERE lower(t) = lower($1)) LIMIT 1',
      [task],
    );
    return rows.length > 0;
  }

  async findIdsBySlugs(slugs: string[]): Promise<Map<string, { id: string; slug: string }>> {
    const rows: { id: string; slug: string }[] = await this.db.query(
      'SELECT id, slug FROM models WHERE lower(slug) = ANY($1::text[]) AND archived_at IS NULL',
      [slugs.map((s) => s.toLowerCase())],
    );
    return new Map(rows.map((row) => [row.slug.toLowerCase(), row]));
  }

  async insertModel(
    model: {
      slug: string;
      organizationId: string;
      name: string;
      curatedFields: CuratedField[];
    } & ModelFields,
  ): Promise<string> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO models (slug, organization_id, name, description, license_id, parameters, active_parameters,
                           release_date, tasks, tags, homepage, curated_fields)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        model.slug,
        model.organizationId,
        model.name,
        model.description ?? null,
        model.licenseId ?? null,
        model.parameters ?? null,
        model.activeParameters ?? null,
        model.releaseDate ?? null,
        model.tasks ?? [],
        model.tags ?? [],
        model.homepage ?? null,
        model.curatedFields,
      ],
    );
    return rows[0].id;
  }

  /** Sets the given fields (only those present) and adds `curated` to the fields a person set. */
  async updateModel(id: string, fields: ModelFields, curated: CuratedField[]): Promise<void> {
    const columns: Record<keyof ModelFields, string> = {
      description: 'description',
      licenseId: 'license_id',
      parameters: 'parameters',
      activeParameters: 'active_parameters',
      releaseDate: 'release_date',
      tasks: 'tasks',
      tags: 'tags',
      homepage: 'homepage',
    };
    const params: unknown[] = [id, curated];
    const sets = ['updated_at = now()', 'curated_fields = ARRAY(SELECT DISTINCT unnest(curated_fields || $2::text[]))'];
    for (const [key, column] of Object.entries(columns) as [keyof ModelFields, string][]) {
      if (fields[key] !== undefined) {
        params.push(fields[key]);
        sets.push(`${column} = $${params.length}`);
      }
    }
    await this.db.query(`UPDATE models SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** The stored parameter counts, to check them against each other after a write. */
  async sizes(id: string): Promise<{ parameters: number | null; activeParameters: number | null }> {
    const rows: { parameters: string | null; active_parameters: string | null }[] = await this.db.query(
      'SELECT parameters, active_parameters FROM models WHERE id = $1',
      [id],
    );
    return { parameters: toNumber(rows[0].parameters), activeParameters: toNumber(rows[0].active_parameters) };
  }

  /** Replaces the papers a model cites, in order (the papers themselves must exist). */
  async replacePapers(modelId: string, arxivIds: string[]): Promise<void> {
    await this.db.query('DELETE FROM model_papers WHERE model_id = $1', [modelId]);
    for (const [position, arxivId] of arxivIds.entries()) {
      await this.db.query('INSERT INTO model_papers (model_id, arxiv_id, position) VALUES ($1, $2, $3)', [
        modelId,
        arxivId,
        position,
      ]);
    }
  }

  /** Gives a model a new id (and organization); the caller keeps the old one as an alias. */
  async rename(id: string, slug: string, organizationId: string, name: string): Promise<void> {
    await this.db.query(
      'UPDATE models SET slug = $2, organization_id = $3, name = $4, updated_at = now() WHERE id = $1',
      [id, slug, organizationId, name],
    );
  }

  async slugOf(id: string): Promise<string> {
    const [model]: { slug: string }[] = await this.db.query('SELECT slug FROM models WHERE id = $1', [id]);
    return model.slug;
  }

  /** Whether a model other than `exceptId`, deleted ones too, has the id in any letter case. */
  async slugTaken(slug: string, exceptId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM models WHERE lower(slug) = lower($1) AND id <> $2', [
      slug,
      exceptId,
    ]);
    return rows.length > 0;
  }

  /** Live models by id, in any letter case (an old id of a renamed model too), keyed by the lower-cased id. */
  async trackedBySlugs(slugs: string[]): Promise<Map<string, TrackedModel>> {
    if (slugs.length === 0) return new Map();
    // An id a model had before an upstream rename still reaches it: mirrors keep posting under old names.
    const rows: { asked: string; id: string; slug: string; born_at: Date | null }[] = await this.db.query(
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

  /** Models by internal id, archived ones too, with when they were born. */
  async trackedByIds(ids: string[]): Promise<Map<string, TrackedModel>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; slug: string; born_at: Date | null }[] = await this.db.query(
      `SELECT m.id, m.slug, ${BORN_AT_SQL} AS born_at
         FROM models m
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
        WHERE m.id = ANY($1::bigint[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, slug: r.slug, bornAt: r.born_at }]));
  }

  /** Every live model (or those of `ids`) with what rankings show and filter on. */
  async rankable(ids?: string[]): Promise<RankableModel[]> {
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
      demo: boolean;
    }[] = await this.db.query(
      `SELECT m.id, m.slug, m.organization_id, m.name, m.license_id, m.parameters, m.release_date::text AS release_date,
              m.tasks, ${BORN_AT_SQL} AS born_at, COALESCE(s.demo, false) AS demo
         FROM models m
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
         LEFT JOIN model_stats s ON s.model_id = m.id
        WHERE m.archived_at IS NULL${ids ? ' AND m.id = ANY($1::bigint[])' : ''}`,
      ids ? [ids] : [],
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      organization: r.organization_id,
      name: r.name,
      license: r.license_id,
      parameters: toNumber(r.parameters),
      releaseDate: r.release_date,
      tasks: r.tasks,
      bornAt: r.born_at,
      demo: r.demo,
    }));
  }

  /** The stored values of the fields an import writes. */
  async importableFields(modelId: string): Promise<ImportableFields> {
    const [model]: { license_id: string | null; parameters: string | null; tasks: string[] }[] = await this.db.query(
      'SELECT license_id, parameters, tasks FROM models WHERE id = $1',
      [modelId],
    );
    const papers: { arxiv_id: string }[] = await this.db.query(
      'SELECT arxiv_id FROM model_papers WHERE model_id = $1 ORDER BY position',
      [modelId],
    );
    const bases: { slug: string; relation: Relation }[] = await this.db.query(
      `SELECT b.slug, r.relation FROM model_relations r JOIN models b ON b.id = r.base_model_id
        WHERE r.derived_model_id = $1`,
      [modelId],
    );
    return {
      license: model.license_id,
      parameters: toNumber(model.parameters),
      tasks: model.tasks,
      papers: papers.map((p) => p.arxiv_id),
      baseModels: bases.map((b) => ({ id: b.slug, relation: b.relation })),
    };
  }

  async archive(id: string): Promise<void> {
    await this.db.query('UPDATE models SET archived_at = now(), updated_at = now() WHERE id = $1', [id]);
  }

  /** Removes a model and everything hanging off it for good. */
  async purge(id: string): Promise<void> {
    await this.db.query('DELETE FROM models WHERE id = $1', [id]);
  }
}
