import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { UpstreamStatus } from '../catalog/entities/upstream-binding.entity';

export interface LinkTarget {
  modelId: string;
  slug: string;
  /** The model's Hugging Face repository (`org/name`), or null when it has none. */
  hubRepo: string | null;
  hubStatus: UpstreamStatus | null;
}

@Injectable()
export class LinkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A model with its Hugging Face binding if it has one. */
  async findHubTarget(modelId: string): Promise<LinkTarget | null> {
    const rows: { id: string; slug: string; external_id: string | null; status: UpstreamStatus | null }[] =
      await this.dataSource.query(
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
