import { ALL_TAG, cacheKey, cacheTag, isPerClientHeader, isShareable, modelTag } from './cache-key';

describe('cacheKey', () => {
  it('names one answer whatever order its query parameters come in', () => {
    expect(cacheKey('/v1/rankings/trending?limit=5&license=mit', undefined)).toBe(
      cacheKey('/v1/rankings/trending?license=mit&limit=5', undefined),
    );
  });

  it('keeps the order of a repeated parameter, and the spellings of one value together', () => {
    expect(cacheKey('/v1/models?q=a&q=b', undefined)).not.toBe(cacheKey('/v1/models?q=b&q=a', undefined));
    expect(cacheKey('/v1/models?q=deep%20seek', undefined)).toBe(cacheKey('/v1/models?q=deep+seek', undefined));
  });

  it('tells answers of another type apart: the stats series as JSON and as CSV', () => {
    const path = '/v1/models/deepseek-ai/DeepSeek-R1/stats';
    expect(cacheKey(path, 'text/csv')).not.toBe(cacheKey(path, 'application/json'));
    expect(cacheKey(path, 'Text/CSV, */*')).toBe(cacheKey(path, 'text/csv,*/*'));
  });

  it('tells CSV from JSON whether it was asked for by format=csv or by Accept', () => {
    const path = '/v1/rankings/trending?limit=5';
    const json = cacheKey(path, 'application/json');
    const byFormat = cacheKey(`${path}&format=csv`, 'application/json');
    const byAccept = cacheKey(path, 'text/csv');
    expect(new Set([json, byFormat, byAccept]).size).toBe(3);
    expect(cacheKey('/v1/models?format=csv', undefined)).not.toBe(cacheKey('/v1/models?format=json', undefined));
  });

  it('keeps unknown parameters apart and a trailing "?" with none', () => {
    expect(cacheKey('/v1/models?x=1', undefined, '/v1/models')).not.toBe(
      cacheKey('/v1/models', undefined, '/v1/models'),
    );
    expect(cacheKey('/v1/licenses?', undefined)).toBe(cacheKey('/v1/licenses', undefined));
  });

  it('leaves out of an SVG badge\u2019s key the parameters the badge ignores, and keeps the ones it reads', () => {
    const route = '/badges/:org/:name/:metric.svg';
    const plain = cacheKey('/badges/a/b/likes.svg?style=plastic', undefined, route);
    expect(cacheKey('/badges/a/b/likes.svg?v=1&style=plastic', undefined, route)).toBe(plain);
    expect(cacheKey('/badges/a/b/likes.svg?style=plastic&cachebust=2&x=y', undefined, route)).toBe(plain);
    expect(cacheKey('/badges/a/b/likes.svg?style=social', undefined, route)).not.toBe(plain);
    for (const option of ['label=x', 'color=red', 'labelColor=red', 'logo=hf', 'logoColor=red', 'cacheSeconds=900']) {
      expect(cacheKey(`/badges/a/b/likes.svg?style=plastic&${option}`, undefined, route)).not.toBe(plain);
    }
    // The endpoint JSON refuses unknown parameters (a 400, never kept), so its key keeps them.
    const jsonRoute = '/badges/:org/:name/:metric.json';
    expect(cacheKey('/badges/a/b/likes.json?v=1', undefined, jsonRoute)).not.toBe(
      cacheKey('/badges/a/b/likes.json', undefined, jsonRoute),
    );
  });
});

describe('cacheTag', () => {
  it("ties a model's series, chart and badges to that model, in any letter case", () => {
    const params = { org: 'DeepSeek-AI', name: 'DeepSeek-R1', metric: 'downloads' };
    expect(cacheTag('/badges/:org/:name/:metric.svg', params)).toBe(modelTag('deepseek-ai/deepseek-r1'));
    expect(cacheTag('/v1/models/:org/:name/stats', params)).toBe('model:deepseek-ai/deepseek-r1');
  });

  it('ties what shows a rank or a list to every change', () => {
    const params = { org: 'a', name: 'b', metric: 'trending' };
    expect(cacheTag('/badges/:org/:name/:metric.svg', params)).toBe(ALL_TAG);
    expect(cacheTag('/v1/models/:org/:name', params)).toBe(ALL_TAG);
    expect(cacheTag('/v1/rankings/trending', {})).toBe(ALL_TAG);
    const model = { org: 'a', name: 'b' };
    expect(cacheTag('/v1/models/:org/:name/chart.svg', model, { metric: 'rank' })).toBe(ALL_TAG);
    expect(cacheTag('/v1/models/:org/:name/chart.svg', model, { metric: 'likes' })).toBe(modelTag('a/b'));
  });

  it('keeps nothing of writes, private reads or pages no route matched', () => {
    expect(cacheTag('/v1/admin/api-keys', {})).toBeNull();
    expect(cacheTag('/v1/sync/runs', {})).toBeNull();
    expect(cacheTag('/dl/:org/:name', {})).toBeNull();
    expect(cacheTag(undefined, {})).toBeNull();
  });
});

describe('what an entry keeps', () => {
  it("never keeps a client's own headers", () => {
    for (const name of ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Set-Cookie']) {
      expect(isPerClientHeader(name)).toBe(true);
    }
    // CORS's are the same for every client of a kept route (any origin may read it), so they stay.
    for (const name of [
      'content-type',
      'etag',
      'cache-control',
      'link',
      'content-security-policy',
      'vary',
      'access-control-allow-origin',
    ]) {
      expect(isPerClientHeader(name)).toBe(false);
    }
  });

  it('never shares an answer marked no-store or private', () => {
    expect(isShareable('no-store')).toBe(false);
    expect(isShareable('private, max-age=60')).toBe(false);
    expect(isShareable('public, max-age=300')).toBe(true);
    expect(isShareable(undefined)).toBe(true);
  });
});
