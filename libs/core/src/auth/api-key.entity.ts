import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';
import { SCOPES, type Scope } from './scopes';

/**
 * An API key. Only a SHA-256 digest of the secret is kept: the secret has
 * 256 random bits, so a fast hash is enough and a stolen table reveals none.
 */
@Entity('api_keys')
@Unique('api_keys_prefix_key', ['prefix'])
@Check('api_keys_scopes_known', `"scopes" <@ ARRAY[${SCOPES.map((s) => `'${s}'`).join(', ')}]::text[]`)
@Check('api_keys_scopes_not_empty', `cardinality("scopes") > 0`)
export class ApiKeyEntity {
  /** Made by the application (randomUUID), so the schema needs no extension or default. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** Public part of the secret (`mp_<prefix>_…`), shown in lists and used to find the key. */
  @Column('text')
  prefix!: string;

  @Column('bytea')
  secretHash!: Buffer;

  @Column('text', { array: true })
  scopes!: Scope[];

  /**
   * The sources a `stats:ingest` key writes readings for (`events` for
   * /v1/events), sorted; empty for other keys. Keys made before sources
   * existed have `events` if they had posted events, else none.
   */
  @Column('text', { array: true, default: () => "'{}'" })
  sources!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Updated at most once a minute per key, so authentication rarely writes. */
  @Column('timestamptz', { nullable: true })
  lastUsedAt!: Date | null;

  /** A revoked key authenticates no more; the row stays so lists can show it. */
  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;
}
