import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGitHub } from '../../fakes/fake-github';
import { FakeHuggingFace } from '../../fakes/fake-hugging-face';

interface SeedModel {
  links: { huggingface: string | null; github: string | null };
}

const SEED = join(__dirname, '..', '..', '..', 'libs', 'core', 'src', 'catalog', 'seed', 'catalog.seed.json');

/**
 * The fake hub and code host with every repository the catalogue seed
 * tracks, their counters a function of `round`: what one sync reads, and
 * different (higher) figures after `nextRound()`.
 */
export class SeededUpstreams {
  round = 1;

  private constructor(
    readonly hub: FakeHuggingFace,
    readonly github: FakeGitHub,
    readonly hubIds: string[],
    readonly repos: string[],
  ) {}

  static async start(): Promise<SeededUpstreams> {
    const models = (JSON.parse(readFileSync(SEED, 'utf8')) as { models: SeedModel[] }).models;
    const hubIds = [...new Set(models.flatMap((m) => (m.links.huggingface ? [m.links.huggingface] : [])))];
    const repos = [...new Set(models.flatMap((m) => (m.links.github ? [m.links.github] : [])))];
    const upstreams = new SeededUpstreams(await FakeHuggingFace.start(), await FakeGitHub.start(), hubIds, repos);
    upstreams.apply();
    return upstreams;
  }

  get env(): Record<string, string> {
    return { HF_ENDPOINT: this.hub.url, GITHUB_API_URL: this.github.url };
  }

  nextRound(): void {
    this.round += 1;
    this.apply();
  }

  /** Every request from now on answers `delayMs` late (until `clearFaults`), so a sync takes a while. */
  slowDown(delayMs: number): void {
    this.hub.failNext(10_000, { kind: 'slow', delayMs });
    this.github.failNext(10_000, { kind: 'slow', delayMs });
  }

  clearFaults(): void {
    this.hub.clearFaults();
    this.github.clearFaults();
  }

  get requestCount(): number {
    return this.hub.requests.length + this.github.requests.length;
  }

  async stop(): Promise<void> {
    await Promise.all([this.hub.stop(), this.github.stop()]);
  }

  private apply(): void {
    this.hubIds.forEach((id, i) => {
      const counters = {
        downloadsAllTime: 1_000_000 * (i + 1) + 7_919 * i * this.round,
        downloads: 50_000 * (i + 1) + 101 * this.round,
        likes: 100 * (i + 1) + 3 * this.round,
      };
      if (this.round === 1) this.hub.addModel({ id, ...counters });
      else this.hub.setCounters(id, counters);
    });
    this.repos.forEach((repo, i) => {
      const counters = { stars: 1000 * (i + 1) + 17 * this.round, forks: 10 * (i + 1) };
      if (this.round === 1) this.github.addRepo(repo, counters);
      else this.github.setCounters(repo, counters);
    });
  }
}
