import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';

/** Any fixed number: serialises seed runs of processes starting together. */
const SEED_LOCK = 7_240_118;

/** `seed_state`: which seed was applied last, and the lock that serialises applying one. */
@Injectable()
export class SeedRepository extends TransactionalRepository {
  async lock(): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
  }

  async appliedHash(name: string): Promise<string | null> {
    const rows: { content_hash: string }[] = await this.db.query(
      'SELECT content_hash FROM seed_state WHERE name = $1',
      [name],
    );
    return rows[0]?.content_hash ?? null;
  }

  async recordApplied(name: string, contentHash: string): Promise<void> {
    await this.db.query(
      `INSERT INTO seed_state (name, content_hash, applied_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET content_hash = EXCLUDED.content_hash, applied_at = EXCLUDED.applied_at`,
      [name, contentHash],
    );
  }
}
