import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import { JobRunner } from '@modelpulse/core/jobs';
import { StatsSyncJob } from '@modelpulse/core/sync';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { createTestWorker, type TestWorker } from '../support/worker';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const R1 = 'deepseek-ai/DeepSeek-R1';

/** An address where nothing listens: a hub the sync cannot reach. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Empty pages that explain: on a fresh install (no figures, no sync yet), after
 * a stats sync that could not reach the hub, and with figures on other days
 * than the one asked for, the home page, the trending widget and a model page
 * without figures say why they are empty and what to do.
 */
describe('empty pages', () => {
  let t: TestApp;
  let worker: TestWorker | undefined;
  const clock = new FakeClock('2025-03-01T12:00:00Z');

  const html = async (path: string) => (await request(t.http).get(path).expect(200)).text;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('on a fresh install: no figures yet, no sync has finished, and the demo command', async () => {
    for (const path of ['/', '/embed/trending']) {
      const text = await html(path);
      expect(text).toContain('No download figures are stored yet, so no model is ranked.');
      expect(text).toContain('No stats sync has finished yet');
      expect(text).toContain('npm run cli -- demo');
      expect(text).not.toContain('fewer filters');
    }
    // Filters are not the reason when nothing is stored at all.
    expect(await html('/?license=mit')).not.toContain('fewer filters');
    const model = await html(`/models/${R1}`);
    expect(model).toContain('No download figures are stored for this model yet.');
    expect(model).toContain('npm run cli -- demo');
  });

  it('after a stats sync that could not reach the hub: its outcome and its first error', async () => {
    const hubUrl = await closedPort();
    worker = await createTestWorker({ clock, hubUrl, githubUrl: hubUrl });
    const run = await worker.app
      .get(JobRunner)
      .run(worker.app.get(StatsSyncJob), { trigger: 'schedule', tickKey: 'stats-sync@2025-03-01T12:00:00.000Z' });
    expect(run?.status).toMatch(/^(failed|partial)$/);
    const first = run!.errors[0];
    for (const path of ['/', '/embed/trending', `/models/${R1}`]) {
      const text = await html(path);
      expect(text).toContain(`The last stats sync (2025-03-01T12:00:00.000Z) ${run!.status}`);
      expect(text).toContain(first.model ? `${first.model}: ` : '');
      expect(text).toContain(`(and ${run!.errors.length - 1} more errors)`);
      expect(text).toContain('GET /v1/sync/runs');
    }
  });

  it('with figures on other days: the days known, and a link to the last of them', async () => {
    await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({
        observations: [
          { model: R1, source: 'huggingface', observedAt: '2025-01-20T18:00:00Z', downloadsAllTime: 1000, likes: 10 },
          { model: R1, source: 'huggingface', observedAt: '2025-01-21T06:00:00Z', downloadsAllTime: 21000, likes: 250 },
        ],
      })
      .expect(200);
    // The default day is the latest complete one, 2025-02-28: nothing is known of it.
    const home = await html('/');
    expect(home).toContain('Figures are known from 2025-01-20 to 2025-01-21, so nothing is ranked on 2025-02-28.');
    expect(home).toContain('<a href="/?asOf=2025-01-21">The ranking as of 2025-01-21</a>');
    expect(home).not.toContain('fewer filters');
    expect(await html('/embed/trending')).toContain('Try the ranking as of 2025-01-21.');
    // On a day with figures, filters that leave nothing are the reason, and only then.
    const filtered = await html('/?asOf=2025-01-21&organization=meta-llama');
    expect(filtered).toContain('No model matches these filters on 2025-01-21.');
    expect(filtered).toContain('Try fewer filters.');
    expect(await html('/?asOf=2025-01-21')).toContain('deepseek-ai/DeepSeek-R1</a>');
  });
});
