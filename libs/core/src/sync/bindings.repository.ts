import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Upstream, UpstreamStatus } from '../catalog/entities/upstream-binding.entity';

export interface TrackedBinding {
  bindingId: string;
  modelId: string;
  slug: string;
  upstream: Upstream;
  externalId: string;
  status: UpstreamStatus;
}

/** The upstream bindings the stats sync walks and marks. */
@Injectable()
export class BindingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Bindings of live models, gone ones included (the sync counts them as skipped). */
  async tracked(): Promise<TrackedBinding[]> {
    const rows: {
      id: string;
      model_id: string;
      slug: string;
      upstream: Upstream;
      external_id: string;
      status: UpstreamStatus;
    }[] = await this.dataSource.query(
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
    await this.dataSource.query(
      `UPDATE upstream_bindings b SET status = 'ok', last_error = NULL, last_synced_at = s.at
         FROM unnest($1::bigint[], $2::timestamptz[]) AS s(id, at) WHERE b.id = s.id`,
      [synced.map((s) => s.bindingId), synced.map((s) => s.at.toISOString())],
    );
  }

  /** Marks bindings after a fetch: status, the error (null after a success), and the sync time on success. */
  async mark(bindingIds: string[], status: UpstreamStatus, error: string | null, syncedAt: Date | null): Promise<void> {
    if (bindingIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE upstream_bindings SET status = $2, last_error = $3, last_synced_at = COALESCE($4, last_synced_at)
        WHERE id = ANY($1::bigint[])`,
      [bindingIds, status, error, syncedAt],
    );
  }

  /**
   * Follows an upstream rename: the binding takes the new id, and a model
   * whose id was the old hub id takes the new one, keeping the old as an
   * alias that redirects. A new id already used by another model is left
   * alone (a person must sort that out), and the answer says so.
   */
  async followRename(
    binding: TrackedBinding,
    to: string,
    at: Date,
  ): Promise<{ modelSlug: string; modelRenamed: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const taken: { id: string }[] = await manager.query(
        'SELECT id FROM models WHERE lower(slug) = lower($1) AND id <> $2',
        [to, binding.modelId],
      );
      const boundElsewhere: { id: string }[] = await manager.query(
        `SELECT id FROM upstream_bindings WHERE upstream = $1 AND lower(external_id) = lower($2) AND id <> $3`,
        [binding.upstream, to, binding.bindingId],
      );
      if (boundElsewhere.length === 0) {
        await manager.query(
          `UPDATE upstream_bindings SET external_id = $2, status = 'renamed', last_error = NULL, last_synced_at = $3
            WHERE id = $1`,
          [binding.bindingId, to, at],
        );
      }
      const renameModel =
        binding.upstream === 'huggingface' &&
        taken.length === 0 &&
        binding.slug.toLowerCase() === binding.externalId.toLowerCase() &&
        binding.slug !== to;
      if (!renameModel) return { modelSlug: binding.slug, modelRenamed: false };
      const organization = to.split('/')[0];
      await manager.query(
        `INSERT INTO organizations (id, name) SELECT $1, $1
          WHERE NOT EXISTS (SELECT 1 FROM organizations WHERE lower(id) = lower($1))`,
        [organization],
      );
      const orgRows: { id: string }[] = await manager.query(
        'SELECT id FROM organizations WHERE lower(id) = lower($1)',
        [organization],
      );
      await manager.query(
        `UPDATE models SET slug = $2, organization_id = $3, name = $4, updated_at = now() WHERE id = $1`,
        [binding.modelId, to, orgRows[0].id, to.split('/')[1]],
      );
      await manager.query('DELETE FROM model_aliases WHERE lower(slug) = lower($1)', [to]);
      await manager.query(
        `INSERT INTO model_aliases (slug, model_id) VALUES ($1, $2)
         ON CONFLICT ((lower(slug))) DO UPDATE SET model_id = excluded.model_id`,
        [binding.slug, binding.modelId],
      );
      return { modelSlug: to, modelRenamed: true };
    });
  }
}
