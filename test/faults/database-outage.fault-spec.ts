import { Client } from 'pg';
import { AppProcess } from './support/app-process';
import { Cluster } from './support/cluster';
import { tally, Traffic, type Answer } from './support/traffic';

const TOKEN = 'fault-admin-token-with-at-least-32-characters';
const MODEL = 'fault/outage-model';
/** The bound for an answer while the database is away, with room for a loaded machine. */
const ANSWER_WITHIN_MS = 2_000;
const SLACK_MS = 500;
const FAULT_MS = 4_000;

/**
 * The database going away under an API process serving writes and reads:
 * stopped, frozen (SIGSTOP on every server process), killed (SIGKILL, crash
 * recovery on restart). Every answer is a 2xx or a quick 503 with
 * Retry-After, never a 500 and never a hang; liveness stays up; the pool
 * finds the database again by itself; and every write answered 2xx is stored.
 */
describe('the database going away (a server of its own, an API process)', () => {
  let cluster: Cluster;
  let api: AppProcess;

  beforeAll(async () => {
    cluster = await Cluster.create();
    api = await AppProcess.start('api', {
      DATABASE_URL: await cluster.createDatabase('outage'),
      MODELPULSE_ADMIN_TOKEN: TOKEN,
      RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
      // The traffic is one client address reading many times a second; the limits are not what is tried here.
      RATE_LIMIT_READ_PER_MINUTE: '1000000',
    });
    const created = await fetch(`${api.url}/v1/models`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: MODEL }),
    });
    if (created.status !== 201) throw new Error(`could not create ${MODEL}: ${created.status}`);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await cluster?.destroy();
  });

  async function through(fault: string, inject: () => Promise<void> | void, recover: () => Promise<void> | void) {
    const traffic = new Traffic(api.url, TOKEN, MODEL, fault).start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const faultFrom = traffic.now();
    await inject();
    await new Promise((resolve) => setTimeout(resolve, FAULT_MS));
    const recoverFrom = traffic.now();
    await recover();
    // Back to normal: keep going until every kind of request has succeeded again.
    const deadline = Date.now() + 30_000;
    const recovered = () =>
      (['write', 'read', 'ready'] as const).every((kind) =>
        traffic.since(traffic.now() - 1_000).some((a) => a.kind === kind && a.status === 200),
      );
    while (!recovered() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await traffic.stop();
    return { traffic, faultFrom, recoverFrom };
  }

  function expectOnlyQuickAnswers(answers: Answer[]) {
    const bad = answers.filter(
      (a) =>
        !((a.status >= 200 && a.status < 300) || a.status === 503) ||
        (a.status === 503 &&
          a.kind !== 'ready' &&
          (a.retryAfter === null || !a.contentType?.startsWith('application/problem+json'))) ||
        a.ms > ANSWER_WITHIN_MS + SLACK_MS,
    );
    expect({ bad: bad.slice(0, 5), tally: tally(answers) }).toEqual({ bad: [], tally: expect.anything() });
  }

  async function expectAllStored(acknowledged: string[]) {
    const rows = await cluster.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM download_events WHERE event_id = ANY($1)',
      [acknowledged],
      'outage',
    );
    expect(rows[0].n).toBe(acknowledged.length);
  }

  /** Every connection the server allows taken by others, then the API's own cut: it cannot get one back. */
  const hogs: Client[] = [];
  async function exhaustConnections() {
    const fill = async () => {
      for (;;) {
        const client = new Client({ connectionString: cluster.url(), connectionTimeoutMillis: 2000 });
        try {
          await client.connect();
        } catch {
          return;
        }
        hogs.push(client);
      }
    };
    await fill();
    for (let round = 0; round < 50; round++) {
      const { rows } = await hogs[0].query<{ n: number }>(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'modelpulse'",
      );
      if (rows[0].n === 0) return;
      await fill();
    }
    throw new Error('the API kept getting connections back');
  }
  async function releaseConnections() {
    await Promise.all(hogs.splice(0).map((client) => client.end()));
  }

  it.each([
    ['stopped', () => cluster.stop(), () => cluster.start()],
    ['frozen', () => cluster.freeze(), () => cluster.thaw()],
    ['killed', () => cluster.kill(), () => cluster.start()],
    ['out of connections', exhaustConnections, releaseConnections],
  ])(
    'while the database is %s: 2xx or a quick 503, liveness up, back by itself, nothing acknowledged lost',
    async (fault, inject, recover) => {
      const { traffic, faultFrom, recoverFrom } = await through(fault, inject, recover);
      expectOnlyQuickAnswers(traffic.answers);
      const during = traffic.answers.filter((a) => a.at >= faultFrom + 500 && a.at < recoverFrom);
      // The fault was felt: writes and readiness answered 503 during it, liveness never did.
      expect(during.some((a) => a.kind === 'write' && a.status === 503)).toBe(true);
      expect(during.some((a) => a.kind === 'ready' && a.status === 503)).toBe(true);
      expect(traffic.answers.filter((a) => a.kind === 'live').every((a) => a.status === 200)).toBe(true);
      expect(traffic.acknowledged.length).toBeGreaterThan(0);
      await expectAllStored(traffic.acknowledged);
      expect(api.log).not.toMatch(/(\n|\\n)\s+at /);
    },
    90_000,
  );

  it('answers a badge while the database is stopped with a grey "unavailable" SVG, 503 and Retry-After', async () => {
    await cluster.stop();
    try {
      const answer = await fetch(`${api.url}/badges/${MODEL}/downloads.svg`);
      expect({
        status: answer.status,
        type: answer.headers.get('content-type'),
        retryAfter: answer.headers.get('retry-after'),
        cache: answer.headers.get('cache-control'),
      }).toEqual({ status: 503, type: 'image/svg+xml; charset=utf-8', retryAfter: '5', cache: 'no-store' });
      expect(await answer.text()).toContain('downloads: unavailable');
    } finally {
      await cluster.start();
    }
    const answer = await fetch(`${api.url}/badges/${MODEL}/downloads.svg`);
    expect(answer.status).toBe(200);
  }, 60_000);
});
