import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const RUN_KINDS = ['stats-sync', 'discovery', 'rollup'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunError {
  model: string | null;
  source: string | null;
  error: string;
}

/** One run of a job: what it did, what failed, and how many upstream requests it cost. */
@Entity('sync_runs')
@Index('sync_runs_started_at_idx', ['startedAt'])
export class SyncRunEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('text')
  kind!: RunKind;

  /** `schedule`, `api` or `cli`. */
  @Column('text')
  trigger!: string;

  /** The scheduled tick a run belongs to; two workers never both run the same one. */
  @Column('text', { nullable: true, unique: true })
  tickKey!: string | null;

  @Column('timestamptz')
  startedAt!: Date;

  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;

  /** When the process running it last said it was alive; a run whose heartbeat stops is marked interrupted. */
  @Column('timestamptz', { nullable: true })
  heartbeatAt!: Date | null;

  @Column('text')
  status!: RunStatus;

  @Column('integer', { default: 0 })
  modelsDone!: number;

  @Column('integer', { default: 0 })
  modelsFailed!: number;

  @Column('integer', { default: 0 })
  modelsSkipped!: number;

  /** Requests made per upstream, e.g. `{"huggingface": 7, "github": 12}`. */
  @Column('jsonb', { default: () => "'{}'" })
  upstreamRequests!: Record<string, number>;

  @Column('jsonb', { default: () => "'[]'" })
  errors!: RunError[];
}
