import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintTransformer, ModelEntity } from '../../catalog';

/**
 * A model's figures on one UTC day from one source: computed from the
 * observations (counter sources) or counted from events (`events`, `link`).
 */
@Entity('daily_stats')
@Index('daily_stats_day_idx', ['day'])
export class DailyStatEntity {
  @PrimaryColumn('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @PrimaryColumn('text')
  source!: string;

  /** YYYY-MM-DD, UTC. */
  @PrimaryColumn('date')
  day!: string;

  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  downloads!: number | null;

  @Column('integer', { nullable: true })
  likes!: number | null;

  @Column('integer', { nullable: true })
  stars!: number | null;

  /** Distinct visitors of a tracked link that day (`link` source only). */
  @Column('integer', { nullable: true })
  uniqueDownloaders!: number | null;

  /** Counters (`downloads`, `likes`, `stars`) whose figure that day was spread over missed days. */
  @Column('text', { array: true, default: () => "'{}'" })
  imputed!: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  flags!: string[];
}
