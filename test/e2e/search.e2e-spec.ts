import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';

interface Listed {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  license: { id: string } | null;
}

const DISTILLS = [
  'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
  'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
];

/** Whether a listed model holds the word at the start of one of its words, as a person reading it would check. */
const holds = (model: Listed, word: string): boolean =>
  [model.id, model.name, model.description ?? '', ...model.tags]
    .join(' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .some((part) => part.startsWith(word));

/** Search in the seeded catalogue: every word of q, in any order, best matches first. */
describe('catalogue search (seeded)', () => {
  let t: TestApp;
  const list = async (query: string): Promise<{ data: Listed[]; nextCursor: string | null }> =>
    (await request(t.http).get(`/v1/models?${query}`).expect(200)).body as {
      data: Listed[];
      nextCursor: string | null;
    };
  const ids = async (query: string): Promise<string[]> => (await list(query)).data.map((m) => m.id);
  const sorted = (values: string[]) => [...values].sort();
  const fieldsOf = async (query: string): Promise<string[]> => {
    const response = await request(t.http).get(`/v1/models?${query}`).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return (response.body as { errors: { field: string }[] }).errors.map((e) => e.field);
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(() => t.close());

  it('finds the DeepSeek-R1 distills with two words, which one substring never matched', async () => {
    expect(sorted(await ids('q=deepseek%20distill&limit=100'))).toEqual(DISTILLS);
  });

  it.each(['deepseek distill', 'qwen distill', 'llama 8b', 'r1 qwen', 'reasoning math', 'gemma it 27b', 'dist'])(
    'answers q=%p with models that hold every word',
    async (q) => {
      const { data } = await list(`q=${encodeURIComponent(q)}&limit=100`);
      expect(data.length).toBeGreaterThan(0);
      for (const model of data)
        for (const word of q.split(' ')) expect([model.id, holds(model, word)]).toEqual([model.id, true]);
    },
  );

  it('narrows with each word: qwen distill is the four Qwen distills', async () => {
    expect(sorted(await ids('q=qwen%20distill&limit=100'))).toEqual(DISTILLS.filter((id) => id.includes('Qwen')));
  });

  it('gives the same models for the words in any order and any letter case', async () => {
    const one = await ids('q=deepseek%20distill%20qwen&limit=100');
    expect(await ids('q=Qwen%20DISTILL%20DeepSeek&limit=100')).toEqual(one);
    expect(await ids('q=distill-qwen/deepseek&limit=100')).toEqual(one);
  });

  it('matches words inside ids split at - . and /, and word beginnings', async () => {
    expect(await ids('q=r1&limit=100')).toEqual(expect.arrayContaining(['deepseek-ai/DeepSeek-R1', ...DISTILLS]));
    expect(sorted(await ids('q=dist&limit=100'))).toEqual(DISTILLS);
    expect(await ids('q=1.5b%20distill')).toEqual(['deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B']);
    // Letters of other scripts stay in their words, whatever the database's locale (the embedded one's is C).
    expect(sorted(await ids('q=t%C3%BClu%20olmo'))).toEqual([
      'allenai/OLMo-2-1124-13B-Instruct',
      'allenai/OLMo-2-1124-7B-Instruct',
    ]);
    // A word is matched from its start: "seek" is not a word of DeepSeek.
    expect(await ids('q=seek')).toEqual([]);
  });

  it('puts an exact id or name first, then the rest by relevance', async () => {
    for (const q of ['DeepSeek-R1', 'deepseek r1', 'deepseek-ai/DeepSeek-R1']) {
      const found = await ids(`q=${encodeURIComponent(q)}&limit=100`);
      expect(found[0]).toBe('deepseek-ai/DeepSeek-R1');
      expect(found).toEqual(expect.arrayContaining(DISTILLS));
    }
    expect((await ids('q=qwen3%208b'))[0]).toBe('Qwen/Qwen3-8B');
    // A word in the id weighs more than the same word only in the tags.
    const math = await ids('q=math&limit=100');
    expect(math).toEqual(expect.arrayContaining(['Qwen/Qwen2.5-Math-7B', 'microsoft/phi-4']));
    expect(math.indexOf('Qwen/Qwen2.5-Math-7B')).toBeLessThan(math.indexOf('microsoft/phi-4'));
  });

  it('keeps an asked sort, q then only filters', async () => {
    const byName = await ids('q=deepseek%20distill&sort=name&limit=100');
    expect(byName).toEqual(DISTILLS);
  });

  it('walks the relevance order page by page to the same list as one big page', async () => {
    const whole = await ids('q=qwen&limit=100');
    expect(whole.length).toBeGreaterThan(6);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Listed[]; nextCursor: string | null } = await list(
        `q=qwen&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      walked.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(whole);
  });

  it('refuses a relevance cursor for another order, sort or q', async () => {
    const { nextCursor } = await list('q=qwen&limit=3');
    expect(nextCursor).not.toBeNull();
    expect(await fieldsOf(`q=qwen&sort=name&limit=3&cursor=${nextCursor}`)).toEqual(['cursor']);
    expect(await fieldsOf(`q=qwen&order=asc&limit=3&cursor=${nextCursor}`)).toEqual(['cursor']);
    expect(await fieldsOf(`q=llama&limit=3&cursor=${nextCursor}`)).toEqual(['cursor']);
    expect(await fieldsOf(`limit=3&cursor=${nextCursor}`)).toEqual(['cursor']);
  });

  it('combines with the other filters', async () => {
    const { data } = await list('q=distill&license=mit&minParams=10B&limit=100');
    expect(sorted(data.map((m) => m.id))).toEqual([
      'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
      'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',
      'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
    ]);
    expect(await ids('q=distill&organization=Qwen')).toEqual([]);
    expect(await ids('q=instruct%20awq&tag=quantized&limit=100')).toEqual(
      expect.arrayContaining(['Qwen/Qwen2.5-7B-Instruct-AWQ', 'Qwen/Qwen2.5-72B-Instruct-AWQ']),
    );
  });

  it('matches nothing for a q of spaces and punctuation only', async () => {
    expect(await ids('q=%25')).toEqual([]);
    expect(await ids('q=-%20/')).toEqual([]);
  });

  it.each(["a:* & !b | (c) <-> 'd'", '\u2019', 'ai\u2019s', '\u{1F999}'.repeat(50), '\u00fc'.repeat(200), 'x\\y:*'])(
    'answers an odd q (%p) with a list, never a 500: tsquery syntax is a word break',
    async (q) => {
      const { data } = await list(`q=${encodeURIComponent(q)}`);
      expect(Array.isArray(data)).toBe(true);
    },
  );

  it.each([
    [`q=${'a '.repeat(17)}`, 'q'],
    [`search=${'a '.repeat(17)}`, 'search'],
    [`q=${'a'.repeat(201)}`, 'q'],
    ['sort=relevance', 'sort'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    expect(await fieldsOf(query.replace(/ /g, '%20'))).toEqual([field]);
  });
});
