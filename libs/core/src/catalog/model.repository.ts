import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CuratedField } from './entities/model.entity';
import type { Relation } from './entities/model-relation.entity';
import type { Upstream, UpstreamStatus } from './entities/upstream-binding.entity';
import type { ImportedRecord } from './imported-record';
import type { CursorPosition, ModelFilters, ModelSort, SortOrder } from './model-list';
import { splitModelId } from './model-id';

/** A model with what the catalogue shows beside it, as read in one query. */
export interface ModelRow {
  id: string;
  slug: string;
  organizationId: string;
  name: string;
  description: string | null;
  parameters: number | null;
  activeParameters: number | null;
  releaseDate: string | null;
  tasks: string[];
  tags: string[];
  homepage: string | null;
  curatedFields: CuratedField[];
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  license: {
    id: string;
    name: string;
    spdx: string | null;
    url: string | null;
    commercialUse: boolean | null;
  } | null;
  stats: {
    downloadsAllTime: number | null;
    downloads30d: number | null;
    downloads7d: number | null;
    likes: number | null;
    stars: number | null;
    lastSyncedAt: Date | null;
    trendingRank: number | null;
    trendingScore: number | null;
  };
  papers: { arxivId: string; title: string | null }[];
  baseModels: { slug: string; relation: Relation }[];
  bindings: Partial<Record<Upstream, string>>;
}

/**
 * What an id in a request names: a live model, a live model under a newer
 * id (the asked one is an alias left by a rename), or nothing.
 */
export type ResolvedSlug =
  | { kind: 'live'; id: string; slug: string }
  | { kind: 'moved'; id: string; slug: string }
  | { kind: 'missing' };

/** A model's repository on one upstream, with what the sync and import last learned there. */
export interface BindingRow {
  upstream: Upstream;
  externalId: string;
  status: UpstreamStatus;
  lastSyncedAt: Date | null;
  lastError: string | null;
  imported: ImportedRecord | null;
}

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

export interface ModelPage {
  rows: ModelRow[];
  /** Sort value and slug of the last row when there is a next page. */
  last: CursorPosition | null;
}

/** SQL expression and type of each sort; nulls (nothing known yet) always come last. */
const SORTS: Record<ModelSort, { expression: string; type: string }> = {
  trending: { expression: 's.trending_score', type: 'double precision' },
  downloads: { expression: 's.downloads_30d', type: 'bigint' },
  downloads7d: { expression: 's.downloads_7d', type: 'bigint' },
  downloadsAllTime: { expression: 's.downloads_all_time', type: 'bigint' },
  likes: { expression: 's.likes', type: 'integer' },
  releaseDate: { expression: 'm.release_date', type: 'date' },
  parameters: { expression: 'm.parameters', type: 'bigint' },
  name: { expression: 'lower(m.name) COLLATE "C"', type: 'text' },
};

const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));

async function sequentially(queries: (() => Promise<unknown>)[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query());
  return results;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class ModelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One page of live models in the asked order, continuing after `after`. */
  async listPage(
    filters: ModelFilters,
    sort: ModelSort,
    order: SortOrder,
    limit: number,
    after?: CursorPosition,
  ): Promise<ModelPage> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['m.archived_at IS NULL'];
    if (filters.q) {
      const pattern = param(likePattern(filters.q));
      where.push(
        `(m.slug ILIKE ${pattern} OR m.description ILIKE ${pattern} OR ${param(filters.q.toLowerCase())} = ANY(m.tags))`,
      );
    }
    if (filters.organizations?.length) {
      where.push(`lower(m.organization_id) = ANY(${param(filters.organizations.map((o) => o.toLowerCase()))}::text[])`);
    }
    if (filters.licenses?.length) {
      where.push(`m.license_id = ANY(${param(filters.licenses.map((l) => l.toLowerCase()))}::text[])`);
    }
    if (filters.task) where.push(`m.tasks @> ARRAY[${param(filters.task.toLowerCase())}]::text[]`);
    if (filters.minParams !== undefined) where.push(`m.parameters >= ${param(filters.minParams)}`);
    if (filters.maxParams !== undefined) where.push(`m.parameters <= ${param(filters.maxParams)}`);
    if (filters.releasedAfter) where.push(`m.release_date >= ${param(filters.releasedAfter)}::date`);
    if (filters.releasedBefore) where.push(`m.release_date <= ${param(filters.releasedBefore)}::date`);

    const { expression: value, type } = SORTS[sort];
    const slug = 'm.slug COLLATE "C"';
    if (after) {
      const afterSlug = param(after.slug);
      if (after.value === null) {
        where.push(`(${value} IS NULL AND ${slug} > ${afterSlug})`);
      } else {
        const afterValue = `${param(after.value)}::${type}`;
        const beyond = order === 'desc' ? '<' : '>';
        where.push(
          `((${value} IS NOT NULL AND (${value} ${beyond} ${afterValue} OR (${value} = ${afterValue} AND ${slug} > ${afterSlug}))) OR ${value} IS NULL)`,
        );
      }
    }
    const rows: { id: string; slug: string; sort_value: string | null }[] = await this.dataSource.query(
      `SELECT m.id, m.slug, (${value})::text AS sort_value
         FROM models m LEFT JOIN model_stats s ON s.model_id = m.id
        WHERE ${where.join(' AND ')}
        ORDER BY ${value} ${order === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, ${slug} ASC
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const models = await this.loadRows(page.map((row) => row.id));
    const last = rows.length > limit ? page[page.length - 1] : null;
    return {
      rows: models,
      last: last ? { value: last.sort_value, slug: last.slug } : null,
    };
  }

  /**
   * The model an id names, in any letter case. Aliases are read only when no
   * live model has the id, so a live id always wins over an old one; an alias
   * of an archived model names nothing.
   */
  async resolveSlug(slug: string, manager: EntityManager = this.dataSource.manager): Promise<ResolvedSlug> {
    const live: { id: string; slug: string }[] = await manager.query(
      'SELECT id, slug FROM models WHERE lower(slug) = lower($1) AND archived_at IS NULL',
      [slug],
    );
    if (live[0]) return { kind: 'live', ...live[0] };
    const moved: { id: string; slug: string }[] = await manager.query(
      `SELECT m.id, m.slug FROM model_aliases a JOIN models m ON m.id = a.model_id
        WHERE lower(a.slug) = lower($1) AND m.archived_at IS NULL`,
      [slug],
    );
    return moved[0] ? { kind: 'moved', ...moved[0] } : { kind: 'missing' };
  }

  /** The model (archived too) that an old id points to, if the id is an alias. */
  async findAliasTarget(
    slug: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; slug: string; archived: boolean } | null> {
    const rows: { id: string; slug: string; archived: boolean }[] = await manager.query(
      `SELECT m.id, m.slug, m.archived_at IS NOT NULL AS archived
         FROM model_aliases a JOIN models m ON m.id = a.model_id WHERE lower(a.slug) = lower($1)`,
      [slug],
    );
    return rows[0] ?? null;
  }

  async dropAlias(manager: EntityManager, slug: string): Promise<void> {
    await manager.query('DELETE FROM model_aliases WHERE lower(slug) = lower($1)', [slug]);
  }

  /**
   * Follows an upstream rename, for the stats sync and the import alike. The
   * model's binding to `from` takes the new id, unless another model is bound
   * to the new hub repository (a hub repository is one model; a person must
   * sort that out). The model itself takes the new id only on the hub, only
   * when its id was the old hub id (an id a person chose stays), and only
   * when no model, deleted ones included, has the new id; its old id then
   * stays as an alias that redirects.
   */
  async followUpstreamRename(
    manager: EntityManager,
    rename: UpstreamRename,
  ): Promise<{ slug: string; modelRenamed: boolean; bindingMoved: boolean }> {
    const { modelId, upstream, from, to, seenAt } = rename;
    const hubTaken: unknown[] =
      upstream === 'huggingface'
        ? await manager.query(
            `SELECT 1 FROM upstream_bindings
              WHERE upstream = 'huggingface' AND lower(external_id) = lower($1) AND model_id <> $2`,
            [to, modelId],
          )
        : [];
    let bindingMoved = false;
    if (hubTaken.length === 0) {
      // An UPDATE answers [rows, affected count] through TypeORM's pg driver.
      const [, affected]: [unknown[], number] = await manager.query(
        `UPDATE upstream_bindings
            SET external_id = $4, status = 'renamed', last_error = NULL, last_synced_at = COALESCE($5, last_synced_at)
          WHERE model_id = $1 AND upstream = $2 AND lower(external_id) = lower($3)`,
        [modelId, upstream, from, to, seenAt],
      );
      bindingMoved = affected > 0;
    }
    const [model]: { slug: string }[] = await manager.query('SELECT slug FROM models WHERE id = $1', [modelId]);
    const idTaken: unknown[] = await manager.query('SELECT 1 FROM models WHERE lower(slug) = lower($1) AND id <> $2', [
      to,
      modelId,
    ]);
    const renameModel =
      upstream === 'huggingface' &&
      model.slug.toLowerCase() === from.toLowerCase() &&
      model.slug !== to &&
      idTaken.length === 0;
    if (!renameModel) return { slug: model.slug, modelRenamed: false, bindingMoved };
    const { organization, name } = splitModelId(to);
    const organizationId = await this.ensureOrganization(manager, organization);
    const slug = `${organizationId}/${name}`;
    await manager.query(
      'UPDATE models SET slug = $2, organization_id = $3, name = $4, updated_at = now() WHERE id = $1',
      [modelId, slug, organizationId, name],
    );
    // The new id is live now; an alias with it (of any model) would never be read again.
    await this.dropAlias(manager, slug);
    if (model.slug.toLowerCase() !== slug.toLowerCase()) {
      await manager.query(
        `INSERT INTO model_aliases (slug, model_id) VALUES ($1, $2)
         ON CONFLICT ((lower(slug))) DO UPDATE SET model_id = EXCLUDED.model_id`,
        [model.slug, modelId],
      );
    }
    return { slug, modelRenamed: true, bindingMoved };
  }

  /** The model's upstream repositories, the hub first. */
  async bindingsOf(modelId: string, manager: EntityManager = this.dataSource.manager): Promise<BindingRow[]> {
    const rows: {
      upstream: Upstream;
      external_id: string;
      status: UpstreamStatus;
      last_synced_at: Date | null;
      last_error: string | null;
      imported: ImportedRecord | null;
    }[] = await manager.query(
      `SELECT upstream, external_id, status, last_synced_at, last_error, imported
         FROM upstream_bindings WHERE model_id = $1 ORDER BY upstream`,
      [modelId],
    );
    return rows.map((r) => ({
      upstream: r.upstream,
      externalId: r.external_id,
      status: r.status,
      lastSyncedAt: r.last_synced_at,
      lastError: r.last_error,
      imported: r.imported,
    }));
  }

  /** Any model, archived too, by its id in any letter case. */
  async findAnyBySlug(
    slug: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{
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
    }[] = await manager.query(
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
  async findIdsBySlugs(
    slugs: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, { id: string; slug: string }>> {
    const rows: { id: string; slug: string }[] = await manager.query(
      'SELECT id, slug FROM models WHERE lower(slug) = ANY($1::text[]) AND archived_at IS NULL',
      [slugs.map((s) => s.toLowerCase())],
    );
    return new Map(rows.map((row) => [row.slug.toLowerCase(), row]));
  }

  async loadRows(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<ModelRow[]> {
    if (ids.length === 0) return [];
    // One connection in a transaction serves one query at a time; the pool serves these four side by side.
    const inTransaction = manager.queryRunner !== undefined;
    const queries: (() => Promise<unknown>)[] = [
      () =>
        manager.query(
          `SELECT m.id, m.slug, m.organization_id, m.name, m.description, m.parameters, m.active_parameters,
                to_char(m.release_date, 'YYYY-MM-DD') AS release_date, m.tasks, m.tags, m.homepage, m.curated_fields,
                m.archived_at, m.created_at, m.updated_at,
                l.id AS license_id, l.name AS license_name, l.spdx AS license_spdx, l.url AS license_url,
                l.commercial_use AS license_commercial_use,
                s.downloads_all_time, s.downloads_30d, s.downloads_7d, s.likes, s.stars, s.last_synced_at,
                s.trending_rank, s.trending_score
           FROM models m
           LEFT JOIN licenses l ON l.id = m.license_id
           LEFT JOIN model_stats s ON s.model_id = m.id
          WHERE m.id = ANY($1::bigint[])`,
          [ids],
        ) as Promise<Record<string, never>[]>,
      () =>
        manager.query(
          `SELECT mp.model_id, p.arxiv_id, p.title FROM model_papers mp JOIN papers p ON p.arxiv_id = mp.arxiv_id
          WHERE mp.model_id = ANY($1::bigint[]) ORDER BY mp.position`,
          [ids],
        ) as Promise<{ model_id: string; arxiv_id: string; title: string | null }[]>,
      () =>
        manager.query(
          `SELECT r.derived_model_id, b.slug, r.relation FROM model_relations r JOIN models b ON b.id = r.base_model_id
          WHERE r.derived_model_id = ANY($1::bigint[]) AND b.archived_at IS NULL ORDER BY b.slug COLLATE "C"`,
          [ids],
        ) as Promise<{ derived_model_id: string; slug: string; relation: Relation }[]>,
      () =>
        manager.query(
          'SELECT model_id, upstream, external_id FROM upstream_bindings WHERE model_id = ANY($1::bigint[])',
          [ids],
        ) as Promise<{ model_id: string; upstream: Upstream; external_id: string }[]>,
    ];
    const results = inTransaction ? await sequentially(queries) : await Promise.all(queries.map((query) => query()));
    const [models, papers, bases, bindings] = results as [
      Record<string, any>[],
      { model_id: string; arxiv_id: string; title: string | null }[],
      { derived_model_id: string; slug: string; relation: Relation }[],
      { model_id: string; upstream: Upstream; external_id: string }[],
    ];
    const byId = new Map<string, ModelRow>();
    for (const m of models) {
      byId.set(m.id, {
        id: m.id,
        slug: m.slug,
        organizationId: m.organization_id,
        name: m.name,
        description: m.description,
        parameters: toNumber(m.parameters),
        activeParameters: toNumber(m.active_parameters),
        releaseDate: m.release_date,
        tasks: m.tasks,
        tags: m.tags,
        homepage: m.homepage,
        curatedFields: m.curated_fields,
        archivedAt: m.archived_at,
        createdAt: m.created_at,
        updatedAt: m.updated_at,
        license: m.license_id
          ? {
              id: m.license_id,
              name: m.license_name,
              spdx: m.license_spdx,
              url: m.license_url,
              commercialUse: m.license_commercial_use,
            }
          : null,
        stats: {
          downloadsAllTime: toNumber(m.downloads_all_time),
          downloads30d: toNumber(m.downloads_30d),
          downloads7d: toNumber(m.downloads_7d),
          likes: m.likes,
          stars: m.stars,
          lastSyncedAt: m.last_synced_at,
          trendingRank: m.trending_rank,
          trendingScore: m.trending_score,
        },
        papers: [],
        baseModels: [],
        bindings: {},
      });
    }
    for (const p of papers) byId.get(p.model_id)?.papers.push({ arxivId: p.arxiv_id, title: p.title });
    for (const b of bases) byId.get(b.derived_model_id)?.baseModels.push({ slug: b.slug, relation: b.relation });
    for (const b of bindings) {
      const row = byId.get(b.model_id);
      if (row) row.bindings[b.upstream] = b.external_id;
    }
    return ids.map((id) => byId.get(id)).filter((row): row is ModelRow => row !== undefined);
  }

  async insertModel(
    manager: EntityManager,
    model: {
      slug: string;
      organizationId: string;
      name: string;
      curatedFields: CuratedField[];
    } & ModelFields,
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
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
  async updateModel(manager: EntityManager, id: string, fields: ModelFields, curated: CuratedField[]): Promise<void> {
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
    await manager.query(`UPDATE models SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async touch(manager: EntityManager, id: string, curated: CuratedField[]): Promise<void> {
    await this.updateModel(manager, id, {}, curated);
  }

  async ensureOrganization(manager: EntityManager, slug: string): Promise<string> {
    const existing: { id: string }[] = await manager.query('SELECT id FROM organizations WHERE lower(id) = lower($1)', [
      slug,
    ]);
    if (existing[0]) return existing[0].id;
    await manager.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [slug]);
    const created: { id: string }[] = await manager.query('SELECT id FROM organizations WHERE lower(id) = lower($1)', [
      slug,
    ]);
    return created[0].id;
  }

  async licenseExists(manager: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM licenses WHERE id = $1', [id]);
    return rows.length > 0;
  }

  async replacePapers(
    manager: EntityManager,
    modelId: string,
    papers: { arxivId: string; title?: string | null }[],
  ): Promise<void> {
    await manager.query('DELETE FROM model_papers WHERE model_id = $1', [modelId]);
    for (const [position, paper] of papers.entries()) {
      await manager.query(
        `INSERT INTO papers (arxiv_id, title) VALUES ($1, $2)
         ON CONFLICT (arxiv_id) DO UPDATE SET title = COALESCE(EXCLUDED.title, papers.title)`,
        [paper.arxivId, paper.title ?? null],
      );
      await manager.query('INSERT INTO model_papers (model_id, arxiv_id, position) VALUES ($1, $2, $3)', [
        modelId,
        paper.arxivId,
        position,
      ]);
    }
  }

  async replaceBaseModels(
    manager: EntityManager,
    modelId: string,
    bases: { id: string; relation: Relation }[],
  ): Promise<void> {
    await manager.query('DELETE FROM model_relations WHERE derived_model_id = $1', [modelId]);
    for (const base of bases) {
      await manager.query(
        'INSERT INTO model_relations (derived_model_id, base_model_id, relation) VALUES ($1, $2, $3)',
        [modelId, base.id, base.relation],
      );
    }
  }

  /** Ids of every model derived from `modelId`, at any depth. */
  async descendantIds(manager: EntityManager, modelId: string): Promise<Set<string>> {
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE down(id) AS (
         SELECT derived_model_id FROM model_relations WHERE base_model_id = $1
         UNION
         SELECT r.derived_model_id FROM model_relations r JOIN down ON r.base_model_id = down.id
       ) SELECT id FROM down`,
      [modelId],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** The model bound to an upstream repository, if any. */
  async findBinding(
    manager: EntityManager,
    upstream: Upstream,
    externalId: string,
  ): Promise<{ modelId: string; slug: string } | null> {
    const rows: { model_id: string; slug: string }[] = await manager.query(
      `SELECT b.model_id, m.slug FROM upstream_bindings b JOIN models m ON m.id = b.model_id
        WHERE b.upstream = $1 AND lower(b.external_id) = lower($2)`,
      [upstream, externalId],
    );
    return rows[0] ? { modelId: rows[0].model_id, slug: rows[0].slug } : null;
  }

  async setBinding(
    manager: EntityManager,
    modelId: string,
    upstream: Upstream,
    externalId: string | null,
  ): Promise<void> {
    if (externalId === null) {
      await manager.query('DELETE FROM upstream_bindings WHERE model_id = $1 AND upstream = $2', [modelId, upstream]);
      return;
    }
    await manager.query(
      `INSERT INTO upstream_bindings (model_id, upstream, external_id) VALUES ($1, $2, $3)
       ON CONFLICT (model_id, upstream) DO UPDATE SET external_id = EXCLUDED.external_id,
         status = CASE WHEN upstream_bindings.external_id = EXCLUDED.external_id THEN upstream_bindings.status ELSE 'ok' END`,
      [modelId, upstream, externalId],
    );
  }

  async archive(id: string): Promise<void> {
    await this.dataSource.query('UPDATE models SET archived_at = now(), updated_at = now() WHERE id = $1', [id]);
  }

  /** Removes a model and everything hanging off it for good. */
  async purge(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM models WHERE id = $1', [id]);
  }
}
