import { isValidModelId } from '../model-id';
import { RELATIONS } from '../entities/model-relation.entity';
import { inDependencyOrder, readSeed, type SeedModel } from './seed.service';

const { seed } = readSeed();
const byId = new Map(seed.models.map((m) => [m.id, m]));
const model = (id: string): SeedModel => {
  const found = byId.get(id);
  if (!found) throw new Error(`${id} is not in the seed`);
  return found;
};

describe('the catalogue seed', () => {
  it('holds at least 40 models, each with a source link and a well-formed, unique id', () => {
    expect(seed.models.length).toBeGreaterThanOrEqual(40);
    const lower = new Set(seed.models.map((m) => m.id.toLowerCase()));
    expect(lower.size).toBe(seed.models.length);
    for (const m of seed.models) {
      expect(isValidModelId(m.id)).toBe(true);
      expect(m.source).toMatch(/^https:\/\//);
    }
  });

  it('refers only to licences, organizations, papers and base models it lists', () => {
    const licenses = new Set(seed.licenses.map((l) => l.id));
    const organizations = new Set(seed.organizations.map((o) => o.id));
    const papers = new Set(seed.papers.map((p) => p.arxivId));
    for (const m of seed.models) {
      expect(m.license === null || licenses.has(m.license)).toBe(true);
      expect(organizations).toContain(m.id.split('/')[0]);
      for (const arxivId of m.papers) expect(papers).toContain(arxivId);
      for (const base of m.baseModels) {
        expect(byId.has(base.id)).toBe(true);
        expect(RELATIONS).toContain(base.relation);
      }
    }
  });

  it('has no lineage loop, so bases can always be written first', () => {
    const order = inDependencyOrder(seed.models).map((m) => m.id);
    for (const m of seed.models) {
      for (const base of m.baseModels) expect(order.indexOf(base.id)).toBeLessThan(order.indexOf(m.id));
    }
  });

  it('has whole-number parameter counts with active ones only below the total', () => {
    for (const m of seed.models) {
      expect(m.parameters === null || Number.isSafeInteger(m.parameters)).toBe(true);
      expect(m.activeParameters === null || m.activeParameters < m.parameters!).toBe(true);
    }
  });

  it('states DeepSeek-R1 as its model card does', () => {
    expect(model('deepseek-ai/DeepSeek-R1')).toMatchObject({
      license: 'mit',
      parameters: 671_000_000_000,
      activeParameters: 37_000_000_000,
      releaseDate: '2025-01-20',
      papers: ['2501.12948'],
      links: { huggingface: 'deepseek-ai/DeepSeek-R1', github: 'deepseek-ai/DeepSeek-R1' },
      baseModels: [{ id: 'deepseek-ai/DeepSeek-V3-Base', relation: 'finetune' }],
    });
    expect(model('deepseek-ai/DeepSeek-V3')).toMatchObject({ license: 'deepseek', releaseDate: '2024-12-26' });
  });

  it.each([
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B', 'Qwen/Qwen2.5-Math-1.5B'],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', 'Qwen/Qwen2.5-Math-7B'],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-14B', 'Qwen/Qwen2.5-14B'],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 'Qwen/Qwen2.5-32B'],
    ['deepseek-ai/DeepSeek-R1-Distill-Llama-8B', 'meta-llama/Llama-3.1-8B'],
    ['deepseek-ai/DeepSeek-R1-Distill-Llama-70B', 'meta-llama/Llama-3.3-70B-Instruct'],
  ])('makes %s a finetune of %s distilled from R1', (distill, base) => {
    expect(model(distill).baseModels).toEqual(
      expect.arrayContaining([
        { id: base, relation: 'finetune' },
        { id: 'deepseek-ai/DeepSeek-R1', relation: 'distillation' },
      ]),
    );
  });

  it.each([
    'Qwen/QwQ-32B',
    'Qwen/Qwen3-235B-A22B',
    'meta-llama/Llama-3.1-8B-Instruct',
    'meta-llama/Llama-3.2-1B-Instruct',
    'meta-llama/Llama-3.3-70B-Instruct',
    'mistralai/Mistral-7B-v0.1',
    'mistralai/Mixtral-8x7B-v0.1',
    'mistralai/Mistral-Small-24B-Instruct-2501',
    'google/gemma-2-9b-it',
    'google/gemma-3-27b-it',
    'microsoft/Phi-3-mini-4k-instruct',
    'microsoft/phi-4',
    'allenai/OLMo-2-1124-7B',
    'openai/gpt-oss-120b',
    'moonshotai/Kimi-K2-Instruct',
  ])('includes %s', (id) => {
    expect(byId.has(id)).toBe(true);
  });

  it('gives custom licences no SPDX id, and mixes licences within Qwen2.5 as Qwen does', () => {
    const spdx = new Map(seed.licenses.map((l) => [l.id, l.spdx]));
    for (const custom of ['llama3.1', 'llama3.2', 'llama3.3', 'gemma', 'qwen', 'deepseek', 'modified-mit']) {
      expect(spdx.get(custom)).toBeNull();
    }
    expect(spdx.get('mit')).toBe('MIT');
    expect(model('Qwen/Qwen2.5-72B-Instruct').license).toBe('qwen');
    expect(model('Qwen/Qwen2.5-7B-Instruct').license).toBe('apache-2.0');
  });

  it('keeps the mixture-of-experts sizes apart', () => {
    expect(model('moonshotai/Kimi-K2-Instruct')).toMatchObject({
      parameters: 1_000_000_000_000,
      activeParameters: 32_000_000_000,
    });
    expect(model('openai/gpt-oss-120b')).toMatchObject({
      parameters: 117_000_000_000,
      activeParameters: 5_100_000_000,
    });
    expect(model('mistralai/Mixtral-8x7B-v0.1')).toMatchObject({
      parameters: 46_700_000_000,
      activeParameters: 12_900_000_000,
    });
  });
});
