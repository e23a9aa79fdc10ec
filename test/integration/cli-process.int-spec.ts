import { spawn as spawnProcess, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { spawn as spawnPty } from '@lydell/node-pty';
import { Client } from 'pg';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

interface Exit {
  code: number | null;
  stdout: string[];
  stderr: string[];
}

const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');

/** The built CLI as a real process with `env` over this one's, its stdin a pipe (not a terminal). */
const runCli = (env: Record<string, string>, args: string[]) =>
  new Promise<Exit>((resolve, reject) => {
    const child = spawnProcess(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: linesOf(stdout), stderr: linesOf(stderr) }));
    child.stdin.end();
  });

/** The built CLI on a pseudo-terminal; `onOutput` sees everything shown so far and may type. */
const onTerminal = (
  env: Record<string, string>,
  args: string[],
  onOutput: (shown: string, type: (text: string) => void) => void = () => undefined,
) =>
  new Promise<{ exitCode: number; output: string }>((resolve) => {
    const terminal = spawnPty(process.execPath, [MAIN, ...args], {
      name: 'xterm',
      cols: 200,
      rows: 30,
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), ...env },
    });
    let output = '';
    terminal.onData((data) => {
      output += data;
      onOutput(output, (text) => terminal.write(text));
    });
    terminal.onExit(({ exitCode }) => resolve({ exitCode, output }));
  });

/**
 * `npm run cli` as a person or a script meets it: the built CLI as a real
 * process, on a real database, its stdin a pipe (not a terminal) unless a
 * test opens a pseudo-terminal.
 */
describe('npm run cli, as a process', () => {
  let db: TestDatabase;
  let sql: Client;

  beforeAll(async () => {
    // The same freshness check `npm run cli` makes: builds only when a source is newer than dist.
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT });
    if (build.status !== 0) throw new Error(`build failed: ${String(build.stderr)}${String(build.stdout)}`);
    db = await createTestDatabase();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  }, 180_000);

  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  const cli = (...args: string[]) => runCli({ DATABASE_URL: db.url }, args);

  const modelCount = async (id: string) =>
    Number((await sql.query('SELECT count(*) AS n FROM models WHERE slug = $1', [id])).rows[0].n);

  it('names a missing --name of keys create in at most three lines, with the usage line, exit 2', async () => {
    const exit = await cli('keys', 'create', '--scope', 'admin');
    expect(exit.code).toBe(2);
    expect(exit.stdout).toEqual([]);
    expect(exit.stderr.length).toBeLessThanOrEqual(3);
    expect(exit.stderr[0]).toBe('modelpulse keys create: missing --name <name>');
    expect(exit.stderr[1]).toMatch(/^usage: npm run cli -- keys create --name <name> --scope <scope>/);
    const keys = await sql.query('SELECT count(*) AS n FROM api_keys');
    expect(Number(keys.rows[0].n)).toBe(0);
  });

  it.each([
    [
      ['sync', '--kind', 'nightly'],
      'modelpulse sync: --kind must be one of stats-sync, discovery, rollup, got "nightly"',
    ],
    [['backfill'], 'modelpulse backfill: missing <file.jsonl>'],
    [['purge', 'acme/a', '--hard'], 'modelpulse purge: unknown option --hard'],
    [['import', 'huggingface', '--author'], 'modelpulse import: --author needs a value'],
  ])('answers %j with one line naming the argument and the usage line, exit 2', async (args, line) => {
    const exit = await cli(...args);
    expect(exit).toEqual({ code: 2, stdout: [], stderr: [line, expect.stringMatching(/^usage: npm run cli -- /)] });
  });

  it('names an unknown command in one line, exit 2', async () => {
    expect(await cli('rebuild')).toEqual({
      code: 2,
      stdout: [],
      stderr: ['modelpulse: unknown command rebuild; npm run cli -- --help lists them'],
    });
  });

  it('answers --help at the top with every command, and on each command with its usage, exit 0', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.stderr).toEqual([]);
    for (const name of ['seed', 'purge', 'import', 'keys create', 'keys list', 'keys revoke', 'sync', 'backfill']) {
      expect(top.stdout).toContainEqual(expect.stringMatching(new RegExp(`^  ${name}( |$)`)));
    }
    for (const args of [['keys', 'create'], ['purge'], ['sync'], ['migration:generate']]) {
      const help = await cli(...args, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout[0]).toBe(
        `usage: npm run cli -- ${top.stdout.find((l) => l.startsWith(`  ${args.join(' ')}`))!.trim()}`,
      );
    }
  });

  it('answers a group of commands (keys) with their usage lines: exit 0 with --help, 2 without a command', async () => {
    const help = await cli('keys', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toEqual([
      expect.stringMatching(/^usage: npm run cli -- keys create /),
      'usage: npm run cli -- keys list',
      'usage: npm run cli -- keys revoke <id>',
    ]);
    const missing = await cli('keys');
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toBe('modelpulse keys: missing create, list, revoke');
  });

  it('without a command prints the usage on stderr and exits 2', async () => {
    const exit = await cli();
    expect(exit.code).toBe(2);
    expect(exit.stderr[0]).toBe('usage: npm run cli -- <command> [--help]');
  });

  it('loads the demo on a database nothing has started on yet: the seed first, then the history', async () => {
    const demo = await cli('demo');
    expect(demo.code).toBe(0);
    expect(demo.stdout[0]).toMatch(/^demo: the catalogue seed added \d+ models first$/);
    expect(demo.stdout[1]).toMatch(/^demo: [1-9]\d* models, [1-9]\d* readings stored, 0 already there/);
    const readings = await sql.query("SELECT count(*)::int AS n FROM observations WHERE source = 'demo'");
    expect(readings.rows[0].n).toBeGreaterThan(0);
  }, 60_000);

  describe('purge', () => {
    const LIVE = 'deepseek-ai/DeepSeek-R1';

    beforeAll(async () => {
      const seed = await cli('seed');
      if (seed.code !== 0) throw new Error(`seed failed: ${seed.stderr.join('\n')}`);
    }, 60_000);

    it('refuses a live model without --force and deletes nothing, exit 1', async () => {
      const exit = await cli('purge', LIVE, '--yes');
      expect(exit.code).toBe(1);
      expect(exit.stderr).toEqual([expect.stringContaining(`${LIVE} is live (not deleted); nothing was purged`)]);
      expect(await modelCount(LIVE)).toBe(1);
    });

    it('refuses to ask when stdin is not a terminal: it needs --yes, exit 2, nothing deleted', async () => {
      const exit = await cli('purge', LIVE, '--force');
      expect(exit.code).toBe(2);
      expect(exit.stderr).toEqual([
        'modelpulse purge: stdin is not a terminal, so there is no one to ask; pass --yes to purge',
      ]);
      expect(await modelCount(LIVE)).toBe(1);
    });

    it('purges a live model with --force --yes', async () => {
      expect(await cli('purge', LIVE, '--force', '--yes')).toEqual({ code: 0, stdout: [`purged ${LIVE}`], stderr: [] });
      expect(await modelCount(LIVE)).toBe(0);
    });

    it('names an unknown model in one line, exit 1', async () => {
      expect(await cli('purge', 'acme/nothing', '--yes')).toEqual({
        code: 1,
        stdout: [],
        stderr: ['modelpulse: Model acme/nothing was not found'],
      });
    });

    /** Runs purge on a pseudo-terminal and answers its question. */
    const purgeOnTerminal = (id: string, answer: string) => {
      let answered = false;
      return onTerminal({ DATABASE_URL: db.url }, ['purge', id], (shown, type) => {
        if (!answered && shown.includes('[y/N]')) {
          answered = true;
          type(`${answer}\r`);
        }
      });
    };

    it('asks on a terminal before purging a deleted model: "n" keeps it, "y" purges it', async () => {
      const id = 'Qwen/Qwen2.5-7B-Instruct-AWQ';
      await sql.query('UPDATE models SET archived_at = now() WHERE slug = $1', [id]);

      const kept = await purgeOnTerminal(id, 'n');
      expect(kept.output).toContain(`purge ${id} (deleted) and all its history for good? [y/N]`);
      expect(kept.output).toContain('nothing purged');
      expect(kept.exitCode).toBe(1);
      expect(await modelCount(id)).toBe(1);

      const purged = await purgeOnTerminal(id, 'y');
      expect(purged.output).toContain(`purged ${id}`);
      expect(purged.exitCode).toBe(0);
      expect(await modelCount(id)).toBe(0);
    }, 60_000);
  });
});

describe('npm run cli -- sync, on a terminal', () => {
  const AUTHORS = ['a1', 'a2', 'a3', 'a4', 'a5'];
  let db: TestDatabase;
  let hub: FakeHuggingFace;

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start();
    // One model per author, so the hub is asked once per model (no author list pages).
    for (const author of AUTHORS) hub.addModel({ id: `${author}/m`, downloads: 10, downloadsAllTime: 100, likes: 1 });
    const env = { DATABASE_URL: db.url, HF_ENDPOINT: hub.url, HF_REQUESTS_PER_SECOND: '100' };
    const imported = await runCli(env, ['import', 'huggingface', ...AUTHORS.map((a) => `${a}/m`)]);
    if (imported.code !== 0)
      throw new Error(`import failed: ${imported.stdout.join('\n')} ${imported.stderr.join('\n')}`);
  }, 60_000);

  afterAll(async () => {
    await hub.stop();
    await db.drop();
  });

  it('moves its bar as each model completes, not once per batch of 100', async () => {
    // Three requests a second: the bar (redrawn ten times a second) has time to show each step.
    const env = { DATABASE_URL: db.url, HF_ENDPOINT: hub.url, HF_REQUESTS_PER_SECOND: '3', UPSTREAM_MAX_RETRIES: '0' };
    const run = await onTerminal(env, ['sync']);
    expect(run.exitCode).toBe(0);
    const shown = new Set([...run.output.matchAll(/(\d+)\/5 models/g)].map((m) => Number(m[1])));
    // Every step in between was on screen, not only the end of the batch.
    expect([...shown].filter((n) => n > 0 && n < 5).length).toBeGreaterThanOrEqual(3);
    expect(shown.has(5)).toBe(true);
    expect(run.output).toContain('stats-sync run 1 succeeded: 5 done, 0 failed, 0 skipped');
  }, 60_000);
});

describe('the build check of npm run cli and npm start', () => {
  it('does not build again when dist is newer than every source', () => {
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT });
    if (check.status !== 0) throw new Error(String(check.stderr));
    // Built by the describe above (or earlier): a fresh dist means no build line and nothing run.
    const again = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT });
    expect({ status: again.status, stderr: String(again.stderr), stdout: String(again.stdout) }).toEqual({
      status: 0,
      stderr: '',
      stdout: '',
    });
  }, 180_000);
});
