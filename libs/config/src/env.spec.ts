import { InvalidSettingError, parseEnv } from './env';

describe('parseEnv', () => {
  it('fills in the documented defaults', () => {
    const env = parseEnv({}, '/srv/app');
    expect(env).toEqual({
      port: 3000,
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
      githubRequestsPerSecond: 1,
      githubConcurrency: 2,
      upstreamTimeoutSeconds: 20,
      upstreamMaxRetries: 3,
      upstreamMaxWaitSeconds: 900,
      trustProxy: false,
      rateLimitDlPerMinute: 60,
      rateLimitIngestPerMinute: 120,
      dbConnectTimeoutSeconds: 1,
      dbAcquireTimeoutSeconds: 1,
      dbStatementTimeoutSeconds: 1,
      redisUrl: null,
      redisKeyPrefix: 'modelpulse:',
    });
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
    ['UPSTREAM_TIMEOUT_SECONDS', '-1'],
    ['UPSTREAM_MAX_RETRIES', '11'],
    ['UPSTREAM_MAX_WAIT_SECONDS', '1.5'],
    ['TRUST_PROXY', 'loadbalancer'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '11'],
    ['RATE_LIMIT_DL_PER_MINUTE', '0'],
    ['RATE_LIMIT_INGEST_PER_MINUTE', 'lots'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', '127.0.0.1:6379'],
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
