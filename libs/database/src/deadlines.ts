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

/** How long the server has to answer the probe before it counts as gone. */
const PROBE_TIMEOUT_MS = 500;
/** A probe's answer serves every statement that asks within this long. */
const PROBE_FRESH_MS = 250;
/** However well the server answers probes, a request's statement is given up after this long. */
const STATEMENT_CAP_MS = 30_000;

/**
 * Whether the server answers at all: `SELECT 1` on a connection of its own,
 * within PROBE_TIMEOUT_MS. A statement that outlives its deadline may only
 * be waiting on locks or working hard; it is given up when the server
 * itself does not answer (frozen, or the network gone). One probe at a time
 * per server, its answer shared.
 */
class ServerProbe {
  private static readonly probes = new Map<string, ServerProbe>();
  private asking: Promise<boolean> | null = null;
  private answeredAt = -Infinity;
  private lastAnswer = true;

  private constructor(private readonly config: pg.ClientConfig) {}

  static for(config: pg.ClientConfig): ServerProbe {
    const key = JSON.stringify([config.connectionString, config.host, config.port, config.database, config.user]);
    let probe = ServerProbe.probes.get(key);
    if (!probe) ServerProbe.probes.set(key, (probe = new ServerProbe(config)));
    return probe;
  }

  answers(): Promise<boolean> {
    if (performance.now() - this.answeredAt < PROBE_FRESH_MS) return Promise.resolve(this.lastAnswer);
    this.asking ??= this.ask().then((answer) => {
      this.asking = null;
      this.answeredAt = performance.now();
      this.lastAnswer = answer;
      return answer;
    });
    return this.asking;
  }

  private async ask(): Promise<boolean> {
    const client = new pg.Client({
      ...this.config,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      application_name: 'modelpulse-probe',
    });
    client.on('error', () => undefined);
    const timer = setTimeout(
      () => (client as unknown as { connection: Destroyable }).connection.stream.destroy(),
      PROBE_TIMEOUT_MS,
    );
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      // An answer, even a refusal (out of connections, starting up), is a server that answers.
      return (
        typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
      );
    } finally {
      clearTimeout(timer);
      void client.end().catch(() => undefined);
    }
  }
}

interface Destroyable {
  stream: { destroy(): void };
}

/**
 * A pg client that, when opened or asked inside a request, keeps the
 * request's deadlines. A statement past its deadline is given up (503) when
 * the server does not answer a probe, or after STATEMENT_CAP_MS; giving up
 * closes the connection (the server rolls back what it had begun), so the
 * pool drops it rather than hand a connection still busy to the next request.
 */
class DeadlineClient extends pg.Client {
  private readonly probe: ServerProbe | null;

  constructor(config?: pg.ClientConfig) {
    const deadlines = current();
    super(deadlines && config ? { ...config, connectionTimeoutMillis: deadlines.connectMs } : config);
    this.probe = config ? ServerProbe.for(config) : null;
    this.on('error', () => (lastConnectionLoss = performance.now()));
  }

  // @ts-expect-error pg's overloads; TypeORM calls query(text, values) and reads the promise.
  override query(config: unknown, values?: unknown, callback?: QueryCallback): unknown {
    const deadlines = current();
    const probe = this.probe;
    if (!deadlines || !probe || typeof config !== 'string' || typeof values === 'function' || callback !== undefined) {
      return (super.query as (...args: unknown[]) => unknown)(config, values, callback);
    }
    const running = super.query(config, values as unknown[]) as Promise<pg.QueryResult>;
    const begun = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_resolve, reject) => {
      const check = () => {
        timer = setTimeout(async () => {
          const waited = performance.now() - begun;
          if (waited < STATEMENT_CAP_MS && (await probe.answers())) return check();
          reject(
            new DatabaseUnavailableError(
              'statement',
              waited < STATEMENT_CAP_MS
                ? `the database did not answer within ${Math.round(waited)} ms, nor a probe within ${PROBE_TIMEOUT_MS} ms`
                : `a statement took more than ${STATEMENT_CAP_MS} ms`,
            ),
          );
        }, deadlines.statementMs);
        timer.unref();
      };
      check();
    });
    return Promise.race([running, watchdog])
      .catch((error: unknown) => {
        if (error instanceof DatabaseUnavailableError) {
          running.catch(() => undefined);
          (this as unknown as { connection: Destroyable }).connection.stream.destroy();
        }
        throw error;
      })
      .finally(() => clearTimeout(timer));
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
