import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeySources1796175246860 implements MigrationInterface {
  name = 'KeySources1796175246860';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "sources" text array NOT NULL DEFAULT '{}'`);
    // Keys made before sources existed keep what can be told of their past: the events they posted
    // (observations do not record their key, so no other source can be given back).
    await queryRunner.query(
      `UPDATE "api_keys" k SET "sources" = '{events}'
        WHERE 'stats:ingest' = ANY(k."scopes")
          AND EXISTS (SELECT 1 FROM "download_events" e WHERE e."key_id" = k."id"::text)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "sources"`);
  }
}
