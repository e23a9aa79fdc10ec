import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `mp_` and 8 hex digits: public, stored in clear, enough to tell keys apart and to find one. */
const PREFIX_PATTERN = /^mp_[0-9a-f]{8}$/;
/** 32 random bytes in base64url after the prefix: 256 bits, beyond any guessing. */
const SECRET_PATTERN = /^(mp_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

/** How long a recorded last use stays good enough: authentication writes at most once a minute per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface KeySecret {
  prefix: string;
  secret: string;
}

export function newKeySecret(): KeySecret {
  const prefix = `mp_${randomBytes(4).toString('hex')}`;
  return { prefix, secret: `${prefix}_${randomBytes(32).toString('base64url')}` };
}

/** The public prefix of something shaped like a key secret, else null (it cannot be one of ours). */
export function prefixOf(secret: string): string | null {
  return SECRET_PATTERN.exec(secret)?.[1] ?? null;
}

export const isKeyPrefix = (value: string): boolean => PREFIX_PATTERN.test(value);

export const digestSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** Constant-time comparison of two SHA-256 digests. */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function lastUseIsStale(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}
