import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, locateBinaries, postgresUser } from '@modelpulse/database';

/**
 * A PostgreSQL cluster of one fault test's own, from the embedded binaries:
 * the test stops, freezes (SIGSTOP to every server process), thaws and
 * kills it without touching the suite's server. Trust auth on 127.0.0.1; durability kept on (fsync), since
 * what the tests check is that acknowledged writes survive.
 */
export class Cluster {
  private child: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<Cluster> {
    const dir = mkdtempSync(join(tmpdir(), 'modelpulse-fault-'));
    chmodSync(dir, 0o755);
    const cluster = new Cluster(dir, await freePort());
    const user = postgresUser();
    mkdirSync(cluster.pgData, { mode: 0o700 });
    if (user) chownSync(cluster.pgData, user.uid, user.gid);
    const initdb = spawnSync(
      locateBinaries().initdb,
      ['-D', cluster.pgData, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
      { encoding: 'utf8', ...(user ?? {}) },
    );
    if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
    await cluster.start();
    return cluster;
  }

  get pgData(): string {
    return join(this.dir, 'pgdata');
  }

  /** The URL of database `name` (created by `createDatabase`). */
  url(name = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  async createDatabase(name: string): Promise<string> {
    await this.query(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error('the cluster is not running');
    return this.child.pid;
  }

  async start(): Promise<void> {
    const user = postgresUser();
    const child = spawn(
      locateBinaries().postgres,
      [
        '-D',
        this.pgData,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}) before it was ready: ${output}`)));
    });
  }

  /** A fast shutdown, as an operator's `pg_ctl stop -m fast`. */
  async stop(): Promise<void> {
    await this.signalAndWait('SIGINT');
  }

  /** SIGKILL to the postmaster and every server process at once: a crash, not a shutdown. */
  async kill(): Promise<void> {
    const pids = [this.pid, ...serverProcesses(this.pid)];
    await this.signalAndWait('SIGKILL', pids);
    // Nothing of the old server may linger into the next start.
    for (let i = 0; i < 200 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  /**
   * Every process of the cluster stopped where it stands (the postmaster
   * first, so it forks no more): connections stay open and hang. Backends
   * are session leaders of their own, so a process group does not reach them.
   */
  freeze(): void {
    process.kill(this.pid, 'SIGSTOP');
    for (const pid of serverProcesses(this.pid)) signalIfThere(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of serverProcesses(this.pid)) signalIfThere(pid, 'SIGCONT');
    process.kill(this.pid, 'SIGCONT');
  }

  async destroy(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.thaw();
      await this.signalAndWait('SIGQUIT', [this.pid]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signalAndWait(signal: NodeJS.Signals, pids?: number[]): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (const pid of pids ?? [child.pid!]) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone already.
      }
    }
    await exited;
    this.child = null;
  }
}

/** A signal to a server process that may have ended since it was listed (a backend whose client left): gone is fine. */
function signalIfThere(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The postmaster's children: backends, checkpointer, WAL writer and the rest. */
function serverProcesses(postmaster: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        // Fields after the command name: state, ppid, …
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
