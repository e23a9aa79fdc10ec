import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@modelpulse/database';

const ROOT = join(__dirname, '..', '..', '..');

export type AppKind = 'standalone' | 'api' | 'worker';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One built modelpulse entry point (`dist/apps/<kind>/src/main.js`, what
 * `npm start`, `start:api` and `start:worker` run) as a real OS process,
 * with its output kept for the test to read.
 */
export class AppProcess {
  private output = '';
  readonly exited: Promise<Exit>;

  private constructor(
    readonly kind: AppKind,
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => (this.output += chunk));
    child.stderr!.on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts `kind` with `env` on top of quiet defaults (no scheduled sync, a
   * data dir of its own, a free port) and waits until it is ready.
   */
  static async start(kind: AppKind, env: Record<string, string>, options: { readyTimeoutMs?: number } = {}) {
    const port = String(await freePort());
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', kind, 'src', 'main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: port,
        MODELPULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'modelpulse-fault-app-')),
        SYNC_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        HF_ENDPOINT: 'http://127.0.0.1:9',
        GITHUB_API_URL: 'http://127.0.0.1:9',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(kind, child, `http://127.0.0.1:${env.PORT ?? port}`);
    await app.waitForOutput(kind === 'worker' ? /worker ready/ : /modelpulse listening on/, options.readyTimeoutMs);
    return app;
  }

  /**
   * Starts several at once, as replicas start; when one fails, stops those
   * that started (no process outlives the test) and fails with its error.
   */
  static async startAll(starts: [AppKind, Record<string, string>][]): Promise<AppProcess[]> {
    const settled = await Promise.allSettled(starts.map(([kind, env]) => AppProcess.start(kind, env)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<AppProcess>).value);
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }

  /** Resolves once the output matches `pattern`; fails with the output so far if the process exits or time runs out. */
  async waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exit: Exit | null = null;
    void this.exited.then((e) => (exit = e));
    while (!pattern.test(this.output)) {
      if (exit) throw new Error(`${this.kind} exited (${JSON.stringify(exit)}) before ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.kind}: no ${pattern} after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}
