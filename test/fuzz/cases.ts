import fc from 'fast-check';
import type { Operation, Parameter, Schema } from './operations';
import {
  HOSTILE,
  INVALID_UTF8,
  ODD_CONTENT_TYPES,
  RawJson,
  invalidUtf8Bytes,
  nearValid,
  type Category,
  type Dictionary,
  type ValueCategory,
} from './values';

/** Who the request claims to be: no key, keys that are not keys, and a valid key of each kind. */
export const AUTHS = [
  'none',
  'unknown-key',
  'malformed',
  'admin-token',
  'catalog:write',
  'stats:ingest',
  'admin',
] as const;
export type Auth = (typeof AUTHS)[number];

export interface WireRequest {
  method: string;
  /** Path and query string, already percent-encoded as they go on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzCase {
  category: Category;
  auth: Auth;
  /** Which input carries the hostile value (`query:limit`, `body:observations.0.model`, `url`). */
  target: string;
  /** The URL no longer matches the route (a raw `/` in a segment, an empty segment): the generic 404 holds. */
  leavesRoute: boolean;
  request: Omit<WireRequest, 'headers'> & { headers: Record<string, string> };
}

export interface CaseSettings {
  /** The body limit of the app under test: "oversized" bodies are just over it. */
  bodyLimitBytes: number;
}

type Values = Record<string, unknown>;

interface Draft {
  path: Values;
  query: [string, string][];
  body: unknown;
  rawPath: Set<string>;
  headers: Record<string, string>;
  bodyBytes?: Buffer;
  target: string;
}

const EXTRA = 'fuzz';

/** A value already percent-encoded for the URL (invalid UTF-8 must not be encoded twice). */
export class PercentEncoded {
  constructor(readonly wire: string) {}
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) goes
 * out as the three bytes of its code point: one more kind of invalid UTF-8.
 */
function encode(text: string): string {
  return text.replace(/[^\uD800-\uDFFF]+|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g, (part) => {
    try {
      return encodeURIComponent(part);
    } catch {
      const code = part.charCodeAt(0);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    }
  });
}

/** Marks a query value as already percent-encoded. */
const ENCODED = '\u0003';

function wireText(value: unknown): string {
  if (value instanceof PercentEncoded) return ENCODED + value.wire;
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** JSON with each RawJson written as its exact text. */
export function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001raw${raws.length - 1}\u0001`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]);
}

/** Every place in a JSON value one can put another value: `observations.0.model`, `observations`, ''. */
function slotsOf(value: unknown, prefix = ''): string[] {
  const slots = prefix === '' ? [''] : [prefix];
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const [key, child] of Object.entries(value))
      slots.push(...slotsOf(child, prefix === '' ? key : `${prefix}.${key}`));
  }
  return slots;
}

/** A deep copy that keeps RawJson values (structuredClone would turn them into plain objects). */
function clone(value: unknown): unknown {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, clone(child)]));
}

function put(value: unknown, slot: string, replacement: unknown): unknown {
  if (slot === '') return replacement;
  const copy = clone(value) as Record<string, unknown>;
  const keys = slot.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = replacement;
  return copy;
}

function nested(depth: number, asObject: boolean): RawJson {
  return new RawJson(
    asObject ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + '1' + ']'.repeat(depth),
  );
}

function baseDraft(operation: Operation, resolve: (s: Schema) => Schema, dictionary: Dictionary): fc.Arbitrary<Draft> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const hasModelPath = pathParams.some((p) => p.name === 'org') && pathParams.some((p) => p.name === 'name');
  const modelPair =
    hasModelPath && dictionary.modelIds.length > 0
      ? fc.option(fc.constantFrom(...dictionary.modelIds), { nil: undefined, freq: 5 })
      : fc.constant(undefined);
  const pathRecord: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of pathParams) pathRecord[p.name] = nearValid(p.schema, resolve, dictionary, p.name);
  const queryArbs = queryParams.map((p) =>
    nearValid(p.schema, resolve, dictionary, p.name).map((value): [Parameter, unknown] => [p, value]),
  );
  const query = fc
    .tuple(...queryArbs.map((arb, i) => (queryParams[i].required ? arb : fc.option(arb, { nil: undefined }))))
    .map((pairs) =>
      pairs
        .filter((pair): pair is [Parameter, unknown] => pair !== undefined)
        .map(([p, value]): [string, string] => [
          p.name,
          Array.isArray(value) ? value.map(wireText).join(',') : wireText(value),
        ]),
    );
  const body = operation.body ? nearValid(operation.body, resolve, dictionary) : fc.constant(undefined);
  return fc.record({ path: fc.record(pathRecord), pair: modelPair, query, body }).map(({ path, pair, query, body }) => {
    const values: Values = { ...path };
    if (pair !== undefined) {
      const [org, ...name] = pair.split('/');
      Object.assign(values, { org, name: name.join('/') });
    }
    return { path: values, query, body, rawPath: new Set<string>(), headers: {}, target: 'none' };
  });
}

/** Inputs a hostile value can take the place of. */
function targetsOf(operation: Operation, draft: Draft): string[] {
  const targets = operation.parameters.map((p) => `${p.in}:${p.name}`);
  if (operation.body) targets.push(...slotsOf(draft.body).map((slot) => `body:${slot}`));
  return targets.length > 0 ? targets : [`query:${EXTRA}`];
}

function setInput(draft: Draft, target: string, value: unknown, raw = false): Draft {
  const [where, ...rest] = target.split(':');
  const name = rest.join(':');
  if (where === 'path') {
    const rawPath = new Set(draft.rawPath);
    if (raw) rawPath.add(name);
    return { ...draft, path: { ...draft.path, [name]: value }, rawPath, target };
  }
  if (where === 'query') {
    const text = wireText(value);
    return { ...draft, query: [...draft.query.filter(([key]) => key !== name), [name, text]], target };
  }
  return { ...draft, body: put(draft.body, name, value), target };
}

function withValue(operation: Operation, category: ValueCategory, base: fc.Arbitrary<Draft>): fc.Arbitrary<Draft> {
  return base.chain((draft) =>
    fc
      .record({
        target: fc.constantFrom(...targetsOf(operation, draft)),
        value: HOSTILE[category],
        raw: fc.boolean(),
      })
      .map(({ target, value, raw }) => setInput(draft, target, value, category === 'path-traversal' && raw)),
  );
}

function oversized(operation: Operation, base: fc.Arbitrary<Draft>, settings: CaseSettings): fc.Arbitrary<Draft> {
  const over = settings.bodyLimitBytes + 1024;
  return base.chain((draft) => {
    const urlTargets = operation.parameters.map((p) => `${p.in}:${p.name}`);
    const shapes: fc.Arbitrary<Draft>[] = [
      fc.constant({ ...draft, bodyBytes: Buffer.from(toJson({ padding: 'x'.repeat(over) })), target: 'body' }),
      fc
        .constantFrom(...(urlTargets.length > 0 ? urlTargets : [`query:${EXTRA}`]))
        .chain((target) =>
          fc.integer({ min: 4_000, max: 12_000 }).map((length) => setInput(draft, target, 'a'.repeat(length))),
        ),
    ];
    if (operation.body) {
      shapes.push(
        fc.constantFrom(...slotsOf(draft.body).map((slot) => `body:${slot}`)).chain((target) =>
          fc.oneof(
            fc.integer({ min: 10_000, max: 200_000 }).map((length) => setInput(draft, target, 'y'.repeat(length))),
            fc.integer({ min: 1_001, max: 20_000 }).map((count) =>
              setInput(
                draft,
                target,
                Array.from({ length: count }, () => 1),
              ),
            ),
          ),
        ),
      );
    }
    return fc.oneof(...shapes);
  });
}

function deepNesting(operation: Operation, base: fc.Arbitrary<Draft>): fc.Arbitrary<Draft> {
  return base.chain((draft) =>
    fc
      .record({
        depth: fc.integer({ min: 200, max: 5_000 }),
        asObject: fc.boolean(),
        slot: operation.body ? fc.constantFrom(...slotsOf(draft.body)) : fc.constant(''),
        inQuery: fc.boolean(),
      })
      .map(({ depth, asObject, slot, inQuery }) => {
        if (!operation.body && inQuery) {
          // qs-style nesting: a[a][a]…=1, for parsers that build objects from keys.
          const key = 'a' + '[a]'.repeat(Math.min(depth, 1_500));
          return { ...draft, query: [...draft.query, [key, '1'] as [string, string]], target: 'query:nested-key' };
        }
        return { ...draft, body: put(draft.body ?? {}, slot, nested(depth, asObject)), target: `body:${slot}` };
      }),
  );
}

function repeatedQuery(
  operation: Operation,
  resolve: (s: Schema) => Schema,
  dictionary: Dictionary,
  base: fc.Arbitrary<Draft>,
) {
  const params = operation.parameters.filter((p) => p.in === 'query');
  const candidates =
    params.length > 0
      ? params
      : [{ name: EXTRA, in: 'query', required: false, schema: { type: 'string' } } as Parameter];
  return base.chain((draft) =>
    fc.constantFrom(...candidates).chain((p) =>
      fc
        .array(fc.oneof(nearValid(p.schema, resolve, dictionary, p.name), HOSTILE['wrong-type']), {
          minLength: 2,
          maxLength: 20,
        })
        .map((values) => ({
          ...draft,
          query: [
            ...draft.query.filter(([key]) => key !== p.name),
            ...values.map((value): [string, string] => [p.name, wireText(value)]),
          ],
          target: `query:${p.name}`,
        })),
    ),
  );
}

function invalidUtf8(operation: Operation, base: fc.Arbitrary<Draft>): fc.Arbitrary<Draft> {
  return base.chain((draft) =>
    fc
      .record({ bytes: fc.constantFrom(...INVALID_UTF8), target: fc.constantFrom(...targetsOf(operation, draft)) })
      .map(({ bytes, target }) => {
        if (target.startsWith('body:')) {
          const json = toJson(put(draft.body, target.slice(5), 'x@@bytes@@y'));
          const [before, after] = json.split('@@bytes@@');
          return {
            ...draft,
            bodyBytes: Buffer.concat([Buffer.from(before), invalidUtf8Bytes(bytes), Buffer.from(after)]),
            target,
          };
        }
        // Marked so the URL builder leaves the percent-escapes as they are.
        return setInput(draft, target, new PercentEncoded(`x${bytes}y`));
      }),
  );
}

function oddContentType(base: fc.Arbitrary<Draft>): fc.Arbitrary<Draft> {
  return base.chain((draft) =>
    fc.oneof(fc.constantFrom(...ODD_CONTENT_TYPES), fc.constant('')).map((contentType) => ({
      ...draft,
      headers: { ...draft.headers, 'content-type': contentType },
      bodyBytes: Buffer.from(toJson(draft.body ?? { fuzz: true })),
      target: contentType === '' ? 'header:no-content-type' : 'header:content-type',
    })),
  );
}

function encodePath(template: string, draft: Draft): { path: string; leavesRoute: boolean } {
  let leavesRoute = false;
  const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = draft.path[name];
    let wire: string;
    if (value instanceof PercentEncoded) wire = value.wire;
    else if (draft.rawPath.has(name)) wire = wireText(value);
    else wire = encode(wireText(value));
    if (wire === '' || wire.includes('/') || wire.includes('?') || wire.includes('#')) leavesRoute = true;
    return wire;
  });
  return { path, leavesRoute };
}

function encodeQuery(query: [string, string][]): string {
  return query
    .map(([key, value]) => {
      const encoded = value.startsWith(ENCODED) ? value.slice(ENCODED.length) : null;
      const wire = encoded !== null && /^[\x21-\x7e]*$/.test(encoded) ? encoded : encode(value);
      return `${encode(key)}=${wire}`;
    })
    .join('&');
}

function finish(operation: Operation, category: Category, draft: Draft): Omit<FuzzCase, 'auth'> {
  const { path, leavesRoute } = encodePath(operation.path, draft);
  const search = encodeQuery(draft.query);
  const headers: Record<string, string> = { accept: '*/*', ...draft.headers };
  let body = draft.bodyBytes;
  if (body === undefined && draft.body !== undefined) body = Buffer.from(toJson(draft.body));
  if (body !== undefined && !('content-type' in draft.headers)) headers['content-type'] = 'application/json';
  if (headers['content-type'] === '') delete headers['content-type'];
  return {
    category,
    target: draft.target,
    leavesRoute,
    request: { method: operation.method, url: search ? `${path}?${search}` : path, headers, body },
  };
}

/** The generator of one category's cases for one operation. */
export function casesOf(
  operation: Operation,
  category: Category,
  resolve: (s: Schema) => Schema,
  dictionary: Dictionary,
  settings: CaseSettings,
): fc.Arbitrary<Omit<FuzzCase, 'auth'>> {
  const base = baseDraft(operation, resolve, dictionary);
  let drafts: fc.Arbitrary<Draft>;
  switch (category) {
    case 'near-valid':
      drafts = base;
      break;
    case 'oversized':
      drafts = oversized(operation, base, settings);
      break;
    case 'deep-nesting':
      drafts = deepNesting(operation, base);
      break;
    case 'repeated-query':
      drafts = repeatedQuery(operation, resolve, dictionary, base);
      break;
    case 'invalid-utf8':
      drafts = invalidUtf8(operation, base);
      break;
    case 'odd-content-type':
      drafts = oddContentType(base);
      break;
    case 'wrong-type':
    case 'huge-number':
    case 'negative-number':
    case '1e308':
    case '2^63':
    case 'unicode':
    case 'nul':
    case 'rtl-mark':
    case 'sql-injection':
    case 'html-injection':
    case 'path-traversal':
      drafts = withValue(operation, category, base);
  }
  return drafts.map((draft) => finish(operation, category, draft));
}
