import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { locateBinaries, postgresUser } from '@modelpulse/database';

/**
 * A PostgreSQL cluster of one fault test's own, from the embedded binaries,
 * in a process group of its own: the test stops, freezes (SIGSTOP to the
 * whole group, backends included), thaws and kills it without touching the
 * suite's server. Trust auth on 127.0.0.1; durability kept on (fsync), since
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

  /** SIGKILL to every process of the cluster at once: a crash, not a shutdown. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL', true);
  }

  /** Every process of the cluster stopped where it stands; connections stay open and hang. */
  freeze(): void {
    process.kill(-this.pid, 'SIGSTOP');
  }

  thaw(): void {
    process.kill(-this.pid, 'SIGCONT');
  }

  async destroy(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.thaw();
      await this.signalAndWait('SIGQUIT', true);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signalAndWait(signal: NodeJS.Signals, group = false): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(group ? -child.pid! : child.pid!, signal);
    await exited;
    this.child = null;
    if (group) {
      // The backends of a killed postmaster go on their own; wait until the group is empty.
      for (let i = 0; i < 200 && groupAlive(child.pid!); i++) await new Promise((r) => setTimeout(r, 25));
    }
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
