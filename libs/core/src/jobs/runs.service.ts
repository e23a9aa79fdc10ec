import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import type { RunKind } from './sync-run.entity';
import { toSyncRunDto, type SyncRunDto } from './dto/sync-run.dto';
import { JobQueue, type QueueName } from './job-queue';
import { SyncRunRepository } from './sync-run.repository';

const QUEUE_OF: Record<RunKind, QueueName> = { 'stats-sync': 'stats-sync', discovery: 'discovery', rollup: 'rollup' };

/** Runs as the API shows them, and runs asked for now. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: SyncRunRepository,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {}

  async list(limit: number, kind?: RunKind): Promise<SyncRunDto[]> {
    return (await this.runs.list(limit, kind)).map(toSyncRunDto);
  }

  /** Queues a run for the next free worker; the answer is the queued run. */
  async request(kind: RunKind, trigger: 'api' | 'cli'): Promise<SyncRunDto> {
    const run = await this.runs.queue(kind, trigger, this.clock.now());
    await this.queue.send(QUEUE_OF[kind], { trigger, runId: run.id });
    return toSyncRunDto(run);
  }
}
