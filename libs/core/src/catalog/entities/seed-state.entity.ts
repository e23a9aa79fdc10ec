import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which version of a seed file was last applied, so a start re-applies only a changed seed. */
@Entity('seed_state')
export class SeedStateEntity {
  @PrimaryColumn('text')
  name!: string;

  @Column('text')
  contentHash!: string;

  @Column('timestamptz')
  appliedAt!: Date;
}
