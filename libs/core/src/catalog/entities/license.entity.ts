import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('licenses')
export class LicenseEntity {
  /** Lowercase slug, the hub's `license:` tag where one exists (`mit`, `llama3.1`). */
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  /** SPDX identifier; null for custom licences (Llama, Gemma, Qwen, DeepSeek). */
  @Column('text', { nullable: true })
  spdx!: string | null;

  @Column('text', { nullable: true })
  url!: string | null;

  /** Whether the licence allows commercial use; null when not known. */
  @Column('boolean', { nullable: true })
  commercialUse!: boolean | null;
}
