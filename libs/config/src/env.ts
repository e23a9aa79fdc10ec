import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parseExpression } from 'cron-parser';

/** Settings read from the environment; every one is listed in docs/configuration.md. */
export interface Env {
  port: number;
  /** The address the HTTP server binds to. */
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  publicUrl: string;
  adminToken: string | null;
  logLevel: LogLevel;
  /** JSON lines, or pino-pretty's text; `auto`: pretty when standard output is a terminal. */
  logFormat: LogFormat;
  syncEnabled: boolean;
  syncCron: string;
  discoveryCron: string;
  rollupCron: string;
  discoveryTopN: number;
  /** Overrides of the trending formula's parameters (docs/trending.md), by name. */
  trendingParams: Record<string, number>;
  jobPollingIntervalSeconds: number;
  /** How often a running job says it is alive, and after how long without a word a sweep marks it interrupted. */
  jobHeartbeatSeconds: number;
  jobStaleAfterSeconds: number;
  hfEndpoint: string;
  hfToken: string | null;
  githubApiUrl: string;
  githubToken: string | null;
  hfRequestsPerSecond: number;
  hfConcurrency: number;
  /** Models per page of the hub's top list by downloads, which the stats sync reads first. */
  hfTopListPageSize: number;
  /** The most top-list pages one sync reads (0: none, every model through author lists and per-model calls). */
  hfTopListMaxPages: number;
  githubRequestsPerSecond: number;
  githubConcurrency: number;
  upstreamTimeoutSeconds: number;
  upstreamMaxRetries: number;
  upstreamMaxWaitSeconds: number;
  trustProxy: TrustProxy;
  rateLimitDlPerMinute: number;
  rateLimitIngestPerMinute: number;
  /** Public reads (`GET /v1/…` and the site's pages) one client address may make a minute. */
  rateLimitReadPerMinute: number;
  /** Badges, widgets, charts and oEmbed answers one client address may fetch a minute. */
  rateLimitEmbedPerMinute: number;
  /** Failed key checks (an unknown, revoked or malformed key) one client address may make a minute. */
  rateLimitKeyFailuresPerMinute: number;
  /** How long an HTTP request waits on PostgreSQL before it answers 503 (docs/operations.md). */
  dbConnectTimeoutSeconds: number;
  dbAcquireTimeoutSeconds: number;
  dbStatementTimeoutSeconds: number;
  /** Where the API replicas share their rate-limit counters; null: each process counts its own. */
  redisUrl: string | null;
  redisKeyPrefix: string;
  /** Requests with a larger body are refused with 413 before it is read. */
  bodyLimitBytes: number;
  /** How long a client may take to send its headers, and its whole request, before a 408. */
  headersTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  /** The bearer token GET /metrics asks for; null: anyone who reaches the port may scrape. */
  metricsToken: string | null;
  /** Where a worker serves its own /metrics; null: it serves none. */
  metricsPort: number | null;
  /** Whether the API keeps public reads in memory (docs/architecture.md, "The response cache"). */
  responseCacheEnabled: boolean;
  /** The most the response cache holds, bodies, keys and headers counted; the least recently read go first. */
  responseCacheMaxBytes: number;
}

/** The shortest MODELPULSE_ADMIN_TOKEN taken: 32 characters, as of a 128-bit secret written in hex. */
export const ADMIN_TOKEN_MIN_CHARS = 32;

/**
 * Which proxies may tell the client address through X-Forwarded-For: none
 * (`false`), any (`true`), the nearest `n` hops, or these addresses and
 * subnets. Fastify's `trustProxy` takes each of these shapes as it is.
 */
export type TrustProxy = boolean | number | string[];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export class InvalidSettingError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid setting ${variable}: ${reason}`);
  }
}

type Source = Record<string, string | undefined>;

/**
 * `text` with the password of every URL in it replaced by `***`
 * (`postgres://app:***@db:5432/modelpulse`), parsable or not, so that no
 * setting, log line or error message carries a database's password.
 */
export function redactUrlPasswords(text: string): string {
  // Up to the last `@` of the word: a password typed with a raw `@` or `/` in it is hidden whole.
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/:@"']*):[^\s"']*@/gi, '$1:***@');
}

function text(source: Source, name: string): string | null {
  const value = source[name];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function integer(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = text(source, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new InvalidSettingError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function positive(source: Source, name: string, fallback: number, max: number): number {
  const raw = text(source, name);
  if (raw === null) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) <= 0 || Number(raw) > max) {
    throw new InvalidSettingError(name, `expected a number above 0 and up to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function decimal(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = text(source, name);
  if (raw === null) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new InvalidSettingError(name, `expected a number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function bool(source: Source, name: string, fallback: boolean): boolean {
  const raw = text(source, name);
  if (raw === null) return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new InvalidSettingError(name, `expected true or false, got "${raw}"`);
}

function url(source: Source, name: string, fallback: string | null, protocols: string[]): string | null {
  const raw = text(source, name) ?? fallback;
  if (raw === null) return null;
  const shown = redactUrlPasswords(raw);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new InvalidSettingError(name, `expected a URL, got "${shown}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new InvalidSettingError(name, `expected a ${protocols.join(' or ')} URL, got "${shown}"`);
  }
  return raw.replace(/\/+$/, '');
}

function cron(source: Source, name: string, fallback: string): string {
  const raw = text(source, name) ?? fallback;
  const fields = raw.split(/\s+/).length;
  try {
    if (fields < 5 || fields > 6) throw new Error('wrong number of fields');
    parseExpression(raw, { utc: true });
  } catch {
    throw new InvalidSettingError(name, `expected a cron expression of 5 or 6 fields, got "${raw}"`);
  }
  return raw;
}

/** A proxy address or subnet: `10.0.0.1`, `10.0.0.0/8`, `fd00::/8`. */
function isProxyAddress(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function trustProxy(source: Source, name: string): TrustProxy {
  const raw = text(source, name);
  if (raw === null || /^(false|0|no)$/i.test(raw)) return false;
  if (/^(true|yes)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) {
    if (Number(raw) > 10) throw new InvalidSettingError(name, `expected at most 10 proxy hops, got "${raw}"`);
    return Number(raw);
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined) {
    throw new InvalidSettingError(
      name,
      `expected false, true, a number of hops or a comma list of proxy addresses and subnets, got "${bad}"`,
    );
  }
  return entries;
}

/** An IPv4 or IPv6 address, or a host name such as `localhost`. */
function host(source: Source, name: string, fallback: string): string {
  const raw = text(source, name) ?? fallback;
  const hostName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (isIP(raw) === 0 && !hostName.test(raw)) {
    throw new InvalidSettingError(name, `expected an IP address or a host name, got "${raw}"`);
  }
  return raw;
}

/** A bearer secret of ours (the admin token, the metrics token): long enough not to be guessed. */
function secretToken(source: Source, name: string): string | null {
  const raw = text(source, name);
  if (raw !== null && raw.length < ADMIN_TOKEN_MIN_CHARS) {
    // The token itself is never shown: it is a secret even when it is too short.
    throw new InvalidSettingError(
      name,
      `expected at least ${ADMIN_TOKEN_MIN_CHARS} characters, got ${raw.length} (make one with: openssl rand -hex 32)`,
    );
  }
  return raw;
}

function numbers(source: Source, name: string): Record<string, number> {
  const raw = text(source, name);
  if (raw === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidSettingError(name, `expected a JSON object of numbers, got "${raw}"`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidSettingError(name, `expected a JSON object of numbers, got "${raw}"`);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidSettingError(name, `${key} must be a number`);
    }
  }
  return parsed as Record<string, number>;
}

/**
 * Reads and validates every setting at once; a bad one throws an
 * InvalidSettingError whose message is one line naming the variable.
 */
export function parseEnv(source: Source, cwd: string = process.cwd()): Env {
  const port = integer(source, 'PORT', 3000, 0, 65535);
  const dataDirRaw = text(source, 'MODELPULSE_DATA_DIR') ?? '.modelpulse';
  const logLevel = text(source, 'LOG_LEVEL') ?? 'log';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new InvalidSettingError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const logFormat = (text(source, 'LOG_FORMAT') ?? 'auto').toLowerCase();
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    throw new InvalidSettingError('LOG_FORMAT', `expected one of ${LOG_FORMATS.join(', ')}, got "${logFormat}"`);
  }
  const jobHeartbeatSeconds = decimal(source, 'JOB_HEARTBEAT_SECONDS', 10, 0.1, 300);
  const jobStaleAfterSeconds = decimal(source, 'JOB_STALE_AFTER_SECONDS', 30, 0.5, 3600);
  if (jobStaleAfterSeconds <= jobHeartbeatSeconds) {
    throw new InvalidSettingError(
      'JOB_STALE_AFTER_SECONDS',
      `expected more than JOB_HEARTBEAT_SECONDS (${jobHeartbeatSeconds}), got "${jobStaleAfterSeconds}"`,
    );
  }
  const headersTimeoutSeconds = positive(source, 'HTTP_HEADERS_TIMEOUT_SECONDS', 10, 3600);
  const requestTimeoutSeconds = positive(source, 'HTTP_REQUEST_TIMEOUT_SECONDS', 30, 3600);
  if (requestTimeoutSeconds < headersTimeoutSeconds) {
    throw new InvalidSettingError(
      'HTTP_REQUEST_TIMEOUT_SECONDS',
      `expected at least HTTP_HEADERS_TIMEOUT_SECONDS (${headersTimeoutSeconds}), got "${requestTimeoutSeconds}"`,
    );
  }
  return {
    port,
    host: host(source, 'HOST', '0.0.0.0'),
    databaseUrl: url(source, 'DATABASE_URL', null, ['postgres:', 'postgresql:']),
    dataDir: isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw),
    publicUrl: url(source, 'PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:'])!,
    adminToken: secretToken(source, 'MODELPULSE_ADMIN_TOKEN'),
    logLevel: logLevel as LogLevel,
    logFormat: logFormat as LogFormat,
    syncEnabled: bool(source, 'SYNC_ENABLED', true),
    syncCron: cron(source, 'SYNC_CRON', '0 * * * *'),
    discoveryCron: cron(source, 'DISCOVERY_CRON', '30 3 * * *'),
    rollupCron: cron(source, 'ROLLUP_CRON', '10 0 * * *'),
    discoveryTopN: integer(source, 'DISCOVERY_TOP_N', 100, 0, 1000),
    trendingParams: numbers(source, 'TRENDING_PARAMS'),
    // pg-boss refuses to poll more often than every half second.
    jobPollingIntervalSeconds: decimal(source, 'JOB_POLLING_INTERVAL_SECONDS', 2, 0.5, 600),
    jobHeartbeatSeconds,
    jobStaleAfterSeconds,
    hfEndpoint: url(source, 'HF_ENDPOINT', 'https://huggingface.co', ['http:', 'https:'])!,
    hfToken: text(source, 'HF_TOKEN'),
    githubApiUrl: url(source, 'GITHUB_API_URL', 'https://api.github.com', ['http:', 'https:'])!,
    githubToken: text(source, 'GITHUB_TOKEN'),
    hfRequestsPerSecond: positive(source, 'HF_REQUESTS_PER_SECOND', 1, 1000),
    hfConcurrency: integer(source, 'HF_CONCURRENCY', 2, 1, 64),
    // The hub answers at most 1000 models a page.
    hfTopListPageSize: integer(source, 'HF_TOP_LIST_PAGE_SIZE', 1000, 1, 1000),
    hfTopListMaxPages: integer(source, 'HF_TOP_LIST_MAX_PAGES', 20, 0, 1000),
    githubRequestsPerSecond: positive(source, 'GITHUB_REQUESTS_PER_SECOND', 1, 1000),
    githubConcurrency: integer(source, 'GITHUB_CONCURRENCY', 2, 1, 64),
    upstreamTimeoutSeconds: positive(source, 'UPSTREAM_TIMEOUT_SECONDS', 20, 600),
    upstreamMaxRetries: integer(source, 'UPSTREAM_MAX_RETRIES', 3, 0, 10),
    upstreamMaxWaitSeconds: integer(source, 'UPSTREAM_MAX_WAIT_SECONDS', 900, 0, 86400),
    trustProxy: trustProxy(source, 'TRUST_PROXY'),
    rateLimitDlPerMinute: integer(source, 'RATE_LIMIT_DL_PER_MINUTE', 60, 1, 1_000_000_000),
    rateLimitIngestPerMinute: integer(source, 'RATE_LIMIT_INGEST_PER_MINUTE', 120, 1, 1_000_000_000),
    rateLimitReadPerMinute: integer(source, 'RATE_LIMIT_READ_PER_MINUTE', 600, 1, 1_000_000_000),
    rateLimitEmbedPerMinute: integer(source, 'RATE_LIMIT_EMBED_PER_MINUTE', 6000, 1, 1_000_000_000),
    rateLimitKeyFailuresPerMinute: integer(source, 'RATE_LIMIT_KEY_FAILURES_PER_MINUTE', 10, 1, 1_000_000_000),
    dbConnectTimeoutSeconds: positive(source, 'DB_CONNECT_TIMEOUT_SECONDS', 1, 600),
    dbAcquireTimeoutSeconds: positive(source, 'DB_ACQUIRE_TIMEOUT_SECONDS', 1, 600),
    dbStatementTimeoutSeconds: positive(source, 'DB_STATEMENT_TIMEOUT_SECONDS', 1, 3600),
    redisUrl: url(source, 'REDIS_URL', null, ['redis:', 'rediss:']),
    redisKeyPrefix: text(source, 'REDIS_KEY_PREFIX') ?? 'modelpulse:',
    bodyLimitBytes: integer(source, 'HTTP_BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    headersTimeoutSeconds,
    requestTimeoutSeconds,
    metricsToken: secretToken(source, 'METRICS_TOKEN'),
    metricsPort: text(source, 'METRICS_PORT') === null ? null : integer(source, 'METRICS_PORT', 0, 0, 65535),
    responseCacheEnabled: bool(source, 'RESPONSE_CACHE_ENABLED', true),
    responseCacheMaxBytes: integer(source, 'RESPONSE_CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
  };
}

/** The one place the process environment is read. */
export function loadEnv(): Env {
  return parseEnv(process.env);
}
