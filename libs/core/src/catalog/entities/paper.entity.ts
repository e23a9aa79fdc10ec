import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('papers')
export class PaperEntity {
  /** New-style arXiv id (`2501.12948`), without version suffix. */
  @PrimaryColumn('text')
  arxivId!: string;

  @Column('text', { nullable: true })
  title!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
