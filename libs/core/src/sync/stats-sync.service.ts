import { Inject, Injectable, Logger } from '@nestjs/common';
import { BindingsService, RenamesService, type TrackedBinding, type Upstream } from '../catalog';
import type { RunError, RunProgress, RunSummary } from '../jobs';
import { UPSTREAM_SOURCES, type FetchOutcome, type UpstreamReading, type UpstreamSource } from '../sources';
import { StatsService, type ObservationRow } from '../stats';

const toRow = (modelId: string, source: Upstream, reading: UpstreamReading): ObservationRow => ({
  modelId,
  source,
  observedAt: reading.observedAt,
  downloadsAllTime: reading.downloadsAllTime,
  downloads30d: reading.downloads30d,
  likes: reading.likes,
  stars: reading.stars,
  forks: reading.forks,
});

/**
 * One stats sync: reads the counters of every tracked binding from its
 * upstream (in as few requests as the source can: `refresh` is given every
 * target with its last 30-day count, which guides the hub's top-list walk),
 * stores them as readings batch by batch as the source hands them over
 * through the same path as POST /v1/observations, and turns known upstream
 * states (renamed, gone, gated, failing) into binding data. A failure is
 * recorded and never written as a reading. When `signal` aborts (the process
 * is stopping), the sources drop their waiting and running requests and the
 * run throws before it writes anything of the chunk it was reading.
 */
@Injectable()
export class StatsSyncService {
  private readonly logger = new Logger('StatsSync');

  constructor(
    private readonly bindings: BindingsService,
    private readonly stats: StatsService,
    private readonly renames: RenamesService,
    @Inject(UPSTREAM_SOURCES) private readonly sources: UpstreamSource[],
  ) {}

  async run(
    onProgress: (progress: RunProgress) => Promise<void> = async () => undefined,
    signal: AbortSignal = new AbortController().signal,
    onGlimpse: (progress: RunProgress) => void = () => undefined,
  ): Promise<RunSummary> {
    const abandon = () => void Promise.all(this.sources.map((source) => source.close()));
    signal.addEventListener('abort', abandon, { once: true });
    try {
      return await this.readAll(onProgress, onGlimpse, signal);
    } finally {
      signal.removeEventListener('abort', abandon);
    }
  }

  private async readAll(
    onProgress: (progress: RunProgress) => Promise<void>,
    onGlimpse: (progress: RunProgress) => void,
    signal: AbortSignal,
  ): Promise<RunSummary> {
    signal.throwIfAborted();
    const tracked = await this.bindings.tracked();
    const modelIds = new Set(tracked.map((b) => b.modelId));
    const outcomeOf = new Map<string, 'done' | 'failed' | 'skipped'>();
    const errors: RunError[] = [];
    const upstreamRequests: Record<string, number> = {};
    let readingsStored = 0;
    // Kept as models settle, so a glimpse per model costs nothing however many models there are.
    const settled = { done: 0, failed: 0, skipped: 0 };
    const settledSoFar = () => ({ total: modelIds.size, ...settled });
    const progress = () => onProgress(settledSoFar());
    // A model failed when any of its bindings failed, and is done when one gave a reading.
    const settle = (modelId: string, outcome: 'done' | 'failed' | 'skipped') => {
      const previous = outcomeOf.get(modelId);
      if (previous === outcome || previous === 'failed' || (previous === 'done' && outcome === 'skipped')) return;
      if (previous !== undefined) settled[previous]--;
      settled[outcome]++;
      outcomeOf.set(modelId, outcome);
    };

    for (const source of this.sources) {
      const mine = tracked.filter((b) => b.upstream === source.upstream);
      const gone = mine.filter((b) => b.status === 'gone');
      for (const binding of gone) settle(binding.modelId, 'skipped');
      const live = mine.filter((b) => b.status !== 'gone');
      const before = source.requestCount;
      const bindingsOf = new Map<string, TrackedBinding[]>();
      for (const binding of live)
        bindingsOf.set(binding.externalId, [...(bindingsOf.get(binding.externalId) ?? []), binding]);
      const lastCounts = await this.stats.latestDownloads30d(source.upstream, [...new Set(live.map((b) => b.modelId))]);
      const targets = [...bindingsOf].map(([externalId, bindings]) => {
        const counts = bindings.flatMap((b) => (lastCounts.has(b.modelId) ? [lastCounts.get(b.modelId)!] : []));
        return { externalId, lastDownloads30d: counts.length > 0 ? Math.max(...counts) : null };
      });
      const answered = new Set<string>();
      // A fetch that answered or failed settles its models at once, for the bar (the batch's store
      // settles them the same way again); the other answers (renamed, gone, gated) settle once applied.
      const onOutcome = (externalId: string, outcome: FetchOutcome) => {
        if (outcome.status !== 'ok' && outcome.status !== 'failed') return;
        for (const b of bindingsOf.get(externalId) ?? [])
          settle(b.modelId, outcome.status === 'ok' ? 'done' : 'failed');
        onGlimpse(settledSoFar());
      };
      const store = async (outcomes: Map<string, FetchOutcome>) => {
        // Requests abandoned by a stop answer as failures: none of them is binding data.
        signal.throwIfAborted();
        const batch = [...outcomes.keys()].filter((id) => !answered.has(id));
        for (const id of batch) answered.add(id);
        const readings: ObservationRow[] = [];
        const slugs: string[] = [];
        const synced: { bindingId: string; at: Date }[] = [];
        for (const binding of batch.flatMap((id) => bindingsOf.get(id) ?? [])) {
          const outcome = outcomes.get(binding.externalId)!;
          if (outcome.status === 'ok') synced.push({ bindingId: binding.bindingId, at: outcome.reading.observedAt });
          const result = await this.apply(binding, outcome);
          if (result.reading) {
            readings.push(toRow(binding.modelId, source.upstream, result.reading));
            slugs.push(binding.slug);
          }
          if (result.error) errors.push({ model: binding.slug, source: source.upstream, error: result.error });
          settle(binding.modelId, result.outcome);
        }
        await this.bindings.markSynced(synced);
        const stored = await this.stats.storeReadings(
          readings.map((row, index) => ({ index, row })),
          'sync',
        );
        readingsStored += stored.accepted;
        for (const rejected of stored.rejected) {
          errors.push({ model: slugs[rejected.index], source: source.upstream, error: rejected.error });
        }
        await progress();
      };
      await source.refresh(targets, store, onOutcome);
      const unanswered = targets.filter((t) => !answered.has(t.externalId));
      if (unanswered.length > 0) {
        const none: FetchOutcome = { status: 'failed', error: 'no answer for this id' };
        await store(new Map(unanswered.map((t) => [t.externalId, none])));
      }
      upstreamRequests[source.upstream] = source.requestCount - before;
    }
    for (const id of modelIds) if (!outcomeOf.has(id)) settle(id, 'skipped');
    await progress();
    return {
      status: errors.length === 0 ? 'succeeded' : readingsStored > 0 ? 'partial' : 'failed',
      modelsDone: settled.done,
      modelsFailed: settled.failed,
      modelsSkipped: settled.skipped,
      upstreamRequests,
      errors,
    };
  }

  private async apply(
    binding: TrackedBinding,
    outcome: FetchOutcome,
  ): Promise<{ outcome: 'done' | 'failed' | 'skipped'; reading?: UpstreamReading; error?: string }> {
    switch (outcome.status) {
      case 'ok':
        // Marked in bulk with the rest of its chunk.
        return { outcome: 'done', reading: outcome.reading };
      case 'renamed': {
        const { slug, modelRenamed } = await this.renames.followUpstreamRenames({
          modelId: binding.modelId,
          upstream: binding.upstream,
          from: binding.externalId,
          via: outcome.via,
          to: outcome.to,
          seenAt: outcome.reading.observedAt,
        });
        this.logger.log(
          `${binding.upstream} renamed ${[outcome.from, ...(outcome.via ?? []), outcome.to].join(' to ')}` +
            (modelRenamed ? `; model is now ${slug}` : ''),
        );
        return { outcome: 'done', reading: outcome.reading };
      }
      case 'gone':
        await this.bindings.mark(binding, 'gone', 'not found upstream');
        return { outcome: 'skipped' };
      case 'gated':
        await this.bindings.mark(binding, 'gated', 'gated upstream: no counters without access');
        return { outcome: 'skipped' };
      case 'failed':
        await this.bindings.mark(binding, 'failing', outcome.error);
        return { outcome: 'failed', error: outcome.error };
    }
  }
}
