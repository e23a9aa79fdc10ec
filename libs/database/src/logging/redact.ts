import type { Env } from '@modelpulse/config';

/** What stands in a log line where a secret was. */
export const REDACTED = '[redacted]';

/**
 * Shorter values are not hunted for in every line: they would blank out
 * ordinary words. Settings this short are not secrets worth the name.
 */
const MIN_SECRET_LENGTH = 4;

/**
 * An API key secret (`mp_` + 8 hex digits + `_` + 43 base64url characters,
 * libs/core/src/auth/api-key-secret.ts): the public prefix is kept, so a line
 * still says which key it was.
 */
const KEY_SECRET = /\b(mp_[0-9a-f]{8})_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

function urlPassword(url: string | null): string[] {
  if (url === null) return [];
  try {
    const password = new URL(url).password;
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

/** The secrets among the settings: tokens, and the passwords inside the database and Redis URLs. */
export function settingSecrets(
  env: Pick<Env, 'adminToken' | 'hfToken' | 'githubToken' | 'databaseUrl' | 'redisUrl'>,
): string[] {
  return [env.adminToken, env.hfToken, env.githubToken, ...urlPassword(env.databaseUrl), ...urlPassword(env.redisUrl)]
    .filter((value): value is string => value !== null && value.length >= MIN_SECRET_LENGTH)
    .filter((value, index, all) => all.indexOf(value) === index);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A function that blanks out, in a finished log line, every known secret
 * (as written and as JSON would escape it) and anything shaped like an API
 * key secret. It runs on every line, whatever logged it and however the
 * secret got there (a header, an error message, a URL).
 */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  // Longest first, so a secret that contains another is blanked whole; one pass over the line for all of them.
  const unique = [...new Set(forms)].sort((a, b) => b.length - a.length);
  const anything = new RegExp([KEY_SECRET.source, ...unique.map(escapeRegExp)].join('|'), 'g');
  return (line) =>
    line.replace(anything, (found, keyPrefix?: string) => (keyPrefix ? `${keyPrefix}_${REDACTED}` : REDACTED));
}
