import type { IncomingMessage } from 'node:http';
import { Global, Inject, Injectable, Module, Scope, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Logger, LoggerModule, PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import { pino, type DestinationStream, type Level } from 'pino';
import PinoPretty from 'pino-pretty';
import type { AllConfig, LogLevel } from '@modelpulse/config';
import { REDACTED, secretScrubber, settingSecrets } from './redact';

/**
 * Where log lines go: null (the default) for standard output; a test
 * overrides this provider with a stream that keeps them.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

const PINO_LEVELS: Record<LogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Fields blanked wherever they appear in what is logged, besides the scrubbing of every finished line. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
];

/** Nest's wiring lines at start-up (every module, route and mapping): worth seeing only at `debug`. */
const NEST_WIRING = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

const ROUTE = Symbol('modelpulse.route');
const LOGS = Symbol('modelpulse.requestLogs');
/** A request's logs: its logger (made when first used), for Nest's loggers, and when it arrived. */
type RequestLogs = Store & { startedMs: number };
type RoutedRequest = IncomingMessage & { [ROUTE]?: string; [LOGS]?: RequestLogs };

/** What the access line gives as the status of a request whose client went before the answer (nginx's). */
export const CLIENT_GONE_STATUS = 499;

/** Tells the access line which route pattern the request matched (Fastify knows it; the raw request does not). */
export function noteRoute(request: IncomingMessage, route: string | undefined): void {
  (request as RoutedRequest)[ROUTE] = route;
}

/**
 * Runs `fn` with the request's logger as the one Nest's loggers write
 * through. The API's first hook sets it when the request arrives
 * (AccessLog.begin); a request body's stream callbacks lose that context,
 * so the API sets it again once the body is read.
 */
export function withRequestLogger<T>(request: IncomingMessage, fn: () => T): T {
  const logs = (request as RoutedRequest)[LOGS];
  return logs === undefined ? fn() : storage.run(logs, fn);
}

interface AccessLine {
  requestId: string;
  method: string | undefined;
  route: string | null;
  url: string | undefined;
  status: number;
  responseTimeMs: number;
}

const accessMessage = (line: AccessLine) =>
  `${line.method} ${line.route ?? line.url} ${line.status} in ${line.responseTimeMs} ms`;

function usePretty(format: AllConfig['app']['logFormat']): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

/**
 * The root logger's way out: each line goes straight to the destination,
 * but lines logged inside `gather` are kept and written together when it
 * returns, in one write (the access lines of a turn of the event loop).
 */
class LineBatch implements DestinationStream {
  private held: string[] | null = null;

  constructor(private readonly destination: DestinationStream) {}

  write(line: string): void {
    if (this.held) this.held.push(line);
    else this.destination.write(line);
  }

  gather(log: () => void): void {
    const held: string[] = (this.held = []);
    try {
      log();
    } finally {
      this.held = null;
      if (held.length > 0) this.destination.write(held.join(''));
    }
  }
}

/**
 * pino's `isoTime`, formatted once a millisecond: the access lines of one
 * turn of the event loop, written together, mostly share theirs, and
 * formatting a date was 2 % of a cache hit.
 */
export function isoTimeOncePerMs(now: () => number = Date.now): () => string {
  let lastMs = Number.NaN;
  let field = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      field = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return field;
  };
}

/** Each root logger's batch, for its access lines. */
const BATCHES = new WeakMap<pino.Logger, LineBatch>();

/**
 * The one pino logger of the process: JSON lines on standard output (or
 * pino-pretty's text on a terminal), written synchronously so that the last
 * lines before an exit are not lost, every line scrubbed of secrets.
 */
export function createRootLogger(config: ConfigService<AllConfig, true>, destination: DestinationStream | null) {
  const app = config.get('app', { infer: true });
  const upstreams = config.get('upstreams', { infer: true });
  const scrub = secretScrubber(
    settingSecrets({
      adminToken: app.adminToken,
      hfToken: upstreams.huggingface.token,
      githubToken: upstreams.github.token,
      databaseUrl: config.get('db.url', { infer: true }),
      redisUrl: app.redis?.url ?? null,
    }),
  );
  const stream =
    destination ??
    (usePretty(app.logFormat)
      ? PinoPretty({
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,context',
          messageFormat: '{if context}[{context}] {end}{msg}',
        })
      : pino.destination({ dest: 1, sync: true }));
  const batch = new LineBatch(stream);
  const root = pino(
    {
      level: PINO_LEVELS[app.logLevel],
      timestamp: isoTimeOncePerMs(),
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: scrub },
    },
    batch,
  );
  BATCHES.set(root, batch);
  return root;
}

function loggerParams(config: ConfigService<AllConfig, true>, destination: DestinationStream | null): Params {
  return {
    pinoHttp: { logger: createRootLogger(config, destination) },
    // Each request's logger and its access line come from the API's hooks (AccessLog), not from Nest middleware.
    useExisting: true,
    forRoutes: [],
  };
}

/**
 * The access log and each request's logger, run by the API's hooks
 * (configureApp) so that every request gets its line, those answered
 * before Nest's middleware (the response cache's hits, 404s) included.
 * A request's logger carries its id and is made the first time something
 * logs while the request is handled: most requests write their access line
 * alone, which the root logger writes with the id. pino-http did this
 * before with two child loggers per request made up front, which halved
 * the rate of cache hits (decision 0026).
 */
@Injectable()
export class AccessLog implements OnApplicationShutdown {
  private readonly root: pino.Logger;
  private readonly batch: LineBatch | undefined;
  /**
   * The access lines of requests answered in this turn of the event loop,
   * written at its end in one go: formatted in a row and written at once,
   * a line costs a third of one written alone among a request's work.
   */
  private pending: { level: Level; line: AccessLine }[] = [];
  /**
   * The root without its redact paths, for access lines: their fields are
   * ours and hold no headers; what a client writes into a URL is scrubbed
   * from the finished line like every line's. Redaction was 40 % of a line.
   */
  private readonly lines: pino.Logger;

  constructor(@Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    this.root = (params.pinoHttp as { logger: pino.Logger }).logger;
    this.lines = this.root.child({}, { redact: [] });
    this.batch = BATCHES.get(this.root);
    // A process that exits before the turn ends (process.exit) still writes them.
    process.on('exit', this.flush);
  }

  onApplicationShutdown(): void {
    this.flush();
    process.off('exit', this.flush);
  }

  /**
   * Gives the request its logger (made when something first logs) and the
   * moment it began (now, unless told), for its access line. Cheap: no context is entered yet,
   * so a response cache hit, which logs nothing but that line, pays for none.
   */
  begin(request: IncomingMessage, requestId: string, startedMs = performance.now()): void {
    const root = this.root;
    let logger: pino.Logger | undefined;
    const logs: RequestLogs = {
      get logger() {
        return (logger ??= root.child({ requestId }));
      },
      startedMs,
    };
    (request as RoutedRequest)[LOGS] = logs;
  }

  /** Runs `next` with the request's logger as the one Nest's loggers write through (after `begin`). */
  enter(request: IncomingMessage, next: () => void): void {
    const logs = (request as RoutedRequest)[LOGS];
    if (logs === undefined) next();
    else storage.run(logs, next);
  }

  /**
   * Writes the request's access line, once its answer is sent or its client
   * went (status CLIENT_GONE_STATUS): `info`; `error` for a 5xx; `debug` for
   * the health probes, which ask every few seconds.
   */
  end(request: IncomingMessage, requestId: string, status: number): void {
    const logs = (request as RoutedRequest)[LOGS];
    const route = (request as RoutedRequest)[ROUTE] ?? null;
    const responseTimeMs = logs ? Math.round(performance.now() - logs.startedMs) : 0;
    const line: AccessLine = { requestId, method: request.method, route, url: request.url, status, responseTimeMs };
    const level = status >= 500 ? 'error' : route?.startsWith('/health') ? 'debug' : 'info';
    if (this.pending.length === 0) setImmediate(this.flush);
    this.pending.push({ level, line });
  }

  private readonly flush = (): void => {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const write = () => {
      for (const { level, line } of pending) this.lines[level](line, accessMessage(line));
    };
    if (this.batch) this.batch.gather(write);
    else write();
  };
}

/**
 * nestjs-pino's logger, with the root taken from this application's
 * parameters rather than from the first application the process built (a
 * test file builds several, each with its own output).
 */
@Injectable({ scope: Scope.TRANSIENT })
export class ProcessPinoLogger extends PinoLogger {
  private readonly root: pino.Logger;

  constructor(@Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(params);
    this.root = (params.pinoHttp as { logger: pino.Logger }).logger;
  }

  override get logger(): pino.Logger {
    return storage.getStore()?.logger ?? this.root;
  }

  /** Writes `message` at info even when LOG_LEVEL asks for less. */
  announce(message: string, context: string): void {
    this.root.child({ context }, { level: this.root.isLevelEnabled('info') ? this.root.level : 'info' }).info(message);
  }
}

/**
 * Nest's LoggerService over pino (nestjs-pino), with Nest's own wiring lines
 * moved down to `debug` so that a start at the default level says only what
 * an operator needs.
 */
@Injectable()
export class AppLogger extends Logger {
  constructor(
    private readonly pinoLogger: ProcessPinoLogger,
    @Inject(PARAMS_PROVIDER_TOKEN) params: Params,
  ) {
    super(pinoLogger, params);
  }

  /**
   * The line saying the process is ready (listening, or working the queues):
   * written whatever LOG_LEVEL says, since people and supervisors wait for it.
   */
  announce(message: string, context: string): void {
    this.pinoLogger.announce(message, context);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && NEST_WIRING.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

const PinoModule = LoggerModule.forRootAsync({
  providers: [{ provide: LOG_DESTINATION, useValue: null }],
  inject: [ConfigService, LOG_DESTINATION],
  useFactory: loggerParams,
});

/**
 * Structured logs for the API and the worker: one logger, a request id on
 * every line of a request, one access line per request. Imported by both
 * (one instance in the standalone process).
 */
@Global()
@Module({
  imports: [PinoModule],
  providers: [ProcessPinoLogger, AppLogger, AccessLog],
  exports: [AppLogger, AccessLog],
})
export class LoggingModule {}
