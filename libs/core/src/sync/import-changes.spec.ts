import type { HubMetadata } from '../sources';
import { importChanges, inLineageOrder, seedStatedFields, type ImportableFields } from './import-changes';

const stored: ImportableFields = {
  license: 'mit',
  parameters: 7_000_000_000,
  tasks: ['text-generation'],
  papers: ['2501.12948'],
  baseModels: [{ id: 'Qwen/Qwen2.5-7B', relation: 'finetune' }],
};

const metadata = (baseIds: string[]): HubMetadata => ({
  license: null,
  parametersTotal: null,
  arxivIds: [],
  baseModels: baseIds.map((id) => ({ id, relation: 'finetune' })),
  task: null,
  tags: [],
  createdAt: null,
  gated: false,
});

describe('importChanges', () => {
  it('is empty when the hub says what is stored, bases in any order and letter case', () => {
    const upstream = {
      ...stored,
      baseModels: [{ id: 'qwen/qwen2.5-7b', relation: 'finetune' as const }],
    };
    expect(importChanges(upstream, stored, new Set())).toEqual({});
  });

  it('takes every differing value the hub gives, a null licence too', () => {
    const upstream: ImportableFields = {
      license: null,
      parameters: 7_615_616_512,
      tasks: [],
      papers: ['2501.12948', '2412.15115'],
      baseModels: [],
    };
    expect(importChanges(upstream, stored, new Set())).toEqual({
      license: null,
      parameters: 7_615_616_512,
      tasks: [],
      papers: [{ arxivId: '2501.12948' }, { arxivId: '2412.15115' }],
      baseModels: [],
    });
  });

  it('leaves out every field a person set', () => {
    const upstream: ImportableFields = { license: 'apache-2.0', parameters: 1, tasks: [], papers: [], baseModels: [] };
    expect(
      importChanges(upstream, stored, new Set(['license', 'parameters', 'tasks', 'papers', 'baseModels'])),
    ).toEqual({});
    expect(importChanges(upstream, stored, new Set(['parameters', 'papers']))).toEqual({
      license: 'apache-2.0',
      tasks: [],
      baseModels: [],
    });
  });
});

describe('seedStatedFields', () => {
  it('counts a seed value as set by a person, an empty list too, but not a null', () => {
    const seed = {
      licenses: [],
      organizations: [],
      papers: [],
      models: [
        {
          id: 'Qwen/Qwen2.5-7B',
          description: null,
          license: null,
          parameters: 7_610_000_000,
          activeParameters: null,
          releaseDate: null,
          tasks: [],
          tags: [],
          papers: [],
          links: { huggingface: null, github: null, homepage: null },
          baseModels: [],
          source: 'https://example.org',
        },
      ],
    };
    expect([...seedStatedFields(seed).get('qwen/qwen2.5-7b')!].sort()).toEqual([
      'baseModels',
      'papers',
      'parameters',
      'tasks',
    ]);
  });
});

describe('inLineageOrder', () => {
  it('puts bases in the batch before the models made from them, and survives a loop', () => {
    const items = [
      { externalId: 'a/quant', metadata: metadata(['a/chat']) },
      { externalId: 'a/chat', metadata: metadata(['A/Base']) },
      { externalId: 'a/base', metadata: metadata([]) },
      { externalId: 'b/x', metadata: metadata(['b/y']) },
      { externalId: 'b/y', metadata: metadata(['b/x']) },
    ];
    expect(inLineageOrder(items).map((i) => i.externalId)).toEqual(['a/base', 'a/chat', 'a/quant', 'b/y', 'b/x']);
  });

  it('keeps two items of one id (a renamed id asked for beside the new one)', () => {
    const items = [
      { externalId: 'a/new', metadata: metadata([]) },
      { externalId: 'a/new', metadata: metadata([]) },
    ];
    expect(inLineageOrder(items)).toHaveLength(2);
  });
});
