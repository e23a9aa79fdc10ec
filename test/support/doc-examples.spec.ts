import { answerDifferences, jsonDifferences } from './doc-answers';
import { extractExamples, parseCurl } from './doc-examples';

const FENCE = '```';

describe('reading the examples out of Markdown', () => {
  const markdown = [
    'Some prose with curl in it, outside a block.',
    `${FENCE}sh`,
    '# A caption of the next command',
    'curl -s \'localhost:3000/v1/rankings/trending?asOf=2025-01-27\'   # "rank":1',
    'curl -s -X POST localhost:3000/v1/observations -H "Authorization: Bearer $TOKEN" \\',
    "  -H 'Content-Type: application/json' -d '{\"observations\":[",
    '    {"model":"a/b"}]}\'',
    '# {"accepted":1}',
    FENCE,
    `${FENCE}text`,
    "$ curl -si 'localhost:3000/v1/models/acme/launch'",
    'HTTP/1.1 301 Moved Permanently',
    'location: /v1/models/acme-labs/Launch-v2',
    '',
    '{"status":301}',
    FENCE,
  ].join('\n');
  const examples = extractExamples('doc.md', markdown);

  it('finds each curl of a block, its line, and the answer under it or beside it, never a caption', () => {
    expect(examples.map((e) => [e.line, e.answer])).toEqual([
      [4, ['"rank":1']],
      [5, ['{"accepted":1}']],
      [11, ['HTTP/1.1 301 Moved Permanently', 'location: /v1/models/acme-labs/Launch-v2', '', '{"status":301}']],
    ]);
  });

  it('joins a command over backslashes and a quoted body over lines, and reads its method, headers and body', () => {
    const curl = parseCurl(examples[1].command, { TOKEN: 'secret' });
    expect(curl).toMatchObject({
      method: 'POST',
      path: '/v1/observations',
      headers: { Authorization: 'Bearer secret', 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(curl.body!)).toEqual({ observations: [{ model: 'a/b' }] });
    expect(parseCurl(examples[2].command, {})).toMatchObject({ method: 'GET', withHeaders: true });
  });
});

describe('comparing an answer with what the docs print', () => {
  const ok = (text: string, status = 200) => ({ status, headers: {}, text });

  it('takes a printed object as a part of the answer, and `…` as what it leaves out', () => {
    expect(
      jsonDifferences({ a: 1, s: 'trend…f8', l: [1, '…'] }, { a: 1, b: 2, s: 'trending-v1-f8', l: [1, 2] }),
    ).toEqual([]);
    expect(jsonDifferences({ a: 1, l: [1] }, { a: 2, l: [1, 2] })).toEqual([
      '.a: 2 where the docs show 1',
      '.l: 2 items where the docs show 1',
    ]);
  });

  it('ignores what varies between runs (request ids, times of now), and nothing else', () => {
    expect(jsonDifferences({ requestId: 'x', createdAt: 'y', total: 1 }, { requestId: 'z', total: 1 })).toEqual([]);
  });

  it('checks the "key":value pairs of an abridged answer, the status and the headers of a -i one', () => {
    expect(answerDifferences(['"rank":1, then more'], ok('{"rank":1}'), null)).toEqual([]);
    expect(answerDifferences(['"rank":1, then more'], ok('{"rank":2}'), null)).toEqual([
      '"rank":1 is not in the answer',
    ]);
    expect(answerDifferences([], ok('{}', 404), null)).toEqual(['status 404: {}']);
    const moved = { status: 404, headers: {}, text: '{"status":404}' };
    expect(answerDifferences(['HTTP/1.1 301 Moved', 'location: /x', '', '{"status":301}'], moved, null)).toEqual([
      'status 404 where the docs show 301',
      'location: undefined where the docs show /x',
      '.status: 404 where the docs show 301',
    ]);
  });
});
