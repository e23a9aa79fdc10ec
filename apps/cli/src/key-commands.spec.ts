import { UsageError } from './command-table';
import { parseKeysCommand } from './key-commands';

describe('npm run cli -- keys', () => {
  it('reads create with a name, repeated scopes and repeated sources', () => {
    expect(
      parseKeysCommand([
        'create',
        '--name',
        'mirror uploader',
        '--scope',
        'catalog:write',
        '--scope',
        'stats:ingest',
        '--source',
        'mirror-eu',
        '--source=events',
      ]),
    ).toEqual({
      action: 'create',
      name: 'mirror uploader',
      scopes: ['catalog:write', 'stats:ingest'],
      sources: ['mirror-eu', 'events'],
    });
    expect(parseKeysCommand(['create', '--scope=admin', '--name=ops'])).toEqual({
      action: 'create',
      name: 'ops',
      scopes: ['admin'],
      sources: [],
    });
  });

  it('reads list and revoke', () => {
    expect(parseKeysCommand(['list'])).toEqual({ action: 'list' });
    expect(parseKeysCommand(['revoke', '0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a'])).toEqual({
      action: 'revoke',
      id: '0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a',
    });
  });

  it.each([
    [[], 'missing create, list or revoke'],
    [['rotate'], 'unknown keys command rotate'],
    [['create', '--name', 'no scope'], 'missing --scope <scope>'],
    [['create', '--scope', 'admin'], 'missing --name <name>'],
    [['create', '--name', 'x', '--scope', 'admin', '--ttl', '30d'], 'unknown option --ttl'],
    [['create', '--name', 'x', '--scope', 'admin', 'extra'], 'unexpected argument extra'],
    [['create', '--name'], '--name needs a value'],
    [['create', '--name', 'x', '--scope', 'stats:ingest', '--source'], '--source needs a value'],
    [['list', 'all'], 'unexpected argument all'],
    [['revoke'], 'missing <id>'],
    [['revoke', 'a', 'b'], 'unexpected argument b'],
  ])('refuses %j, naming what is wrong: %s', (args, message) => {
    expect(() => parseKeysCommand(args)).toThrow(new UsageError(message));
  });
});
