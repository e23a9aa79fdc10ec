import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CuratedField } from '../catalog/entities/model.entity';
import type { Relation } from '../catalog/entities/model-relation.entity';
import type { ImportedRecord } from '../catalog/imported-record';
import type { ImportableFields } from './import-changes';

/** A catalogue model an import may write to. */
export interface ImportTarget {
  id: string;
  slug: string;
  archived: boolean;
  curatedFields: CuratedField[];
  /** The hub repository the model is bound to, if any. */
  hubRepo: string | null;
}

/** Any fixed number: with the hub id, serialises two imports of one model (CLI and discovery job). */
const IMPORT_LOCK = 4_182_503;

/** What the hub import reads and writes beyond the catalogue service's own writes. */
@Injectable()
export class ImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async lockHubId(manager: EntityManager, hubId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))', [IMPORT_LOCK, hubId]);
  }

  /** The model bound to hub repository `hubId`, else the model whose id is `hubId`; archived ones too. */
  async findTarget(manager: EntityManager, hubId: string): Promise<ImportTarget | null> {
    const rows: {
      id: string;
      slug: string;
      archived: boolean;
      curated_fields: CuratedField[];
      hub_repo: string | null;
    }[] = await manager.query(
      `SELECT m.id, m.slug, m.archived_at IS NOT NULL AS archived, m.curated_fields, b.external_id AS hub_repo
         FROM models m
         LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
        WHERE lower(b.external_id) = lower($1) OR lower(m.slug) = lower($1)
        ORDER BY (lower(b.external_id) = lower($1)) IS TRUE DESC
        LIMIT 1`,
      [hubId],
    );
    const row = rows[0];
    return row
      ? { id: row.id, slug: row.slug, archived: row.archived, curatedFields: row.curated_fields, hubRepo: row.hub_repo }
      : null;
  }

  /** The hub ids of `hubIds` that the catalogue already has, as a binding or as a model id (deleted ones too). */
  async knownHubIds(hubIds: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT lower(b.external_id) AS id FROM upstream_bindings b
        WHERE b.upstream = 'huggingface' AND lower(b.external_id) = ANY($1::text[])
       UNION
       SELECT lower(m.slug) FROM models m WHERE lower(m.slug) = ANY($1::text[])`,
      [hubIds.map((id) => id.toLowerCase())],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** The stored values of the fields an import writes. */
  async importableFields(manager: EntityManager, modelId: string): Promise<ImportableFields> {
    const [model]: { license_id: string | null; parameters: string | null; tasks: string[] }[] = await manager.query(
      'SELECT license_id, parameters, tasks FROM models WHERE id = $1',
      [modelId],
    );
    const papers: { arxiv_id: string }[] = await manager.query(
      'SELECT arxiv_id FROM model_papers WHERE model_id = $1 ORDER BY position',
      [modelId],
    );
    const bases: { slug: string; relation: Relation }[] = await manager.query(
      `SELECT b.slug, r.relation FROM model_relations r JOIN models b ON b.id = r.base_model_id
        WHERE r.derived_model_id = $1`,
      [modelId],
    );
    return {
      license: model.license_id,
      parameters: model.parameters === null ? null : Number(model.parameters),
      tasks: model.tasks,
      papers: papers.map((p) => p.arxiv_id),
      baseModels: bases.map((b) => ({ id: b.slug, relation: b.relation })),
    };
  }

  async licenseExists(manager: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM licenses WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** Live models by id in any letter case: lowercased id → canonical id. */
  async liveSlugs(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { slug: string }[] = await manager.query(
      'SELECT slug FROM models WHERE lower(slug) = ANY($1::text[]) AND archived_at IS NULL',
      [ids.map((id) => id.toLowerCase())],
    );
    return new Map(rows.map((row) => [row.slug.toLowerCase(), row.slug]));
  }

  /** Stores what the hub said beside the model; false when it said the same as last time. */
  async saveImported(manager: EntityManager, modelId: string, imported: ImportedRecord): Promise<boolean> {
    // An UPDATE answers [rows, affected count] through TypeORM's pg driver.
    const [, affected]: [unknown[], number] = await manager.query(
      `UPDATE upstream_bindings SET imported = $2::jsonb
        WHERE model_id = $1 AND upstream = 'huggingface' AND imported IS DISTINCT FROM $2::jsonb`,
      [modelId, JSON.stringify(imported)],
    );
    return affected > 0;
  }

  /**
   * Models imported from the hub whose hub lineage names `hubId`, which the
   * catalogue did not have when they were imported.
   */
  async awaitingBase(
    manager: EntityManager,
    hubId: string,
  ): Promise<{ id: string; slug: string; curatedFields: CuratedField[]; imported: ImportedRecord }[]> {
    const rows: { id: string; slug: string; curated_fields: CuratedField[]; imported: ImportedRecord }[] =
      await manager.query(
        `SELECT m.id, m.slug, m.curated_fields, b.imported FROM upstream_bindings b JOIN models m ON m.id = b.model_id
        WHERE b.upstream = 'huggingface' AND m.archived_at IS NULL
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(b.imported -> 'baseModels') base
                       WHERE lower(base ->> 'id') = lower($1))`,
        [hubId],
      );
    return rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      curatedFields: row.curated_fields,
      imported: row.imported,
    }));
  }
}
