import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from '../../catalog';

/**
 * That a ranking was computed for a day under one algorithm version, so an
 * empty ranking is told apart from one never computed.
 */
@Entity('ranking_snapshot_days')
export class RankingSnapshotDayEntity {
  /** `trending`. */
  @PrimaryColumn('text')
  ranking!: string;

  /** Names the formula and its parameters; snapshots of other versions are kept beside. */
  @PrimaryColumn('text')
  version!: string;

  /** The day the ranking is as of: everything observed up to its end (UTC). */
  @PrimaryColumn('date')
  asOf!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  computedAt!: Date;

  /**
   * When readings or events touching this day or an earlier one landed after
   * it was computed: the stored answer is out of date. Null while it is current.
   */
  @Column('timestamptz', { nullable: true })
  staleSince!: Date | null;
}

/** One ranked model in a snapshot, with what its score was made of. */
@Entity('ranking_snapshots')
@Index('ranking_snapshots_model_idx', ['modelId', 'ranking', 'version', 'asOf'])
export class RankingSnapshotEntity {
  @PrimaryColumn('text')
  ranking!: string;

  @PrimaryColumn('text')
  version!: string;

  @PrimaryColumn('date')
  asOf!: string;

  @PrimaryColumn('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column('integer')
  rank!: number;

  @Column('double precision')
  score!: number;

  /** The score's parts as published: `{volume, growth, engagement}`. */
  @Column('jsonb')
  components!: Record<string, number>;

  @Column('text', { array: true, default: () => "'{}'" })
  flags!: string[];
}
