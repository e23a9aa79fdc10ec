/**
 * A scrape as Prometheus reads it. The text is parsed by the rules of the
 * text exposition format 0.0.4 (HELP and TYPE lines, one TYPE per family
 * before its samples, metric and label names, escaped label values, float
 * values, histogram `_bucket` / `_sum` / `_count` samples); a line that breaks
 * them throws. Samples are then looked up by name and exact labels; a series
 * not there yet reads 0, as a counter that has not appeared.
 */
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** As Prometheus reads values (Go's ParseFloat): Inf and NaN in any letter case, as prom-client writes `Nan`. */
const FLOAT = /^[+-]?((\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?|inf(inity)?|nan)$/i;
const TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

function parseValue(text: string, line: string): number {
  if (!FLOAT.test(text)) throw new Error(`not a float value in: ${line}`);
  if (/inf/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/nan/i.test(text)) return NaN;
  return Number(text);
}

/** `{a="x",b="y\"z"}` from `start` (at the `{`); answers the labels and the index past the `}`. */
function parseLabels(line: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq === -1) throw new Error(`a label without a value in: ${line}`);
    const name = line.slice(i, eq).trim();
    if (!LABEL_NAME.test(name) || name in labels) throw new Error(`bad or repeated label name "${name}" in: ${line}`);
    if (line[eq + 1] !== '"') throw new Error(`an unquoted label value in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j += 1) {
      if (line[j] !== '\\') {
        value += line[j];
        continue;
      }
      j += 1;
      const escaped = { '\\': '\\', '"': '"', n: '\n' }[line[j]];
      if (escaped === undefined) throw new Error(`a bad escape in a label value in: ${line}`);
      value += escaped;
    }
    if (j >= line.length) throw new Error(`an unterminated label value in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i += 1;
    else if (line[i] !== '}') throw new Error(`labels not separated by commas in: ${line}`);
  }
  return [labels, i + 1];
}

function parseSample(line: string): Sample {
  const brace = line.indexOf('{');
  const nameEnd = brace === -1 ? line.indexOf(' ') : brace;
  if (nameEnd <= 0) throw new Error(`not a sample line: ${line}`);
  const name = line.slice(0, nameEnd);
  if (!METRIC_NAME.test(name)) throw new Error(`bad metric name "${name}"`);
  let labels: Record<string, string> = {};
  let rest = nameEnd;
  if (brace !== -1) [labels, rest] = parseLabels(line, brace);
  const fields = line.slice(rest).trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new Error(`not a sample line: ${line}`);
  if (fields.length === 2 && !/^-?\d+$/.test(fields[1])) throw new Error(`a bad timestamp in: ${line}`);
  return { name, labels, value: parseValue(fields[0], line) };
}

/** The family a sample belongs to: a histogram's or summary's suffixed samples belong to its base name. */
function familyOf(sample: string, types: Map<string, FamilyType>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return base;
  }
  return sample;
}

export class Scrape {
  readonly types = new Map<string, FamilyType>();
  readonly samples: Sample[] = [];

  constructor(readonly text: string) {
    const seen = new Set<string>();
    if (!text.endsWith('\n')) throw new Error('the text must end with a line feed');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (meta) {
        const [, kind, name, rest = ''] = meta;
        if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
        if (kind === 'TYPE') {
          if (!TYPES.includes(rest)) throw new Error(`unknown type in: ${line}`);
          if (this.types.has(name) || seen.has(name)) throw new Error(`TYPE repeated or after samples: ${line}`);
          this.types.set(name, rest as FamilyType);
        }
        continue;
      }
      if (line.startsWith('#')) continue;
      const sample = parseSample(line);
      const family = familyOf(sample.name, this.types);
      seen.add(family);
      if (this.types.get(family) === 'histogram' && sample.name.endsWith('_bucket') && !('le' in sample.labels)) {
        throw new Error(`a histogram bucket without le: ${line}`);
      }
      this.samples.push(sample);
    }
  }

  type(family: string): FamilyType | undefined {
    return this.types.get(family);
  }

  has(family: string): boolean {
    return this.samples.some((s) => familyOf(s.name, this.types) === family);
  }

  /** The value of the sample with this name and exactly these labels; 0 when absent. */
  value(name: string, labels: Record<string, string> = {}): number {
    const wanted = Object.entries(labels);
    const sample = this.samples.find(
      (s) =>
        s.name === name &&
        Object.keys(s.labels).length === wanted.length &&
        wanted.every(([k, v]) => s.labels[k] === v),
    );
    return sample?.value ?? 0;
  }

  /** Observations of a histogram series. */
  count(histogram: string, labels: Record<string, string>): number {
    return this.value(`${histogram}_count`, labels);
  }

  sum(histogram: string, labels: Record<string, string>): number {
    return this.value(`${histogram}_sum`, labels);
  }

  /** Every value the label takes among the samples of a family. */
  labelValues(family: string, label: string): string[] {
    const values = this.samples.filter((s) => familyOf(s.name, this.types) === family).map((s) => s.labels[label]);
    return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  }
}
