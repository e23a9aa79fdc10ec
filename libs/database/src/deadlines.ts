import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * How long work in an HTTP request may wait on PostgreSQL: to open a
 * connection, to get one from the pool, and for one statement's answer.
 * Jobs, migrations, the CLI and the bench run outside any request and so
 * wait as long as their work takes.
 */
export interface DatabaseDeadlines {
  connectMs: number;
  acquireMs: number;
  statementMs: number;
}

export type UnavailableReason = 'connect' | 'acquire' | 'statement' | 'down';

/** PostgreSQL did not answer within a request's deadline, or cannot be reached at all. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
  }
}

const scope = new AsyncLocalStorage<DatabaseDeadlines | null>();

/** Runs `fn` (and everything it starts) under `deadlines`. */
export function withDeadlines<T>(deadlines: DatabaseDeadlines, fn: () => T): T {
  return scope.run(deadlines, fn);
}

/** Runs `fn` with no deadlines, inside a request too: work that must finish once begun. */
export function withoutDeadlines<T>(fn: () => T): T {
  return scope.run(null, fn);
}

const current = (): DatabaseDeadlines | null => scope.getStore() ?? null;

/** SQLSTATEs of a server that is going away, starting, or out of connections. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Connection ended unexpectedly/,
  /^the database system is (starting up|shutting down|in recovery mode)/,
];

/**
 * TypeORM's errors for a connection it let go of. It lets go when the
 * connection fails under a transaction, and the transaction's next statement
 * (or its COMMIT) then says so; only a connection lost just before makes
 * these an outage rather than a bug.
 */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);
const LOSS_WINDOW_MS = 10_000;
let lastConnectionLoss = -Infinity;

/**
 * Whether `error` says the database is out of reach (down, frozen, out of
 * connections, restarting) rather than that the work was wrong: worth a 503
 * and a retry, not a 500. Looks through TypeORM's QueryFailedError.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 4; depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    if (
      e instanceof Error &&
      RELEASED_RUNNER_ERRORS.has(e.name) &&
      performance.now() - lastConnectionLoss < LOSS_WINDOW_MS
    ) {
      return true;
    }
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}

type QueryCallback = (...args: unknown[]) => void;

/**
 * A pg client that, when opened or asked inside a request, gives up on the
 * server after the request's deadlines. A statement past its deadline closes
 * the connection (the server rolls back what it had begun), so the pool
 * drops it rather than hand a connection still busy to the next request.
 */
class DeadlineClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    const deadlines = current();
    super(deadlines && config ? { ...config, connectionTimeoutMillis: deadlines.connectMs } : config);
    this.on('error', () => (lastConnectionLoss = performance.now()));
  }

  // @ts-expect-error pg's overloads; TypeORM calls query(text, values) and reads the promise.
  override query(config: unknown, values?: unknown, callback?: QueryCallback): unknown {
    const deadlines = current();
    if (!deadlines || typeof config !== 'string' || typeof values === 'function' || callback !== undefined) {
      return (super.query as (...args: unknown[]) => unknown)(config, values, callback);
    }
    const statementMs = deadlines.statementMs;
    const timed = { text: config, values: values as unknown[], query_timeout: statementMs } as pg.QueryConfig;
    return (super.query(timed) as Promise<pg.QueryResult>).catch((error: unknown) => {
      if ((error as Error).message !== 'Query read timeout') throw error;
      (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      throw new DatabaseUnavailableError('statement', `the database did not answer within ${statementMs} ms`);
    });
  }
}

type ConnectCallback = (error: Error | undefined, client?: pg.PoolClient, release?: (error?: unknown) => void) => void;

/** A pg pool whose checkouts inside a request wait at most the request's acquire deadline. */
class DeadlinePool extends pg.Pool {
  constructor(options?: pg.PoolConfig) {
    super({ ...options, Client: DeadlineClient as unknown as typeof pg.Client });
  }

  // @ts-expect-error pg's overloads; TypeORM checks out with a callback.
  override connect(callback?: ConnectCallback): unknown {
    const deadlines = current();
    if (!deadlines) return (super.connect as (cb?: ConnectCallback) => unknown)(callback);
    const acquireMs = deadlines.acquireMs;
    const checkout = new Promise<[pg.PoolClient, (error?: unknown) => void]>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new DatabaseUnavailableError('acquire', `no database connection came free within ${acquireMs} ms`));
      }, acquireMs);
      (super.connect as (cb: ConnectCallback) => void)((error, client, release) => {
        clearTimeout(timer);
        if (settled) {
          // Too late for the request that asked: straight back to the pool.
          if (!error) release!();
          return;
        }
        settled = true;
        if (error) reject(error);
        else resolve([client!, release!]);
      });
    });
    if (!callback) return checkout.then(([client]) => client);
    checkout.then(
      ([client, release]) => callback(undefined, client, release),
      (error: Error) => callback(error),
    );
    return undefined;
  }
}

/** The `pg` module as TypeORM's `driver`, with the pool above in place of pg's own. */
export const deadlinePg: typeof pg = Object.create(pg, { Pool: { value: DeadlinePool } }) as typeof pg;
