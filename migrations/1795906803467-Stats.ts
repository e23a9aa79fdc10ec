import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Stats1795906803467 implements MigrationInterface {
  name = 'Stats1795906803467';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_aliases" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "slug" text NOT NULL, "model_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7ac276e33d7cdd4a2ad44c01099" PRIMARY KEY ("id"))`,
    );
    // Hand-added: an old id answers in any letter case, like a model id.
    await queryRunner.query(`CREATE UNIQUE INDEX "model_aliases_slug_lower_key" ON "model_aliases" (lower("slug"))`);
    await queryRunner.query(
      `CREATE TABLE "daily_stats" ("model_id" bigint NOT NULL, "source" text NOT NULL, "day" date NOT NULL, "downloads" bigint, "likes" integer, "stars" integer, "unique_downloaders" integer, "imputed" text array NOT NULL DEFAULT '{}', "flags" text array NOT NULL DEFAULT '{}', CONSTRAINT "PK_d44e3f47b0eaad36eb109995856" PRIMARY KEY ("model_id", "source", "day"))`,
    );
    await queryRunner.query(`CREATE INDEX "daily_stats_day_idx" ON "daily_stats"  ("day") `);
    await queryRunner.query(
      `CREATE TABLE "download_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "key_id" text NOT NULL, "event_id" text NOT NULL, "model_id" bigint NOT NULL, "source" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "variant" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "download_events_key_id_event_id_key" UNIQUE ("key_id", "event_id"), CONSTRAINT "PK_9ce980188c138c79fc6c5214c74" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "download_events_model_id_occurred_at_idx" ON "download_events"  ("model_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "link_visitors" ("model_id" bigint NOT NULL, "day" date NOT NULL, "visitor_hash" bytea NOT NULL, CONSTRAINT "PK_13118d009e56c3c695b542a06d0" PRIMARY KEY ("model_id", "day", "visitor_hash"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "visitor_salts" ("day" date NOT NULL, "salt" bytea NOT NULL, CONSTRAINT "PK_5afeced8a19b40e13d5d2e73698" PRIMARY KEY ("day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "observations" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "model_id" bigint NOT NULL, "source" text NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "downloads_all_time" bigint, "downloads_30d" bigint, "likes" integer, "stars" integer, "forks" integer, "origin" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "observations_model_id_source_observed_at_key" UNIQUE ("model_id", "source", "observed_at"), CONSTRAINT "PK_f9208d64f50a76030758087c0ef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "observations_received_at_idx" ON "observations"  ("received_at") `);
    await queryRunner.query(
      `CREATE TABLE "sync_runs" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "kind" text NOT NULL, "trigger" text NOT NULL, "tick_key" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL, "models_done" integer NOT NULL DEFAULT '0', "models_failed" integer NOT NULL DEFAULT '0', "models_skipped" integer NOT NULL DEFAULT '0', "upstream_requests" jsonb NOT NULL DEFAULT '{}', "errors" jsonb NOT NULL DEFAULT '[]', CONSTRAINT "UQ_4ba94064251078adb77a6d97647" UNIQUE ("tick_key"), CONSTRAINT "PK_adf13fff41a683b3b991fb90b11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "sync_runs_started_at_idx" ON "sync_runs"  ("started_at") `);
    await queryRunner.query(`ALTER TABLE "upstream_bindings" ADD "last_error" text`);
    await queryRunner.query(`ALTER TABLE "upstream_bindings" ADD "imported" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "model_aliases" ADD CONSTRAINT "FK_843c2cb6e9239cc3891eb3b0c31" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "daily_stats" ADD CONSTRAINT "FK_a0c9f950b631715ce672e9b5aa9" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "download_events" ADD CONSTRAINT "FK_a8070a38508956ee8e45447667e" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "link_visitors" ADD CONSTRAINT "FK_894d200402e2d584fa04a753e0b" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "observations" ADD CONSTRAINT "FK_8449d574417ba8193c3557f0f52" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "observations" DROP CONSTRAINT "FK_8449d574417ba8193c3557f0f52"`);
    await queryRunner.query(`ALTER TABLE "link_visitors" DROP CONSTRAINT "FK_894d200402e2d584fa04a753e0b"`);
    await queryRunner.query(`ALTER TABLE "download_events" DROP CONSTRAINT "FK_a8070a38508956ee8e45447667e"`);
    await queryRunner.query(`ALTER TABLE "daily_stats" DROP CONSTRAINT "FK_a0c9f950b631715ce672e9b5aa9"`);
    await queryRunner.query(`ALTER TABLE "model_aliases" DROP CONSTRAINT "FK_843c2cb6e9239cc3891eb3b0c31"`);
    await queryRunner.query(`ALTER TABLE "upstream_bindings" DROP COLUMN "imported"`);
    await queryRunner.query(`ALTER TABLE "upstream_bindings" DROP COLUMN "last_error"`);
    await queryRunner.query(`DROP INDEX "public"."sync_runs_started_at_idx"`);
    await queryRunner.query(`DROP TABLE "sync_runs"`);
    await queryRunner.query(`DROP INDEX "public"."observations_received_at_idx"`);
    await queryRunner.query(`DROP TABLE "observations"`);
    await queryRunner.query(`DROP TABLE "visitor_salts"`);
    await queryRunner.query(`DROP TABLE "link_visitors"`);
    await queryRunner.query(`DROP INDEX "public"."download_events_model_id_occurred_at_idx"`);
    await queryRunner.query(`DROP TABLE "download_events"`);
    await queryRunner.query(`DROP INDEX "public"."daily_stats_day_idx"`);
    await queryRunner.query(`DROP TABLE "daily_stats"`);
    await queryRunner.query(`DROP INDEX "public"."model_aliases_slug_lower_key"`);
    await queryRunner.query(`DROP TABLE "model_aliases"`);
  }
}
