import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CopyWriter } from '../data/load';
import { alternate, loadAverage, median } from '../lib/measure';
import { medianRatio, type CaseResult } from '../lib/results';

export interface IngestionSettings {
  rounds: number;
  seconds: number;
  adminToken: string;
  /** Models the batches name: [id, slug, current all-time downloads]. */
  models: { id: string; slug: string; downloadsAllTime: number }[];
}

async function post(url: string, token: string, body: unknown): Promise<{ accepted: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { accepted: number };
}

/** Runs `clients` loops of `send` for `seconds`; answers the items accepted a second. */
async function throughput(clients: number, seconds: number, send: (client: number) => Promise<number>) {
  const started = performance.now();
  const until = started + seconds * 1000;
  let items = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < until) items += await send(client);
    }),
  );
  return { items, perSecond: items / ((performance.now() - started) / 1000) };
}

/** COPY of `lines` into a scratch table; answers rows a second. */
async function copyRate(db: Client, table: string, columns: string, lines: string[]): Promise<number> {
  const started = performance.now();
  const writer = new CopyWriter(db.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
  for (const line of lines) await writer.write(line);
  await writer.end();
  const rate = lines.length / ((performance.now() - started) / 1000);
  await db.query(`TRUNCATE ${table}`);
  return rate;
}

const EVENT_BATCH = 500;
const EVENT_CLIENTS = 4;
const OBSERVATION_BATCH = 1000;

/**
 * `POST /v1/events` in batches of 500 from 4 clients, and `POST /v1/observations`
 * in batches of 1000 from one, items a second, against COPY of the same rows
 * into scratch tables of the same shape (the store's ceiling).
 */
export async function ingestionCases(apiUrl: string, db: Client, settings: IngestionSettings): Promise<CaseResult[]> {
  await db.query('CREATE TEMP TABLE bench_download_events (LIKE download_events INCLUDING ALL)');
  await db.query('CREATE TEMP TABLE bench_observations (LIKE observations INCLUDING ALL)');
  const runId = Date.now().toString(36);
  const { models } = settings;
  let sent = 0;
  let lastRoundItems = 0;
  const eventLines: string[] = [];
  const events = await alternate(
    settings.rounds,
    async (round) => {
      const result = await throughput(EVENT_CLIENTS, settings.seconds, async (client) => {
        const batch = Array.from({ length: EVENT_BATCH }, (_, i) => ({
          id: `bench-${runId}-${round}-${client}-${sent + i}`,
          model: models[(sent + i) % models.length].slug,
        }));
        sent += EVENT_BATCH;
        const { accepted } = await post(`${apiUrl}/v1/events`, settings.adminToken, { events: batch });
        if (accepted !== EVENT_BATCH) throw new Error(`POST /v1/events accepted ${accepted} of ${EVENT_BATCH}`);
        return accepted;
      });
      lastRoundItems = result.items;
      return result.perSecond;
    },
    async (round) => {
      const now = new Date().toISOString();
      eventLines.length = 0;
      for (let i = 0; i < Math.max(10_000, lastRoundItems); i++) {
        eventLines.push(
          `admin\tbench-copy-${runId}-${round}-${i}\t${models[i % models.length].id}\tevents\t${now}\t\\N\n`,
        );
      }
      return copyRate(
        db,
        'bench_download_events',
        'key_id, event_id, model_id, source, occurred_at, variant',
        eventLines,
      );
    },
  );
  const eventsCase: CaseResult = {
    name: 'ingest POST /v1/events (500 a batch, 4 clients)',
    value: Math.round(median(events.measured)),
    unit: 'items/s',
    baseline: Math.round(median(events.baseline)),
    ratio: medianRatio(events.measured, events.baseline),
    better: 'higher',
    loadAverage: loadAverage(),
    details: { baselineIs: 'COPY into a scratch download_events', target: '>= 0.3' },
  };

  // Readings of today from a minute ago on, a millisecond apart per batch, counters growing past what is
  // stored: all accepted, and a later run's readings come after this one's.
  const midnight = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const since = Math.max(midnight + 1, Date.now() - 60_000);
  let batchNumber = 0;
  let lastRoundBatches = 0;
  const observationRow = (model: (typeof models)[number], batch: number) => ({
    observedAt: new Date(since + batch).toISOString(),
    downloadsAllTime: model.downloadsAllTime + batch + 1,
  });
  let copyBatch = 0;
  const observations = await alternate(
    settings.rounds,
    async () => {
      const before = batchNumber;
      const result = await throughput(1, settings.seconds, async () => {
        const batch = batchNumber++;
        const items = models.slice(0, OBSERVATION_BATCH).map((model) => ({
          model: model.slug,
          source: 'huggingface',
          ...observationRow(model, batch),
        }));
        const { accepted } = await post(`${apiUrl}/v1/observations`, settings.adminToken, { observations: items });
        if (accepted !== items.length) throw new Error(`POST /v1/observations accepted ${accepted} of ${items.length}`);
        return accepted;
      });
      lastRoundBatches = batchNumber - before;
      return result.perSecond;
    },
    async () => {
      const lines: string[] = [];
      const batches = Math.max(10, lastRoundBatches);
      for (let b = 0; b < batches; b++, copyBatch++) {
        for (const model of models.slice(0, OBSERVATION_BATCH)) {
          const row = observationRow(model, 1_000_000 + copyBatch);
          lines.push(`${model.id}\thuggingface\t${row.observedAt}\t${row.downloadsAllTime}\t\\N\t\\N\tapi\n`);
        }
      }
      return copyRate(
        db,
        'bench_observations',
        'model_id, source, observed_at, downloads_all_time, downloads_30d, likes, origin',
        lines,
      );
    },
  );
  const observationsCase: CaseResult = {
    name: 'ingest POST /v1/observations (1000 a batch)',
    value: Math.round(median(observations.measured)),
    unit: 'items/s',
    baseline: Math.round(median(observations.baseline)),
    ratio: medianRatio(observations.measured, observations.baseline),
    better: 'higher',
    loadAverage: loadAverage(),
    details: { baselineIs: 'COPY into a scratch observations', target: '>= 0.3' },
  };
  return [eventsCase, observationsCase];
}
