import { defaultOrder, type ModelListQuery, type ModelSort, type SortOrder } from '@modelpulse/core/catalog';
import type { FieldError } from '../http/problems';
import { ValidationProblem } from '../http/problems';
import type { ListModelsQuery } from './dto/list-models.query';

/** What `GET /v1/models` was asked: a batch of ids, or a filtered, sorted page. */
export type ListRequest = { kind: 'ids'; ids: string[] } | { kind: 'page'; query: ModelListQuery };

/** Our name of each Hugging Face Hub list parameter (docs/api.md, "The Hub's names"). */
const HUB_NAMES = {
  search: 'q',
  author: 'organization',
  pipeline_tag: 'task',
  filter: 'tag',
  direction: 'order',
} as const;

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const sameSet = (a: string[], b: string[]) => {
  const lower = (list: string[]) => [...new Set(list.map((v) => v.toLowerCase()))].sort().join('\n');
  return lower(a) === lower(b);
};
const orderOfDirection = (direction: '-1' | '1'): SortOrder => (direction === '-1' ? 'desc' : 'asc');

/**
 * Our value of a parameter given under our name, the Hub's, or both; both
 * must agree (in any letter case, a list in any order), or both are named
 * in a 400.
 */
function either<T>(
  errors: FieldError[],
  hubName: keyof typeof HUB_NAMES,
  ours: T | undefined,
  theirs: T | undefined,
  same: (a: T, b: T) => boolean,
): T | undefined {
  if (ours === undefined) return theirs;
  if (theirs !== undefined && !same(ours, theirs)) {
    const ourName = HUB_NAMES[hubName];
    const message = `${hubName} is the Hugging Face Hub's name for ${ourName}, and the two disagree: give one`;
    errors.push({ field: ourName, message }, { field: hubName, message });
  }
  return ours;
}

/** Parameters that shape a page, which a batch of ids does not take. */
const PAGE_ONLY = [
  'q',
  'search',
  'organization',
  'author',
  'license',
  'task',
  'pipeline_tag',
  'tag',
  'filter',
  'minParams',
  'maxParams',
  'releasedAfter',
  'releasedBefore',
  'sort',
  'order',
  'direction',
  'limit',
  'cursor',
] as const satisfies readonly (keyof ListModelsQuery)[];

/** The list query in our own names, the Hub's folded in. Pure. */
export function toListRequest(query: ListModelsQuery): ListRequest {
  if (query.ids !== undefined) {
    const mixed = PAGE_ONLY.filter((name) => query[name] !== undefined);
    if (mixed.length > 0) {
      throw new ValidationProblem(
        mixed.map((field) => ({
          field,
          message: `${field} does not go with ids: a batch answers exactly the ids given`,
        })),
      );
    }
    return { kind: 'ids', ids: query.ids };
  }
  const errors: FieldError[] = [];
  const q = either(errors, 'search', query.q, query.search, sameText);
  const organizations = either(errors, 'author', query.organization, query.author, sameSet);
  const task = either(errors, 'pipeline_tag', query.task, query.pipeline_tag, sameText);
  const tags = either(errors, 'filter', query.tag, query.filter, sameSet);
  const order = either(
    errors,
    'direction',
    query.order,
    query.direction === undefined ? undefined : orderOfDirection(query.direction),
    (a, b) => a === b,
  );
  if (errors.length > 0) throw new ValidationProblem(errors);
  const sort: ModelSort = query.sort === 'createdAt' ? 'releaseDate' : (query.sort ?? 'trending');
  return {
    kind: 'page',
    query: {
      filters: {
        q,
        organizations,
        licenses: query.license,
        task,
        tags,
        minParams: query.minParams,
        maxParams: query.maxParams,
        releasedAfter: query.releasedAfter,
        releasedBefore: query.releasedBefore,
      },
      sort,
      order: order ?? defaultOrder(sort),
      limit: query.limit ?? 20,
      cursor: query.cursor,
    },
  };
}
