import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfigModule } from '@modelpulse/config';
import { ClockModule } from '@modelpulse/core/clock';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { StatsSyncService, SyncModule } from '@modelpulse/core/sync';
import { DatabaseModule } from '@modelpulse/database';
import { FakeHuggingFace } from '../../test/fakes/fake-hugging-face';
import { loadAverage, timed } from '../lib/measure';
import { ratioOf, type CaseResult } from '../lib/results';

/** The stats sync and what it stands on; no HTTP, no schedules. */
@Module({
  imports: [AppConfigModule, DatabaseModule.forRoot({ entities: CORE_ENTITIES }), ClockModule, SyncModule],
})
class SyncBenchModule {}

export interface SyncCaseSettings {
  /** Tracked models in the catalogue. */
  tracked: number;
  /** How many of them sit in the hub's top list (the rest far below it). */
  inTopList: number;
  latencyMs: number;
  limit: { requests: number; windowSeconds: number };
  /** The sync's top-list page size and page cap, as HF_TOP_LIST_PAGE_SIZE and HF_TOP_LIST_MAX_PAGES. */
  pageSize: number;
  maxPages: number;
}

/** The author-list page size of the hub source (HUB_LIST_DEFAULTS), for the floor. */
const AUTHOR_PAGE = 100;

/** A Zipf-like 30-day count: the hub's downloads fall off roughly as rank^-1.1. */
const downloadsAt = (rank: number) => Math.max(1, Math.round(2e8 / rank ** 1.1));

/** Deterministic noise in [-1, 1) from an index, so runs compare. */
const noise = (i: number) => ((Math.imul(i + 1, 2654435761) >>> 0) / 2 ** 32) * 2 - 1;

interface HubEntry {
  id: string;
  author: string;
  lastDownloads30d: number;
  tracked: boolean;
}

/**
 * The hub of the sync case, by top-list rank. The first `inTopList × 4/3`
 * ranks hold the tracked top-list models (three of every four ranks, the
 * fourth untracked), under 500 authors; untracked models follow down to
 * rank `(maxPages + 5) × pageSize`, past what the sync may read; then the
 * other tracked models, one author each, so neither a top-list page within
 * the cap nor an author list can cover two of them. Their last readings
 * are the hub's counts of an hour ago; the hub's counts now differ by up
 * to ±0.5%, so a few models near a page's edge move across it.
 */
function hubEntries(settings: SyncCaseSettings): HubEntry[] {
  const topRanks = Math.ceil((settings.inTopList * 4) / 3);
  const entries: HubEntry[] = [];
  let trackedTop = 0;
  for (let rank = 1; rank <= topRanks; rank += 1) {
    const tracked = rank % 4 !== 0 && trackedTop < settings.inTopList;
    if (tracked) trackedTop += 1;
    const author = `org-${rank % 500}`;
    entries.push({ id: `${author}/model-${rank}`, author, lastDownloads30d: downloadsAt(rank), tracked });
  }
  const tailFrom = (settings.maxPages + 5) * settings.pageSize;
  for (let rank = topRanks + 1; rank <= tailFrom; rank += 1) {
    const author = `filler-${rank % 300}`;
    entries.push({ id: `${author}/model-${rank}`, author, lastDownloads30d: downloadsAt(rank), tracked: false });
  }
  for (let i = 0; i < settings.tracked - settings.inTopList; i += 1) {
    const author = `tail-${i}`;
    entries.push({ id: `${author}/model`, author, lastDownloads30d: downloadsAt(tailFrom + 1 + i), tracked: true });
  }
  return entries;
}

/**
 * The fewest hub requests that read every tracked model of `order` (the hub's
 * top list now): the best number k of top-list pages (within the cap), then
 * for each author the cheaper of its tracked models one by one or its author
 * list's pages down to the last of them.
 */
function floorRequests(order: string[], entries: Map<string, HubEntry>, settings: SyncCaseSettings): number {
  const positionInAuthor = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const id of order) {
    const author = entries.get(id)!.author;
    const n = seen.get(author) ?? 0;
    positionInAuthor.set(id, n);
    seen.set(author, n + 1);
  }
  let best = Number.POSITIVE_INFINITY;
  for (let pages = 0; pages <= settings.maxPages; pages += 1) {
    const byAuthor = new Map<string, { count: number; deepest: number }>();
    order.forEach((id, rank) => {
      const entry = entries.get(id)!;
      if (!entry.tracked || rank < pages * settings.pageSize) return;
      const at = byAuthor.get(entry.author) ?? { count: 0, deepest: 0 };
      byAuthor.set(entry.author, { count: at.count + 1, deepest: Math.max(at.deepest, positionInAuthor.get(id)!) });
    });
    let rest = 0;
    for (const { count, deepest } of byAuthor.values()) rest += Math.min(count, Math.floor(deepest / AUTHOR_PAGE) + 1);
    best = Math.min(best, pages + rest);
  }
  return best;
}

/** A database of its own beside the bench's: the sync case's catalogue never mixes with the dataset. */
async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `modelpulse_bench_sync_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The tracked models, their hub bindings and each one's reading of an hour ago, in a few statements. */
async function seedCatalogue(url: string, tracked: HubEntry[], lastSync: Date): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const authors = [...new Set(tracked.map((e) => e.author))];
    await db.query('INSERT INTO organizations (id, name) SELECT a, a FROM unnest($1::text[]) AS a', [authors]);
    await db.query(
      `INSERT INTO models (slug, organization_id, name)
       SELECT s, split_part(s, '/', 1), split_part(s, '/', 2) FROM unnest($1::text[]) AS s`,
      [tracked.map((e) => e.id)],
    );
    await db.query(
      `INSERT INTO upstream_bindings (model_id, upstream, external_id, status, last_synced_at)
       SELECT id, 'huggingface', slug, 'ok', $1 FROM models`,
      [lastSync.toISOString()],
    );
    await db.query(
      `INSERT INTO observations (model_id, source, observed_at, downloads_all_time, downloads_30d, likes, origin)
       SELECT m.id, 'huggingface', $1, r.d * 30, r.d, 0, 'sync'
         FROM unnest($2::text[], $3::bigint[]) AS r(slug, d) JOIN models m ON m.slug = r.slug`,
      [lastSync.toISOString(), tracked.map((e) => e.id), tracked.map((e) => e.lastDownloads30d)],
    );
  } finally {
    await db.end();
  }
}

/**
 * One stats sync of `tracked` models (`inTopList` of them in the hub's top
 * list) against the fake hub with a per-request latency and a fixed-window
 * limit, through the app's own StatsSyncService and the hub source built
 * from settings as the worker builds it (HF_REQUESTS_PER_SECOND at the
 * limit's rate). Measured: the hub requests it made (refused ones included)
 * and its seconds; the floor: the fewest requests that cover those models
 * (`floorRequests`), and those requests at the allowed rate.
 */
export async function syncCases(serverUrl: string, settings: SyncCaseSettings): Promise<CaseResult[]> {
  const entries = hubEntries(settings);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const hub = await FakeHuggingFace.start();
  const scratch = await scratchDatabase(serverUrl);
  const env: Record<string, string> = {};
  const saved = new Map<string, string | undefined>();
  try {
    entries.forEach((entry, i) => {
      const downloads = Math.max(0, Math.round(entry.lastDownloads30d * (1 + 0.005 * noise(i))));
      hub.addModel({ id: entry.id, downloads, downloadsAllTime: downloads * 30 + 1000, likes: 1 });
    });
    const ratePerSecond = settings.limit.requests / settings.limit.windowSeconds;
    Object.assign(env, {
      DATABASE_URL: scratch.url,
      HF_ENDPOINT: hub.url,
      GITHUB_API_URL: hub.url,
      HF_REQUESTS_PER_SECOND: String(ratePerSecond),
      HF_TOP_LIST_PAGE_SIZE: String(settings.pageSize),
      HF_TOP_LIST_MAX_PAGES: String(settings.maxPages),
      SYNC_ENABLED: 'false',
    });
    for (const [name, value] of Object.entries(env)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    // The context migrates the scratch database as it starts; the catalogue goes in after.
    const app = await NestFactory.createApplicationContext(SyncBenchModule, { logger: ['error'] });
    try {
      const tracked = entries.filter((e) => e.tracked);
      await seedCatalogue(scratch.url, tracked, new Date(Date.now() - 3_600_000));
      const floor = floorRequests(hub.topList(), byId, settings);
      hub.clearRequests();
      hub.setLatency(settings.latencyMs);
      hub.setRateLimit(settings.limit);
      let summary: Awaited<ReturnType<StatsSyncService['run']>> | null = null;
      const seconds = await timed(async () => {
        summary = await app.get(StatsSyncService).run();
      });
      const run = summary!;
      const requests = hub.requests.length;
      const topListPages = hub.requests.filter(
        (r) => r.path === '/api/models' && r.query.get('author') === null && r.query.get('sort') === 'downloads',
      ).length;
      const authorListPages = hub.requests.filter(
        (r) => r.path === '/api/models' && r.query.get('author') !== null,
      ).length;
      const floorSeconds = floor / ratePerSecond;
      const details = {
        tracked: settings.tracked,
        inTopList: settings.inTopList,
        modelsDone: run.modelsDone,
        modelsFailed: run.modelsFailed,
        topListPages,
        authorListPages,
        perModelRequests: requests - topListPages - authorListPages,
        refused429: hub.refusedByLimit,
        topListRequestsPer1000: Math.round((topListPages / (settings.inTopList / 1000)) * 100) / 100,
        latencyMs: settings.latencyMs,
        limit: `${settings.limit.requests} per ${settings.limit.windowSeconds} s`,
        target: '<= 1.5x the floor; <= 2 top-list requests per 1000 tracked models in the top list',
      };
      if (run.modelsDone !== settings.tracked) {
        throw new Error(
          `the sync read ${run.modelsDone} of ${settings.tracked} models: ${JSON.stringify(run.errors[0])}`,
        );
      }
      return [
        {
          name: `sync: hub requests (${settings.tracked} tracked, ${settings.inTopList} in top lists)`,
          value: requests,
          unit: 'requests',
          baseline: floor,
          ratio: ratioOf(requests, floor),
          better: 'lower',
          loadAverage: loadAverage(),
          details: { ...details, baselineIs: 'the fewest requests that cover the tracked models' },
        },
        {
          name: `sync: seconds (${settings.tracked} tracked)`,
          value: seconds,
          unit: 's',
          baseline: floorSeconds,
          ratio: ratioOf(seconds, floorSeconds),
          better: 'lower',
          loadAverage: loadAverage(),
          details: { ...details, baselineIs: 'the floor requests at the allowed rate' },
        },
      ];
    } finally {
      await app.close();
    }
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await hub.stop();
    await scratch.drop();
  }
}
