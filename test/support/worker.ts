import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { upstreamsConfig } from '@modelpulse/config';
import { Clock } from '@modelpulse/core/clock';
import {
  GitHubSource,
  gitHubOptions,
  HuggingFaceSource,
  huggingFaceOptions,
  type SourceOptions,
  type SourceRuntime,
} from '@modelpulse/core/sources';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import type { FakeClock } from './clock';

/** Fast upstream settings: no pacing to speak of, one retry, backoff in milliseconds. */
const FAST: Omit<SourceOptions, 'baseUrl'> = {
  token: null,
  requestsPerSecond: 10_000,
  concurrency: 4,
  timeoutMs: 2_000,
  maxRetries: 1,
  maxWaitMs: 60_000,
  backoffBaseMs: 1,
  backoffMaxMs: 5,
};

export interface TestWorker {
  app: INestApplicationContext;
  hub: HuggingFaceSource;
  github: GitHubSource;
  close(): Promise<void>;
}

/**
 * The real worker module on the database DATABASE_URL names (make one with
 * createTestDatabase first), its clock pinned and its sources pointed at
 * fake upstreams. Schedules stay off unless asked.
 *
 * `upstreams: 'fast'` (the default): no pacing to speak of, one retry, and
 * waits skipped. `upstreams: 'configured'`: the sources as the worker builds
 * them from the environment (`UPSTREAM_*`, `HF_*`, `GITHUB_*` in `env`), their
 * waits (backoff, Retry-After) taken on the fake clock, which they move on, and
 * their backoff jitter drawn from `random`.
 */
export async function createTestWorker(options: {
  clock: FakeClock;
  hubUrl: string;
  githubUrl: string;
  env?: Record<string, string>;
  upstreams?: 'fast' | 'configured';
  random?: () => number;
}): Promise<TestWorker> {
  Object.assign(process.env, { SYNC_ENABLED: 'false', ...options.env });
  let hub: HuggingFaceSource;
  let github: GitHubSource;
  if (options.upstreams === 'configured') {
    Object.assign(process.env, { HF_ENDPOINT: options.hubUrl, GITHUB_API_URL: options.githubUrl });
    const runtime: SourceRuntime = {
      now: () => options.clock.now(),
      sleep: (ms) => Promise.resolve(options.clock.advance(ms)),
      random: options.random ?? (() => 0.5),
    };
    const upstreams = upstreamsConfig();
    hub = new HuggingFaceSource(huggingFaceOptions(upstreams), runtime);
    github = new GitHubSource(gitHubOptions(upstreams), runtime);
  } else {
    const runtime = { now: () => options.clock.now(), sleep: () => Promise.resolve(), random: () => 0.5 };
    hub = new HuggingFaceSource({ ...FAST, baseUrl: options.hubUrl, listPageSize: 100, listMaxPages: 3 }, runtime);
    github = new GitHubSource({ ...FAST, baseUrl: options.githubUrl }, runtime);
  }
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(Clock)
    .useValue(options.clock)
    .overrideProvider(HuggingFaceSource)
    .useValue(hub)
    .overrideProvider(GitHubSource)
    .useValue(github)
    .compile();
  await moduleRef.init();
  return { app: moduleRef, hub, github, close: () => moduleRef.close() };
}
