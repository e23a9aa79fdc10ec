import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalog1795870518868 implements MigrationInterface {
  name = 'Catalog1795870518868';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "licenses" ("id" text NOT NULL, "name" text NOT NULL, "spdx" text, "url" text, "commercial_use" boolean, CONSTRAINT "PK_da5021501ce80efa03de6f40086" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" text NOT NULL, "name" text NOT NULL, "url" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "models" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "slug" text NOT NULL, "organization_id" text NOT NULL, "name" text NOT NULL, "description" text, "license_id" text, "parameters" bigint, "active_parameters" bigint, "release_date" date, "tasks" text array NOT NULL DEFAULT '{}', "tags" text array NOT NULL DEFAULT '{}', "homepage" text, "curated_fields" text array NOT NULL DEFAULT '{}', "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ef9ed7160ea69013636466bf2d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "models_organization_id_idx" ON "models"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "models_license_id_idx" ON "models"  ("license_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."model_relation" AS ENUM('finetune', 'quantized', 'adapter', 'merge', 'distillation')`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_relations" ("derived_model_id" bigint NOT NULL, "base_model_id" bigint NOT NULL, "relation" "public"."model_relation" NOT NULL, CONSTRAINT "model_relations_not_self" CHECK ("base_model_id" <> "derived_model_id"), CONSTRAINT "PK_ce06ea18e25f9d68b6b78925021" PRIMARY KEY ("derived_model_id", "base_model_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "model_relations_base_model_id_idx" ON "model_relations"  ("base_model_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "papers" ("arxiv_id" text NOT NULL, "title" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_39cb23def470d583697f7c315ac" PRIMARY KEY ("arxiv_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_papers" ("model_id" bigint NOT NULL, "arxiv_id" text NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_884089c799527acd929138682de" PRIMARY KEY ("model_id", "arxiv_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "model_papers_arxiv_id_idx" ON "model_papers"  ("arxiv_id") `);
    await queryRunner.query(
      `CREATE TABLE "model_stats" ("model_id" bigint NOT NULL, "downloads_all_time" bigint, "downloads_30d" bigint, "downloads_7d" bigint, "likes" integer, "stars" integer, "last_synced_at" TIMESTAMP WITH TIME ZONE, "trending_rank" integer, "trending_score" double precision, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8fb4b936865249fa2f90a4436c8" PRIMARY KEY ("model_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "seed_state" ("name" text NOT NULL, "content_hash" text NOT NULL, "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_24d56204edabdd732509863aada" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."upstream" AS ENUM('huggingface', 'github')`);
    await queryRunner.query(
      `CREATE TYPE "public"."upstream_status" AS ENUM('ok', 'renamed', 'gone', 'gated', 'failing')`,
    );
    await queryRunner.query(
      `CREATE TABLE "upstream_bindings" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "model_id" bigint NOT NULL, "upstream" "public"."upstream" NOT NULL, "external_id" text NOT NULL, "status" "public"."upstream_status" NOT NULL DEFAULT 'ok', "last_synced_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "upstream_bindings_model_id_upstream_key" UNIQUE ("model_id", "upstream"), CONSTRAINT "PK_f16c45b67d4ebc8a8a2150cf4c9" PRIMARY KEY ("id"))`,
    );
    // Indexes on expressions, which entities cannot describe (their @Index entries say synchronize: false).
    await queryRunner.query(`CREATE UNIQUE INDEX "organizations_id_lower_key" ON "organizations" (lower("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "models_slug_lower_key" ON "models" (lower("slug"))`);
    await queryRunner.query(`CREATE INDEX "models_tasks_idx" ON "models" USING gin ("tasks")`);
    await queryRunner.query(`CREATE INDEX "models_tags_idx" ON "models" USING gin ("tags")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "upstream_bindings_hub_repo_key" ON "upstream_bindings" (lower("external_id")) WHERE "upstream" = 'huggingface'`,
    );
    await queryRunner.query(
      `ALTER TABLE "models" ADD CONSTRAINT "FK_4ff221f0969123ef58c68697541" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "models" ADD CONSTRAINT "FK_82a688b469998edc1230bf1e2d6" FOREIGN KEY ("license_id") REFERENCES "licenses"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_relations" ADD CONSTRAINT "FK_570898f31e9f74258aa0f2f20bb" FOREIGN KEY ("derived_model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_relations" ADD CONSTRAINT "FK_1bc0f9c52a871d4224941cbc7ee" FOREIGN KEY ("base_model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_papers" ADD CONSTRAINT "FK_61637098fd7c5a4bd435cb8a043" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_papers" ADD CONSTRAINT "FK_f4cc17993d2fd041e6bd16dcae3" FOREIGN KEY ("arxiv_id") REFERENCES "papers"("arxiv_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_stats" ADD CONSTRAINT "FK_8fb4b936865249fa2f90a4436c8" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "upstream_bindings" ADD CONSTRAINT "FK_d60f3eddb300915a855aaa556e4" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "upstream_bindings" DROP CONSTRAINT "FK_d60f3eddb300915a855aaa556e4"`);
    await queryRunner.query(`ALTER TABLE "model_stats" DROP CONSTRAINT "FK_8fb4b936865249fa2f90a4436c8"`);
    await queryRunner.query(`ALTER TABLE "model_papers" DROP CONSTRAINT "FK_f4cc17993d2fd041e6bd16dcae3"`);
    await queryRunner.query(`ALTER TABLE "model_papers" DROP CONSTRAINT "FK_61637098fd7c5a4bd435cb8a043"`);
    await queryRunner.query(`ALTER TABLE "model_relations" DROP CONSTRAINT "FK_1bc0f9c52a871d4224941cbc7ee"`);
    await queryRunner.query(`ALTER TABLE "model_relations" DROP CONSTRAINT "FK_570898f31e9f74258aa0f2f20bb"`);
    await queryRunner.query(`ALTER TABLE "models" DROP CONSTRAINT "FK_82a688b469998edc1230bf1e2d6"`);
    await queryRunner.query(`ALTER TABLE "models" DROP CONSTRAINT "FK_4ff221f0969123ef58c68697541"`);
    await queryRunner.query(`DROP INDEX "public"."upstream_bindings_hub_repo_key"`);
    await queryRunner.query(`DROP INDEX "public"."models_tags_idx"`);
    await queryRunner.query(`DROP INDEX "public"."models_tasks_idx"`);
    await queryRunner.query(`DROP INDEX "public"."models_slug_lower_key"`);
    await queryRunner.query(`DROP INDEX "public"."organizations_id_lower_key"`);
    await queryRunner.query(`DROP TABLE "upstream_bindings"`);
    await queryRunner.query(`DROP TYPE "public"."upstream_status"`);
    await queryRunner.query(`DROP TYPE "public"."upstream"`);
    await queryRunner.query(`DROP TABLE "seed_state"`);
    await queryRunner.query(`DROP TABLE "model_stats"`);
    await queryRunner.query(`DROP INDEX "public"."model_papers_arxiv_id_idx"`);
    await queryRunner.query(`DROP TABLE "model_papers"`);
    await queryRunner.query(`DROP TABLE "papers"`);
    await queryRunner.query(`DROP INDEX "public"."model_relations_base_model_id_idx"`);
    await queryRunner.query(`DROP TABLE "model_relations"`);
    await queryRunner.query(`DROP TYPE "public"."model_relation"`);
    await queryRunner.query(`DROP INDEX "public"."models_license_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."models_organization_id_idx"`);
    await queryRunner.query(`DROP TABLE "models"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`DROP TABLE "licenses"`);
  }
}
