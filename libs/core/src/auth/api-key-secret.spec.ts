import { digestSecret, isKeyPrefix, lastUseIsStale, newKeySecret, prefixOf, sameDigest } from './api-key-secret';

describe('API key secrets', () => {
  it('start with their public prefix and carry 32 random bytes after it', () => {
    const { prefix, secret } = newKeySecret();
    expect(isKeyPrefix(prefix)).toBe(true);
    expect(secret.startsWith(`${prefix}_`)).toBe(true);
    expect(Buffer.from(secret.slice(prefix.length + 1), 'base64url')).toHaveLength(32);
    expect(prefixOf(secret)).toBe(prefix);
  });

  it('are never drawn twice', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => newKeySecret().secret));
    expect(secrets.size).toBe(1000);
  });

  it('are told apart from anything else sent as a bearer key', () => {
    expect(prefixOf('mp_0a1b2c3d_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ')).toBe('mp_0a1b2c3d');
    expect(prefixOf('test-admin-token')).toBeNull();
    expect(prefixOf('mp_0a1b2c3d_short')).toBeNull();
    expect(prefixOf('mp_0A1B2C3D_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ')).toBeNull();
    expect(prefixOf('mp_0a1b2c3d_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ ')).toBeNull();
  });

  it('are compared by digest', () => {
    const digest = digestSecret('mp_0a1b2c3d_x');
    expect(digest.toString('hex')).toBe('9d43d7e7f9ed434231d84e82e1a3e6090547ce98188f69a3e4927bc2acb53c22');
    expect(sameDigest(digest, digestSecret('mp_0a1b2c3d_x'))).toBe(true);
    expect(sameDigest(digest, digestSecret('mp_0a1b2c3d_y'))).toBe(false);
    expect(sameDigest(digest, Buffer.alloc(0))).toBe(false);
  });
});

describe('last use', () => {
  const now = new Date('2025-01-20T12:00:00Z');

  it('is recorded for a key never used', () => {
    expect(lastUseIsStale(null, now)).toBe(true);
  });

  it('is not recorded again within a minute', () => {
    expect(lastUseIsStale(new Date('2025-01-20T11:59:00.001Z'), now)).toBe(false);
  });

  it('is recorded again once a minute has passed', () => {
    expect(lastUseIsStale(new Date('2025-01-20T11:59:00Z'), now)).toBe(true);
  });
});
