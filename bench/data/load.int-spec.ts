import request from 'supertest';
import { Client } from 'pg';
import { addDays, utcDay } from '@modelpulse/core/days';
import { createTestApp, type TestApp } from '../../test/support/app';
import { generateCatalogue, generateReadings, type DatasetOptions } from './dataset';
import { loadDataset } from './load';

describe('npm run bench:data on a real PostgreSQL', () => {
  let t: TestApp;
  let sql: Client;
  const options: DatasetOptions = { models: 80, days: 21, seed: 5, lastDay: addDays(utcDay(new Date()), -1) };
  const firstDay = addDays(options.lastDay, -(options.days - 1));
  let seedLicenses: string[];

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    seedLicenses = (await sql.query<{ id: string }>('SELECT id FROM licenses')).rows.map((r) => r.id);
    await loadDataset(t.app, t.db.url, options, () => undefined);
  }, 120_000);
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  it('loads the catalogue with its lineage, beside the seed', async () => {
    const catalogue = generateCatalogue(options, seedLicenses);
    const { rows } = await sql.query<{ models: string; relations: string; bindings: string }>(
      `SELECT (SELECT count(*) FROM models WHERE description LIKE '%(synthetic, bench dataset).')::text AS models,
              (SELECT count(*) FROM model_relations)::text AS relations,
              (SELECT count(*) FROM upstream_bindings b JOIN models m ON m.id = b.model_id
                WHERE m.description LIKE '%(synthetic, bench dataset).')::text AS bindings`,
    );
    expect(Number(rows[0].models)).toBe(options.models);
    expect(Number(rows[0].bindings)).toBe(options.models);
    expect(Number(rows[0].relations)).toBeGreaterThanOrEqual(catalogue.models.flatMap((m) => m.bases).length);
    const derived = catalogue.models.find((m) => m.bases.length === 1)!;
    const detail = await request(t.http).get(`/v1/models/${derived.slug}`).expect(200);
    expect(detail.body.baseModels).toEqual(
      derived.bases.map((b) => ({ id: catalogue.models[b.index].slug, relation: b.relation })),
    );
    // The seed is still there.
    await request(t.http).get('/v1/models/deepseek-ai/DeepSeek-R1').expect(200);
  });

  it('gives each model the figures and daily series the API serves, from its readings', async () => {
    const catalogue = generateCatalogue(options, seedLicenses);
    const model = catalogue.models.filter((m) => m.releaseDate < firstDay).sort((a, b) => b.dailyRate - a.dailyRate)[0];
    const readings = generateReadings(model, options);
    const detail = await request(t.http).get(`/v1/models/${model.slug}`).expect(200);
    expect(detail.body.stats.downloadsAllTime).toBe(readings.at(-1)!.downloadsAllTime);
    expect(detail.body.stats.likes).toBe(readings.at(-1)!.likes);
    const series = await request(t.http)
      .get(`/v1/models/${model.slug}/stats?metric=downloads&from=${firstDay}&to=${options.lastDay}`)
      .expect(200);
    const known = series.body.points.filter((p: { value: number | null }) => p.value !== null);
    // A missed sync at the end leaves up to three days unknown yet; the others carry a figure, spread or not.
    expect(known.length).toBeGreaterThanOrEqual(options.days - 3);
    // Downloads are never lost on the way: the days add up to the counter's growth (or more, past a recount).
    expect(series.body.total).toBeGreaterThanOrEqual(readings.at(-1)!.downloadsAllTime - readings[0].downloadsAllTime);
  });

  it('stores the trending snapshot of every day, the latest one ranking the catalogue', async () => {
    const { rows } = await sql.query<{ as_of: string }>(
      `SELECT as_of::text AS as_of FROM ranking_snapshot_days WHERE ranking = 'trending' AND stale_since IS NULL ORDER BY as_of`,
    );
    const days = rows.map((r) => r.as_of);
    for (let i = 0; i < options.days; i++) expect(days).toContain(addDays(firstDay, i));
    const trending = await request(t.http).get(`/v1/rankings/trending?limit=5&asOf=${options.lastDay}`).expect(200);
    expect(trending.body.stale).toBe(false);
    expect(trending.body.data.length).toBeGreaterThan(0);
    const top = await request(t.http).get(`/v1/models/${trending.body.data[0].model.id}`).expect(200);
    expect(top.body.trending).toEqual({ rank: 1, score: trending.body.data[0].score });
  });

  it('refuses to load a second time into the same database', async () => {
    await expect(loadDataset(t.app, t.db.url, options, () => undefined)).rejects.toThrow(
      /already holds 80 bench models: load into a fresh one/,
    );
  });
});
