import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { ModelEntity } from './model.entity';

export const UPSTREAMS = ['huggingface', 'github'] as const;
export type Upstream = (typeof UPSTREAMS)[number];
export const UPSTREAM_STATUSES = ['ok', 'renamed', 'gone', 'gated', 'failing'] as const;
export type UpstreamStatus = (typeof UPSTREAM_STATUSES)[number];

/**
 * Which repository on an upstream a model is. A hub repository is one
 * model; one GitHub repository may hold the code of several models.
 */
@Entity('upstream_bindings')
@Unique('upstream_bindings_model_id_upstream_key', ['modelId', 'upstream'])
@Index('upstream_bindings_hub_repo_key', { synchronize: false })
export class UpstreamBindingEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ type: 'enum', enum: UPSTREAMS, enumName: 'upstream' })
  upstream!: Upstream;

  /** The repository on the upstream: `org/name` on Hugging Face, `owner/repo` on GitHub. */
  @Column('text')
  externalId!: string;

  @Column({ type: 'enum', enum: UPSTREAM_STATUSES, enumName: 'upstream_status', default: 'ok' })
  status!: UpstreamStatus;

  @Column('timestamptz', { nullable: true })
  lastSyncedAt!: Date | null;

  /** Why the last sync of this binding failed; null after a success. */
  @Column('text', { nullable: true })
  lastError!: string | null;

  /** What the upstream last said the model is (licence, parameters, papers, lineage, task), kept beside curated values. */
  @Column('jsonb', { nullable: true })
  imported!: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
