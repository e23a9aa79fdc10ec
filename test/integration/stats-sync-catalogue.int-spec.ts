import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { SeedService } from '@modelpulse/core/catalog';
import { JobRunner, type RunRow } from '@modelpulse/core/jobs';
import { StatsSyncJob } from '@modelpulse/core/sync';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { FakeClock } from '../support/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestWorker, type TestWorker } from '../support/worker';

interface SeedModel {
  links: { huggingface?: string | null; github?: string | null };
}

const SEED = join(__dirname, '../../libs/core/src/catalog/seed/catalog.seed.json');
const GONE = 'openai/gpt-oss-20b';

/** The stats sync over the whole seeded catalogue: what it costs and how it records upstream trouble. */
describe('stats sync of the seeded catalogue', () => {
  let db: TestDatabase;
  let worker: TestWorker;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  let sql: Client;
  const clock = new FakeClock('2025-02-01T10:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    const models = (JSON.parse(readFileSync(SEED, 'utf8')) as { models: SeedModel[] }).models;
    const repos = new Set<string>();
    for (const [i, { links }] of models.entries()) {
      if (links.huggingface) {
        hub.addModel({
          id: links.huggingface,
          downloads: 1_000 * (i + 1),
          downloadsAllTime: 5_000 * (i + 1),
          likes: i,
        });
      }
      // Several models share a repository.
      if (links.github) repos.add(links.github);
    }
    for (const repo of repos) github.addRepo(repo, { stars: 1_000, forks: 10 });
    worker = await createTestWorker({ clock, hubUrl: hub.url, githubUrl: github.url });
    await worker.app.get(SeedService).apply();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql.end();
    await worker.close();
    await hub.stop();
    await github.stop();
    await db.drop();
  });

  const sync = async (at: string): Promise<RunRow> => {
    clock.set(at);
    const run = await worker.app
      .get(JobRunner)
      .run(worker.app.get(StatsSyncJob), { trigger: 'schedule', tickKey: `stats-sync@${at}` });
    return run!;
  };
  const binding = async (externalId: string) =>
    (
      await sql.query('SELECT status, last_error, last_synced_at FROM upstream_bindings WHERE external_id = $1', [
        externalId,
      ])
    ).rows[0];

  it('reads 60 models with one list request per hub author and one request per GitHub repository', async () => {
    const run = await sync('2025-02-01T10:00:00.000Z');
    // 9 authors (Qwen, meta-llama, deepseek-ai, google, mistralai, allenai, microsoft, openai,
    // moonshotai), each with two models or more; 57 GitHub links to 11 repositories.
    expect(run).toMatchObject({
      status: 'succeeded',
      modelsDone: 60,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: { huggingface: 9, github: 11 },
      errors: [],
    });
    const { rows } = await sql.query(
      `SELECT source, count(*)::int AS n FROM observations GROUP BY source ORDER BY source`,
    );
    expect(rows).toEqual([
      { source: 'github', n: 57 },
      { source: 'huggingface', n: 60 },
    ]);
    expect(await binding(GONE)).toMatchObject({ status: 'ok', last_error: null });
  });

  it('records a malformed answer as a failure of that model, writes nothing for it, and goes on', async () => {
    hub.remove(GONE);
    hub.failNext(1, { kind: 'malformed' }, `/api/models/${GONE}`);
    const run = await sync('2025-02-01T11:00:00.000Z');
    expect(run).toMatchObject({
      status: 'partial',
      modelsDone: 59,
      modelsFailed: 1,
      modelsSkipped: 0,
      // Every model has a reading now, so the sync reads the hub's top list first: one page of 1 000
      // holds the whole fake hub, which lacks gpt-oss-20b now, so it is asked for on its own.
      upstreamRequests: { huggingface: 2, github: 11 },
    });
    expect(run.errors).toEqual([{ model: GONE, source: 'huggingface', error: expect.stringMatching(/JSON/i) }]);
    expect(await binding(GONE)).toMatchObject({ status: 'failing', last_error: expect.stringMatching(/JSON/i) });
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM observations o JOIN upstream_bindings b ON b.model_id = o.model_id
        WHERE b.external_id = $1 AND o.source = 'huggingface'`,
      [GONE],
    );
    expect(rows[0].n).toBe(1);
  });

  it('marks a model the hub no longer has as gone, and asks for it no more', async () => {
    const run = await sync('2025-02-01T12:00:00.000Z');
    // gpt-oss-20b still counts as done: its GitHub repository was read.
    expect(run).toMatchObject({ status: 'succeeded', modelsDone: 60, modelsSkipped: 0, errors: [] });
    expect(run.upstreamRequests).toEqual({ huggingface: 2, github: 11 });
    expect(await binding(GONE)).toMatchObject({ status: 'gone', last_error: 'not found upstream' });

    hub.clearRequests();
    const next = await sync('2025-02-01T13:00:00.000Z');
    // The top-list page alone: nothing is missing from it but the model that is gone.
    expect(next).toMatchObject({ modelsDone: 60, upstreamRequests: { huggingface: 1, github: 11 } });
    expect(hub.requests.some((r) => r.path.includes(GONE))).toBe(false);
  });
});
