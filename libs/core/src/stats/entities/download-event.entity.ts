import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ModelEntity } from '../../catalog';

export const EVENT_SOURCES = ['events', 'link'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/**
 * One download we saw ourselves: pushed by a mirror (`events`, deduplicated
 * by the sender's key and event id) or a click on a tracked link (`link`).
 */
@Entity('download_events')
@Unique('download_events_key_id_event_id_key', ['keyId', 'eventId'])
@Index('download_events_model_id_occurred_at_idx', ['modelId', 'occurredAt'])
export class DownloadEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** The API key that sent it; `link` for clicks on tracked links. */
  @Column('text')
  keyId!: string;

  @Column('text')
  eventId!: string;

  @Column('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column('text')
  source!: EventSource;

  @Column('timestamptz')
  occurredAt!: Date;

  /** A file or quantization name, as the sender calls it. */
  @Column('text', { nullable: true })
  variant!: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  receivedAt!: Date;
}
