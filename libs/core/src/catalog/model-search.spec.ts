import { prefixQuery, searchSql, searchWords } from './model-search';

describe('search words', () => {
  it('split an id where a person sees words: at - . / and spaces, in lower case', () => {
    expect(searchWords('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B')).toEqual([
      'deepseek',
      'ai',
      'deepseek',
      'r1',
      'distill',
      'qwen',
      '1',
      '5b',
    ]);
  });

  it('keep letters of any script and drop everything that could be tsquery syntax', () => {
    expect(searchWords("Tülu 3 & !o'brien:* | (x)")).toEqual(['tülu', '3', 'o', 'brien', 'x']);
    expect(prefixQuery(searchWords("qwen:* & !x | 'y'"))).toBe('qwen:* & x:* & y:*');
  });

  it('are none for a q without a letter or digit, which then matches nothing', () => {
    expect(searchWords(' %-_/ ')).toEqual([]);
    expect(searchSql('%', () => '$1').condition).toBe('false');
  });

  it('ask for every word as a prefix', () => {
    expect(prefixQuery(['deepseek', 'dist'])).toBe('deepseek:* & dist:*');
  });
});
