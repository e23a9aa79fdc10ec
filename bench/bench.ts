/**
 * npm run bench [-- --quick] [-- --case start-up|reads|ingestion|rankings|sync]
 *
 * Every case against a baseline measured in the same run on the same
 * machine, in alternating rounds, as medians and their ratio (bench/README.md
 * says what each case is). The full run reads the dataset `npm run bench:data`
 * loaded (DATABASE_URL, or the embedded PostgreSQL in .modelpulse-bench/) and
 * writes bench/results/latest.json; `--quick` loads a small dataset into a
 * PostgreSQL of its own, runs every case briefly (a few minutes) and writes
 * bench/results/latest-quick.json. `--case` runs one group of cases alone
 * (`sync` needs no dataset). Exits 1 only when a case could not run: a slow
 * ratio is a figure, not a failure.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { SeedService } from '@modelpulse/core/catalog';
import { addDays, utcDay } from '@modelpulse/core/days';
import { LeaderboardsService, RankingsService } from '@modelpulse/core/rankings';
import { DatabaseServer } from '@modelpulse/database';
import { ingestionCases } from './cases/ingestion';
import { rankingCases } from './cases/rankings';
import { readCases, readPaths, recordAnswers } from './cases/reads';
import { syncCases, type SyncCaseSettings } from './cases/sync';
import { loadDataset } from './data/load';
import { BenchModule } from './lib/bench.module';
import { benchDatabaseEnv } from './lib/environment';
import { alternate, loadAverage, median } from './lib/measure';
import { startApi, startBare } from './lib/processes';
import { medianRatio, table, writeReport, type BenchReport, type CaseFailure, type CaseResult } from './lib/results';

const QUICK_DATASET = { models: 600, days: 45, seed: 1 };

const GROUPS = ['start-up', 'reads', 'ingestion', 'rankings', 'sync'] as const;

/** The sync case's hub (issue 14): 20 ms a request, 100 requests per 10 s, the sync's default page size and cap. */
const SYNC_HUB = { latencyMs: 20, limit: { requests: 100, windowSeconds: 10 }, pageSize: 1000, maxPages: 20 };

const SETTINGS = {
  full: {
    reads: { rounds: 5, seconds: 5, connections: [10, 100] },
    ingestion: { rounds: 3, seconds: 10 },
    rankings: { rounds: 3, rebuildRounds: 1 },
    startupRounds: 3,
    sync: { tracked: 10_000, inTopList: 9_000, ...SYNC_HUB } satisfies SyncCaseSettings,
  },
  quick: {
    reads: { rounds: 2, seconds: 2, connections: [10, 100] },
    ingestion: { rounds: 2, seconds: 2 },
    rankings: { rounds: 2, rebuildRounds: 1 },
    startupRounds: 1,
    sync: { tracked: 1_000, inTopList: 900, ...SYNC_HUB } satisfies SyncCaseSettings,
  },
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function commit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

/**
 * Runs one group of cases; a group that cannot run is a failure on the
 * report, and the others still run. The report is written after each group,
 * so a run stopped part-way keeps what it measured.
 */
async function group(
  name: string,
  report: BenchReport,
  out: string,
  work: () => Promise<CaseResult[] | { cases: CaseResult[]; failures: CaseFailure[] }>,
): Promise<void> {
  console.log(`bench: ${name}…`);
  try {
    const out = await work();
    const { cases, failures } = Array.isArray(out) ? { cases: out, failures: [] } : out;
    report.cases.push(...cases);
    report.failures.push(...failures);
  } catch (error) {
    report.failures.push({ name, error: message(error) });
  }
  writeReport(out, report);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, case: { type: 'string' } },
  });
  const quick = values.quick;
  const only = values.case;
  if (only !== undefined && !(GROUPS as readonly string[]).includes(only)) {
    console.error(`bench: --case must be one of ${GROUPS.join(', ')}, not ${JSON.stringify(only)}`);
    return 2;
  }
  const wants = (name: (typeof GROUPS)[number]) => only === undefined || only === name;
  const needsDataset = GROUPS.some((name) => name !== 'sync' && wants(name));
  const settings = quick ? SETTINGS.quick : SETTINGS.full;
  const suffix = only === undefined ? '' : `-${only}`;
  const out = resolve(values.out ?? join('bench', 'results', `${quick ? 'latest-quick' : 'latest'}${suffix}.json`));
  const scratch = mkdtempSync(join(tmpdir(), 'modelpulse-bench-'));
  if (quick) {
    // A PostgreSQL of its own: the quick run loads its small dataset into a fresh database every time.
    delete process.env.DATABASE_URL;
    process.env.MODELPULSE_DATA_DIR = join(scratch, 'pg');
    process.env.LOG_LEVEL = 'error';
  } else {
    benchDatabaseEnv();
  }
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const server = app.get(DatabaseServer);
  const db = new Client({ connectionString: server.url });
  await db.connect();
  const report: BenchReport = {
    measuredAt: new Date().toISOString(),
    commit: commit(),
    quick,
    node: process.version,
    cpus: cpus().length,
    dataset: {},
    cases: [],
    failures: [],
  };
  try {
    if (needsDataset) {
      if (quick) {
        await app.get(SeedService).apply();
        const lastDay = addDays(utcDay(new Date()), -1);
        const loaded = await loadDataset(app, server.url, { ...QUICK_DATASET, lastDay }, (line) => console.log(line));
        report.dataset.loadSeconds = Object.values(loaded.seconds).reduce((a, b) => a + b, 0);
      }
      const { rows: shape } = await db.query<{
        models: string;
        readings: string;
        first: string | null;
        last: string | null;
      }>(
        `SELECT (SELECT count(*) FROM models)::text AS models, (SELECT count(*) FROM observations)::text AS readings,
                min(day)::text AS first, max(day)::text AS last FROM daily_stats`,
      );
      const { first: firstDay, last: lastDay } = shape[0];
      if (firstDay === null || lastDay === null || Number(shape[0].models) < 100) {
        throw new Error('no bench dataset in this database: run `npm run bench:data` first (bench/README.md)');
      }
      Object.assign(report.dataset, {
        models: Number(shape[0].models),
        readings: Number(shape[0].readings),
        firstDay,
        lastDay,
      });
      console.log(`bench: ${shape[0].models} models, ${shape[0].readings} readings, ${firstDay} to ${lastDay}`);

      // The most downloaded model with a licence, and that licence, name the model reads.
      const { rows: top } = await db.query<{ slug: string; license_id: string }>(
        `SELECT m.slug, m.license_id FROM models m JOIN model_stats s ON s.model_id = m.id
          WHERE m.license_id IS NOT NULL AND m.archived_at IS NULL
          ORDER BY s.downloads_30d DESC NULLS LAST LIMIT 1`,
      );
      const paths = readPaths(top[0].slug, top[0].license_id, lastDay, addDays(lastDay, -179));
      const adminToken = randomBytes(32).toString('hex');
      const apiEnv = {
        DATABASE_URL: server.url,
        MODELPULSE_ADMIN_TOKEN: adminToken,
        SYNC_ENABLED: 'false',
        // High, but counting: every request still pays for its rate limit. A billion a minute, since
        // the bench's one client address, at 30 000 hits a second, uses up a million in half a minute.
        RATE_LIMIT_READ_PER_MINUTE: '1000000000',
        RATE_LIMIT_EMBED_PER_MINUTE: '1000000000',
        RATE_LIMIT_INGEST_PER_MINUTE: '1000000000',
        RATE_LIMIT_DL_PER_MINUTE: '1000000000',
      };
      const logFile = join(scratch, 'api-access.log');

      if (wants('start-up')) {
        await group('start-up', report, out, async () => {
          const startup = await alternate(
            settings.startupRounds,
            async () => {
              const api = await startApi(apiEnv, logFile);
              await api.stop();
              return api.startSeconds;
            },
            async () => {
              const bare = await startBare();
              await bare.stop();
              return bare.startSeconds;
            },
          );
          return [
            {
              name: 'start-up: spawn to ready',
              value: median(startup.measured),
              unit: 's',
              baseline: median(startup.baseline),
              ratio: medianRatio(startup.measured, startup.baseline),
              better: 'lower',
              loadAverage: loadAverage(),
              details: { baselineIs: 'bare node:http process, spawn to first answer' },
            },
          ];
        });
      }

      if (wants('reads') || wants('ingestion')) {
        const api = await startApi(apiEnv, logFile);
        try {
          if (wants('reads')) {
            await group('reads', report, out, async () => {
              const answers = join(scratch, 'answers.json');
              await recordAnswers(api.url, paths, answers);
              return readCases(api, paths, answers, settings.reads);
            });
          }
          if (wants('ingestion')) {
            await group('ingestion', report, out, async () => {
              const { rows } = await db.query<{ id: string; slug: string; all_time: string | null }>(
                `SELECT m.id, m.slug, s.downloads_all_time::text AS all_time FROM models m
               JOIN model_stats s ON s.model_id = m.id
              WHERE m.archived_at IS NULL AND EXISTS (SELECT 1 FROM upstream_bindings b WHERE b.model_id = m.id)
              ORDER BY m.id LIMIT 1000`,
              );
              const models = rows.map((r) => ({ id: r.id, slug: r.slug, downloadsAllTime: Number(r.all_time ?? 0) }));
              return ingestionCases(api.url, db, { ...settings.ingestion, adminToken, models });
            });
          }
        } finally {
          await api.stop();
        }
      }

      if (wants('rankings')) {
        await group('rankings', report, out, () =>
          rankingCases(app.get(RankingsService), app.get(LeaderboardsService), db, { ...settings.rankings, firstDay }),
        );
      }
    }
    if (wants('sync')) {
      await group('sync', report, out, () => syncCases(server.url, settings.sync));
    }
  } catch (error) {
    report.failures.push({ name: 'bench', error: message(error) });
  } finally {
    await db.end();
    await app.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  writeReport(out, report);
  console.log(
    `\nbench ${quick ? '--quick ' : ''}at ${report.commit ?? 'an unknown commit'}, ${report.cpus} cores, load ${loadAverage()}:`,
  );
  console.log(table(report));
  console.log(`\nratio: median over rounds of value / baseline; written to ${out}`);
  return report.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
