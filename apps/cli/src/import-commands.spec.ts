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
    [[]],
    [['github', 'a/b']],
    [['huggingface']],
    [['huggingface', 'not-an-id']],
    [['huggingface', '--author']],
    [['huggingface', '--author', 'Qwen', 'a/b']],
    [['huggingface', '--author', 'a/b']],
    [['huggingface', '--author', 'Qwen', '--limit', '0']],
    [['huggingface', '--author', 'Qwen', '--limit', 'many']],
    [['huggingface', 'a/b', '--limit', '5']],
    [['huggingface', '--force', 'a/b']],
  ])('refuses %j as a usage error', (args) => {
    expect(parseImportCommand(args)).toBeNull();
  });
});
