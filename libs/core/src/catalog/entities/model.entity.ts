import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from './bigint.transformer';
import { LicenseEntity } from './license.entity';
import { OrganizationEntity } from './organization.entity';

/** Fields a person can set; the ones set through the API are never overwritten by the seed or an import. */
export const CURATED_FIELDS = [
  'description',
  'license',
  'parameters',
  'activeParameters',
  'releaseDate',
  'tasks',
  'tags',
  'papers',
  'links',
  'baseModels',
] as const;
export type CuratedField = (typeof CURATED_FIELDS)[number];

@Entity('models')
@Index('models_slug_lower_key', { synchronize: false })
@Index('models_tasks_idx', { synchronize: false })
@Index('models_tags_idx', { synchronize: false })
@Index('models_search_idx', { synchronize: false })
export class ModelEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** Canonical `org/name`, as the hub spells it. */
  @Column('text')
  slug!: string;

  @Index('models_organization_id_idx')
  @Column('text')
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Index('models_license_id_idx')
  @Column('text', { nullable: true })
  licenseId!: string | null;

  @ManyToOne(() => LicenseEntity, { onDelete: 'RESTRICT', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'license_id' })
  license?: LicenseEntity | null;

  /** Total parameter count. */
  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  parameters!: number | null;

  /** Parameters active per token (mixture-of-experts models). */
  @Column('bigint', { nullable: true, transformer: bigintTransformer })
  activeParameters!: number | null;

  /** Public release date, YYYY-MM-DD. */
  @Column('date', { nullable: true })
  releaseDate!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  tasks!: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  tags!: string[];

  @Column('text', { nullable: true })
  homepage!: string | null;

  /** Fields a person set through the API. */
  @Column('text', { array: true, default: () => "'{}'" })
  curatedFields!: CuratedField[];

  /** Set when the model was deleted through the API: hidden everywhere, history kept. */
  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
