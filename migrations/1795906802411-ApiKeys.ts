import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1795906802411 implements MigrationInterface {
  name = 'ApiKeys1795906802411';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" bytea NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "api_keys_prefix_key" UNIQUE ("prefix"), CONSTRAINT "api_keys_scopes_not_empty" CHECK (cardinality("scopes") > 0), CONSTRAINT "api_keys_scopes_known" CHECK ("scopes" <@ ARRAY['catalog:write', 'stats:ingest', 'admin']::text[]), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
