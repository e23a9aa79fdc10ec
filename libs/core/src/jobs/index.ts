export * from './dto/sync-run.dto';
export * from './job';
export * from './job-queue';
export * from './job-runner';
export * from './jobs.module';
export * from './runs.service';
export * from './sync-run.repository';
