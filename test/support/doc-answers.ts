/**
 * Compares what an example's answer is with what the docs print under it,
 * ignoring what legitimately varies between runs: request ids, the moments
 * of "now" (createdAt, updatedAt, lastUsedAt, lastSyncedAt), key ids,
 * prefixes and secrets. A `…` in a printed string or a list stands for what
 * the docs leave out.
 */
export const VARYING_KEYS = new Set([
  'requestId',
  'createdAt',
  'updatedAt',
  'lastUsedAt',
  'lastSyncedAt',
  'secret',
  'prefix',
]);

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Differences between a printed JSON value and the real one; none when the printed one is a part of it. */
export function jsonDifferences(shown: unknown, actual: unknown, path = ''): string[] {
  if (typeof shown === 'string' && shown.includes('…')) {
    if (typeof actual !== 'string') return [`${path}: ${JSON.stringify(actual)} is not a string`];
    const [head, ...parts] = shown.split('…');
    let at = actual.startsWith(head) ? head.length : -1;
    for (const part of parts) at = at < 0 ? -1 : actual.indexOf(part, at);
    return at < 0 ? [`${path}: ${JSON.stringify(actual)} does not read ${JSON.stringify(shown)}`] : [];
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${path}: ${JSON.stringify(actual)} is not a list`];
    const open = shown.at(-1) === '…';
    const items = open ? shown.slice(0, -1) : shown;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return [`${path}: ${actual.length} items where the docs show ${shown.length}`];
    }
    return items.flatMap((item, i) => jsonDifferences(item, actual[i], `${path}[${i}]`));
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: ${JSON.stringify(actual)} is not an object`];
    }
    return Object.entries(shown).flatMap(([key, value]) =>
      VARYING_KEYS.has(key)
        ? []
        : key in actual
          ? jsonDifferences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`)
          : [`${path}.${key}: missing`],
    );
  }
  return Object.is(shown, actual)
    ? []
    : [`${path}: ${JSON.stringify(actual)} where the docs show ${JSON.stringify(shown)}`];
}

/** `"key":value` pairs in a printed text, for answers the docs abridge: each must be in the body as written. */
function fragments(text: string): string[] {
  return [...text.matchAll(/"([A-Za-z0-9_]+)":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/g)]
    .filter((m) => !VARYING_KEYS.has(m[1]))
    .map((m) => m[0]);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Every way the answer differs from what the docs print; empty when it answers as shown. */
export function answerDifferences(printed: string[], answer: Answer, grepHeader: string | null): string[] {
  const text = printed.join('\n').trim();
  const problems: string[] = [];
  if (grepHeader !== null) {
    const [name, ...value] = text.split(':');
    if (name.toLowerCase() !== grepHeader) return [`the docs print ${name}, the command keeps ${grepHeader}`];
    const actual = answer.headers[grepHeader];
    return actual === value.join(':').trim()
      ? []
      : [`${grepHeader}: ${actual} where the docs show ${value.join(':').trim()}`];
  }
  let body = text;
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (status) {
    if (answer.status !== Number(status[1])) problems.push(`status ${answer.status} where the docs show ${status[1]}`);
    const [head, ...rest] = text.split(/\n\s*\n/);
    for (const header of head.split('\n').slice(1)) {
      const [name, ...value] = header.split(':');
      const actual = answer.headers[name.trim().toLowerCase()];
      if (actual !== value.join(':').trim())
        problems.push(`${name}: ${actual} where the docs show ${value.join(':').trim()}`);
    }
    body = rest.join('\n\n').trim();
  } else if (!text.includes('"status":4') && !text.includes('"status": 4') && answer.status >= 400) {
    problems.push(`status ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  if (body === '') return problems;
  const shown = parseJson(body.replace(/\n\s*/g, ''));
  const actual = parseJson(answer.text);
  if (shown.ok && actual.ok) return [...problems, ...jsonDifferences(shown.value, actual.value)];
  const compact = actual.ok ? JSON.stringify(actual.value) : answer.text;
  for (const fragment of fragments(body)) {
    if (!compact.includes(fragment)) problems.push(`${fragment} is not in the answer`);
  }
  return problems;
}
