import { jsonDepthExceeds, jsonDepthProblem, MAX_JSON_DEPTH } from './request-limits';

describe('the JSON nesting bound', () => {
  it('lets through a body nested exactly to the limit and stops one level deeper', () => {
    const at = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(jsonDepthExceeds(at(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(at(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('counts objects and arrays alike, and siblings do not add up', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}],"c":[{"d":[2]}],"e":[[3],[4]]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('takes brackets inside strings, escaped quotes too, as text', () => {
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`, 2)).toBe(false);
  });

  it('names the field and the limit in its 400', () => {
    const problem = jsonDepthProblem(Buffer.from('['.repeat(2000)));
    expect(problem?.type).toBe('invalid-request');
    expect(problem?.errors).toEqual([{ field: 'body', message: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) }]);
    expect(jsonDepthProblem('{"events":[]}')).toBeNull();
  });
});
