import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Rankings1795909001590 implements MigrationInterface {
  name = 'Rankings1795909001590';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ranking_snapshot_days" ("ranking" text NOT NULL, "version" text NOT NULL, "as_of" date NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_94b00a22cfa33c589ce4c5c4995" PRIMARY KEY ("ranking", "version", "as_of"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ranking_snapshots" ("ranking" text NOT NULL, "version" text NOT NULL, "as_of" date NOT NULL, "model_id" bigint NOT NULL, "rank" integer NOT NULL, "score" double precision NOT NULL, "components" jsonb NOT NULL, "flags" text array NOT NULL DEFAULT '{}', CONSTRAINT "PK_08a26e363c725fd627a8eeb6ec0" PRIMARY KEY ("ranking", "version", "as_of", "model_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ranking_snapshots_model_idx" ON "ranking_snapshots"  ("model_id", "ranking", "version", "as_of") `,
    );
    await queryRunner.query(
      `ALTER TABLE "ranking_snapshots" ADD CONSTRAINT "FK_a507d4b67705a1106123bd89ab8" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ranking_snapshots" DROP CONSTRAINT "FK_a507d4b67705a1106123bd89ab8"`);
    await queryRunner.query(`DROP INDEX "public"."ranking_snapshots_model_idx"`);
    await queryRunner.query(`DROP TABLE "ranking_snapshots"`);
    await queryRunner.query(`DROP TABLE "ranking_snapshot_days"`);
  }
}
