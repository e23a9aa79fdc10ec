import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { ModelsService, RenamesService, SeedService } from '@modelpulse/core/catalog';
import { CHANGE_TYPES, type Change, type ChangeOf } from '@modelpulse/core/changes';
import { RankingsService } from '@modelpulse/core/rankings';
import { StatsService } from '@modelpulse/core/stats';
import { createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { eventually } from '../support/wait';
import { createTestWorker, type TestWorker } from '../support/worker';

/** Every change an application context hears, in order. */
function record(app: INestApplicationContext): Change[] {
  const heard: Change[] = [];
  const emitter = app.get(EventEmitter2);
  for (const type of CHANGE_TYPES) emitter.on(type, (change: Change) => heard.push(change));
  return heard;
}

const ofType = <T extends Change['type']>(changes: Change[], type: T) =>
  changes.filter((c): c is ChangeOf<T> => c.type === type);

/**
 * The change feed across processes: an API app and a worker app (two Nest
 * contexts, each with its own pool and LISTEN connection) on one database.
 * A write committed by one is heard by the other, whose handler then reads
 * the committed rows; a write that fails half-way publishes nothing.
 */
describe('the change feed', () => {
  const clock = new FakeClock('2025-01-21T12:00:00Z');
  let api: TestApp;
  let worker: TestWorker;
  let heardByApi: Change[];
  let heardByWorker: Change[];
  /** What the worker's handler read from the database when it heard a catalogue change. */
  const seenByWorker: { slug: string; description: string | null }[][] = [];

  beforeAll(async () => {
    api = await createTestApp({ seed: true, clock });
    worker = await createTestWorker({ clock, hubUrl: 'http://127.0.0.1:9', githubUrl: 'http://127.0.0.1:9' });
    heardByApi = record(api.app);
    heardByWorker = record(worker.app);
    const workerDb = worker.app.get(DataSource);
    worker.app.get(EventEmitter2).on('catalog.changed', async (change: ChangeOf<'catalog.changed'>) => {
      seenByWorker.push(
        await workerDb.query('SELECT slug, description FROM models WHERE id = ANY($1::bigint[])', [change.modelIds]),
      );
    });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('reaches the other process after commit, whose handler reads the committed row', async () => {
    const created = await api.app.get(ModelsService).create({ id: 'acme/feed-model', description: 'first words' });

    const rows = await eventually('the worker to read the new model', async () =>
      seenByWorker.find((read) => read.some((row) => row.slug === created.id)),
    );
    expect(rows).toEqual([{ slug: 'acme/feed-model', description: 'first words' }]);
    const [change] = ofType(heardByWorker, 'catalog.changed');
    expect(change.modelIds).toHaveLength(1);
    // In the writing process the change is heard before the write returns, once, not again through NOTIFY.
    expect(ofType(heardByApi, 'catalog.changed')).toEqual([change]);
  });

  it('publishes nothing for a write that fails half-way and rolls back', async () => {
    const before = { api: heardByApi.length, worker: heardByWorker.length };
    // A seed of two new models: the first is written (and its change published) before the second fails.
    const dir = mkdtempSync(join(tmpdir(), 'modelpulse-seed-'));
    const path = join(dir, 'seed.json');
    const entry = (id: string, license: string | null) => ({
      id,
      description: null,
      license,
      parameters: null,
      activeParameters: null,
      releaseDate: null,
      tasks: [],
      tags: [],
      papers: [],
      links: { huggingface: null, github: null, homepage: null },
      baseModels: [],
      source: 'a test',
    });
    const seed = {
      licenses: [],
      organizations: [],
      papers: [],
      models: [entry('acme/seeded-first', null), entry('acme/seeded-second', 'made-up')],
    };
    writeFileSync(path, JSON.stringify(seed));
    await expect(api.app.get(SeedService).apply({ path, force: true })).rejects.toThrow('unknown licence');
    expect(heardByApi).toHaveLength(before.api);

    // A later write is heard by the worker; had the failed one published, the worker would have heard it first.
    await api.app.get(ModelsService).update('acme/feed-model', { description: 'second words' });
    await eventually('the worker to hear the later write', async () =>
      heardByWorker.length > before.worker ? true : undefined,
    );
    expect(heardByWorker.slice(before.worker)).toEqual(heardByApi.slice(before.api));
    expect(heardByWorker.slice(before.worker)).toHaveLength(1);
    const stored: unknown[] = await api.app
      .get(DataSource)
      .query(`SELECT slug FROM models WHERE slug LIKE 'acme/seeded-%'`);
    expect(stored).toEqual([]);
  });

  it('keeps up with more writes at once than the pool has connections, their handlers reading the database', async () => {
    // Each local handler needs a connection of its own; the write it follows must have given its back first.
    const sql = api.app.get(DataSource);
    let read = 0;
    const handler = async () => {
      await sql.query('SELECT pg_sleep(0.01)');
      read++;
    };
    const emitter = api.app.get(EventEmitter2);
    emitter.on('catalog.changed', handler);
    try {
      const models = api.app.get(ModelsService);
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => models.update('acme/feed-model', { description: `write ${i}` })),
      );
      expect(read).toBe(30);
    } finally {
      emitter.off('catalog.changed', handler);
    }
  });

  it('says which models got readings and the first day they touch; the other process reads them', async () => {
    const { id } = await api.app.get(ModelsService).resolve('deepseek-ai/DeepSeek-R1');
    const result = await api.app.get(StatsService).recordObservations(
      [
        {
          model: 'deepseek-ai/DeepSeek-R1',
          source: 'mirror',
          observedAt: '2025-01-20T10:00:00Z',
          downloadsAllTime: 100,
        },
        {
          model: 'deepseek-ai/DeepSeek-R1',
          source: 'mirror',
          observedAt: '2025-01-21T10:00:00Z',
          downloadsAllTime: 180,
        },
      ],
      'api',
      ['mirror'],
    );
    expect(result.accepted).toBe(2);
    // The readings touch the latest complete day (the clock says 2025-01-21), yet the write recomputed no
    // ranking: it only marked the stored days stale, and the next read that shows a rank recomputes.
    expect(ofType(heardByApi, 'snapshot.computed')).toEqual([]);

    const landed = await eventually('the worker to hear the readings', async () =>
      ofType(heardByWorker, 'stats.landed').at(-1),
    );
    expect(landed).toEqual({ type: 'stats.landed', modelIds: [id], sources: ['mirror'], fromDay: '2025-01-20' });
    const days: { day: string; downloads: string }[] = await worker.app
      .get(DataSource)
      .query(
        `SELECT day::text AS day, downloads FROM daily_stats WHERE model_id = $1 AND source = 'mirror' ORDER BY day`,
        [id],
      );
    expect(days).toEqual([
      { day: '2025-01-20', downloads: '0' },
      { day: '2025-01-21', downloads: '80' },
    ]);
  });

  it('tells of renames, snapshots, archives and purges', async () => {
    const models = api.app.get(ModelsService);
    const { id } = await models.resolve('acme/feed-model');
    await api.app.get(RenamesService).followUpstreamRename({
      modelId: id,
      upstream: 'huggingface',
      from: 'acme/feed-model',
      to: 'acme/feed-model-v2',
      seenAt: null,
    });
    await api.app.get(RankingsService).snapshotLatest();
    await models.archive('acme/feed-model-v2');
    await models.purge('acme/feed-model-v2', { evenIfLive: false });

    expect(ofType(heardByApi, 'model.renamed')).toEqual([
      { type: 'model.renamed', modelId: id, from: 'acme/feed-model', to: 'acme/feed-model-v2' },
    ]);
    // The roll-up's recomputation (the readings' write above recomputed nothing).
    expect(ofType(heardByApi, 'snapshot.computed')).toEqual([
      expect.objectContaining({ type: 'snapshot.computed', ranking: 'trending', asOf: '2025-01-20' }),
    ]);
    expect(ofType(heardByApi, 'model.archived')).toEqual([{ type: 'model.archived', modelIds: [id] }]);
    expect(ofType(heardByApi, 'model.purged')).toEqual([{ type: 'model.purged', modelIds: [id] }]);
    await eventually('the worker to hear the purge', async () =>
      ofType(heardByWorker, 'model.purged').length > 0 ? true : undefined,
    );
    expect(heardByWorker).toEqual(heardByApi);
  });
});
