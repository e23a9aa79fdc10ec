import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_TOKEN, type TestApp } from './app';
import { DAY_MS } from '@modelpulse/core/days';

/** The clock the site's tests run at: 22 January 2025, so the latest complete day is the 21st. */
export const SITE_NOW = '2025-01-22T06:00:00Z';

export const R1 = 'deepseek-ai/DeepSeek-R1';
export const QWEN_32B = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';
export const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';
export const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
/** A model whose person-written fields try to break out of the markup. */
export const HOSTILE = 'acme/hostile-7b';
export const SCRIPT = '<script>alert(1)</script>';
export const ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>';
/** An old id a hub rename left behind, pointing at DeepSeek-R1. */
export const R1_OLD_ID = 'deepseek-ai/DeepSeek-R1-Preview';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** One hub reading a day at noon from `first` to 2025-01-21, the counters growing by the given steps. */
function daily(model: string, first: string, start: number, perDay: number, likes: number, likesPerDay: number) {
  const out = [];
  for (let t = Date.parse(`${first}T12:00:00Z`), i = 0; t <= Date.parse('2025-01-21T12:00:00Z'); t += DAY_MS, i++) {
    out.push({
      model,
      source: 'huggingface',
      observedAt: new Date(t).toISOString(),
      downloadsAllTime: start + perDay * i,
      likes: likes + likesPerDay * i,
    });
  }
  return out;
}

/** Two steady giants, and DeepSeek-R1 with a distill launching on 20 January. */
const READINGS = [
  ...daily(LLAMA, '2025-01-01', 100_000_000, 2_000_000, 4_000, 100),
  ...daily(QWEN, '2025-01-01', 50_000_000, 1_500_000, 3_000, 80),
  ...daily(R1, '2025-01-20', 5_000, 300_000, 200, 3_000),
  ...daily(QWEN_32B, '2025-01-20', 1_000, 50_000, 20, 500),
  ...daily(HOSTILE, '2025-01-15', 1_000, 1_000, 5, 1),
];

/**
 * What the site's e2e and browser tests look at: the seeded catalogue, a
 * hostile model made through the API, an alias of DeepSeek-R1 as a hub
 * rename leaves it, and a month of readings through POST /v1/observations.
 */
export async function loadSiteData(t: TestApp): Promise<void> {
  await request(t.http)
    .post('/v1/models')
    .set(auth)
    .send({
      id: HOSTILE,
      description: SCRIPT,
      license: 'apache-2.0',
      parameters: 7_000_000_000,
      releaseDate: '2025-01-15',
      tasks: ['text-generation'],
      tags: [ATTRIBUTE_BREAK, 'safe-tag'],
      papers: [{ arxivId: '2501.00001', title: `${SCRIPT} & ${ATTRIBUTE_BREAK}` }],
      baseModels: [{ id: R1, relation: 'finetune' }],
    })
    .expect(201);
  const sql = new Client({ connectionString: t.db.url });
  await sql.connect();
  try {
    await sql.query(`INSERT INTO model_aliases (slug, model_id) SELECT $1, id FROM models WHERE slug = $2`, [
      R1_OLD_ID,
      R1,
    ]);
  } finally {
    await sql.end();
  }
  await request(t.http).post('/v1/observations').set(auth).send({ observations: READINGS }).expect(200);
}
