import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { SeedFile } from './seed/seed-file';

/** `organizations`, `licenses` and `papers`: the catalogue's reference lists. */
@Injectable()
export class DirectoryRepository extends TransactionalRepository {
  /** The organization's id as stored, in any letter case; made (named after its slug) when missing. */
  async ensureOrganization(slug: string): Promise<string> {
    const existing: { id: string }[] = await this.db.query('SELECT id FROM organizations WHERE lower(id) = lower($1)', [
      slug,
    ]);
    if (existing[0]) return existing[0].id;
    await this.db.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [slug]);
    const created: { id: string }[] = await this.db.query('SELECT id FROM organizations WHERE lower(id) = lower($1)', [
      slug,
    ]);
    return created[0].id;
  }

  /** Which of these licence and organization ids are stored, in lower case (one round trip). */
  async knownReferences(
    licenses: string[],
    organizations: string[],
  ): Promise<{ licenses: Set<string>; organizations: Set<string> }> {
    const rows: { kind: 'license' | 'organization'; id: string }[] = await this.db.query(
      `SELECT 'license' AS kind, lower(id) AS id FROM licenses WHERE lower(id) = ANY($1::text[])
       UNION ALL
       SELECT 'organization', lower(id) FROM organizations WHERE lower(id) = ANY($2::text[])`,
      [licenses.map((l) => l.toLowerCase()), organizations.map((o) => o.toLowerCase())],
    );
    return {
      licenses: new Set(rows.filter((r) => r.kind === 'license').map((r) => r.id)),
      organizations: new Set(rows.filter((r) => r.kind === 'organization').map((r) => r.id)),
    };
  }

  async licenseExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM licenses WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /**
   * Makes the papers a model cites that are not stored yet, with the title
   * given. A stored paper is shared by every model that cites it, so a
   * model's write never changes it: another title is ignored (only the seed
   * changes titles, through upsertReferences).
   */
  async ensurePapers(papers: { arxivId: string; title?: string | null }[]): Promise<void> {
    for (const paper of papers) {
      await this.db.query('INSERT INTO papers (arxiv_id, title) VALUES ($1, $2) ON CONFLICT (arxiv_id) DO NOTHING', [
        paper.arxivId,
        paper.title ?? null,
      ]);
    }
  }

  /** Licences, organizations and paper titles as the seed states them: reference data the seed owns. */
  async upsertReferences(seed: Pick<SeedFile, 'licenses' | 'organizations' | 'papers'>): Promise<void> {
    for (const license of seed.licenses) {
      await this.db.query(
        `INSERT INTO licenses (id, name, spdx, url, commercial_use) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, spdx = EXCLUDED.spdx, url = EXCLUDED.url,
           commercial_use = EXCLUDED.commercial_use
         WHERE (licenses.name, licenses.spdx, licenses.url, licenses.commercial_use)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.spdx, EXCLUDED.url, EXCLUDED.commercial_use)`,
        [license.id, license.name, license.spdx, license.url, license.commercialUse],
      );
    }
    for (const organization of seed.organizations) {
      await this.db.query(
        `INSERT INTO organizations (id, name, url) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, url = EXCLUDED.url, updated_at = now()
         WHERE (organizations.name, organizations.url) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.url)`,
        [organization.id, organization.name, organization.url],
      );
    }
    for (const paper of seed.papers) {
      await this.db.query(
        `INSERT INTO papers (arxiv_id, title) VALUES ($1, $2)
         ON CONFLICT (arxiv_id) DO UPDATE SET title = EXCLUDED.title WHERE papers.title IS DISTINCT FROM EXCLUDED.title`,
        [paper.arxivId, paper.title],
      );
    }
  }

  async organizationsWithCounts(): Promise<{ id: string; name: string; url: string | null; models: number }[]> {
    return this.db.query(
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
    return this.db.query(
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
    const papers: { arxiv_id: string; title: string | null }[] = await this.db.query(
      'SELECT arxiv_id, title FROM papers WHERE arxiv_id = $1',
      [arxivId],
    );
    if (!papers[0]) return null;
    const models: { slug: string; organization_id: string; name: string }[] = await this.db.query(
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
