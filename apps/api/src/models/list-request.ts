import {
  defaultOrder,
  MAX_SEARCH_WORDS,
  searchWords,
  type ModelListQuery,
  type ModelSort,
  type SortOrder,
} from '@modelpulse/core/catalog';
import { either, sameSet, sameText } from '../http/hub-names';
import { ValidationProblem, type FieldError } from '../http/problems';
import type { ListModelsQuery } from './dto/list-models.query';

/** What `GET /v1/models` was asked: a batch of ids, or a filtered, sorted page. */
export type ListRequest = { kind: 'ids'; ids: string[] } | { kind: 'page'; query: ModelListQuery };

const orderOfDirection = (direction: '-1' | '1'): SortOrder => (direction === '-1' ? 'desc' : 'asc');

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
  const qField = query.q === undefined ? 'search' : 'q';
  if (q && searchWords(q).length > MAX_SEARCH_WORDS) {
    errors.push({ field: qField, message: `${qField} must have at most ${MAX_SEARCH_WORDS} words` });
  }
  // A search with no sort asked is for the best matches; an asked sort holds, and q only filters.
  const sort: ModelSort = query.sort === 'createdAt' ? 'releaseDate' : (query.sort ?? (q ? 'relevance' : 'trending'));
  if (sort === 'relevance' && !q) {
    errors.push({ field: 'sort', message: 'sort=relevance needs q (or search): relevance is to the words asked' });
  }
  if (errors.length > 0) throw new ValidationProblem(errors);
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
