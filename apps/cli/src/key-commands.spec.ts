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

  it('asks for the usage when something is missing or extra', () => {
    expect(parseKeysCommand([])).toBeNull();
    expect(parseKeysCommand(['rotate'])).toBeNull();
    expect(parseKeysCommand(['create', '--name', 'no scope'])).toBeNull();
    expect(parseKeysCommand(['create', '--scope', 'admin'])).toBeNull();
    expect(parseKeysCommand(['create', '--name', 'x', '--scope', 'admin', '--ttl', '30d'])).toBeNull();
    expect(parseKeysCommand(['create', '--name', 'x', '--scope', 'admin', 'extra'])).toBeNull();
    expect(parseKeysCommand(['create', '--name'])).toBeNull();
    expect(parseKeysCommand(['create', '--name', 'x', '--scope', 'stats:ingest', '--source'])).toBeNull();
    expect(parseKeysCommand(['list', 'all'])).toBeNull();
    expect(parseKeysCommand(['revoke'])).toBeNull();
    expect(parseKeysCommand(['revoke', 'a', 'b'])).toBeNull();
  });
});
