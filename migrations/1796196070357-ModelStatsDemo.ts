import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelStatsDemo1796196070357 implements MigrationInterface {
  name = 'ModelStatsDemo1796196070357';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_stats" ADD "demo" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_stats" DROP COLUMN "demo"`);
  }
}
