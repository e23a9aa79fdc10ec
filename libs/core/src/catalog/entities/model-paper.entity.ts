import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from './model.entity';
import { PaperEntity } from './paper.entity';

@Entity('model_papers')
export class ModelPaperEntity {
  @PrimaryColumn('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Index('model_papers_arxiv_id_idx')
  @PrimaryColumn('text')
  arxivId!: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'arxiv_id' })
  paper?: PaperEntity;

  /** Order in which the papers are listed for the model. */
  @Column('smallint')
  position!: number;
}
