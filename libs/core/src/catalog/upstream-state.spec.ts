import type { BindingRow } from './binding.repository';
import type { ModelRow } from './model-rows.repository';
import { importedValues } from './upstream-state';

const row = (fields: Partial<ModelRow>): ModelRow =>
  ({
    license: { id: 'mit', name: 'MIT License', spdx: 'MIT', url: null, commercialUse: true },
    parameters: 7_615_616_512,
    tasks: ['text-generation'],
    papers: [{ arxivId: '2501.12948', title: null }],
    baseModels: [{ slug: 'Qwen/Qwen2.5-7B', relation: 'finetune' }],
    ...fields,
  }) as ModelRow;

const binding = (imported: BindingRow['imported']): BindingRow => ({
  upstream: 'huggingface',
  externalId: 'acme/Rocket-7B',
  status: 'ok',
  lastSyncedAt: null,
  lastError: null,
  imported,
});

const hubSaid: NonNullable<BindingRow['imported']> = {
  license: 'MIT',
  parametersTotal: 7_615_616_512,
  arxivIds: ['2501.12948'],
  baseModels: [{ id: 'qwen/qwen2.5-7b', relation: 'finetune' }],
  task: 'text-generation',
  tags: ['transformers'],
  createdAt: '2025-01-20T00:00:00.000Z',
  gated: false,
};

describe('imported values beside the catalogue', () => {
  it('finds no difference when the catalogue says what the hub says, letter case aside', () => {
    expect(importedValues(binding(hubSaid), row({}))).toEqual({
      license: 'MIT',
      parameters: 7_615_616_512,
      tasks: ['text-generation'],
      papers: ['2501.12948'],
      baseModels: [{ id: 'qwen/qwen2.5-7b', relation: 'finetune' }],
      differs: [],
    });
  });

  it('names each field where a person set another value', () => {
    const curated = row({
      license: null,
      parameters: 7_000_000_000,
      tasks: ['text-generation', 'reasoning'],
      papers: [],
      baseModels: [{ slug: 'Qwen/Qwen2.5-7B', relation: 'distillation' }],
    });
    expect(importedValues(binding(hubSaid), curated)?.differs).toEqual([
      'license',
      'parameters',
      'tasks',
      'papers',
      'baseModels',
    ]);
  });

  it('counts a base the catalogue does not have as a difference', () => {
    const values = importedValues(binding(hubSaid), row({ baseModels: [] }));
    expect(values?.differs).toEqual(['baseModels']);
  });

  it('has nothing to show for an upstream nothing was imported from', () => {
    expect(importedValues(binding(null), row({}))).toBeNull();
  });
});
