import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { CuratedField } from './entities/model.entity';
import type { Upstream, UpstreamStatus } from './entities/upstream-binding.entity';
import type { ImportedRecord } from './imported-record';

/** A model's repository on one upstream, with what the sync and import last learned there. */
export interface BindingRow {
  upstream: Upstream;
  externalId: string;
  status: UpstreamStatus;
  lastSyncedAt: Date | null;
  lastError: string | null;
  imported: ImportedRecord | null;
}

/** A binding of a live model, as the stats sync walks them. */
export interface TrackedBinding {
  bindingId: string;
  modelId: string;
  slug: string;
  upstream: Upstream;
  externalId: string;
  status: UpstreamStatus;
}

/** A catalogue model an import may write to. */
export interface ImportTarget {
  id: string;
  slug: string;
  archived: boolean;
  curatedFields: CuratedField[];
  /** The hub repository the model is bound to, if any. */
  hubRepo: string | null;
}

/** A model with its Hugging Face binding if it has one: where a tracked link leads. */
export interface HubTarget {
  modelId: string;
  slug: string;
  /** The model's Hugging Face repository (`org/name`), or null when it has none. */
  hubRepo: string | null;
  hubStatus: UpstreamStatus | null;
}

/** Any fixed number: with the hub id, serialises two imports of one model (CLI and discovery job). */
const IMPORT_LOCK = 4_182_503;

/** `upstream_bindings`: which repository on which upstream each model is, and how syncing it went. */
@Injectable()
export class BindingRepository extends TransactionalRepository {
  /** The model's upstream repositories, the hub first. */
  async bindingsOf(modelId: string): Promise<BindingRow[]> {
    const rows: {
      upstream: Upstream;
      external_id: string;
      status: UpstreamStatus;
      last_synced_at: Date | null;
      last_error: string | null;
      imported: ImportedRecord | null;
    }[] = await this.db.query(
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

  /** The model bound to an upstream repository, if any. */
  async findBound(upstream: Upstream, externalId: string): Promise<{ modelId: string; slug: string } | null> {
    const rows: { model_id: string; slug: string }[] = await this.db.query(
      `SELECT b.model_id, m.slug FROM upstream_bindings b JOIN models m ON m.id = b.model_id
        WHERE b.upstream = $1 AND lower(b.external_id) = lower($2)`,
      [upstream, externalId],
    );
    return rows[0] ? { modelId: rows[0].model_id, slug: rows[0].slug } : null;
  }

  /** Binds the model to a repository (null: unbinds it); a new repository starts with status ok. */
  async set(modelId: string, upstream: Upstream, externalId: string | null): Promise<void> {
    if (externalId === null) {
      await this.db.query('DELETE FROM upstream_bindings WHERE model_id = $1 AND upstream = $2', [modelId, upstream]);
      return;
    }
    await this.db.query(
      `INSERT INTO upstream_bindings (model_id, upstream, external_id) VALUES ($1, $2, $3)
       ON CONFLICT (model_id, upstream) DO UPDATE SET external_id = EXCLUDED.external_id,
         status = CASE WHEN upstream_bindings.external_id = EXCLUDED.external_id THEN upstream_bindings.status ELSE 'ok' END`,
      [modelId, upstream, externalId],
    );
  }

  /**
   * Moves the model's binding from repository `from` to `to` after an
   * upstream rename (status `renamed`), unless another model is bound to
   * the new hub repository. Answers whether it moved.
   */
  async follow(rename: {
    modelId: string;
    upstream: Upstream;
    from: string;
    to: string;
    seenAt: Date | null;
  }): Promise<boolean> {
    const { modelId, upstream, from, to, seenAt } = rename;
    if (upstream === 'huggingface') {
      const taken: unknown[] = await this.db.query(
        `SELECT 1 FROM upstream_bindings
          WHERE upstream = 'huggingface' AND lower(external_id) = lower($1) AND model_id <> $2`,
        [to, modelId],
      );
      if (taken.length > 0) return false;
    }
    // An UPDATE answers [rows, affected count] through TypeORM's pg driver.
    const [, affected]: [unknown[], number] = await this.db.query(
      `UPDATE upstream_bindings
          SET external_id = $4, status = 'renamed', last_error = NULL, last_synced_at = COALESCE($5, last_synced_at)
        WHERE model_id = $1 AND upstream = $2 AND lower(external_id) = lower($3)`,
      [modelId, upstream, from, to, seenAt],
    );
    return affected > 0;
  }

  /** Bindings of live models, gone ones included (the sync counts them as skipped). */
  async tracked(): Promise<TrackedBinding[]> {
    const rows: {
      id: string;
      model_id: string;
      slug: string;
      upstream: Upstream;
      external_id: string;
      status: UpstreamStatus;
    }[] = await this.db.query(
      `SELECT b.id, b.model_id, m.slug, b.upstream, b.external_id, b.status
         FROM upstream_bindings b JOIN models m ON m.id = b.model_id
        WHERE m.archived_at IS NULL
        ORDER BY b.upstream, lower(b.external_id)`,
    );
    return rows.map((r) => ({
      bindingId: r.id,
      modelId: r.model_id,
      slug: r.slug,
      upstream: r.upstream,
      externalId: r.external_id,
      status: r.status,
    }));
  }

  /** Marks bindings read without trouble: status ok, no error, synced at the time of their reading. */
  async markSynced(synced: { bindingId: string; at: Date }[]): Promise<void> {
    if (synced.length === 0) return;
    await this.db.query(
      `UPDATE upstream_bindings b SET status = 'ok', last_error = NULL, last_synced_at = s.at
         FROM unnest($1::bigint[], $2::timestamptz[]) AS s(id, at) WHERE b.id = s.id`,
      [synced.map((s) => s.bindingId), synced.map((s) => s.at.toISOString())],
    );
  }

  /** Marks bindings after a fetch: status, the error (null after a success), and the sync time on success. */
  async mark(bindingIds: string[], status: UpstreamStatus, error: string | null, syncedAt: Date | null): Promise<void> {
    if (bindingIds.length === 0) return;
    await this.db.query(
      `UPDATE upstream_bindings SET status = $2, last_error = $3, last_synced_at = COALESCE($4, last_synced_at)
        WHERE id = ANY($1::bigint[])`,
      [bindingIds, status, error, syncedAt],
    );
  }

  /** Serialises two imports of one hub repository until the end of the transaction. */
  async lockHubId(hubId: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))', [IMPORT_LOCK, hubId]);
  }

  /** The model bound to hub repository `hubId`, else the model whose id is `hubId`; archived ones too. */
  async findImportTarget(hubId: string): Promise<ImportTarget | null> {
    const rows: {
      id: string;
      slug: string;
      archived: boolean;
      curated_fields: CuratedField[];
      hub_repo: string | null;
    }[] = await this.db.query(
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
    const rows: { id: string }[] = await this.db.query(
      `SELECT lower(b.external_id) AS id FROM upstream_bindings b
        WHERE b.upstream = 'huggingface' AND lower(b.external_id) = ANY($1::text[])
       UNION
       SELECT lower(m.slug) FROM models m WHERE lower(m.slug) = ANY($1::text[])`,
      [hubIds.map((id) => id.toLowerCase())],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Stores what the hub said beside the model; false when it said the same as last time. */
  async saveImported(modelId: string, imported: ImportedRecord): Promise<boolean> {
    const [, affected]: [unknown[], number] = await this.db.query(
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
    hubId: string,
  ): Promise<{ id: string; slug: string; curatedFields: CuratedField[]; imported: ImportedRecord }[]> {
    const rows: { id: string; slug: string; curated_fields: CuratedField[]; imported: ImportedRecord }[] =
      await this.db.query(
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

  /** A model with its Hugging Face binding if it has one. */
  async findHubTarget(modelId: string): Promise<HubTarget | null> {
    const rows: { id: string; slug: string; external_id: string | null; status: UpstreamStatus | null }[] =
      await this.db.query(
        `SELECT m.id, m.slug, b.external_id, b.status
           FROM models m
           LEFT JOIN upstream_bindings b ON b.model_id = m.id AND b.upstream = 'huggingface'
          WHERE m.id = $1`,
        [modelId],
      );
    const row = rows[0];
    return row ? { modelId: row.id, slug: row.slug, hubRepo: row.external_id, hubStatus: row.status } : null;
  }
}
