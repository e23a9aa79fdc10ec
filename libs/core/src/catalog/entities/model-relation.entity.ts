import { Check, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Column } from 'typeorm';
import { ModelEntity } from './model.entity';

export const RELATIONS = ['finetune', 'quantized', 'adapter', 'merge', 'distillation'] as const;
export type Relation = (typeof RELATIONS)[number];
/** Relations that carry weights over: they join models into one family. A distillation does not. */
export const FAMILY_RELATIONS: readonly Relation[] = ['finetune', 'quantized', 'adapter', 'merge'];

/** Lineage: `derivedModel` was made from `baseModel`. */
@Entity('model_relations')
@Check('model_relations_not_self', '"base_model_id" <> "derived_model_id"')
export class ModelRelationEntity {
  @PrimaryColumn('bigint')
  derivedModelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'derived_model_id' })
  derivedModel?: ModelEntity;

  @Index('model_relations_base_model_id_idx')
  @PrimaryColumn('bigint')
  baseModelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'base_model_id' })
  baseModel?: ModelEntity;

  @Column({ type: 'enum', enum: RELATIONS, enumName: 'model_relation' })
  relation!: Relation;
}
