import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule, ModelsService, readSeed, RenamesService, SeedService } from '@modelpulse/core/catalog';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { DatabaseModule } from '@modelpulse/database';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('SeedService', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let seeds: SeedService;
  let sql: DataSource;

  const snapshot = async () =>
    sql.query(
      `SELECT m.slug, m.description, m.license_id, m.parameters, m.release_date::text, m.tags, m.updated_at,
              (SELECT array_agg(arxiv_id ORDER BY position) FROM model_papers p WHERE p.model_id = m.id) AS papers,
              (SELECT array_agg(base_model_id || ':' || relation ORDER BY base_model_id) FROM model_relations r
                WHERE r.derived_model_id = m.id) AS bases
         FROM models m ORDER BY m.slug`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await (
      await Test.createTestingModule({
        imports: [AppConfigModule, DatabaseModule.forRoot({ entities: CORE_ENTITIES }), CatalogModule],
      }).compile()
    ).init();
    seeds = app.get(SeedService);
    sql = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('loads every model of the seed file on its first run', async () => {
    const result = await seeds.apply();
    expect(result.applied).toBe(true);
    expect(result.created).toHaveLength(60);
    const [{ count }] = await sql.query('SELECT count(*)::int AS count FROM models');
    expect(count).toBe(60);
  });

  it('does nothing on a start with the same seed file', async () => {
    const before = await snapshot();
    expect(await seeds.apply()).toEqual({ applied: false, created: [], updated: [], skippedArchived: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('changes nothing when run again on demand', async () => {
    const before = await snapshot();
    expect(await seeds.apply({ force: true })).toEqual({
      applied: true,
      created: [],
      updated: [],
      skippedArchived: [],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('never overwrites what a person changed, nor brings back what a person deleted', async () => {
    const models = app.get(ModelsService);
    await models.update('deepseek-ai/DeepSeek-R1', { description: 'Curated by a person.', tags: ['curated'] });
    await models.archive('microsoft/phi-4');
    const result = await seeds.apply({ force: true });
    expect(result).toEqual({ applied: true, created: [], updated: [], skippedArchived: ['microsoft/phi-4'] });
    const r1 = await models.get('deepseek-ai/DeepSeek-R1');
    expect(r1).toMatchObject({ description: 'Curated by a person.', tags: ['curated'], parameters: 671000000000 });
    await expect(models.get('microsoft/phi-4')).rejects.toThrow('was not found');
  });

  it('brings seeded fields up to date from a changed seed file, leaving curated ones', async () => {
    const { seed } = readSeed();
    const changed = {
      ...seed,
      models: seed.models.map((m) =>
        m.id === 'deepseek-ai/DeepSeek-R1'
          ? { ...m, description: 'Seed text v2', parameters: 685_000_000_000 }
          : m.id === 'Qwen/QwQ-32B'
            ? { ...m, releaseDate: '2025-03-05' }
            : m,
      ),
    };
    const path = join(tmpdir(), `modelpulse-seed-${process.pid}.json`);
    writeFileSync(path, JSON.stringify(changed));
    const result = await seeds.apply({ path });
    expect(result.updated.sort()).toEqual(['Qwen/QwQ-32B', 'deepseek-ai/DeepSeek-R1']);
    const models = app.get(ModelsService);
    expect(await models.get('deepseek-ai/DeepSeek-R1')).toMatchObject({
      description: 'Curated by a person.',
      parameters: 685000000000,
    });
    expect((await models.get('Qwen/QwQ-32B')).releaseDate).toBe('2025-03-05');
  });

  it('applies an entry whose model an upstream renamed to the renamed model, never making the old id again', async () => {
    const models = app.get(ModelsService);
    const { id } = await models.resolve('Qwen/QwQ-32B');
    await app.get(RenamesService).followUpstreamRename({
      modelId: id,
      upstream: 'huggingface',
      from: 'Qwen/QwQ-32B',
      to: 'Qwen/QwQ-32B-v2',
      seenAt: null,
    });
    const result = await seeds.apply({ force: true });
    expect(result.created).toEqual([]);
    // The earlier test's changed seed is undone: QwQ's release date (on the renamed model) and R1's size.
    expect(result.updated.sort()).toEqual(['Qwen/QwQ-32B-v2', 'deepseek-ai/DeepSeek-R1']);
    expect((await models.get('Qwen/QwQ-32B-v2')).releaseDate).toBe('2025-03-06');
    await expect(models.get('Qwen/QwQ-32B')).rejects.toThrow('is now Qwen/QwQ-32B-v2');
  });
});
