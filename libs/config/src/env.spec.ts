import { InvalidSettingError, parseEnv, redactUrlPasswords } from './env';

describe('parseEnv', () => {
  it('fills in the documented defaults', () => {
    const env = parseEnv({}, '/srv/app');
    expect(env).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: null,
      dataDir: '/srv/app/.modelpulse',
      publicUrl: 'http://localhost:3000',
      adminToken: null,
      logLevel: 'log',
      logFormat: 'auto',
      syncEnabled: true,
      syncCron: '0 * * * *',
      discoveryCron: '30 3 * * *',
      rollupCron: '10 0 * * *',
      discoveryTopN: 100,
      trendingParams: {},
      jobPollingIntervalSeconds: 2,
      jobHeartbeatSeconds: 10,
      jobStaleAfterSeconds: 30,
      hfEndpoint: 'https://huggingface.co',
      hfToken: null,
      githubApiUrl: 'https://api.github.com',
      githubToken: null,
      hfRequestsPerSecond: 1,
      hfConcurrency: 2,
      hfTopListPageSize: 1000,
      hfTopListMaxPages: 20,
      githubRequestsPerSecond: 1,
      githubConcurrency: 2,
      upstreamTimeoutSeconds: 20,
      upstreamMaxRetries: 3,
      upstreamMaxWaitSeconds: 900,
      trustProxy: false,
      rateLimitDlPerMinute: 60,
      rateLimitIngestPerMinute: 120,
      rateLimitReadPerMinute: 600,
      rateLimitEmbedPerMinute: 6000,
      rateLimitKeyFailuresPerMinute: 10,
      dbConnectTimeoutSeconds: 1,
      dbAcquireTimeoutSeconds: 1,
      dbStatementTimeoutSeconds: 1,
      redisUrl: null,
      redisKeyPrefix: 'modelpulse:',
      bodyLimitBytes: 2 * 1024 * 1024,
      headersTimeoutSeconds: 10,
      requestTimeoutSeconds: 30,
      metricsToken: null,
      metricsPort: null,
      responseCacheEnabled: true,
      responseCacheMaxBytes: 64 * 1024 * 1024,
    });
  });

  it('turns the response cache off and bounds it in bytes, refusing a bound under 1 KiB', () => {
    expect(parseEnv({ RESPONSE_CACHE_ENABLED: 'false', RESPONSE_CACHE_MAX_BYTES: '4096' })).toMatchObject({
      responseCacheEnabled: false,
      responseCacheMaxBytes: 4096,
    });
    expect(() => parseEnv({ RESPONSE_CACHE_MAX_BYTES: '100' })).toThrow(
      'Invalid setting RESPONSE_CACHE_MAX_BYTES: expected a whole number from 1024 to 17179869184, got "100"',
    );
  });

  it('takes a metrics token of 32 characters or more, and a worker metrics port that may be 0 (any free port)', () => {
    const token = 'm'.repeat(32);
    expect(parseEnv({ METRICS_TOKEN: ` ${token} `, METRICS_PORT: '9464' })).toMatchObject({
      metricsToken: token,
      metricsPort: 9464,
    });
    expect(() => parseEnv({ METRICS_TOKEN: 'scrape-me' })).toThrow(
      'Invalid setting METRICS_TOKEN: expected at least 32 characters, got 9 (make one with: openssl rand -hex 32)',
    );
    expect(parseEnv({ METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(() => parseEnv({ METRICS_PORT: '70000' })).toThrow(
      'Invalid setting METRICS_PORT: expected a whole number from 0 to 65535, got "70000"',
    );
  });

  it('binds to the address HOST names: an IPv4 or IPv6 address or a host name', () => {
    expect(parseEnv({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(parseEnv({ HOST: '::1' }).host).toBe('::1');
    expect(parseEnv({ HOST: 'localhost' }).host).toBe('localhost');
  });

  it('takes an admin token of 32 characters or more, and names neither a shorter one nor its text', () => {
    const token = 'a'.repeat(32);
    expect(parseEnv({ MODELPULSE_ADMIN_TOKEN: token }).adminToken).toBe(token);
    expect(() => parseEnv({ MODELPULSE_ADMIN_TOKEN: 'hunter2-hunter2-hunter2-hunter2' })).toThrow(
      'Invalid setting MODELPULSE_ADMIN_TOKEN: expected at least 32 characters, got 31 (make one with: openssl rand -hex 32)',
    );
    expect(() => parseEnv({ MODELPULSE_ADMIN_TOKEN: 'a' })).toThrow(
      /^Invalid setting MODELPULSE_ADMIN_TOKEN: .*got 1 /,
    );
  });

  it('takes the body limit and the two request timeouts, the whole request no shorter than its headers', () => {
    expect(
      parseEnv({
        HTTP_BODY_LIMIT_BYTES: '65536',
        HTTP_HEADERS_TIMEOUT_SECONDS: '0.5',
        HTTP_REQUEST_TIMEOUT_SECONDS: '2',
      }),
    ).toMatchObject({ bodyLimitBytes: 65536, headersTimeoutSeconds: 0.5, requestTimeoutSeconds: 2 });
    expect(() => parseEnv({ HTTP_HEADERS_TIMEOUT_SECONDS: '20', HTTP_REQUEST_TIMEOUT_SECONDS: '10' })).toThrow(
      'Invalid setting HTTP_REQUEST_TIMEOUT_SECONDS: expected at least HTTP_HEADERS_TIMEOUT_SECONDS (20), got "10"',
    );
  });

  it.each([
    ['a malformed', 'postgres://modelpulse:hunter2@db.internal:notaport/modelpulse'],
    ['a non-PostgreSQL', 'mysql://modelpulse:hunter2@db.internal/modelpulse'],
    ['a malformed, with an @ in the password,', 'postgres://modelpulse:hun@ter2@db.internal:x/modelpulse'],
  ])('never shows the password of %s DATABASE_URL', (_kind, value) => {
    expect(() => parseEnv({ DATABASE_URL: value })).toThrow(/^Invalid setting DATABASE_URL: .*modelpulse:\*\*\*@/);
    expect(() => parseEnv({ DATABASE_URL: value })).not.toThrow(/ter2/);
  });

  it('hides the password of every URL in a text, and nothing of a URL without one', () => {
    expect(
      redactUrlPasswords(
        'failed: postgres://app:s3cr%40t@db:5432/x and redis://:pw@cache:6379, see http://host:8080/a',
      ),
    ).toBe('failed: postgres://app:***@db:5432/x and redis://:***@cache:6379, see http://host:8080/a');
    // A password typed with a raw `/` or `@` in it is hidden whole.
    expect(redactUrlPasswords('postgres://app:pa/ss@wo@rd@db/x')).toBe('postgres://app:***@db/x');
  });

  it('follows PORT in the default PUBLIC_URL and keeps a data dir relative to the working directory', () => {
    const env = parseEnv({ PORT: '8080', MODELPULSE_DATA_DIR: 'data' }, '/srv/app');
    expect(env.publicUrl).toBe('http://localhost:8080');
    expect(env.dataDir).toBe('/srv/app/data');
  });

  it('takes fractional request rates for the upstreams', () => {
    const env = parseEnv({
      HF_REQUESTS_PER_SECOND: '0.5',
      GITHUB_REQUESTS_PER_SECOND: '10',
      UPSTREAM_TIMEOUT_SECONDS: '2.5',
    });
    expect([env.hfRequestsPerSecond, env.githubRequestsPerSecond, env.upstreamTimeoutSeconds]).toEqual([0.5, 10, 2.5]);
  });

  it('takes 0 top-list pages (the sync reads no top list) and a smaller top-list page', () => {
    const env = parseEnv({ HF_TOP_LIST_MAX_PAGES: '0', HF_TOP_LIST_PAGE_SIZE: '250' });
    expect([env.hfTopListMaxPages, env.hfTopListPageSize]).toEqual([0, 250]);
  });

  it('takes a job polling interval down to the half second pg-boss allows', () => {
    expect(parseEnv({ JOB_POLLING_INTERVAL_SECONDS: '0.5' }).jobPollingIntervalSeconds).toBe(0.5);
  });

  it('wants a heartbeat timeout longer than the heartbeat', () => {
    expect(parseEnv({ JOB_HEARTBEAT_SECONDS: '0.5', JOB_STALE_AFTER_SECONDS: '2' })).toMatchObject({
      jobHeartbeatSeconds: 0.5,
      jobStaleAfterSeconds: 2,
    });
    expect(() => parseEnv({ JOB_HEARTBEAT_SECONDS: '30', JOB_STALE_AFTER_SECONDS: '30' })).toThrow(
      'Invalid setting JOB_STALE_AFTER_SECONDS: expected more than JOB_HEARTBEAT_SECONDS (30), got "30"',
    );
  });

  it('drops a trailing slash from URLs', () => {
    expect(parseEnv({ PUBLIC_URL: 'https://models.example.org/' }).publicUrl).toBe('https://models.example.org');
  });

  it('takes a redis: or rediss: URL for the shared rate-limit counters', () => {
    expect(parseEnv({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(parseEnv({ REDIS_URL: 'rediss://:secret@cache.internal:6380/2', REDIS_KEY_PREFIX: 'mp-eu:' })).toMatchObject(
      {
        redisUrl: 'rediss://:secret@cache.internal:6380/2',
        redisKeyPrefix: 'mp-eu:',
      },
    );
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 172.16.0.0/12,fd00::/8', ['10.0.0.0/8', '172.16.0.0/12', 'fd00::/8']],
  ])('reads TRUST_PROXY=%p', (value, expected) => {
    expect(parseEnv({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['DATABASE_URL', 'not a url'],
    ['PUBLIC_URL', 'ftp://x'],
    ['SYNC_ENABLED', 'maybe'],
    ['SYNC_CRON', 'every hour'],
    ['SYNC_CRON', '61 * * * *'],
    ['DISCOVERY_TOP_N', '5000'],
    ['TRENDING_PARAMS', '{"k": "big"}'],
    ['TRENDING_PARAMS', '[1, 2]'],
    ['JOB_POLLING_INTERVAL_SECONDS', '0.1'],
    ['JOB_POLLING_INTERVAL_SECONDS', 'often'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
    ['HF_ENDPOINT', 'huggingface.co'],
    ['GITHUB_API_URL', 'ftp://api.github.com'],
    ['HF_REQUESTS_PER_SECOND', '0'],
    ['HF_REQUESTS_PER_SECOND', 'fast'],
    ['GITHUB_CONCURRENCY', '0'],
    ['HF_TOP_LIST_PAGE_SIZE', '1001'],
    ['HF_TOP_LIST_PAGE_SIZE', '0'],
    ['HF_TOP_LIST_MAX_PAGES', '-1'],
    ['HF_TOP_LIST_MAX_PAGES', 'all'],
    ['UPSTREAM_TIMEOUT_SECONDS', '-1'],
    ['UPSTREAM_MAX_RETRIES', '11'],
    ['UPSTREAM_MAX_WAIT_SECONDS', '1.5'],
    ['TRUST_PROXY', 'loadbalancer'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '11'],
    ['RATE_LIMIT_DL_PER_MINUTE', '0'],
    ['RATE_LIMIT_INGEST_PER_MINUTE', 'lots'],
    ['RATE_LIMIT_READ_PER_MINUTE', '0'],
    ['RATE_LIMIT_EMBED_PER_MINUTE', '1.5'],
    ['RATE_LIMIT_KEY_FAILURES_PER_MINUTE', '-1'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['HOST', 'every interface'],
    ['HOST', '0.0.0.0:3000'],
    ['MODELPULSE_ADMIN_TOKEN', 'a'],
    ['HTTP_BODY_LIMIT_BYTES', '100'],
    ['HTTP_BODY_LIMIT_BYTES', 'big'],
    ['HTTP_HEADERS_TIMEOUT_SECONDS', '0'],
    ['HTTP_REQUEST_TIMEOUT_SECONDS', 'never'],
  ])('refuses %s=%p with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      parseEnv({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect((error as Error).message).toMatch(new RegExp(`^Invalid setting ${name}: `));
    expect((error as Error).message).not.toContain('\n');
  });
});
