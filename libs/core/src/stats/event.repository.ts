import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { EventSource } from './entities/download-event.entity';

export interface EventRow {
  keyId: string;
  eventId: string;
  modelId: string;
  source: EventSource;
  occurredAt: Date;
  variant: string | null;
}

/** `download_events`, `link_visitors` and `visitor_salts`: our own downloads and the clicks on tracked links. */
@Injectable()
export class EventRepository extends TransactionalRepository {
  /**
   * Inserts events; ones already sent under the same key and id are skipped.
   * Answers the new ones. Inserted in (key, id) order: a batch waiting on
   * another's uncommitted copy of an id never holds one the other waits on.
   */
  async insertEvents(rows: EventRow[]): Promise<EventRow[]> {
    if (rows.length === 0) return [];
    const inserted: { key_id: string; event_id: string }[] = await this.db.query(
      `INSERT INTO download_events (key_id, event_id, model_id, source, occurred_at, variant)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
           AS e(key_id, event_id, model_id, source, occurred_at, variant)
        ORDER BY e.key_id, e.event_id
       ON CONFLICT (key_id, event_id) DO NOTHING
       RETURNING key_id, event_id`,
      [
        rows.map((r) => r.keyId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.modelId),
        rows.map((r) => r.source),
        rows.map((r) => r.occurredAt.toISOString()),
        rows.map((r) => r.variant),
      ],
    );
    const fresh = new Set(inserted.map((r) => `${r.key_id}\u0001${r.event_id}`));
    return rows.filter((r) => fresh.has(`${r.keyId}\u0001${r.eventId}`));
  }

  /** The salt of a day, made on first use. */
  async saltOf(day: string, fresh: Buffer): Promise<Buffer> {
    // The no-op update makes RETURNING give the stored salt when the day already has one.
    const rows: { salt: Buffer }[] = await this.db.query(
      `INSERT INTO visitor_salts (day, salt) VALUES ($1, $2)
       ON CONFLICT (day) DO UPDATE SET salt = visitor_salts.salt RETURNING salt`,
      [day, fresh],
    );
    return rows[0].salt;
  }

  /** Records a visitor of a model's link on a day; true when they had not come that day. */
  async addVisitor(modelId: string, day: string, visitorHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO link_visitors (model_id, day, visitor_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING day`,
      [modelId, day, visitorHash],
    );
    return rows.length === 1;
  }

  /** Forgets salts before a day: the hashes made with them can no longer be tied to anyone. */
  async dropSaltsBefore(day: string): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query('DELETE FROM visitor_salts WHERE day < $1', [day]);
    return count;
  }
}
