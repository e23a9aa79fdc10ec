import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SeedFile } from './seed.service';

/** Any fixed number: serialises seed runs of processes starting together. */
const SEED_LOCK = 7_240_118;

@Injectable()
export class SeedRepository {
  async lock(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
  }

  async appliedHash(manager: EntityManager, name: string): Promise<string | null> {
    const rows: { content_hash: string }[] = await manager.query(
      'SELECT content_hash FROM seed_state WHERE name = $1',
      [name],
    );
    return rows[0]?.content_hash ?? null;
  }

  async recordApplied(manager: EntityManager, name: string, contentHash: string): Promise<void> {
    await manager.query(
      `INSERT INTO seed_state (name, content_hash, applied_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET content_hash = EXCLUDED.content_hash, applied_at = EXCLUDED.applied_at`,
      [name, contentHash],
    );
  }

  /** Licences, organizations and paper titles: reference data the seed owns. */
  async upsertReferences(manager: EntityManager, seed: SeedFile): Promise<void> {
    for (const license of seed.licenses) {
      await manager.query(
        `INSERT INTO licenses (id, name, spdx, url, commercial_use) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, spdx = EXCLUDED.spdx, url = EXCLUDED.url,
           commercial_use = EXCLUDED.commercial_use
         WHERE (licenses.name, licenses.spdx, licenses.url, licenses.commercial_use)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.spdx, EXCLUDED.url, EXCLUDED.commercial_use)`,
        [license.id, license.name, license.spdx, license.url, license.commercialUse],
      );
    }
    for (const organization of seed.organizations) {
      await manager.query(
        `INSERT INTO organizations (id, name, url) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, url = EXCLUDED.url, updated_at = now()
         WHERE (organizations.name, organizations.url) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.url)`,
        [organization.id, organization.name, organization.url],
      );
    }
    for (const paper of seed.papers) {
      await manager.query(
        `INSERT INTO papers (arxiv_id, title) VALUES ($1, $2)
         ON CONFLICT (arxiv_id) DO UPDATE SET title = EXCLUDED.title WHERE papers.title IS DISTINCT FROM EXCLUDED.title`,
        [paper.arxivId, paper.title],
      );
    }
  }
}
