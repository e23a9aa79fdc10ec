import type { IncomingMessage } from 'node:http';
import { requestIdGenerator } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const from = (remoteAddress: string, id?: string | string[]) =>
  ({
    headers: id === undefined ? {} : { 'x-request-id': id },
    socket: { remoteAddress },
  }) as unknown as IncomingMessage;

describe('request ids', () => {
  it('makes a fresh UUID for each request', () => {
    const next = requestIdGenerator(false);
    const [a, b] = [next(from('10.0.0.1')), next(from('10.0.0.1'))];
    expect(a).toMatch(UUID);
    expect(b).not.toBe(a);
  });

  it("does not believe a client's X-Request-Id when no proxy is trusted", () => {
    expect(requestIdGenerator(false)(from('10.0.0.1', 'abc-123'))).toMatch(UUID);
  });

  it('keeps the id of any proxy with TRUST_PROXY=true or a number of hops', () => {
    expect(requestIdGenerator(true)(from('203.0.113.9', 'abc-123'))).toBe('abc-123');
    expect(requestIdGenerator(1)(from('203.0.113.9', 'abc-123'))).toBe('abc-123');
  });

  it('keeps it from a listed proxy or subnet only, IPv4-mapped addresses included', () => {
    const next = requestIdGenerator(['10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    expect(next(from('10.1.2.3', 'a1'))).toBe('a1');
    expect(next(from('::ffff:10.1.2.3', 'a2'))).toBe('a2');
    expect(next(from('fd00::1', 'a3'))).toBe('a3');
    expect(next(from('192.0.2.7', 'a4'))).toBe('a4');
    expect(next(from('192.0.2.8', 'a5'))).toMatch(UUID);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['a line break', 'a\nb'],
    ['a space', 'a b'],
    ['repeated', ['a', 'b']],
  ])('replaces one %s with a fresh id', (_case, id) => {
    expect(requestIdGenerator(true)(from('10.0.0.1', id))).toMatch(UUID);
  });

  it('keeps the longest sane id, 128 characters', () => {
    expect(requestIdGenerator(true)(from('10.0.0.1', 'x'.repeat(128)))).toBe('x'.repeat(128));
  });
});
