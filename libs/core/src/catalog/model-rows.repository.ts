import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { CuratedField } from './entities/model.entity';
import type { Relation } from './entities/model-relation.entity';
import type { Upstream } from './entities/upstream-binding.entity';
import type { CursorPosition, ModelFilters, ModelSort, SortOrder } from './model-list';
import { searchSql } from './model-search';

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
    hubDownloads30d: number | null;
    likes: number | null;
    stars: number | null;
    lastSyncedAt: Date | null;
    trendingRank: number | null;
    trendingScore: number | null;
    /** The figures are the demo's (`npm run cli -- demo`), not a real source's. */
    demo: boolean;
  };
  papers: { arxivId: string; title: string | null }[];
  baseModels: { slug: string; relation: Relation }[];
  bindings: Partial<Record<Upstream, string>>;
}

export interface ModelPage {
  rows: ModelRow[];
  /** Sort value and slug of the last row when there is a next page. */
  last: CursorPosition | null;
}

/**
 * SQL expression and type of each sort; nulls (nothing known yet) always come
 * last. Relevance depends on the words asked, so the search gives its expression.
 */
const SORTS: Record<Exclude<ModelSort, 'relevance'>, { expression: string; type: string }> = {
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

/**
 * What the catalogue shows of models, read in as few queries as it can: a
 * page of the list, or the full rows of given models. The stats block is
 * read from `model_stats` (the stats context writes it) in the same query.
 */
@Injectable()
export class ModelRowsRepository extends TransactionalRepository {
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
    // Without q every model is as relevant as the next: sort=relevance then falls back to id order.
    let relevance = () => '0::double precision';
    if (filters.q) {
      const search = searchSql(filters.q, param);
      where.push(search.condition);
      relevance = search.relevance;
    }
    if (filters.organizations?.length) {
      where.push(`lower(m.organization_id) = ANY(${param(filters.organizations.map((o) => o.toLowerCase()))}::text[])`);
    }
    if (filters.licenses?.length) {
      where.push(`m.license_id = ANY(${param(filters.licenses.map((l) => l.toLowerCase()))}::text[])`);
    }
    if (filters.task) where.push(`m.tasks @> ARRAY[${param(filters.task.toLowerCase())}]::text[]`);
    if (filters.tags?.length) where.push(`m.tags @> ${param(filters.tags.map((t) => t.toLowerCase()))}::text[]`);
    if (filters.minParams !== undefined) where.push(`m.parameters >= ${param(filters.minParams)}`);
    if (filters.maxParams !== undefined) where.push(`m.parameters <= ${param(filters.maxParams)}`);
    if (filters.releasedAfter) where.push(`m.release_date >= ${param(filters.releasedAfter)}::date`);
    if (filters.releasedBefore) where.push(`m.release_date <= ${param(filters.releasedBefore)}::date`);

    const { expression: value, type } =
      sort === 'relevance' ? { expression: relevance(), type: 'double precision' } : SORTS[sort];
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
    const rows: { id: string; slug: string; sort_value: string | null }[] = await this.db.query(
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

  async loadRows(ids: string[]): Promise<ModelRow[]> {
    if (ids.length === 0) return [];
    // One connection in a transaction serves one query at a time; the pool serves these four side by side.
    const manager = this.db;
    const inTransaction = this.inTransaction;
    const queries: (() => Promise<unknown>)[] = [
      () =>
        manager.query(
          `SELECT m.id, m.slug, m.organization_id, m.name, m.description, m.parameters, m.active_parameters,
                to_char(m.release_date, 'YYYY-MM-DD') AS release_date, m.tasks, m.tags, m.homepage, m.curated_fields,
                m.archived_at, m.created_at, m.updated_at,
                l.id AS license_id, l.name AS license_name, l.spdx AS license_spdx, l.url AS license_url,
                l.commercial_use AS license_commercial_use,
                s.downloads_all_time, s.downloads_30d, s.downloads_7d, s.hub_downloads_30d, s.likes, s.stars,
                s.last_synced_at, s.trending_rank, s.trending_score, COALESCE(s.demo, false) AS demo
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
          hubDownloads30d: toNumber(m.hub_downloads_30d),
          likes: m.likes,
          stars: m.stars,
          lastSyncedAt: m.last_synced_at,
          trendingRank: m.trending_rank,
          trendingScore: m.trending_score,
          demo: m.demo,
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
}
