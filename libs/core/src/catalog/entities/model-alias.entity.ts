import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ModelEntity } from './model.entity';

/** An id a model answered to before an upstream rename; it redirects to the model's id now. */
@Entity('model_aliases')
@Index('model_aliases_slug_lower_key', { synchronize: false })
export class ModelAliasEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('text')
  slug!: string;

  @Column('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
