import { spawn, type ChildProcess } from 'node:child_process';

/** How long a (re)start may take before it counts as failed. */
const START_TIMEOUT_MS = 60_000;
/** How long a fast shutdown may take before the server is told to quit at once. */
const STOP_TIMEOUT_MS = 15_000;
/** Waits between restarts of a server that died, growing to the last. */
const RESTART_DELAYS_MS = [200, 500, 1000, 2000, 5000];

/**
 * Runs the postmaster in a process group of its own, so that a terminal's
 * Ctrl-C (SIGINT to the foreground group) reaches the app alone and the app
 * stops the server after it has closed; and starts it again, on the same
 * port, whenever it dies without being asked to.
 */
export class Supervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;

  constructor(
    private readonly binary: string,
    private readonly args: string[],
    private readonly user: { uid: number; gid: number } | null,
    private readonly log: (message: string) => void,
  ) {}

  pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Resolves once the server accepts connections; rejects if it exits or stalls first. */
  start(): Promise<void> {
    return new Promise((resolveStart, reject) => {
      const child = spawn(this.binary, this.args, {
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
        ...(this.user ?? {}),
      });
      this.child = child;
      let ready = false;
      let output = '';
      const timer = setTimeout(() => {
        if (!ready) child.kill('SIGQUIT');
      }, START_TIMEOUT_MS);
      timer.unref();
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        if (ready) return;
        output = (output + chunk).slice(-4000);
        if (output.includes('database system is ready to accept connections')) {
          ready = true;
          clearTimeout(timer);
          this.restarts = 0;
          resolveStart();
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        if (!ready) reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        if (!ready) {
          const last = output.trim().split('\n').slice(-2).join(' ');
          reject(new Error(`exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`));
        } else if (!this.stopping) {
          this.log(`embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); starting it again`);
          this.restart();
        }
      });
    });
  }

  private restart(): void {
    const delay = RESTART_DELAYS_MS[Math.min(this.restarts, RESTART_DELAYS_MS.length - 1)];
    this.restarts += 1;
    setTimeout(() => {
      if (this.stopping) return;
      this.start().then(
        () => this.log('embedded PostgreSQL started again'),
        (error: Error) => {
          this.log(`embedded PostgreSQL did not start again (${error.message}); retrying`);
          if (!this.stopping && this.child === null) this.restart();
        },
      );
    }, delay).unref();
  }

  /** A fast shutdown (SIGINT: roll back open transactions, then exit); SIGQUIT if it hangs. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGINT');
    const timeout = new Promise<'timeout'>((resolveTimeout) =>
      setTimeout(() => resolveTimeout('timeout'), STOP_TIMEOUT_MS).unref(),
    );
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGQUIT');
      await exited;
    }
  }
}
