import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HubDownloads30d1796157946488 implements MigrationInterface {
  name = 'HubDownloads30d1796157946488';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_stats" ADD "hub_downloads_30d" bigint`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_stats" DROP COLUMN "hub_downloads_30d"`);
  }
}
