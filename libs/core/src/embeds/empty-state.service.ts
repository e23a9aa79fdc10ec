import { Injectable } from '@nestjs/common';
import { SyncRunRepository } from '../jobs';
import { StatsQueries } from '../stats';
import type { DataState } from './empty-state';

/** How many recent stats-sync runs are looked through for the last finished one (a few may be queued or running). */
const RECENT_RUNS = 5;

/** Gathers what explains an empty page or widget: the figures held and the last stats sync. */
@Injectable()
export class EmptyStateService {
  constructor(
    private readonly stats: StatsQueries,
    private readonly runs: SyncRunRepository,
  ) {}

  async state(): Promise<DataState> {
    const [span, runs] = await Promise.all([this.stats.figureSpan(), this.runs.list(RECENT_RUNS, 'stats-sync')]);
    const last = runs.find((run) => run.finishedAt !== null) ?? null;
    const [first, ...rest] = last?.errors ?? [];
    return {
      figures: span === null ? null : { from: span.from, to: span.to },
      demo: span?.demo ?? false,
      lastSync:
        last === null
          ? null
          : {
              status: last.status,
              finishedAt: last.finishedAt!.toISOString(),
              firstError: first === undefined ? null : first.model ? `${first.model}: ${first.error}` : first.error,
              moreErrors: rest.length,
            },
    };
  }
}
