import { DataSource } from 'typeorm';
import { ChangeChannel, retryingTransaction, TransactionHost, type Transactions } from '@modelpulse/database';
import { createTestApp, type TestApp } from '../support/app';

/** Resolves once `parties` callers are waiting on it. */
function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++waiting === parties) open();
    return opened;
  };
}

/**
 * A real deadlock: two transactions each lock two rows, in opposite orders,
 * both holding their first when they ask for their second. PostgreSQL aborts
 * one (40P01); retryingTransaction runs it again whole, and both commit,
 * each exactly once. What the aborted attempt published on the change
 * channel is never delivered.
 */
describe('retryingTransaction', () => {
  let api: TestApp;
  let txHost: Transactions;
  let db: DataSource;
  const delivered: unknown[] = [];

  beforeAll(async () => {
    api = await createTestApp();
    txHost = api.app.get(TransactionHost);
    db = api.app.get(DataSource);
    await db.query('CREATE TABLE deadlock_probe (id int PRIMARY KEY, writes text[] NOT NULL)');
    await db.query(`INSERT INTO deadlock_probe VALUES (1, '{}'), (2, '{}')`);
    await api.app.get(ChangeChannel).subscribe((message, local) => {
      if (local) delivered.push(message);
    });
  });

  afterAll(() => api.close());

  it('runs the transaction PostgreSQL aborts for a deadlock again, and commits each once', async () => {
    const bothHoldTheirFirstRow = barrier(2);
    const attempts = { a: 0, b: 0 };
    const write = (name: 'a' | 'b', first: number, second: number) =>
      retryingTransaction(txHost, async () => {
        const attempt = ++attempts[name];
        const lock = (id: number) =>
          txHost.tx.query('UPDATE deadlock_probe SET writes = writes || $2::text WHERE id = $1', [id, name]);
        await lock(first);
        await api.app.get(ChangeChannel).publish({ type: 'probe', name, attempt });
        if (attempt === 1) await bothHoldTheirFirstRow();
        await lock(second);
        return attempt;
      });

    const [a, b] = await Promise.all([write('a', 1, 2), write('b', 2, 1)]);

    // One of them was aborted once and committed on its second attempt.
    expect([a, b].sort()).toEqual([1, 2]);
    expect(attempts.a + attempts.b).toBe(3);
    const rows: { id: number; writes: string[] }[] = await db.query(
      'SELECT id, writes FROM deadlock_probe ORDER BY id',
    );
    for (const row of rows) expect([...row.writes].sort()).toEqual(['a', 'b']);
    const retried = a === 2 ? 'a' : 'b';
    expect(delivered).toEqual(
      expect.arrayContaining([
        { type: 'probe', name: 'a', attempt: a },
        { type: 'probe', name: 'b', attempt: b },
      ]),
    );
    expect(delivered).toHaveLength(2);
    expect(delivered).not.toContainEqual({ type: 'probe', name: retried, attempt: 1 });
  });

  it('does not retry inside a transaction that is already active: the abort goes to whoever opened it', async () => {
    let inner = 0;
    await expect(
      txHost.withTransaction(() =>
        retryingTransaction(txHost, async () => {
          inner++;
          await txHost.tx.query(
            `DO $$ BEGIN RAISE EXCEPTION 'made up' USING ERRCODE = 'serialization_failure'; END $$`,
          );
        }),
      ),
    ).rejects.toMatchObject({ driverError: { code: '40001' } });
    expect(inner).toBe(1);
  });

  it('gives up after its retries and throws the last abort', async () => {
    let runs = 0;
    await expect(
      retryingTransaction(
        txHost,
        async () => {
          runs++;
          await txHost.tx.query(`DO $$ BEGIN RAISE EXCEPTION 'made up' USING ERRCODE = 'deadlock_detected'; END $$`);
        },
        { retries: 2, backoffMs: 1 },
      ),
    ).rejects.toMatchObject({ driverError: { code: '40P01' } });
    expect(runs).toBe(3);
  });

  it('never retries other errors', async () => {
    let runs = 0;
    await expect(
      retryingTransaction(txHost, async () => {
        runs++;
        await txHost.tx.query('INSERT INTO deadlock_probe VALUES (1, $1)', [[]]);
      }),
    ).rejects.toMatchObject({ driverError: { code: '23505' } });
    expect(runs).toBe(1);
  });
});
