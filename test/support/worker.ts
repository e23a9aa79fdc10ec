import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Clock } from '@modelpulse/core/clock';
import { GitHubSource, HuggingFaceSource, type SourceOptions } from '@modelpulse/core/sources';
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
 * fake upstreams whose waits are skipped. Schedules stay off unless asked.
 */
export async function createTestWorker(options: {
  clock: FakeClock;
  hubUrl: string;
  githubUrl: string;
  env?: Record<string, string>;
}): Promise<TestWorker> {
  Object.assign(process.env, { SYNC_ENABLED: 'false', ...options.env });
  const runtime = { now: () => options.clock.now(), sleep: () => Promise.resolve(), random: () => 0.5 };
  const hub = new HuggingFaceSource({ ...FAST, baseUrl: options.hubUrl, listPageSize: 100, listMaxPages: 3 }, runtime);
  const github = new GitHubSource({ ...FAST, baseUrl: options.githubUrl }, runtime);
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
