import { prefixQuery, searchSql, searchWords } from './model-search';

describe('search words', () => {
  it('split an id where a person sees words: at - . / _ and spaces (PostgreSQL lower-cases them)', () => {
    expect(searchWords('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B my_model')).toEqual([
      'deepseek',
      'ai',
      'DeepSeek',
      'R1',
      'Distill',
      'Qwen',
      '1',
      '5B',
      'my',
      'model',
    ]);
  });

  it('keep letters of any script and drop everything that could be tsquery syntax', () => {
    expect(searchWords("Tülu\t3 & !o'brien:* | (x) <-> \\y`z{w}~v[u]^t")).toEqual([
      'Tülu',
      '3',
      'o',
      'brien',
      'x',
      'y',
      'z',
      'w',
      'v',
      'u',
      't',
    ]);
    expect(prefixQuery(searchWords("qwen:* & !x | 'y'"))).toBe('qwen:* & x:* & y:*');
  });

  it('are none for a q of spaces and punctuation only, which then matches nothing', () => {
    expect(searchWords(' %-_/ ')).toEqual([]);
    expect(searchSql('%', () => '$1').condition).toBe('false');
  });

  it('ask for every word as a prefix', () => {
    expect(prefixQuery(['deepseek', 'dist'])).toBe('deepseek:* & dist:*');
  });
});
