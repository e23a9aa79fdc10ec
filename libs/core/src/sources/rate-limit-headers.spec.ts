import {
  backoffMs,
  parseGitHubRateLimit,
  parseHubRateLimit,
  parseNextLink,
  parseRetryAfterMs,
  requestedWaitMs,
} from './rate-limit-headers';

const NOW = new Date('2025-01-21T10:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads a number of seconds', () => {
    expect(parseRetryAfterMs('120', NOW)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfterMs('Tue, 21 Jan 2025 10:01:30 GMT', NOW)).toBe(90_000);
  });

  it('makes a date already past a wait of 0', () => {
    expect(parseRetryAfterMs('Tue, 21 Jan 2025 09:00:00 GMT', NOW)).toBe(0);
  });

  it.each([null, '', 'soon', '1.5', '-3'])('gives null for %p', (value) => {
    expect(parseRetryAfterMs(value, NOW)).toBeNull();
  });
});

describe('parseHubRateLimit', () => {
  it('reads what the hub sends: remaining and reset, and the quota of its policy', () => {
    expect(parseHubRateLimit('"api";r=0;t=55', '"fixed window";"api";q=500;w=300')).toEqual({
      remaining: 0,
      resetSeconds: 55,
      quota: 500,
      windowSeconds: 300,
    });
  });

  it('does without a policy header', () => {
    expect(parseHubRateLimit('"api";r=421;t=12', null)).toEqual({
      remaining: 421,
      resetSeconds: 12,
      quota: null,
      windowSeconds: null,
    });
  });

  it.each([null, '"api"', '"api";r=3', 'garbage'])('gives null for %p', (value) => {
    expect(parseHubRateLimit(value, null)).toBeNull();
  });
});

describe('parseGitHubRateLimit', () => {
  it('reads remaining requests and the reset time in epoch seconds', () => {
    expect(parseGitHubRateLimit('0', '1737453660')).toEqual({
      remaining: 0,
      resetAt: new Date('2025-01-21T10:01:00Z'),
    });
  });

  it('gives null when a header is missing or not a number', () => {
    expect(parseGitHubRateLimit(null, '1737453660')).toBeNull();
    expect(parseGitHubRateLimit('0', 'later')).toBeNull();
  });
});

describe('requestedWaitMs', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('prefers Retry-After', () => {
    expect(requestedWaitMs(headers({ 'retry-after': '7', ratelimit: '"api";r=0;t=55' }), NOW)).toBe(7000);
  });

  it('waits for the hub window to reset when its quota is spent', () => {
    expect(requestedWaitMs(headers({ ratelimit: '"api";r=0;t=55' }), NOW)).toBe(55_000);
  });

  it('does not wait while the hub quota lasts', () => {
    expect(requestedWaitMs(headers({ ratelimit: '"api";r=1;t=55' }), NOW)).toBeNull();
  });

  it('waits until the GitHub reset when no request is left', () => {
    expect(requestedWaitMs(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1737453630' }), NOW)).toBe(
      30_000,
    );
  });

  it('asks for nothing on an ordinary answer', () => {
    expect(requestedWaitMs(headers({ 'content-type': 'application/json' }), NOW)).toBeNull();
  });
});

describe('backoffMs', () => {
  it('doubles per attempt, half of it fixed and half jitter', () => {
    expect([1, 2, 3].map((attempt) => backoffMs(attempt, 1000, 30_000, 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((attempt) => backoffMs(attempt, 1000, 30_000, 0.5))).toEqual([750, 1500, 3000]);
  });

  it('stops growing at the ceiling', () => {
    expect(backoffMs(10, 1000, 30_000, 0.999999)).toBe(30_000);
  });
});

describe('parseNextLink', () => {
  it('finds the next page among other relations', () => {
    expect(
      parseNextLink(
        '<https://huggingface.co/api/models?author=Qwen&cursor=abc>; rel="next", <https://huggingface.co/api/models?author=Qwen>; rel="first"',
      ),
    ).toBe('https://huggingface.co/api/models?author=Qwen&cursor=abc');
  });

  it('gives null without a next relation', () => {
    expect(parseNextLink('<https://x.test/a>; rel="prev"')).toBeNull();
    expect(parseNextLink(null)).toBeNull();
  });
});
