import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const HUB = 'https://hub.example.test';
/** Two visitors, told apart by address; TRUST_PROXY lets the test set it through X-Forwarded-For. */
const ALICE = { 'X-Forwarded-For': '203.0.113.7', 'User-Agent': 'curl/8.5.0' };
const BOB = { 'X-Forwarded-For': '198.51.100.20', 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' };

describe('GET /dl/{org}/{name}', () => {
  let t: TestApp;
  let sql: Client;
  const clock = new FakeClock('2025-01-28T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({
      seed: true,
      clock,
      env: { HF_ENDPOINT: `${HUB}/`, TRUST_PROXY: 'true', RATE_LIMIT_DL_PER_MINUTE: '1000' },
    });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  const follow = (path: string, visitor: Record<string, string> = ALICE) => request(t.http).get(path).set(visitor);
  const points = async (query: string) => {
    const { body } = await request(t.http).get(`/v1/models/Qwen/QwQ-32B/stats?${query}`).expect(200);
    return { days: body.points.map((p: { date: string; value: number }) => [p.date, p.value]), total: body.total };
  };

  describe('redirects', () => {
    it('sends a file to its resolve URL on the hub, uncached and without a referrer', async () => {
      const response = await follow('/dl/deepseek-ai/DeepSeek-R1?file=model-00001-of-000163.safetensors').expect(302);
      expect(response.headers.location).toBe(
        'https://hub.example.test/deepseek-ai/DeepSeek-R1/resolve/main/model-00001-of-000163.safetensors',
      );
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    });

    it('finds the model in any letter case and encodes each path segment, the revision as one', async () => {
      const response = await follow(
        '/dl/DEEPSEEK-AI/deepseek-r1?file=onnx/model%20q4%23f16.onnx&revision=refs%2Fpr%2F12',
      ).expect(302);
      expect(response.headers.location).toBe(
        'https://hub.example.test/deepseek-ai/DeepSeek-R1/resolve/refs%2Fpr%2F12/onnx/model%20q4%23f16.onnx',
      );
    });

    it('sends a link without a file to the repository page', async () => {
      const response = await follow('/dl/deepseek-ai/DeepSeek-R1').expect(302);
      expect(response.headers.location).toBe('https://hub.example.test/deepseek-ai/DeepSeek-R1');
    });
  });

  describe('counting', () => {
    it('counts clicks per UTC day and unique downloaders per day, never as downloads', async () => {
      await request(t.http)
        .post('/v1/events')
        .set(auth)
        .send({ events: [{ id: 'mirror-1', model: 'Qwen/QwQ-32B', occurredAt: '2025-01-27T10:00:00Z' }] })
        .expect(200);

      clock.set('2025-01-27T23:59:00Z');
      await follow('/dl/Qwen/QwQ-32B?file=qwq-32b-q4_k_m.gguf', ALICE).expect(302);
      clock.set('2025-01-28T00:01:00Z');
      await follow('/dl/Qwen/QwQ-32B?file=qwq-32b-q4_k_m.gguf', ALICE).expect(302);
      await follow('/dl/qwen/qwq-32b', ALICE).expect(302);
      await follow('/dl/Qwen/QwQ-32B?file=qwq-32b-q4_k_m.gguf', BOB).expect(302);

      expect(await points('metric=clicks&from=2025-01-26&to=2025-01-28')).toEqual({
        days: [
          ['2025-01-27', 1],
          ['2025-01-28', 3],
        ],
        total: 4,
      });
      expect(await points('metric=uniqueDownloaders&from=2025-01-26&to=2025-01-28')).toEqual({
        days: [
          ['2025-01-27', 1],
          ['2025-01-28', 2],
        ],
        total: 3,
      });
      expect(await points('from=2025-01-26&to=2025-01-28')).toEqual({
        days: [
          ['2025-01-27', 1],
          ['2025-01-28', 0],
        ],
        total: 1,
      });
      const { body: model } = await request(t.http).get('/v1/models/Qwen/QwQ-32B').expect(200);
      expect(model.stats).toMatchObject({ downloadsAllTime: 1, downloads7d: 1 });
    });

    it('keeps no visitor in clear: one salted hash per visitor and day, the file as variant', async () => {
      const visitors = await sql.query(
        `SELECT v.day::text AS day, v.visitor_hash FROM link_visitors v JOIN models m ON m.id = v.model_id
          WHERE m.slug = 'Qwen/QwQ-32B' ORDER BY v.day`,
      );
      expect(visitors.rows.map((r: { day: string }) => r.day)).toEqual(['2025-01-27', '2025-01-28', '2025-01-28']);
      for (const row of visitors.rows as { visitor_hash: Buffer }[]) expect(row.visitor_hash).toHaveLength(32);
      // Alice on the 27th and on the 28th: another day's salt, so the hashes cannot be linked.
      const hashes = new Set(visitors.rows.map((r: { visitor_hash: Buffer }) => r.visitor_hash.toString('hex')));
      expect(hashes.size).toBe(3);

      const events = await sql.query(
        `SELECT e.key_id, e.source, e.variant, e.occurred_at FROM download_events e JOIN models m ON m.id = e.model_id
          WHERE m.slug = 'Qwen/QwQ-32B' AND e.source = 'link' ORDER BY e.occurred_at, e.id`,
      );
      expect(events.rows.map((r: { key_id: string; variant: string | null }) => [r.key_id, r.variant])).toEqual([
        ['link', 'qwq-32b-q4_k_m.gguf'],
        ['link', 'qwq-32b-q4_k_m.gguf'],
        ['link', null],
        ['link', 'qwq-32b-q4_k_m.gguf'],
      ]);

      const stored = JSON.stringify([
        (await sql.query('SELECT * FROM link_visitors')).rows.map((r: { visitor_hash: Buffer }) =>
          r.visitor_hash.toString('latin1'),
        ),
        (await sql.query('SELECT * FROM download_events')).rows,
      ]);
      for (const clear of ['203.0.113.7', '198.51.100.20', 'curl/8.5.0', 'Mozilla']) {
        expect(stored).not.toContain(clear);
      }
    });
  });

  describe('errors', () => {
    const problem = async (path: string, status: number) => {
      const response = await follow(path).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      return response.body as { detail: string; errors?: { field: string; message: string }[] };
    };

    it('answers 404 for an unknown or deleted model, and counts nothing', async () => {
      expect((await problem('/dl/nobody/nothing?file=x.bin', 404)).detail).toBe('Model nobody/nothing was not found');
      await request(t.http).delete('/v1/models/Qwen/Qwen2.5-7B').set(auth).expect(204);
      await problem('/dl/Qwen/Qwen2.5-7B', 404);
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n FROM download_events e JOIN models m ON m.id = e.model_id
          WHERE m.slug IN ('Qwen/Qwen2.5-7B')`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('answers 404 with a clear detail for a model without a Hugging Face repository', async () => {
      await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({ id: 'acme/Rocket-7B', license: 'apache-2.0' })
        .expect(201);
      expect((await problem('/dl/acme/rocket-7b?file=model.safetensors', 404)).detail).toBe(
        'Model acme/Rocket-7B has no Hugging Face repository, so it has no download link',
      );
    });

    it('answers 404 for a model whose repository is gone from the hub', async () => {
      await sql.query(
        `UPDATE upstream_bindings SET status = 'gone'
          WHERE upstream = 'huggingface' AND external_id = 'meta-llama/Llama-3.1-8B'`,
      );
      expect((await problem('/dl/meta-llama/Llama-3.1-8B', 404)).detail).toBe(
        'Model meta-llama/Llama-3.1-8B is no longer on Hugging Face, so it has no download link',
      );
    });

    it.each([
      [
        'an absolute file',
        'file=%2Fetc%2Fpasswd',
        'file',
        'file must be a path inside the repository, not an absolute path',
      ],
      ['a file with ..', 'file=..%2F..%2Fother%2Frepo', 'file', 'file must not contain . or .. segments'],
      ['a file with .', 'file=onnx%2F.%2Fmodel.onnx', 'file', 'file must not contain . or .. segments'],
      ['a backslash', 'file=onnx%5Cmodel.onnx', 'file', 'file must use / between folders, not backslashes'],
      ['a newline', 'file=model%0A.onnx', 'file', 'file must not contain control characters'],
      ['1001 characters', `file=${'x'.repeat(1001)}`, 'file', 'file must be at most 1000 characters'],
      ['an empty file', 'file=', 'file', 'file must not be empty'],
      ['two files', 'file=a.bin&file=b.bin', 'file', 'file must be a single path'],
      [
        'revision ..',
        'file=a.bin&revision=..',
        'revision',
        expect.stringMatching(/^revision must be a branch, tag or commit/),
      ],
      [
        'a revision with a space',
        'file=a.bin&revision=main%20branch',
        'revision',
        expect.stringMatching(/^revision must be a branch/),
      ],
      ['a revision without a file', 'revision=main', 'revision', 'revision applies to a file: add file=<path>'],
      ['an unknown parameter', 'variant=Q4', 'variant', 'variant is not a known field'],
    ])('refuses %s with a 400 naming the field', async (_case, query, field, message) => {
      const body = await problem(`/dl/deepseek-ai/DeepSeek-R1?${query}`, 400);
      expect(body.errors).toEqual([{ field, message }]);
    });
  });
});
