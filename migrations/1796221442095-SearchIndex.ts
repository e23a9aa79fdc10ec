import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ASCII whitespace and punctuation: the word breaks of catalogue search (libs/core/src/catalog/model-search.ts). */
const BREAKS = '[\\t\\n\\v\\f\\r !-/:-@\\[-`{-~]+';

/**
 * Written by hand: entities cannot describe a function or an index on an
 * expression (the entity's @Index entry says synchronize: false). The
 * document catalogue search matches q against (libs/core/src/catalog/model-search.ts):
 * id and name weigh most (A), then tags (B), then the description (C), each
 * split into words at ASCII spaces and punctuation, so the words of an id like
 * deepseek-ai/DeepSeek-R1-Distill-Qwen-32B are found one by one; letters of
 * any script stay in their words, whatever the database's locale.
 * IMMUTABLE so an index can hold it: array_to_string is only STABLE in
 * general, but for text[] its output never changes.
 */
export class SearchIndex1796221442095 implements MigrationInterface {
  name = 'SearchIndex1796221442095';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "model_search_document"(slug text, name text, description text, tags text[]) RETURNS tsvector
         LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN setweight(to_tsvector('simple'::regconfig, regexp_replace(slug || ' ' || name, '${BREAKS}', ' ', 'g')), 'A')
             || setweight(to_tsvector('simple'::regconfig, regexp_replace(array_to_string(tags, ' '), '${BREAKS}', ' ', 'g')), 'B')
             || setweight(to_tsvector('simple'::regconfig, regexp_replace(coalesce(description, ''), '${BREAKS}', ' ', 'g')), 'C')`,
    );
    await queryRunner.query(
      `CREATE INDEX "models_search_idx" ON "models" USING gin ("model_search_document"("slug", "name", "description", "tags"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."models_search_idx"`);
    await queryRunner.query(`DROP FUNCTION "model_search_document"(text, text, text, text[])`);
  }
}
