import { Scrape } from './prometheus';

describe('Scrape (the Prometheus text format the metrics tests read with)', () => {
  it('reads labelled histogram samples whatever the order of their labels', () => {
    const scrape = new Scrape(
      [
        '# HELP x_seconds How long',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{le="1",route="/v1/models/:org/:name"} 1',
        'x_seconds_bucket{le="+Inf",route="/v1/models/:org/:name"} 2',
        'x_seconds_sum{route="/v1/models/:org/:name"} 3.5',
        'x_seconds_count{route="/v1/models/:org/:name"} 2',
        'up{job="a\\"b\\\\c\\nd"} 1 1700000000000',
        'lag_seconds Nan',
        'limit_bytes +Inf',
        '',
      ].join('\n'),
    );
    expect(scrape.type('x_seconds')).toBe('histogram');
    expect(scrape.count('x_seconds', { route: '/v1/models/:org/:name' })).toBe(2);
    expect(scrape.sum('x_seconds', { route: '/v1/models/:org/:name' })).toBe(3.5);
    expect(scrape.value('x_seconds_bucket', { le: '+Inf', route: '/v1/models/:org/:name' })).toBe(2);
    expect(scrape.value('up', { job: 'a"b\\c\nd' })).toBe(1);
    expect(scrape.value('lag_seconds')).toBeNaN();
    expect(scrape.value('limit_bytes')).toBe(Infinity);
    expect(scrape.count('x_seconds', { route: '/other' })).toBe(0);
    expect(scrape.labelValues('x_seconds', 'route')).toEqual(['/v1/models/:org/:name']);
  });

  it.each([
    ['a bad metric name', '1x 1\n'],
    ['an unquoted label value', 'x{a=b} 1\n'],
    ['a value that is not a float', 'x 1,5\n'],
    ['an unknown type', '# TYPE x thing\nx 1\n'],
    ['a TYPE after its samples', 'x 1\n# TYPE x gauge\n'],
    ['a bucket without le', '# TYPE h histogram\nh_bucket{a="1"} 1\n'],
    ['no final line feed', 'x 1'],
  ])('refuses %s', (_what, text) => {
    expect(() => new Scrape(text)).toThrow();
  });
});
