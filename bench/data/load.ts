/**
 * Loads the bench dataset (dataset.ts) into a migrated, seeded database
 * through COPY, then has the app itself derive everything else: the daily
 * series through its own differencing (sourceDailySeries), the catalogue's
 * figures through the stats roll-up, and the trending snapshot of every day
 * through the rankings service.
 */
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { INestApplicationContext } from '@nestjs/common';
import { RankingsService } from '@modelpulse/core/rankings';
import { sourceDailySeries, StatsService } from '@modelpulse/core/stats';
import { addDays } from '@modelpulse/core/days';
import {
  DATASET_SOURCE,
  generateCatalogue,
  generateReadings,
  type DatasetOptions,
  type DatasetReading,
} from './dataset';

export interface LoadReport {
  models: number;
  readings: number;
  dailyRows: number;
  rankedDays: number;
  seconds: { catalogue: number; series: number; rollup: number; rankings: number };
}

/** A COPY text field: `\N` for null, with the characters COPY treats specially escaped. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A PostgreSQL array literal of plain words (tasks, tags, flags). */
const arrayLiteral = (values: readonly string[]) => `{${values.join(',')}}`;

const line = (values: (string | number | boolean | null)[]) => values.map(field).join('\t') + '\n';

/** Writes to a COPY stream in chunks, waiting when PostgreSQL is behind; a failed COPY throws on the next write. */
export class CopyWriter {
  private buffer: string[] = [];
  private size = 0;
  private failure: Error | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Whether the buffer holds a chunk's worth and wants a `flush()`. */
  get full(): boolean {
    return this.size >= 256 * 1024;
  }

  push(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
  }

  async write(text: string): Promise<void> {
    this.push(text);
    if (this.full) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.stream.once('error', onError);
      this.stream.once('drain', () => {
        this.stream.off('error', onError);
        resolve();
      });
    });
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }
}

async function copyRows(client: Client, sql: string, rows: Iterable<string>): Promise<void> {
  const writer = new CopyWriter(client.query(copyFrom(sql)));
  for (const row of rows) await writer.write(row);
  await writer.end();
}

/** Foreign keys are checked once by construction here: skip their triggers when the role may (a superuser). */
async function skipTriggers(client: Client): Promise<void> {
  try {
    await client.query('SET session_replication_role = replica');
  } catch {
    // Not a superuser: the checks run, the load is slower, the rows the same.
  }
}

interface Progress {
  update(value: number): void;
  stop(): void;
}

/** A progress bar on a terminal; elsewhere (CI, a log file) a line at every tenth. */
function bar(label: string, total: number, log: (message: string) => void): Progress {
  if (!process.stdout.isTTY) {
    let shown = 0;
    return {
      update: (value) => {
        const tenth = Math.floor((value / total) * 10);
        if (tenth > shown) {
          shown = tenth;
          log(`${label}: ${value}/${total}`);
        }
      },
      stop: () => undefined,
    };
  }
  const progress = new SingleBar(
    { format: `${label.padEnd(10)} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, hideCursor: true },
    Presets.shades_classic,
  );
  progress.start(total, 0);
  return progress;
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** Bench models are loaded once, into a fresh database: fail when some are there already. */
async function assertFresh(client: Client): Promise<void> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM models WHERE description LIKE '%(synthetic, bench dataset).'`,
  );
  if (Number(rows[0].n) > 0) {
    throw new Error(
      `the database already holds ${rows[0].n} bench models: load into a fresh one ` +
        '(a new MODELPULSE_DATA_DIR, or another DATABASE_URL)',
    );
  }
}

export async function loadDataset(
  app: INestApplicationContext,
  databaseUrl: string,
  options: DatasetOptions,
  log: (message: string) => void,
): Promise<LoadReport> {
  const [main, side] = [new Client({ connectionString: databaseUrl }), new Client({ connectionString: databaseUrl })];
  await Promise.all([main.connect(), side.connect()]);
  try {
    await assertFresh(main);
    await Promise.all([skipTriggers(main), skipTriggers(side)]);
    let started = performance.now();
    const seedLicenses = (await main.query<{ id: string }>('SELECT id FROM licenses')).rows.map((r) => r.id);
    const catalogue = generateCatalogue(options, seedLicenses);
    const newLicenses = catalogue.licenses.filter((l) => !seedLicenses.includes(l.id));
    await copyRows(
      main,
      'COPY licenses (id, name, spdx, url, commercial_use) FROM STDIN',
      newLicenses.map((l) => line([l.id, l.name, l.spdx, l.url, l.commercialUse])),
    );
    await copyRows(
      main,
      'COPY organizations (id, name) FROM STDIN',
      catalogue.organizations.map((o) => line([o.id, o.name])),
    );
    await copyRows(
      main,
      'COPY models (slug, organization_id, name, description, license_id, parameters, release_date, tasks, tags, homepage) FROM STDIN',
      catalogue.models.map((m) =>
        line([
          m.slug,
          m.organization,
          m.name,
          m.description,
          m.license,
          m.parameters,
          m.releaseDate,
          arrayLiteral(m.tasks),
          arrayLiteral(m.tags),
          null,
        ]),
      ),
    );
    const ids = new Map(
      (await main.query<{ id: string; slug: string }>('SELECT id, slug FROM models')).rows.map((r) => [r.slug, r.id]),
    );
    const idOf = (index: number) => ids.get(catalogue.models[index].slug)!;
    await copyRows(
      main,
      'COPY model_relations (derived_model_id, base_model_id, relation) FROM STDIN',
      catalogue.models.flatMap((m) => m.bases.map((b) => line([idOf(m.index), idOf(b.index), b.relation]))),
    );
    await copyRows(
      main,
      'COPY upstream_bindings (model_id, upstream, external_id, status, last_synced_at) FROM STDIN',
      catalogue.models.map((m) => line([idOf(m.index), 'huggingface', m.slug, 'ok', `${options.lastDay}T04:30:00Z`])),
    );
    const catalogueSeconds = seconds(started);
    log(
      `catalogue: ${catalogue.organizations.length} organizations, ${catalogue.models.length} models in ${catalogueSeconds} s`,
    );

    started = performance.now();
    const progress = bar('series', catalogue.models.length, log);
    const observations = new CopyWriter(
      main.query(
        copyFrom(
          'COPY observations (model_id, source, observed_at, downloads_all_time, downloads_30d, likes, origin, received_at) FROM STDIN',
        ),
      ),
    );
    const daily = new CopyWriter(
      side.query(
        copyFrom('COPY daily_stats (model_id, source, day, downloads, likes, stars, imputed, flags) FROM STDIN'),
      ),
    );
    let readingCount = 0;
    let dailyCount = 0;
    const receivedAt = `${addDays(options.lastDay, 1)}T00:00:00Z`;
    for (const model of catalogue.models) {
      const id = idOf(model.index);
      const readings: DatasetReading[] = generateReadings(model, options);
      // The hot loops write their lines directly: numbers, timestamps and plain words need no escaping.
      for (const r of readings) {
        observations.push(
          `${id}\t${DATASET_SOURCE}\t${r.observedAt.toISOString()}\t${r.downloadsAllTime}\t${r.downloads30d}\t${r.likes}\tbackfill\t${receivedAt}\n`,
        );
      }
      readingCount += readings.length;
      // The app's own differencing, as ingestion would have stored it.
      const days = sourceDailySeries(
        readings.map((r) => ({ ...r, stars: null })),
        new Date(`${model.releaseDate}T00:00:00Z`),
      );
      for (const d of days) {
        daily.push(
          `${id}\t${DATASET_SOURCE}\t${d.day}\t${d.downloads ?? '\\N'}\t${d.likes ?? '\\N'}\t${d.stars ?? '\\N'}\t${arrayLiteral(d.imputed)}\t${arrayLiteral(d.flags)}\n`,
        );
      }
      dailyCount += days.length;
      if (observations.full || daily.full) await Promise.all([observations.flush(), daily.flush()]);
      if (model.index % 500 === 0) progress.update(model.index);
    }
    await Promise.all([observations.end(), daily.end()]);
    progress.update(catalogue.models.length);
    progress.stop();
    await main.query('ANALYZE');
    const seriesSeconds = seconds(started);
    log(`series: ${readingCount} readings, ${dailyCount} daily rows in ${seriesSeconds} s`);

    started = performance.now();
    await app.get(StatsService).rollup();
    const rollupSeconds = seconds(started);
    log(`catalogue figures (the stats roll-up) in ${rollupSeconds} s`);

    started = performance.now();
    const rankings = app.get(RankingsService);
    const firstDay = addDays(options.lastDay, -(options.days - 1));
    const rankingBar = bar('rankings', options.days, log);
    for (let i = 0; i < options.days; i++) {
      // A read of a complete day computes and stores its snapshot; the latest also sets the catalogue's ranks.
      await rankings.trending({ asOf: addDays(firstDay, i), limit: 1 });
      rankingBar.update(i + 1);
    }
    rankingBar.stop();
    const rankingSeconds = seconds(started);
    log(`trending snapshots of ${options.days} days in ${rankingSeconds} s`);
    return {
      models: catalogue.models.length,
      readings: readingCount,
      dailyRows: dailyCount,
      rankedDays: options.days,
      seconds: { catalogue: catalogueSeconds, series: seriesSeconds, rollup: rollupSeconds, rankings: rankingSeconds },
    };
  } finally {
    await Promise.all([main.end(), side.end()]);
  }
}
