import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../days';
import { DEMO_FROM, DEMO_TO, demoHistory, demoReadingsOf, type DemoModel } from './demo-history';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** The seeded models, read as a file: the catalogue's seed is the catalogue's own (a context imports only an index). */
const seed: unknown = JSON.parse(readFileSync(join(ROOT, 'libs/core/src/catalog/seed/catalog.seed.json'), 'utf8'));
const SEEDED: DemoModel[] = (seed as { models: { id: string; releaseDate?: string | null }[] }).models.map((m) => ({
  slug: m.id,
  releaseDate: m.releaseDate ?? null,
}));
const byDay = (model: DemoModel) => new Map(increments(model).map((d) => [d.day, d.downloads]));
/** Each day's downloads: the all-time counter's increase since the reading before. */
function increments(model: DemoModel): { day: string; downloads: number }[] {
  const readings = demoReadingsOf(model);
  return readings.slice(1).map((r, i) => ({
    day: r.observedAt.toISOString().slice(0, 10),
    downloads: r.downloadsAllTime - readings[i].downloadsAllTime,
  }));
}
const model = (slug: string) => SEEDED.find((m) => m.slug === slug)!;

describe('the demo history', () => {
  it('is the same on every run: a pure function of the models', () => {
    expect(demoHistory(SEEDED)).toEqual(demoHistory([...SEEDED].reverse()));
  });

  const releasedLater = (m: DemoModel) => m.releaseDate !== null && m.releaseDate > DEMO_TO;

  it('gives the models released after January 2025 no reading', () => {
    const later = SEEDED.filter(releasedLater);
    expect(later.length).toBeGreaterThan(0);
    expect(later.flatMap(demoReadingsOf)).toEqual([]);
  });

  it("gives every other seeded model one reading a day at noon, from its release or the demo's first day", () => {
    for (const m of SEEDED.filter((x) => !releasedLater(x))) {
      const readings = demoReadingsOf(m);
      const first = m.releaseDate !== null && m.releaseDate > DEMO_FROM ? m.releaseDate : DEMO_FROM;
      expect(readings[0].observedAt.toISOString()).toBe(`${first}T12:00:00.000Z`);
      expect(readings.at(-1)!.observedAt.toISOString()).toBe(`${DEMO_TO}T12:00:00.000Z`);
      readings.slice(1).forEach((r, i) => {
        expect(r.observedAt.getTime() - readings[i].observedAt.getTime()).toBe(86_400_000);
        // Counters as a hub keeps them: they never go down.
        expect(r.downloadsAllTime).toBeGreaterThanOrEqual(readings[i].downloadsAllTime);
        expect(r.likes).toBeGreaterThanOrEqual(readings[i].likes);
      });
    }
  });

  it('starts DeepSeek-R1 on its release day and multiplies it for a week: a launch', () => {
    const r1 = byDay(model('deepseek-ai/DeepSeek-R1'));
    expect(demoReadingsOf(model('deepseek-ai/DeepSeek-R1'))[0].observedAt.toISOString()).toBe(
      '2025-01-20T12:00:00.000Z',
    );
    expect(r1.get('2025-01-26')! / r1.get('2025-01-21')!).toBeGreaterThan(10);
  });

  it('keeps a giant within a few per cent of its level, and spikes Phi-3-mini thirtyfold for one day (a bot)', () => {
    const giant = [...byDay(model('meta-llama/Llama-3.1-8B-Instruct')).values()];
    expect(Math.max(...giant) / Math.min(...giant)).toBeLessThan(1.11);
    const phi = byDay(model('microsoft/Phi-3-mini-4k-instruct'));
    expect(phi.get('2025-01-14')! / phi.get('2025-01-13')!).toBeGreaterThan(25);
    expect(phi.get(addDays('2025-01-14', 1))! / phi.get('2025-01-13')!).toBeLessThan(1.2);
  });

  it('fades DeepSeek-V3 after its launch and brings it back after R1 (a resurgence); Mixtral only declines', () => {
    const v3 = byDay(model('deepseek-ai/DeepSeek-V3'));
    expect(v3.get('2025-01-19')!).toBeLessThan(v3.get('2025-01-05')!);
    expect(v3.get('2025-01-28')!).toBeGreaterThan(2 * v3.get('2025-01-19')!);
    const mixtral = byDay(model('mistralai/Mixtral-8x7B-Instruct-v0.1'));
    expect(mixtral.get('2025-01-31')!).toBeLessThan(mixtral.get('2024-12-02')! / 3);
  });

  it('has the size docs/cli.md prints for a fresh install', () => {
    const history = demoHistory(SEEDED);
    const models = new Set(history.map((r) => r.slug)).size;
    const docs = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    expect(docs).toContain(`demo: ${models} models, ${history.length} readings stored, 0 already there`);
  });
});
