import { sourceDailySeries } from '@modelpulse/core/stats';
import { addDays } from '@modelpulse/core/days';
import { generateCatalogue, generateReadings, type DatasetOptions } from './dataset';
import { parseDatasetArgs } from './args';

const SEED_LICENSES = ['mit', 'apache-2.0', 'llama3.1', 'llama3.2', 'llama3.3', 'gemma', 'qwen', 'deepseek'];
const options: DatasetOptions = { models: 2000, days: 60, seed: 7, lastDay: '2026-06-30' };

const daily = (model: ReturnType<typeof generateCatalogue>['models'][number], o = options) =>
  sourceDailySeries(
    generateReadings(model, o).map((r) => ({ ...r, stars: null })),
    new Date(`${model.releaseDate}T00:00:00Z`),
  );

describe('the bench dataset', () => {
  const catalogue = generateCatalogue(options, SEED_LICENSES);

  it('is the same for the same seed, and another for another seed', () => {
    expect(generateCatalogue(options, SEED_LICENSES)).toEqual(catalogue);
    expect(generateReadings(catalogue.models[42], options)).toEqual(generateReadings(catalogue.models[42], options));
    const other = generateCatalogue({ ...options, seed: 8 }, SEED_LICENSES);
    expect(other.models.map((m) => m.slug)).not.toEqual(catalogue.models.map((m) => m.slug));
  });

  it('has unique model ids, organizations that exist, and only known licences', () => {
    const slugs = catalogue.models.map((m) => m.slug.toLowerCase());
    expect(new Set(slugs).size).toBe(slugs.length);
    const organizations = new Set(catalogue.organizations.map((o) => o.id));
    expect(catalogue.models.every((m) => organizations.has(m.organization))).toBe(true);
    const licenses = new Set([...SEED_LICENSES, ...catalogue.licenses.map((l) => l.id)]);
    expect(catalogue.models.every((m) => m.license === null || licenses.has(m.license))).toBe(true);
  });

  it('has lineage: finetunes, quantizations, adapters and merges of earlier models', () => {
    const relations = new Map<string, number>();
    for (const model of catalogue.models) {
      for (const base of model.bases) {
        expect(base.index).toBeLessThan(model.index);
        relations.set(base.relation, (relations.get(base.relation) ?? 0) + 1);
      }
    }
    for (const relation of ['finetune', 'quantized', 'adapter', 'merge']) {
      expect(relations.get(relation) ?? 0).toBeGreaterThan(20);
    }
    expect(catalogue.models.some((m) => m.bases.length === 2)).toBe(true);
    const quantized = catalogue.models.filter((m) => m.bases[0]?.relation === 'quantized' && m.parameters !== null);
    const sameSize = quantized.filter((m) => m.parameters === catalogue.models[m.bases[0].index].parameters);
    expect(sameSize.length / quantized.length).toBeGreaterThan(0.9);
  });

  it('has a few organizations publishing most models', () => {
    const counts = new Map<string, number>();
    for (const model of catalogue.models) counts.set(model.organization, (counts.get(model.organization) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const topTenth = sorted.slice(0, Math.ceil(catalogue.organizations.length / 10)).reduce((a, b) => a + b, 0);
    expect(topTenth / catalogue.models.length).toBeGreaterThan(0.3);
  });

  it('has heavy-tailed downloads: the top 1% of models take more than a third of them', () => {
    const totals = catalogue.models
      .map((m) => daily(m).reduce((sum, d) => sum + (d.downloads ?? 0), 0))
      .sort((a, b) => b - a);
    const all = totals.reduce((a, b) => a + b, 0);
    const top = totals.slice(0, totals.length / 100).reduce((a, b) => a + b, 0);
    expect(top / all).toBeGreaterThan(1 / 3);
    // …and most models get a handful a day.
    expect(totals[Math.floor(totals.length / 2)] / options.days).toBeLessThan(100);
  });

  it('starts a launched model on its release day, an older one on the first day of the window', () => {
    const firstDay = addDays(options.lastDay, -(options.days - 1));
    const launched = catalogue.models.filter((m) => m.releaseDate >= firstDay);
    const older = catalogue.models.filter((m) => m.releaseDate < firstDay);
    expect(launched.length / catalogue.models.length).toBeGreaterThan(0.25);
    for (const model of [...launched.slice(0, 50), ...older.slice(0, 50)]) {
      const first = generateReadings(model, options)[0].observedAt.toISOString().slice(0, 10);
      expect(first).toBe(model.releaseDate >= firstDay ? model.releaseDate : firstDay);
    }
    const last = generateReadings(older[0], options).at(-1)!.observedAt.toISOString().slice(0, 10);
    expect(last <= options.lastDay).toBe(true);
  });

  it('misses syncs, recounts downwards and has bot days, as the app differences them', () => {
    const series = catalogue.models.map((m) => daily(m));
    const days = series.flat();
    expect(days.filter((d) => d.imputed.includes('downloads')).length).toBeGreaterThan(100);
    expect(days.filter((d) => d.flags.includes('decrease')).length).toBeGreaterThan(5);
    const botDays = series.filter((s) => {
      const figures = s.map((d) => d.downloads ?? 0).sort((a, b) => a - b);
      const typical = figures[Math.floor(figures.length / 2)];
      return figures.length > 10 && figures.at(-1)! > 20 * (typical + 50);
    });
    expect(botDays.length).toBeGreaterThan(5);
  });

  it('keeps the differenced days equal to the counter’s growth when nothing was recounted', () => {
    for (const model of catalogue.models.slice(0, 200)) {
      const readings = generateReadings(model, options);
      const days = daily(model);
      if (days.some((d) => d.flags.length > 0) || readings.length < 2) continue;
      const sum = days.reduce((total, d) => total + (d.downloads ?? 0), 0);
      expect(sum).toBe(readings.at(-1)!.downloadsAllTime - readings[0].downloadsAllTime);
    }
  });
});

describe('npm run bench:data arguments', () => {
  it('default to 100 000 models over 180 days ending yesterday', () => {
    expect(parseDatasetArgs([], '2026-12-02')).toEqual({ models: 100_000, days: 180, seed: 1, lastDay: '2026-12-01' });
  });

  it('name the flag that is wrong', () => {
    expect(() => parseDatasetArgs(['--models', 'many'], '2026-12-02')).toThrow(/--models must be a whole number/);
    expect(() => parseDatasetArgs(['--days', '0'], '2026-12-02')).toThrow(/--days must be a whole number/);
    expect(() => parseDatasetArgs(['--last-day', '2026-02-30'], '2026-12-02')).toThrow(/--last-day must be a date/);
    expect(() => parseDatasetArgs(['--last-day', '2026-12-02'], '2026-12-02')).toThrow(/complete day/);
  });
});
