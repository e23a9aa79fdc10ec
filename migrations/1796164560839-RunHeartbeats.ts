import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RunHeartbeats1796164560839 implements MigrationInterface {
  name = 'RunHeartbeats1796164560839';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" ADD "heartbeat_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "heartbeat_at"`);
  }
}
