export * from './dto/sync-run.dto';
export * from './job';
export * from './job-queue';
export * from './job-runner';
export * from './jobs.module';
export * from './runs.service';
export * from './sync-run.repository';
export * from './sync-run.entity';

import { SyncRunEntity } from './sync-run.entity';

export const JOBS_ENTITIES = [SyncRunEntity];
