import type { ModelDto } from '../catalog';
import { renderBadgeSvg } from './badge';
import { metricBadge } from './badges.service';

const model = (stats: Partial<ModelDto['stats']>): ModelDto => ({
  id: 'acme/Rocket-7B',
  organization: 'acme',
  name: 'Rocket-7B',
  description: null,
  license: null,
  parameters: null,
  activeParameters: null,
  releaseDate: null,
  tasks: [],
  tags: [],
  papers: [],
  links: { huggingface: null, github: null, homepage: null },
  baseModels: [],
  stats: {
    downloadsAllTime: null,
    downloads30d: null,
    downloads7d: null,
    hubDownloads30d: null,
    likes: null,
    stars: null,
    lastSyncedAt: null,
    demo: false,
    ...stats,
  },
  trending: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

describe('downloads badges', () => {
  it.each(['downloads', 'downloads-week', 'downloads-total'] as const)(
    '%s of a model whose figure is unknown says "unknown" in grey, never 0',
    (metric) => {
      expect(metricBadge(metric, model({}))).toEqual({ label: 'downloads', message: 'unknown', color: 'lightgrey' });
    },
  );

  it('tells a known week of nothing from an unknown one', () => {
    expect(metricBadge('downloads-week', model({ downloads7d: 0 }))).toEqual({
      label: 'downloads',
      message: '0/week',
      color: 'brightgreen',
    });
  });
});

describe('badges of demo figures', () => {
  it('say "demo data" in the title of a figure badge, and nothing of it where the figure is real', () => {
    const demo = metricBadge('downloads-total', model({ downloadsAllTime: 1_234_567, demo: true }));
    expect(demo).toEqual({ label: 'downloads', message: '1.2M', color: 'brightgreen', note: 'demo data' });
    expect(renderBadgeSvg(demo)).toContain('<title>downloads: 1.2M (demo data)</title>');
    const real = metricBadge('downloads-total', model({ downloadsAllTime: 1_234_567 }));
    expect(renderBadgeSvg(real)).toContain('<title>downloads: 1.2M</title>');
  });

  it('leave catalogue facts (licence, parameters) unmarked: they are not demo data', () => {
    expect(metricBadge('parameters', model({ demo: true })).note).toBeUndefined();
  });
});
