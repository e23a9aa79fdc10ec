import { decodeCursor, defaultOrder, encodeCursor, InvalidCursorError, type ModelListQuery } from './model-list';

const query: Pick<ModelListQuery, 'filters' | 'sort' | 'order'> = {
  filters: { licenses: ['mit', 'apache-2.0'], minParams: 7_000_000_000 },
  sort: 'parameters',
  order: 'desc',
};

describe('model list cursors', () => {
  it('carry the position of the last row back', () => {
    const cursor = encodeCursor(query, { value: '671000000000', slug: 'deepseek-ai/DeepSeek-R1' });
    expect(decodeCursor(query, cursor)).toEqual({ value: '671000000000', slug: 'deepseek-ai/DeepSeek-R1' });
  });

  it('do not care about the order or letter case of list filters', () => {
    const cursor = encodeCursor(query, { value: null, slug: 'a/b' });
    const same = { ...query, filters: { licenses: ['APACHE-2.0', 'mit'], minParams: 7_000_000_000 } };
    expect(decodeCursor(same, cursor)).toEqual({ value: null, slug: 'a/b' });
  });

  it.each([
    ['another sort', { ...query, sort: 'name' as const }],
    ['another order', { ...query, order: 'asc' as const }],
    ['another filter', { ...query, filters: { ...query.filters, task: 'text-generation' } }],
    ['a filter left out', { ...query, filters: { licenses: ['mit', 'apache-2.0'] } }],
  ])('are refused with %s', (_, other) => {
    const cursor = encodeCursor(query, { value: '1', slug: 'a/b' });
    expect(() => decodeCursor(other, cursor)).toThrow(InvalidCursorError);
  });

  it.each(['not-a-cursor', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[]').toString('base64url')])(
    'refuse what the API did not issue: %p',
    (cursor) => {
      expect(() => decodeCursor(query, cursor)).toThrow(InvalidCursorError);
    },
  );

  it('default to biggest first, but names from A', () => {
    expect(defaultOrder('downloads')).toBe('desc');
    expect(defaultOrder('releaseDate')).toBe('desc');
    expect(defaultOrder('name')).toBe('asc');
  });
});
