import type { DataSource } from 'typeorm';
import { SyncRunRepository } from '@modelpulse/core/jobs';
import { createTestDatabase, openDataSource, type TestDatabase } from '../support/database';

describe('claiming job runs', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runs: SyncRunRepository;
  const at = (iso: string) => new Date(iso);
  /** The runner's cut-off with a 30 s heartbeat timeout: no sign of life since then is a dead process. */
  const staleBefore = (iso: string) => new Date(at(iso).getTime() - 30_000);
  const claim = (trigger: string, iso: string, ref: { runId?: string; tickKey?: string }) =>
    runs.claim('stats-sync', trigger, at(iso), ref, staleBefore(iso));

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource(db.url);
    runs = new SyncRunRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('gives a queued run to one claimant, and again only once its worker has stopped beating', async () => {
    const queued = await runs.queue('stats-sync', 'api', at('2025-01-20T10:00:00Z'));
    expect(await claim('api', '2025-01-20T10:00:05Z', { runId: queued.id })).toBe(queued.id);
    expect(await claim('api', '2025-01-20T10:00:06Z', { runId: queued.id })).toBeNull();
    // Five hours later, still beating: its worker is slow, not dead.
    await runs.heartbeat(queued.id, at('2025-01-20T15:00:00Z'));
    expect(await claim('api', '2025-01-20T15:00:20Z', { runId: queued.id })).toBeNull();
    // Silent for over 30 s: a retry takes it over.
    expect(await claim('api', '2025-01-20T15:00:31Z', { runId: queued.id })).toBe(queued.id);
  });

  it('marks runs whose heartbeat went stale as interrupted, finished at their last heartbeat', async () => {
    const alive = await runs.queue('stats-sync', 'api', at('2025-01-21T10:00:00Z'));
    const dead = await runs.queue('stats-sync', 'api', at('2025-01-21T10:00:00Z'));
    await claim('api', '2025-01-21T10:00:01Z', { runId: alive.id });
    await claim('api', '2025-01-21T10:00:01Z', { runId: dead.id });
    await runs.progress(dead.id, 40, 1, 2);
    await runs.heartbeat(dead.id, at('2025-01-21T10:00:10Z'));
    await runs.heartbeat(alive.id, at('2025-01-21T10:00:50Z'));

    const swept = await runs.interruptStale(staleBefore('2025-01-21T10:00:45Z'), 'no heartbeat');
    expect(swept).toContainEqual({ id: dead.id, kind: 'stats-sync', finishedAt: at('2025-01-21T10:00:10Z') });
    expect(swept.map((run) => run.id)).not.toContain(alive.id);
    expect(await runs.findById(dead.id)).toMatchObject({
      status: 'interrupted',
      finishedAt: at('2025-01-21T10:00:10Z'),
      modelsDone: 40,
      modelsFailed: 1,
      modelsSkipped: 2,
      errors: [{ model: null, source: null, error: 'no heartbeat' }],
    });
    expect((await runs.findById(alive.id))?.status).toBe('running');
    // A heartbeat after the sweep (a frozen process waking up) does not bring it back.
    await runs.heartbeat(dead.id, at('2025-01-21T10:01:00Z'));
    expect((await runs.findById(dead.id))?.status).toBe('interrupted');
    // The queue's retry may claim an interrupted run again.
    expect(await claim('api', '2025-01-21T10:02:00Z', { runId: dead.id })).toBe(dead.id);
    expect(await runs.findById(dead.id)).toMatchObject({ status: 'running', finishedAt: null });
  });

  it('records a run stopped by its own process as interrupted, keeping its progress', async () => {
    const queued = await runs.queue('stats-sync', 'api', at('2025-01-22T10:00:00Z'));
    await claim('api', '2025-01-22T10:00:01Z', { runId: queued.id });
    await runs.progress(queued.id, 7, 0, 0);
    await runs.interrupt(queued.id, at('2025-01-22T10:00:09Z'), 'stopped');
    expect(await runs.findById(queued.id)).toMatchObject({
      status: 'interrupted',
      finishedAt: at('2025-01-22T10:00:09Z'),
      modelsDone: 7,
      errors: [{ model: null, source: null, error: 'stopped' }],
    });
  });

  it('runs a scheduled tick once, again after a failure, and again once abandoned', async () => {
    const tick = { tickKey: 'stats-sync@2025-01-20T13:00:00.000Z' };
    const id = await claim('schedule', '2025-01-20T13:00:10Z', tick);
    expect(id).not.toBeNull();
    expect(await claim('schedule', '2025-01-20T13:00:11Z', tick)).toBeNull();
    expect(await claim('schedule', '2025-01-20T13:00:41Z', tick)).toBe(id);
    await runs.finish(id!, at('2025-01-20T19:01:00Z'), {
      status: 'failed',
      modelsDone: 0,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: {},
      errors: [{ model: null, source: null, error: 'database went away' }],
    });
    expect(await claim('schedule', '2025-01-20T19:02:00Z', tick)).toBe(id);
    await runs.finish(id!, at('2025-01-20T19:03:00Z'), {
      status: 'succeeded',
      modelsDone: 3,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: { huggingface: 1 },
      errors: [],
    });
    expect(await claim('schedule', '2025-01-21T13:00:00Z', tick)).toBeNull();
    expect((await runs.list(100, 'stats-sync')).filter((run) => run.tickKey === tick.tickKey)).toHaveLength(1);
  });
});
