import type { DataSource } from 'typeorm';
import { SyncRunRepository } from '@modelpulse/core/jobs';
import { createTestDatabase, openDataSource, type TestDatabase } from '../support/database';

describe('claiming job runs', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runs: SyncRunRepository;
  const at = (iso: string) => new Date(iso);

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource(db.url);
    runs = new SyncRunRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('gives a queued run to one claimant, and again only once its worker must have died', async () => {
    const queued = await runs.queue('stats-sync', 'api', at('2025-01-20T10:00:00Z'));
    expect(await runs.claim('stats-sync', 'api', at('2025-01-20T10:00:05Z'), { runId: queued.id })).toBe(queued.id);
    expect(await runs.claim('stats-sync', 'api', at('2025-01-20T10:00:06Z'), { runId: queued.id })).toBeNull();
    // Still running five hours later: its worker may just be slow.
    expect(await runs.claim('stats-sync', 'api', at('2025-01-20T15:00:05Z'), { runId: queued.id })).toBeNull();
    // Past the six hours a job may live, the queue's retry takes it over.
    expect(await runs.claim('stats-sync', 'api', at('2025-01-20T16:00:06Z'), { runId: queued.id })).toBe(queued.id);
  });

  it('runs a scheduled tick once, again after a failure, and again once abandoned', async () => {
    const tick = { tickKey: 'stats-sync@2025-01-20T13:00:00.000Z' };
    const id = await runs.claim('stats-sync', 'schedule', at('2025-01-20T13:00:10Z'), tick);
    expect(id).not.toBeNull();
    expect(await runs.claim('stats-sync', 'schedule', at('2025-01-20T13:00:11Z'), tick)).toBeNull();
    expect(await runs.claim('stats-sync', 'schedule', at('2025-01-20T19:00:11Z'), tick)).toBe(id);
    await runs.finish(id!, at('2025-01-20T19:01:00Z'), {
      status: 'failed',
      modelsDone: 0,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: {},
      errors: [{ model: null, source: null, error: 'database went away' }],
    });
    expect(await runs.claim('stats-sync', 'schedule', at('2025-01-20T19:02:00Z'), tick)).toBe(id);
    await runs.finish(id!, at('2025-01-20T19:03:00Z'), {
      status: 'succeeded',
      modelsDone: 3,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: { huggingface: 1 },
      errors: [],
    });
    expect(await runs.claim('stats-sync', 'schedule', at('2025-01-21T13:00:00Z'), tick)).toBeNull();
    expect(await runs.list(10, 'stats-sync')).toHaveLength(2);
  });
});
