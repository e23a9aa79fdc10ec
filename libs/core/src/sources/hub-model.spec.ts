import { arxivIdsFromTags, baseModelsFromTags, licenseFrom, readHubModel } from './hub-model';
import { MalformedAnswerError } from './upstream-http';

describe('baseModelsFromTags', () => {
  it('takes the relation the hub names beside the plain base_model tag', () => {
    expect(
      baseModelsFromTags([
        'transformers',
        'base_model:FacebookAI/roberta-base',
        'base_model:finetune:FacebookAI/roberta-base',
        'license:cc-by-4.0',
      ]),
    ).toEqual([{ id: 'FacebookAI/roberta-base', relation: 'finetune' }]);
  });

  it('maps each of the hub relations to ours', () => {
    expect(
      baseModelsFromTags([
        'base_model:quantized:deepseek-ai/DeepSeek-R1',
        'base_model:adapter:meta-llama/Llama-3.1-8B',
        'base_model:merge:Qwen/Qwen2.5-7B',
        'base_model:merge:mistralai/Mistral-7B-v0.1',
        'base_model:finetune:google/gemma-2-9b',
      ]),
    ).toEqual([
      { id: 'deepseek-ai/DeepSeek-R1', relation: 'quantized' },
      { id: 'meta-llama/Llama-3.1-8B', relation: 'adapter' },
      { id: 'Qwen/Qwen2.5-7B', relation: 'merge' },
      { id: 'mistralai/Mistral-7B-v0.1', relation: 'merge' },
      { id: 'google/gemma-2-9b', relation: 'finetune' },
    ]);
  });

  it('counts a base with no relation tag as a finetune, as the hub shows it', () => {
    expect(baseModelsFromTags(['base_model:Qwen/Qwen2.5-Math-7B'])).toEqual([
      { id: 'Qwen/Qwen2.5-Math-7B', relation: 'finetune' },
    ]);
  });

  it('leaves out a relation it does not know instead of guessing', () => {
    expect(baseModelsFromTags(['base_model:Qwen/QwQ-32B', 'base_model:distilled:Qwen/QwQ-32B'])).toEqual([]);
  });
});

describe('arxivIdsFromTags', () => {
  it('keeps the order and drops repeats', () => {
    expect(arxivIdsFromTags(['arxiv:2112.10752', 'diffusers', 'arxiv:2202.00512', 'arxiv:2112.10752'])).toEqual([
      '2112.10752',
      '2202.00512',
    ]);
  });
});

describe('licenseFrom', () => {
  it("prefers the model card's licence", () => {
    expect(licenseFrom({ license: 'openrail++' }, ['license:apache-2.0'])).toBe('openrail++');
  });

  it('takes the licence name of a custom licence', () => {
    expect(licenseFrom({ license: 'other', license_name: 'deepseek' }, ['license:other'])).toBe('deepseek');
  });

  it('falls back to the license: tag', () => {
    expect(licenseFrom(undefined, ['transformers', 'license:mit'])).toBe('mit');
    expect(licenseFrom({ language: 'en' }, [])).toBeNull();
  });
});

describe('readHubModel', () => {
  const answer = {
    _id: '621ffdc036468d709f174338',
    id: 'google-bert/bert-base-uncased',
    pipeline_tag: 'fill-mask',
    tags: ['transformers', 'arxiv:1810.04805', 'license:apache-2.0', 'region:us'],
    downloads: 72376843,
    downloadsAllTime: 2089000000,
    likes: 2065,
    gated: false,
    cardData: { language: 'en', license: 'apache-2.0' },
    createdAt: '2022-03-02T23:29:04.000Z',
    safetensors: { parameters: { F32: 110106428 }, total: 110106428 },
  };

  it('maps the counters and the metadata of a full answer', () => {
    expect(readHubModel(answer)).toEqual({
      id: 'google-bert/bert-base-uncased',
      downloadsAllTime: 2089000000,
      downloads30d: 72376843,
      likes: 2065,
      trendingScore: null,
      metadata: {
        license: 'apache-2.0',
        parametersTotal: 110106428,
        arxivIds: ['1810.04805'],
        baseModels: [],
        task: 'fill-mask',
        tags: ['transformers', 'arxiv:1810.04805', 'license:apache-2.0', 'region:us'],
        createdAt: new Date('2022-03-02T23:29:04.000Z'),
        gated: false,
      },
    });
  });

  it('keeps the kind of gate', () => {
    expect(readHubModel({ ...answer, gated: 'manual' }).metadata.gated).toBe('manual');
  });

  it('leaves absent counters null', () => {
    const { downloads: _d, downloadsAllTime: _a, ...rest } = answer;
    expect(readHubModel(rest)).toMatchObject({ downloads30d: null, downloadsAllTime: null, likes: 2065 });
  });

  it.each([
    ['a counter that is a string', { ...answer, downloads: '72376843' }],
    ['a negative counter', { ...answer, likes: -1 }],
    ['a fractional counter', { ...answer, downloadsAllTime: 1.5 }],
    ['no id', { ...answer, id: undefined }],
    ['an array', [answer]],
  ])('refuses %s', (_name, json) => {
    expect(() => readHubModel(json)).toThrow(MalformedAnswerError);
  });
});
