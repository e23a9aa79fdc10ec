import { ValidationProblem } from '../http/problems';
import type { ListModelsQuery } from './dto/list-models.query';
import { toListRequest } from './list-request';

const page = (query: Partial<ListModelsQuery>) => {
  const asked = toListRequest(query as ListModelsQuery);
  if (asked.kind !== 'page') throw new Error('expected a page');
  return asked.query;
};
const fieldsOf = (query: Partial<ListModelsQuery>): string[] => {
  try {
    toListRequest(query as ListModelsQuery);
  } catch (error) {
    if (error instanceof ValidationProblem) return (error.errors ?? []).map((e) => e.field);
    throw error;
  }
  throw new Error('expected a 400');
};

describe('the Hub\u2019s list names, read as ours', () => {
  it('reads search, author, pipeline_tag and filter as q, organization, task and tag', () => {
    expect(
      page({ search: 'r1', author: ['deepseek-ai'], pipeline_tag: 'text-generation', filter: ['reasoning'] }).filters,
    ).toMatchObject({ q: 'r1', organizations: ['deepseek-ai'], task: 'text-generation', tags: ['reasoning'] });
  });

  it('reads direction -1 as desc and 1 as asc, and sort=createdAt as the release date', () => {
    expect(page({ sort: 'createdAt', direction: '-1' })).toMatchObject({ sort: 'releaseDate', order: 'desc' });
    expect(page({ sort: 'name', direction: '1' })).toMatchObject({ sort: 'name', order: 'asc' });
    // Without either, each sort keeps its own default order.
    expect(page({ sort: 'name' }).order).toBe('asc');
    expect(page({ sort: 'createdAt' }).order).toBe('desc');
  });

  it('takes both names when they agree, a list in any order and letter case', () => {
    expect(
      page({ author: ['qwen', 'Meta-Llama'], organization: ['meta-llama', 'Qwen'] }).filters.organizations,
    ).toEqual(['meta-llama', 'Qwen']);
    expect(page({ order: 'desc', direction: '-1' }).order).toBe('desc');
  });

  it('names both when they disagree, every pair that does', () => {
    expect(fieldsOf({ q: 'a', search: 'b' })).toEqual(['q', 'search']);
    expect(fieldsOf({ task: 'fill-mask', pipeline_tag: 'text-generation', order: 'asc', direction: '-1' })).toEqual([
      'task',
      'pipeline_tag',
      'order',
      'direction',
    ]);
  });
});

describe('a search', () => {
  it('sorts by relevance unless a sort is asked, which then holds', () => {
    expect(page({ q: 'deepseek distill' })).toMatchObject({ sort: 'relevance', order: 'desc' });
    expect(page({ search: 'deepseek distill' }).sort).toBe('relevance');
    expect(page({ q: 'deepseek distill', sort: 'name' })).toMatchObject({ sort: 'name', order: 'asc' });
    expect(page({}).sort).toBe('trending');
  });

  it('names the field for too many words, and sort=relevance without words to be relevant to', () => {
    expect(fieldsOf({ q: 'a '.repeat(17) })).toEqual(['q']);
    expect(fieldsOf({ search: 'a '.repeat(17) })).toEqual(['search']);
    expect(fieldsOf({ sort: 'relevance' })).toEqual(['sort']);
  });
});

describe('a batch of ids', () => {
  it('is its own kind of request', () => {
    expect(toListRequest({ ids: ['a/b', 'c/d'] } as ListModelsQuery)).toEqual({ kind: 'ids', ids: ['a/b', 'c/d'] });
  });

  it('takes no filter, sort, limit or cursor beside it, naming each', () => {
    expect(fieldsOf({ ids: ['a/b'], license: ['mit'], limit: 5, cursor: 'x', format: 'csv' })).toEqual([
      'license',
      'limit',
      'cursor',
    ]);
  });
});
