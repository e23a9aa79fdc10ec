import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { SeedService } from '@modelpulse/core/catalog';
import { Clock } from '@modelpulse/core/clock';
import { StatsService } from '@modelpulse/core/stats';
import { runBackfill } from '../../apps/cli/src/backfill-command';
import { CliModule } from '../../apps/cli/src/cli.module';
import { FakeClock } from '../support/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';

const R1 = 'deepseek-ai/DeepSeek-R1';
const reading = (observedAt: string, downloadsAllTime: number, model = R1) =>
  JSON.stringify({ model, source: 'huggingface', observedAt, downloadsAllTime });

/** R1's first days as a backfill file: a bad line, a blank one, a repeat, an unknown model, a reading from the future. */
const FILE = [
  reading('2025-01-20T18:00:00Z', 1_000),
  reading('2025-01-21T18:00:00Z', 61_000),
  '{"model": "deepseek-ai/DeepSeek-R1", "source": "huggingface", oops',
  '',
  reading('2025-01-21T18:00:00Z', 61_000),
  reading('2025-01-22T18:00:00Z', 161_000, 'deepseek-ai/deepseek-r1'),
  reading('2025-01-22T18:00:00Z', 5, 'nobody/nothing'),
  reading('2025-01-25T18:00:00Z', 461_000),
  reading('2025-02-01T00:00:00Z', 500_000),
].join('\r\n');

/** `npm run cli -- backfill` on the CLI's own module and a real database, with the clock pinned. */
describe('npm run cli -- backfill', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let dir: string;
  let sql: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [CliModule] })
      .overrideProvider(Clock)
      .useValue(new FakeClock('2025-01-28T12:00:00Z'))
      .compile();
    app = await moduleRef.init();
    await app.get(SeedService).apply();
    dir = mkdtempSync(join(tmpdir(), 'modelpulse-backfill-'));
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sql.end();
    await app.close();
    await db.drop();
  });

  const backfill = async (path: string, batchItems?: number) => {
    const lines: string[] = [];
    const code = await runBackfill(app.get(StatsService), path, (line) => lines.push(line), batchItems);
    return { code, lines };
  };

  it('stores the good lines in batches and reports each bad one by line number, exit 0', async () => {
    const path = join(dir, 'r1.jsonl');
    writeFileSync(path, `\uFEFF${FILE}\n`);
    // Batches of 2, so the repeat on line 5 meets its original in the database, not in its batch.
    expect(await backfill(path, 2)).toEqual({
      code: 0,
      lines: [
        '… 2 lines read, 2 accepted, 0 duplicates, 0 rejected',
        '… 6 lines read, 3 accepted, 1 duplicate, 1 rejected',
        '… 8 lines read, 4 accepted, 1 duplicate, 2 rejected',
        '… 9 lines read, 4 accepted, 1 duplicate, 3 rejected',
        `backfill of ${path}: 9 lines read, 4 accepted, 1 duplicate, 3 rejected`,
        '  line 3: not a JSON value',
        '  line 7 (model): unknown model "nobody/nothing"',
        '  line 9 (observedAt): observedAt is in the future',
        'the rejected lines were skipped and everything else is stored; fix them and run the file again',
      ],
    });

    const stats = await app.get(StatsService).series(R1, { metric: 'downloads', interval: 'day', from: '2025-01-15' });
    expect(stats.points.map((p) => [p.date, p.value, p.imputed])).toEqual([
      ['2025-01-20', 0, false],
      ['2025-01-21', 60_000, false],
      ['2025-01-22', 100_000, false],
      ['2025-01-23', 100_000, true],
      ['2025-01-24', 100_000, true],
      ['2025-01-25', 100_000, true],
      // The file stops at the 25th: the days since are unknown, not days of nothing.
      ['2025-01-26', null, false],
      ['2025-01-27', null, false],
      ['2025-01-28', null, false],
    ]);
    expect(stats).toMatchObject({ total: 460_000, unknownDays: 3 });

    const { rows } = await sql.query(`SELECT origin, count(*)::int AS n FROM observations GROUP BY origin`);
    expect(rows).toEqual([{ origin: 'backfill', n: 4 }]);
  });

  it('stores nothing twice when the same file is run again', async () => {
    const path = join(dir, 'r1.jsonl');
    const { code, lines } = await backfill(path);
    expect(code).toBe(0);
    expect(lines.slice(0, 2)).toEqual([
      '… 9 lines read, 0 accepted, 5 duplicates, 3 rejected',
      `backfill of ${path}: 9 lines read, 0 accepted, 5 duplicates, 3 rejected`,
    ]);
  });

  it('exits 1 for a file it cannot read', async () => {
    const missing = join(dir, 'missing.jsonl');
    expect(await backfill(missing)).toEqual({
      code: 1,
      lines: [`cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`],
    });
    const { code, lines } = await backfill(dir);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `cannot read ${dir} after line 0: EISDIR: illegal operation on a directory, read; ` +
        'the batches reported above are stored, and running the file again adds only what is new',
    ]);
  });
});
