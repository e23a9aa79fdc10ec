export * from './daily-series';
export * from './dto/batch-result.dto';
export * from './dto/stats-series.dto';
export * from './ingest-items';
export * from './series';
export * from './stats.module';
export * from './stats.repository';
export * from './stats.service';
export { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus, type RunError } from './entities/sync-run.entity';
