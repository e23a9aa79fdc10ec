import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLIENT = join(ROOT, 'dist', 'libs', 'core', 'src', 'sources', 'upstream-http.js');

/**
 * In a Node process of its own (Jest's sandbox does not hear Node's
 * warnings): 25 hub requests queued behind one client's rate, against a
 * local server. Each waiting request listens for the client's close, which
 * Node would report as a possible leak past 10 listeners.
 */
const SCRIPT = `
const { createServer } = require('node:http');
const { UpstreamHttp } = require(${JSON.stringify(CLIENT)});
const server = createServer((_q, r) => r.end('{}'));
server.listen(0, '127.0.0.1', async () => {
  const runtime = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random };
  const client = new UpstreamHttp({ baseUrl: 'http://127.0.0.1:' + server.address().port, token: null,
    requestsPerSecond: 1000, concurrency: 1, timeoutMs: 5000, maxRetries: 0, maxWaitMs: 0,
    backoffBaseMs: 100, backoffMaxMs: 100 }, runtime, {});
  const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => client.get(client.endpoint('api/models?p=' + i))));
  console.log(answers.map((a) => a.status).join(','));
  await client.close();
  server.close();
});
`;

describe('a hub client with many queued requests', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT });
    if (build.status !== 0) throw new Error(`build failed: ${String(build.stderr)}${String(build.stdout)}`);
  });

  it('answers every one of 25 queued requests with no MaxListenersExceededWarning', async () => {
    const child = spawn(process.execPath, ['-e', SCRIPT], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim()).toBe(Array(25).fill('200').join(','));
  });
});
