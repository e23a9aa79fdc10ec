import fc from 'fast-check';
import type { Schema } from './operations';

/**
 * Values from the schemas. Near-valid ones follow a schema (its enum, example,
 * format, bounds), drawing names from what the running app really holds, so
 * cases get past the first check and reach the handlers and the database.
 * Hostile ones are the probe's categories, each a value to put in place of one input.
 */

/**
 * JSON text written as given into a body: a number exactly (2^63 does not
 * survive JSON.stringify), or nesting deeper than JSON.stringify's stack.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** What the running app holds, so near-valid cases name real things. */
export interface Dictionary {
  modelIds: string[];
  arxivIds: string[];
  licenseIds: string[];
  /** Ids the cases themselves created (API keys), so a DELETE can hit one; never the suite's own keys. */
  createdIds: string[];
}

const DAY_MS = 86_400_000;
const FROM = Date.UTC(2024, 0, 1);

const isoDate = fc
  .integer({ min: 0, max: 800 })
  .map((days) => new Date(FROM + days * DAY_MS).toISOString().slice(0, 10));
const isoDateTime = fc
  .integer({ min: 0, max: 800 * 24 })
  .map((hours) => new Date(FROM + hours * 3_600_000).toISOString());

/** Property and parameter names that stand for something the app holds. */
function known(name: string, dictionary: Dictionary): fc.Arbitrary<unknown> | null {
  const pick = (values: string[]) => (values.length > 0 ? fc.constantFrom(...values) : null);
  switch (name) {
    case 'model':
      return pick(dictionary.modelIds);
    case 'arxivId':
      return pick(dictionary.arxivIds);
    case 'license':
      return pick(dictionary.licenseIds);
    case 'id':
      return pick(dictionary.createdIds);
    default:
      return null;
  }
}

export function nearValid(
  schema: Schema,
  resolve: (schema: Schema) => Schema,
  dictionary: Dictionary,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const choices: fc.Arbitrary<unknown>[] = [];
  const fromDictionary = known(name, dictionary);
  if (fromDictionary) choices.push(fromDictionary);
  if (s.example !== undefined) choices.push(fc.constant(s.example));
  if (Array.isArray(s.enum)) return fc.oneof(fc.constantFrom(...(s.enum as unknown[])), ...choices);
  choices.push(typed(s, resolve, dictionary, depth));
  const value = fc.oneof(...choices);
  return s.nullable === true ? fc.option(value, { nil: null, freq: 8 }) : value;
}

function typed(
  s: Schema,
  resolve: (schema: Schema) => Schema,
  dictionary: Dictionary,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (s.type) {
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : 0;
      const max = typeof s.maximum === 'number' ? s.maximum : Math.max(min, 1_000_000);
      return s.type === 'integer'
        ? fc.integer({ min, max })
        : fc.oneof(fc.integer({ min, max }), fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 3) return fc.constant([]);
      const items = nearValid(s.items ?? { type: 'string' }, resolve, dictionary, '', depth + 1);
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      return fc.array(items, { minLength, maxLength: Math.max(minLength, 3) });
    }
    case 'object': {
      if (depth > 3) return fc.constant({});
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      const required = (s.required ?? []) as string[];
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) {
        record[key] = nearValid(property, resolve, dictionary, key, depth + 1);
      }
      return fc.record(record, { requiredKeys: required.filter((key) => key in record) });
    }
    default:
      if (s.format === 'date') return isoDate;
      if (s.format === 'date-time') return isoDateTime;
      return fc.string({
        minLength: typeof s.minLength === 'number' ? s.minLength : 0,
        maxLength: typeof s.maxLength === 'number' ? Math.min(s.maxLength, 24) : 24,
      });
  }
}

/** The categories of hostile input, each counted per operation in the report. */
export const CATEGORIES = [
  'near-valid',
  'wrong-type',
  'huge-number',
  'negative-number',
  '1e308',
  '2^63',
  'unicode',
  'nul',
  'rtl-mark',
  'sql-injection',
  'html-injection',
  'path-traversal',
  'oversized',
  'deep-nesting',
  'repeated-query',
  'invalid-utf8',
  'odd-content-type',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories whose hostile value is one input's value (the others change the request's shape). */
export type ValueCategory = Exclude<
  Category,
  'near-valid' | 'oversized' | 'deep-nesting' | 'repeated-query' | 'invalid-utf8' | 'odd-content-type'
>;

const text = (...values: string[]) => fc.constantFrom(...values);

/** Each value category's values, for a JSON body (numbers stay numbers) and as text (a query or path). */
export const HOSTILE: Record<ValueCategory, fc.Arbitrary<unknown>> = {
  'wrong-type': fc.oneof(
    fc.constantFrom<unknown>(
      true,
      false,
      null,
      {},
      [],
      [1, 2],
      { $gt: '' },
      0,
      'abc',
      '',
      ' ',
      'NaN',
      'Infinity',
      '0x1F',
    ),
    fc.string({ maxLength: 8 }),
    fc.integer(),
  ),
  'huge-number': fc.oneof(
    fc.constantFrom<unknown>(
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      Number.MAX_VALUE,
      1e21,
      new RawJson('18446744073709551616'),
      new RawJson('9'.repeat(400)),
      '9'.repeat(400),
      '99999999999T',
    ),
    fc.bigInt({ min: 10n ** 15n, max: 10n ** 40n }).map((n) => new RawJson(n.toString())),
  ),
  'negative-number': fc.oneof(
    fc.constantFrom<unknown>(-1, -0, -Number.MAX_SAFE_INTEGER, -1e21, '-1', '-7B', new RawJson('-9223372036854775809')),
    fc.integer({ min: -1_000_000_000, max: -1 }),
    fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
  ),
  '1e308': fc.constantFrom<unknown>(
    1e308,
    -1e308,
    new RawJson('1e308'),
    new RawJson('1e309'),
    new RawJson('-1e309'),
    new RawJson('1e-400'),
    '1e308',
    '1e309',
    '1E308B',
  ),
  '2^63': fc.constantFrom<unknown>(
    new RawJson('9223372036854775808'),
    new RawJson('9223372036854775807'),
    new RawJson('-9223372036854775808'),
    2 ** 63,
    2 ** 64,
    '9223372036854775808',
    '9223372036854775807',
    '-9223372036854775808',
  ),
  unicode: fc.oneof(
    text(
      '模型/名前',
      'Модель',
      '🦙🔥',
      'e\u0301\u0301\u0301',
      '\u200B',
      '\uFEFFid',
      'ﬁ',
      'İ',
      'ß',
      '\uD800',
      '\uDFFF\uD800',
      '𝕯𝖊𝖊𝖕',
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  ),
  nul: text('\u0000', 'a\u0000b', 'deepseek-ai\u0000', '\u0000\u0000\u0000', '%00', 'x\u0000.json'),
  'rtl-mark': text('\u202Egpj.exe', '\u200Fmodel', '\u200E', '\u2066abc\u2069', '\u202B\u202C', 'مدل\u200F'),
  'sql-injection': text(
    "' OR '1'='1",
    '1; DROP TABLE models;--',
    '" OR 1=1 --',
    "1' UNION SELECT NULL, version()--",
    "'; SELECT pg_sleep(3);--",
    "%' AND 1=(SELECT COUNT(*) FROM api_keys)--",
    '\\',
    "''",
    '$1',
  ),
  'html-injection': text(
    '<script>alert(1)</script>',
    '"><svg onload=alert(1)>',
    "javascript:alert('x')",
    '<img src=x onerror=alert(1)>',
    '&lt;&#x3C;&amp;',
    ']]><!--',
    '{{7*7}}${7*7}',
  ),
  'path-traversal': text(
    '../../etc/passwd',
    '..',
    '.',
    '..\\..\\windows\\win.ini',
    '....//....//',
    '/etc/passwd',
    '%2e%2e%2f%2e%2e%2f',
    '..%2F..%2F',
    '~/.ssh/id_rsa',
  ),
};

/** Bytes that are not UTF-8: percent-encoded for a URL, raw for a body. */
export const INVALID_UTF8 = ['%FF', '%C3%28', '%ED%A0%80', '%F8%88%80%80%80', '%C0%AF', '%E2%82', '%80'];
export const invalidUtf8Bytes = (encoded: string): Buffer =>
  Buffer.from(
    encoded
      .split('%')
      .slice(1)
      .map((hex) => parseInt(hex, 16)),
  );

export const ODD_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=fuzz',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json-patch+json',
  'application/vnd.api+json',
  '*/*',
  ';;;',
  'application/json, text/plain',
  'image/svg+xml',
];
