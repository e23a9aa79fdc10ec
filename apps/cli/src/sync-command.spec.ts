import { groupErrors } from './sync-command';

describe('the errors a sync prints', () => {
  it('are one line per source and reason, most frequent first, whatever the request path', () => {
    const down = (model: string) => ({
      model,
      source: 'huggingface',
      error: `HTTP 503 after 4 attempts (/api/models/${model})`,
    });
    const errors = [
      { model: 'acme/a', source: 'github', error: 'HTTP 500 after 4 attempts (/repos/acme/a)' },
      ...['acme/b', 'acme/c', 'acme/d', 'acme/e', 'acme/f'].map(down),
      { model: 'acme/g', source: 'huggingface', error: 'malformed JSON: Unexpected token <' },
    ];
    expect(groupErrors(errors)).toEqual([
      '5 × huggingface: HTTP 503 after 4 attempts (acme/b, acme/c, acme/d and 2 more)',
      '1 × github: HTTP 500 after 4 attempts (acme/a)',
      '1 × huggingface: malformed JSON: Unexpected token < (acme/g)',
    ]);
  });

  it('count every error once: the counts add up to the list stored on the run', () => {
    const errors = Array.from({ length: 117 }, (_, i) => ({
      model: `org${i % 7}/m${i}`,
      source: i % 3 === 0 ? 'github' : 'huggingface',
      error: i % 2 === 0 ? `HTTP 429 after 4 attempts (/x/${i})` : `timeout after 30 s (/y/${i})`,
    }));
    const lines = groupErrors(errors);
    expect(lines).toHaveLength(4);
    const total = lines.reduce((sum, line) => sum + Number(/^(\d+) ×/.exec(line)![1]), 0);
    expect(total).toBe(errors.length);
  });

  it('are none when the run had none', () => {
    expect(groupErrors([])).toEqual([]);
  });
});
