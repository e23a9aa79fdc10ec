import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from '../../catalog';

/**
 * Who followed a tracked link on a day, as a hash salted with that day's
 * salt: enough to count unique downloaders, never an address in clear.
 */
@Entity('link_visitors')
export class LinkVisitorEntity {
  @PrimaryColumn('bigint')
  modelId!: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @PrimaryColumn('date')
  day!: string;

  @PrimaryColumn('bytea')
  visitorHash!: Buffer;
}

/** One random salt per UTC day; the roll-up deletes old ones, so old hashes cannot be linked to anyone. */
@Entity('visitor_salts')
export class VisitorSaltEntity {
  @PrimaryColumn('date')
  day!: string;

  @Column('bytea')
  salt!: Buffer;
}
