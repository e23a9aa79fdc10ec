import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';

/** `model_aliases`: the old ids upstream renames left, which redirect to the model's new id. */
@Injectable()
export class AliasRepository extends TransactionalRepository {
  /** The model (archived too) that an old id points to, if the id is an alias. */
  async findTarget(slug: string): Promise<{ id: string; slug: string; archived: boolean } | null> {
    const rows: { id: string; slug: string; archived: boolean }[] = await this.db.query(
      `SELECT m.id, m.slug, m.archived_at IS NOT NULL AS archived
         FROM model_aliases a JOIN models m ON m.id = a.model_id WHERE lower(a.slug) = lower($1)`,
      [slug],
    );
    return rows[0] ?? null;
  }

  async drop(slug: string): Promise<void> {
    await this.db.query('DELETE FROM model_aliases WHERE lower(slug) = lower($1)', [slug]);
  }

  /** Points an old id at a model, taking it over from any model it pointed at before. */
  async point(slug: string, modelId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO model_aliases (slug, model_id) VALUES ($1, $2)
       ON CONFLICT ((lower(slug))) DO UPDATE SET model_id = EXCLUDED.model_id`,
      [slug, modelId],
    );
  }
}
