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
}
