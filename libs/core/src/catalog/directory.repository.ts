import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Organizations, licences and papers: the catalogue's reference lists. */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async organizationsWithCounts(): Promise<{ id: string; name: string; url: string | null; models: number }[]> {
    return this.dataSource.query(
      `SELECT o.id, o.name, o.url, count(m.id)::int AS models
         FROM organizations o LEFT JOIN models m ON m.organization_id = o.id AND m.archived_at IS NULL
        GROUP BY o.id ORDER BY lower(o.id) COLLATE "C"`,
    );
  }

  async licensesWithCounts(): Promise<
    {
      id: string;
      name: string;
      spdx: string | null;
      url: string | null;
      commercialUse: boolean | null;
      models: number;
    }[]
  > {
    return this.dataSource.query(
      `SELECT l.id, l.name, l.spdx, l.url, l.commercial_use AS "commercialUse", count(m.id)::int AS models
         FROM licenses l LEFT JOIN models m ON m.license_id = l.id AND m.archived_at IS NULL
        GROUP BY l.id ORDER BY l.id COLLATE "C"`,
    );
  }

  async findPaperWithModels(arxivId: string): Promise<{
    arxivId: string;
    title: string | null;
    models: { slug: string; organizationId: string; name: string }[];
  } | null> {
    const papers: { arxiv_id: string; title: string | null }[] = await this.dataSource.query(
      'SELECT arxiv_id, title FROM papers WHERE arxiv_id = $1',
      [arxivId],
    );
    if (!papers[0]) return null;
    const models: { slug: string; organization_id: string; name: string }[] = await this.dataSource.query(
      `SELECT m.slug, m.organization_id, m.name FROM model_papers mp JOIN models m ON m.id = mp.model_id
        WHERE mp.arxiv_id = $1 AND m.archived_at IS NULL ORDER BY m.slug COLLATE "C"`,
      [arxivId],
    );
    return {
      arxivId: papers[0].arxiv_id,
      title: papers[0].title,
      models: models.map((m) => ({ slug: m.slug, organizationId: m.organization_id, name: m.name })),
    };
  }
}
