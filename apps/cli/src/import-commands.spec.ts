import { UsageError } from './command-table';
import { parseImportCommand } from './import-commands';

describe('parseImportCommand', () => {
  it('reads hub ids and an author with an optional limit', () => {
    expect(parseImportCommand(['huggingface', 'Qwen/QwQ-32B', 'deepseek-ai/DeepSeek-R1'])).toEqual({
      action: 'ids',
      ids: ['Qwen/QwQ-32B', 'deepseek-ai/DeepSeek-R1'],
    });
    expect(parseImportCommand(['huggingface', '--author', 'Qwen'])).toEqual({
      action: 'author',
      author: 'Qwen',
      limit: 1000,
    });
    expect(parseImportCommand(['huggingface', '--author', 'Qwen', '--limit', '50'])).toEqual({
      action: 'author',
      author: 'Qwen',
      limit: 50,
    });
  });

  it.each([
    [[], 'missing the hub (huggingface)'],
    [['github', 'a/b'], 'unknown hub github (only huggingface)'],
    [['huggingface'], 'missing <org/name> (or --author <org>)'],
    [['huggingface', 'not-an-id'], 'not a model id: "not-an-id" (expected org/name)'],
    [['huggingface', '--author'], '--author needs a value'],
    [['huggingface', '--author', 'Qwen', 'a/b'], '--author takes no model ids (got a/b)'],
    [['huggingface', '--author', 'a/b'], '--author must be a hub author, got "a/b"'],
    [['huggingface', '--author', 'Qwen', '--limit', '0'], '--limit must be a whole number above 0, got "0"'],
    [['huggingface', '--author', 'Qwen', '--limit', 'many'], '--limit must be a whole number above 0, got "many"'],
    [['huggingface', 'a/b', '--limit', '5'], '--limit goes with --author'],
    [['huggingface', '--force', 'a/b'], 'unknown option --force'],
  ])('refuses %j as a usage error: %s', (args, message) => {
    expect(() => parseImportCommand(args)).toThrow(new UsageError(message));
  });
});
