/**
 * Checks one item of an ingestion batch. Items are checked one by one, so a
 * bad item is rejected alone with its reason while the others go in.
 */
import { isValidModelId } from '../catalog';
import { MAX_DOWNLOADS, MAX_LIKES } from './counter-limits';

export interface ItemError {
  field: string;
  message: string;
}

export interface ObservationItem {
  model: string;
  source: string;
  observedAt: Date;
  downloadsAllTime: number | null;
  downloads30d: number | null;
  likes: number | null;
  stars: number | null;
  forks: number | null;
}

export interface EventItem {
  id: string;
  model: string;
  occurredAt: Date | null;
  variant: string | null;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: ItemError };

/** The source `npm run cli -- demo` writes: figures that stand in only for models with no other source. */
export const DEMO_SOURCE = 'demo';
/** Sources counted from events here or written by the demo command, so no one may post readings under their names. */
export const RESERVED_SOURCES = ['events', 'link', DEMO_SOURCE] as const;
const SOURCE = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** What a source is called: lower case, letters, digits and dashes, up to 40 characters. */
export const isSourceName = (value: unknown): value is string => typeof value === 'string' && SOURCE.test(value);
/** The sources the scheduled sync writes; a key writes them only when it was made for them. */
export const SYNC_SOURCES = ['huggingface', 'github'] as const;
/** The source /v1/events counts under: a key posts events only when it was made for it. */
export const EVENTS_SOURCE = 'events';
const COUNTERS = ['downloadsAllTime', 'downloads30d', 'likes', 'stars', 'forks'] as const;
const OBSERVATION_FIELDS = new Set(['model', 'source', 'observedAt', ...COUNTERS]);
const EVENT_FIELDS = new Set(['id', 'model', 'occurredAt', 'variant']);
/** Readings and events from the future are a clock error upstream; a little skew is tolerated. */
export const FUTURE_SKEW_MS = 5 * 60_000;
const EARLIEST = Date.parse('2015-01-01T00:00:00Z');
/** A timestamp with a date, a time and a zone, so no reading is placed on the wrong UTC day. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const fail = <T>(field: string, message: string): Parsed<T> => ({ ok: false, error: { field, message } });

function unknownField(item: Record<string, unknown>, known: Set<string>): string | null {
  return Object.keys(item).find((key) => !known.has(key)) ?? null;
}

function parseTime(value: unknown, field: string, now: Date): Parsed<Date> {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) {
    return fail(field, `${field} must be an ISO 8601 timestamp with a time zone, like 2025-01-20T12:00:00Z`);
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) return fail(field, `${field} is not a real date`);
  if (time > now.getTime() + FUTURE_SKEW_MS) return fail(field, `${field} is in the future`);
  if (time < EARLIEST) return fail(field, `${field} is before 2015`);
  return { ok: true, value: new Date(time) };
}

function parseModel(value: unknown): Parsed<string> {
  if (typeof value !== 'string' || !isValidModelId(value)) return fail('model', 'model must be an id like org/name');
  return { ok: true, value };
}

function asObject(raw: unknown): Record<string, unknown> | null {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
}

export function parseObservation(raw: unknown, now: Date): Parsed<ObservationItem> {
  const item = asObject(raw);
  if (!item) return fail('', 'an observation must be an object');
  const extra = unknownField(item, OBSERVATION_FIELDS);
  if (extra !== null) return fail(extra, `${extra} is not a known field`);
  const model = parseModel(item.model);
  if (!model.ok) return model;
  if (!isSourceName(item.source)) {
    return fail('source', 'source must be a lower-case name like huggingface (letters, digits, dashes)');
  }
  if (item.source === DEMO_SOURCE) {
    return fail('source', 'source "demo" is written only by npm run cli -- demo');
  }
  if ((RESERVED_SOURCES as readonly string[]).includes(item.source)) {
    return fail('source', `source "${item.source}" is counted from events; post those to /v1/events`);
  }
  const observedAt = parseTime(item.observedAt, 'observedAt', now);
  if (!observedAt.ok) return observedAt;
  const counters: Record<(typeof COUNTERS)[number], number | null> = {
    downloadsAllTime: null,
    downloads30d: null,
    likes: null,
    stars: null,
    forks: null,
  };
  for (const name of COUNTERS) {
    const value = item[name];
    if (value === undefined || value === null) continue;
    const max = name.startsWith('downloads') ? MAX_DOWNLOADS : MAX_LIKES;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      return fail(name, `${name} must be a whole number from 0 to ${max}`);
    }
    counters[name] = value;
  }
  if (COUNTERS.every((name) => counters[name] === null)) {
    return fail('downloadsAllTime', `an observation needs at least one counter: ${COUNTERS.join(', ')}`);
  }
  return { ok: true, value: { model: model.value, source: item.source, observedAt: observedAt.value, ...counters } };
}

export function parseEvent(raw: unknown, now: Date): Parsed<EventItem> {
  const item = asObject(raw);
  if (!item) return fail('', 'an event must be an object');
  const extra = unknownField(item, EVENT_FIELDS);
  if (extra !== null) return fail(extra, `${extra} is not a known field`);
  if (typeof item.id !== 'string' || item.id.length === 0 || item.id.length > 200) {
    return fail('id', 'id must be a string of 1 to 200 characters');
  }
  const model = parseModel(item.model);
  if (!model.ok) return model;
  let occurredAt: Date | null = null;
  if (item.occurredAt !== undefined && item.occurredAt !== null) {
    const parsed = parseTime(item.occurredAt, 'occurredAt', now);
    if (!parsed.ok) return parsed;
    occurredAt = parsed.value;
  }
  let variant: string | null = null;
  if (item.variant !== undefined && item.variant !== null) {
    if (typeof item.variant !== 'string' || item.variant.length === 0 || item.variant.length > 200) {
      return fail('variant', 'variant must be a string of 1 to 200 characters');
    }
    variant = item.variant;
  }
  return { ok: true, value: { id: item.id, model: model.value, occurredAt, variant } };
}
