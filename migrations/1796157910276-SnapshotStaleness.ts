import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SnapshotStaleness1796157910276 implements MigrationInterface {
  name = 'SnapshotStaleness1796157910276';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ranking_snapshot_days" ADD "stale_since" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ranking_snapshot_days" DROP COLUMN "stale_since"`);
  }
}
