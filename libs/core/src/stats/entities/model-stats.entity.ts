import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer, ModelEntity } from '../../catalog';

/**
 * The latest figures of a model, one row per model, kept current by the
 * stats pipeline; the catalogue sorts and shows them. No row: nothing known yet.
 */
@Entity('model_stats')
export class ModelStatsEntity {
  @PrimaryColumn('bigint')
  modelId!: string;

  @OneToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  downloadsAllTime!: number | null;

  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  downloads30d!: number | null;

  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  downloads7d!: number | null;

  /** The rolling 30-day counters the sources keep, as each last reported it; null when none reports one. */
  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  hubDownloads30d!: number | null;

  @Column('integer', { nullable: true })
  likes!: number | null;

  @Column('integer', { nullable: true })
  stars!: number | null;

  @Column('timestamptz', { nullable: true })
  lastSyncedAt!: Date | null;

  @Column('integer', { nullable: true })
  trendingRank!: number | null;

  @Column('double precision', { nullable: true })
  trendingScore!: number | null;

  /** True when the figures are the demo's (`npm run cli -- demo`): the model has no other source. */
  @Column('boolean', { default: false })
  demo!: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
