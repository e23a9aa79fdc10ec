import { createHash } from 'node:crypto';

export const MODEL_SORTS = [
  'trending',
  'downloads',
  'downloads7d',
  'downloadsAllTime',
  'likes',
  'releaseDate',
  'parameters',
  'name',
  /** Best matches of `q` first; the default when `q` is given. */
  'relevance',
] as const;
export type ModelSort = (typeof MODEL_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The order a sort takes when none is asked for: biggest, newest or best first; names A to Z. */
export function defaultOrder(sort: ModelSort): SortOrder {
  return sort === 'name' ? 'asc' : 'desc';
}

export interface ModelFilters {
  q?: string;
  organizations?: string[];
  licenses?: string[];
  task?: string;
  /** Every one of these tags (lower case on the model). */
  tags?: string[];
  minParams?: number;
  maxParams?: number;
  /** Inclusive, YYYY-MM-DD. */
  releasedAfter?: string;
  /** Inclusive, YYYY-MM-DD. */
  releasedBefore?: string;
}

export interface ModelListQuery {
  filters: ModelFilters;
  sort: ModelSort;
  order: SortOrder;
  limit: number;
  cursor?: string;
}

/** Where the previous page ended: the last row's sort value and id. */
export interface CursorPosition {
  value: string | number | null;
  slug: string;
}

export class InvalidCursorError extends Error {}

/** A cursor only continues the listing that made it: same sort, order and filters. */
function fingerprint(query: Pick<ModelListQuery, 'filters' | 'sort' | 'order'>): string {
  const { filters } = query;
  const normal = {
    q: filters.q ?? null,
    organizations: filters.organizations ? [...filters.organizations].map((o) => o.toLowerCase()).sort() : null,
    licenses: filters.licenses ? [...filters.licenses].map((l) => l.toLowerCase()).sort() : null,
    task: filters.task?.toLowerCase() ?? null,
    // Only when given, so cursors made before the tag filter existed still continue their listing.
    ...(filters.tags ? { tags: [...filters.tags].map((t) => t.toLowerCase()).sort() } : {}),
    minParams: filters.minParams ?? null,
    maxParams: filters.maxParams ?? null,
    releasedAfter: filters.releasedAfter ?? null,
    releasedBefore: filters.releasedBefore ?? null,
    sort: query.sort,
    order: query.order,
  };
  return createHash('sha256').update(JSON.stringify(normal)).digest('base64url').slice(0, 16);
}

export function encodeCursor(
  query: Pick<ModelListQuery, 'filters' | 'sort' | 'order'>,
  position: CursorPosition,
): string {
  return Buffer.from(JSON.stringify({ f: fingerprint(query), v: position.value, i: position.slug })).toString(
    'base64url',
  );
}

export function decodeCursor(
  query: Pick<ModelListQuery, 'filters' | 'sort' | 'order'>,
  cursor: string,
): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('is not a cursor this API issued');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { f?: unknown }).f !== 'string' ||
    typeof (parsed as { i?: unknown }).i !== 'string' ||
    (!['string', 'number'].includes(typeof (parsed as { v?: unknown }).v) && (parsed as { v?: unknown }).v !== null)
  ) {
    throw new InvalidCursorError('is not a cursor this API issued');
  }
  const { f, v, i } = parsed as { f: string; v: string | number | null; i: string };
  if (f !== fingerprint(query)) {
    throw new InvalidCursorError('was made for another sort, order or filters; start again without it');
  }
  return { value: v, slug: i };
}
