import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintTransformer, ModelEntity } from '../../catalog';

export const OBSERVATION_ORIGINS = ['sync', 'api', 'backfill', 'demo'] as const;
export type ObservationOrigin = (typeof OBSERVATION_ORIGINS)[number];

/**
 * One upstream reading of a model's counters at a moment, kept for ever and
 * never changed: the daily series are computed from these.
 */
@Entity('observations')
@Unique('observations_model_id_source_observed_at_key', ['modelId', 'source', 'observedAt'])
export class ObservationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  /** `huggingface`, `github`, or the name of a mirror that reports its own counters. */
  @Column('text')
  source!: string;

  @Column('timestamptz')
  observedAt!: Date;

  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  downloadsAllTime!: number | null;

  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  downloads30d!: number | null;

  @Column('integer', { nullable: true })
  likes!: number | null;

  @Column('integer', { nullable: true })
  stars!: number | null;

  @Column('integer', { nullable: true })
  forks!: number | null;

  @Column('text')
  origin!: ObservationOrigin;

  @Index('observations_received_at_idx')
  @Column('timestamptz', { default: () => 'now()' })
  receivedAt!: Date;
}
