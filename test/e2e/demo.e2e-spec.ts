import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DemoService, demoReadingsOf, type DemoModel } from '@modelpulse/core/demo';
import { runDemoCommand } from '../../apps/cli/src/demo-command';
import { CliModule } from '../../apps/cli/src/cli.module';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/wait';

/** supertest's parser for any body as text (an SVG is not text/* to it). */
function asText(response: request.Response, done: (error: Error | null, body: string) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => done(null, body));
}

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const R1: DemoModel = { slug: 'deepseek-ai/DeepSeek-R1', releaseDate: '2025-01-20' };
const V3 = 'deepseek-ai/DeepSeek-V3';
/** A model a mirror counts before the demo is loaded: the demo leaves it alone. */
const COUNTED = 'Qwen/Qwen2.5-14B';

/**
 * `npm run cli -- demo` on the CLI's own module, beside a running API on the
 * same database (as with `npm start` in another terminal): the API learns of
 * the demo through the change feed alone, as it would across processes.
 */
describe('npm run cli -- demo', () => {
  let t: TestApp;
  let cli: INestApplicationContext;
  const lines: string[] = [];
  const demo = (remove = false) => runDemoCommand(cli.get(DemoService), { remove }, (line) => lines.push(line));
  const get = async (path: string) => (await request(t.http).get(path).expect(200)).body;
  const trending = () => get('/v1/rankings/trending?asOf=2025-01-27&limit=100');

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    cli = await (await Test.createTestingModule({ imports: [CliModule] }).compile()).init();
    // A mirror's counter for one model, before the demo: that model has a source of its own.
    await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({
        observations: [
          { model: COUNTED, source: 'mirror-eu', observedAt: '2025-01-10T00:00:00Z', downloadsAllTime: 100 },
          { model: COUNTED, source: 'mirror-eu', observedAt: '2025-01-26T00:00:00Z', downloadsAllTime: 500 },
        ],
      })
      .expect(200);
  });
  afterAll(async () => {
    await cli?.close();
    await t?.close();
  });

  it('lets no one post readings under the source demo, nor make a key for it', async () => {
    const posted = await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({ observations: [{ model: R1.slug, source: 'demo', observedAt: '2025-01-20T12:00:00Z', likes: 1 }] })
      .expect(200);
    expect(posted.body).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [{ index: 0, field: 'source', error: 'source "demo" is written only by npm run cli -- demo' }],
    });
    const key = await request(t.http)
      .post('/v1/admin/api-keys')
      .set(auth)
      .send({ name: 'impostor', scopes: ['stats:ingest'], sources: ['demo'] })
      .expect(400);
    expect(key.body.errors).toEqual([
      { field: 'sources', message: 'sources must not hold demo: demo figures are written by npm run cli -- demo only' },
    ]);
  });

  it('starts from an empty ranking of 2025-01-27, and no demo', async () => {
    expect(await trending()).toMatchObject({ demo: false, data: [] });
  });

  it('loads a history that ranks DeepSeek-R1 first a week after its launch, every demo figure saying demo: true', async () => {
    expect(await demo()).toBe(0);
    expect(lines.at(-2)).toMatch(/^demo: \d+ models, \d+ readings stored, 0 already there; 1 models left out/);
    // The API's snapshot of that day was stored before: the change feed made it stale, so it is recomputed.
    const ranking = await eventually('the demo in the ranking', async () => {
      const body = await trending();
      return body.demo ? body : undefined;
    });
    expect(ranking.data[0]).toMatchObject({ rank: 1, model: { id: R1.slug }, demo: true });
    expect(ranking.data.length).toBeGreaterThan(20);
    expect(ranking.data.every((e: { demo: boolean; model: { id: string } }) => e.demo && e.model.id !== COUNTED)).toBe(
      true,
    );

    // The mirror's model is ranked on its own figures, unmarked, among the demo's.
    const downloads = await get('/v1/rankings/downloads?period=7d&asOf=2025-01-27&limit=100');
    expect(downloads.demo).toBe(true);
    const ids = downloads.data.map((e: { model: { id: string } }) => e.model.id);
    expect(ids).toContain(COUNTED);
    for (const entry of downloads.data) expect(entry.demo).toBe(entry.model.id !== COUNTED);
  });

  it('stores exactly the generated readings: the series and the all-time figure agree with them', async () => {
    const readings = demoReadingsOf(R1);
    const detail = await get(`/v1/models/${R1.slug}`);
    expect(detail.stats).toMatchObject({ demo: true, downloadsAllTime: readings.at(-1)!.downloadsAllTime });
    const series = await get(`/v1/models/${R1.slug}/stats?from=2025-01-20&to=2025-01-31`);
    expect(series.demo).toBe(true);
    expect(series.points[0]).toMatchObject({ date: '2025-01-20', value: 0 });
    expect(series.total).toBe(readings.at(-1)!.downloadsAllTime - readings[0].downloadsAllTime);
    // R1's family (DeepSeek-V3-Base, V3 and R1; the distills are its students, not of its weights) is all demo.
    expect((await get(`/v1/models/${R1.slug}/lineage`)).downloads30d.demo).toBe(true);
    const mirror = await get(`/v1/models/${COUNTED}`);
    expect(mirror.stats.demo).toBe(false);
    expect((await get(`/v1/models/${COUNTED}/stats?from=2025-01-01&to=2025-01-31`)).total).toBe(400);
  });

  it('marks the badges of demo figures in their title', async () => {
    const svgOf = async (path: string) =>
      String((await request(t.http).get(path).buffer(true).parse(asText).expect(200)).body);
    expect(await svgOf(`/badges/${R1.slug}/downloads-total.svg`)).toMatch(
      /<title>downloads: [^<]+ \(demo data\)<\/title>/,
    );
    expect(await svgOf(`/badges/${COUNTED}/downloads-total.svg`)).not.toContain('demo data');
  });

  it('marks the site\'s pages and the widgets of demo figures "Demo data", and no others', async () => {
    const html = async (path: string) => (await request(t.http).get(path).expect(200)).text;
    for (const path of [
      '/?asOf=2025-01-27',
      '/embed/trending?asOf=2025-01-27',
      `/models/${R1.slug}`,
      `/embed/models/${R1.slug}`,
    ]) {
      expect(await html(path)).toContain('<strong>Demo data</strong>');
    }
    for (const path of [`/models/${COUNTED}`, `/embed/models/${COUNTED}`]) {
      expect(await html(path)).not.toContain('Demo data');
    }
  });

  it('changes nothing when loaded again', async () => {
    const before = await trending();
    expect(await demo()).toBe(0);
    expect(lines.at(-2)).toMatch(/^demo: \d+ models, 0 readings stored, [1-9]\d* already there/);
    expect(await trending()).toEqual(before);
  });

  it('gives way to a real source: the first real reading of a model takes its demo history away', async () => {
    await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({
        observations: [{ model: V3, source: 'huggingface', observedAt: '2025-02-01T00:00:00Z', downloadsAllTime: 9 }],
      })
      .expect(200);
    const detail = await get(`/v1/models/${V3}`);
    expect(detail.stats).toMatchObject({ demo: false, downloadsAllTime: 9 });
    expect((await get(`/v1/models/${V3}/stats?from=2024-12-01&to=2025-01-31`)).points).toEqual([]);
    const ranking = await trending();
    expect(ranking.data.map((e: { model: { id: string } }) => e.model.id)).not.toContain(V3);
  });

  it('takes it all away with --remove, and the rankings follow', async () => {
    expect(await demo(true)).toBe(0);
    expect(lines.at(-1)).toMatch(/^demo: removed [1-9]\d* readings of [1-9]\d* models$/);
    const ranking = await eventually('the ranking without the demo', async () => {
      const body = await trending();
      return body.demo ? undefined : body;
    });
    expect(ranking.data).toEqual([]);
    const downloads = await get('/v1/rankings/downloads?period=7d&asOf=2025-01-27&limit=100');
    expect(downloads).toMatchObject({ demo: false, data: [{ model: { id: COUNTED }, demo: false }] });
    const detail = await get(`/v1/models/${R1.slug}`);
    expect(detail.stats).toMatchObject({ demo: false, downloadsAllTime: null });
    expect((await get(`/v1/models/${R1.slug}/stats?from=2025-01-20&to=2025-01-31`)).points).toEqual([]);
    expect(await demo(true)).toBe(0);
    expect(lines.at(-1)).toBe('demo: removed 0 readings of 0 models');
  });
});
