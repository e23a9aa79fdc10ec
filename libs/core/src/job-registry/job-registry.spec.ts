import { RUN_KINDS } from '../jobs';
import { RollupJob } from '../rankings';
import { DiscoveryJob, StatsSyncJob } from '../sync';
import { JobRegistry } from './job-registry';

describe('JobRegistry', () => {
  // The jobs' services are never called here: the registry only hands the jobs out.
  const registry = new JobRegistry(
    new StatsSyncJob(null as never),
    new DiscoveryJob(null as never, null as never),
    new RollupJob(null as never, null as never, null as never),
  );

  it('answers every run kind with the job of that kind, on the queue of that name', () => {
    for (const kind of RUN_KINDS) {
      expect(registry.byKind(kind).kind).toBe(kind);
      expect(registry.byKind(kind).queue).toBe(kind);
    }
  });

  it('lists every job once, in the order of the run kinds', () => {
    expect(registry.all().map((job) => job.kind)).toEqual([...RUN_KINDS]);
  });
});
